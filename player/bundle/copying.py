"""Copy one file, verified and resumable, and report progress as sync does.

The bytes go to a part file beside their final place (or in the library's tmp/); its
sha256 is computed while copying, it is fsynced, and only a file whose size and hash
match is renamed into place. A killed copy leaves only a part file, and the next run
continues it from the bytes already there (re-hashing them first).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from player.errors import FetchError
from player.library.store import HashMismatch
from player.sync.partfile import PartFile

Event = Callable[[str, dict], None]
CHUNK = 1 << 20
_BYTES_EVENT_INTERVAL = 0.1


def file_matches(path: Path, sha256: str, size: int) -> bool:
    """Whether `path` holds exactly these bytes (size first: it costs nothing)."""
    try:
        if path.stat().st_size != size:
            return False
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
    except OSError:
        return False
    return digest.hexdigest() == sha256


def part_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def copy_verified(
    source: Path,
    part_path: Path,
    final: Path,
    *,
    sha256: str,
    size: int,
    on_bytes: Callable[[int], None] | None = None,
) -> None:
    """Copy `source` to `final` through `part_path`; raise HashMismatch if the bytes differ."""
    report = on_bytes or (lambda n: None)
    part = PartFile(part_path, sha256=sha256, size=size)
    try:
        part.remember(None, None)  # so a later run trusts (and re-hashes) these bytes
        report(part.offset)
        resumed = part.offset > 0
        while True:
            _append_from(source, part, size, report)
            if part.complete():
                part.publish(final)
                return
            report(-part.truncate())
            if not resumed:
                break
            # The bytes kept from an earlier run were wrong (another copy of the file,
            # or damaged): once more from zero before calling the source damaged.
            resumed = False
            part.remember(None, None)
        part.discard()
        raise HashMismatch(
            f"{source} does not match its catalog (expected {size:,} bytes with sha256 {sha256[:12]}…).",
            hint="That copy is damaged or changed.",
        )
    except BaseException:
        with suppress(OSError):
            part.sync()
        part.close()
        raise


def _append_from(source: Path, part: PartFile, size: int, report: Callable[[int], None]) -> None:
    try:
        with open(source, "rb") as src:
            src.seek(part.offset)
            while part.offset < size:
                chunk = src.read(min(CHUNK, size - part.offset))
                if not chunk:
                    return
                part.append(chunk)
                report(len(chunk))
    except FileNotFoundError:
        raise FetchError(f"{source} is missing.", hint="Check that the drive is still connected.") from None
    except IsADirectoryError:
        raise FetchError(f"{source} is a folder, not a file.") from None


class Meter:
    """Counts bytes and emits sync-style `bytes` events, about ten a second."""

    def __init__(self, emit: Event, total: int) -> None:
        self.emit = emit
        self.total = total
        self.done = 0
        self.current: tuple[str, int] | None = None  # (sha256, size)
        self.file_done = 0
        self._last = 0.0
        self._mark = (time.monotonic(), 0)
        self._rate = 0.0

    def start(self, sha256: str, size: int) -> None:
        self.current = (sha256, size)
        self.file_done = 0

    def __call__(self, nbytes: int) -> None:
        self.done += nbytes
        self.file_done += nbytes
        now = time.monotonic()
        if now - self._last < _BYTES_EVENT_INTERVAL:
            return
        self._last = now
        mark_time, mark_done = self._mark
        if now - mark_time >= 2.0:
            self._rate = (self.done - mark_done) / (now - mark_time)
            self._mark = (now, self.done)
        files = []
        if self.current:
            files.append({"sha256": self.current[0], "done": self.file_done, "size": self.current[1]})
        self.emit(
            "bytes", {"done": self.done, "total": self.total, "rate": round(self._rate), "files": files}
        )
