"""A half-downloaded file in the library's tmp/, and the note that lets it resume.

Beside `x.part` lives `x.part.meta` (JSON): which file it is and the server's validator
(ETag or Last-Modified) from the response that produced its bytes. A later run, even
after the process was killed, sends that validator as If-Range, so the server only
continues the bytes if the file has not changed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from pathlib import Path

from player.library.store import fsync_dir
from player.sizes import human_size
from player.sync.errors import DiskFull

_READ_CHUNK = 1 << 20
_OPEN_FLAGS = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def meta_path(part_path: Path) -> Path:
    return part_path.with_suffix(part_path.suffix + ".meta")


class PartFile:
    """An open part file whose running sha256 always covers exactly the bytes on disk."""

    def __init__(self, path: Path, *, sha256: str, size: int) -> None:
        self.path = path
        self.meta = meta_path(path)
        self.sha256 = sha256
        self.size = size
        self.etag: str | None = None
        self.last_modified: str | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, _OPEN_FLAGS, 0o644)
        self.offset = 0
        self.digest = hashlib.sha256()
        try:
            self._load()
        except BaseException:
            os.close(self._fd)
            raise

    def _load(self) -> None:
        note = self._read_meta()
        on_disk = os.fstat(self._fd).st_size
        if note is None or note.get("sha256") != self.sha256 or on_disk > self.size:
            # Bytes of some other file, or too many of them: nothing here can be trusted.
            if on_disk:
                os.ftruncate(self._fd, 0)
            self.meta.unlink(missing_ok=True)
            return
        self.etag = note.get("etag")
        self.last_modified = note.get("last_modified")
        # The one and only read of bytes already downloaded; streaming continues this hash.
        with open(self._fd, "rb", closefd=False) as existing:
            existing.seek(0)
            while chunk := existing.read(_READ_CHUNK):
                self.digest.update(chunk)
                self.offset += len(chunk)

    def _read_meta(self) -> dict | None:
        try:
            note = json.loads(self.meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return note if isinstance(note, dict) else None

    @property
    def validator(self) -> str | None:
        """What to send as If-Range. A weak ETag may not be used there (RFC 9110 §13.1.5)."""
        if self.etag and not self.etag.startswith("W/"):
            return self.etag
        return self.last_modified

    def remember(self, etag: str | None, last_modified: str | None) -> None:
        """Record the validator of the response whose bytes are being written."""
        self.etag, self.last_modified = etag, last_modified
        note = {"sha256": self.sha256, "size": self.size, "etag": etag, "last_modified": last_modified}
        scratch = self.meta.with_name(self.meta.name + ".tmp")
        try:
            scratch.write_text(json.dumps(note), encoding="utf-8")
            os.replace(scratch, self.meta)
        except OSError as exc:
            scratch.unlink(missing_ok=True)
            self._raise_if_full(exc, len(json.dumps(note)))
            raise

    def append(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                view = view[self._write(view) :]
        except OSError as exc:
            self._raise_if_full(exc, self.size - self.offset)
            raise
        finally:
            # Whatever did reach the disk is still counted, so offset and hash stay true.
            written = len(data) - len(view)
            self.digest.update(data[:written])
            self.offset += written

    def _write(self, data: memoryview) -> int:
        return os.write(self._fd, data)

    def truncate(self) -> int:
        """Empty the file to start over; returns how many bytes were thrown away."""
        dropped = self.offset
        os.ftruncate(self._fd, 0)
        self.offset = 0
        self.digest = hashlib.sha256()
        self.meta.unlink(missing_ok=True)
        self.etag = self.last_modified = None
        return dropped

    def sync(self) -> None:
        if self._fd >= 0:
            os.fsync(self._fd)

    def complete(self) -> bool:
        return self.offset == self.size and self.digest.hexdigest() == self.sha256

    def publish(self, final_path: Path) -> None:
        """Move the verified bytes to `final_path`, durably."""
        self.sync()
        self.close()
        final_path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path, final_path)
        fsync_dir(final_path.parent)
        self.meta.unlink(missing_ok=True)

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)
        self.meta.unlink(missing_ok=True)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _raise_if_full(self, exc: OSError, needed: int) -> None:
        if exc.errno not in _NO_SPACE:
            return
        try:
            free = human_size(shutil.disk_usage(self.path.parent).free)
        except OSError:
            free = "unknown"
        raise DiskFull(
            f"The disk is full: {self.path.parent} has {free} of free space left, "
            f"and {human_size(needed)} more were needed for {self.path.name}.",
            hint="Free some space on that disk, then sync again.",
        ) from exc
