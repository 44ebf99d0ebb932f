"""Put a source file into the mirror, reading it at most once.

A hard link costs nothing and keeps the mirror's files identical to the sources; across
file systems (or where links are refused) the file is copied, hashing the bytes on
their way through. Copies get the source's modification time, so the next build can
tell they are current without reading them.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import threading
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
# Errors that mean "no hard link here", as opposed to a real failure to report.
_NO_LINK = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EACCES, errno.EOPNOTSUPP}


def sha256_file(path: Path | str, sink: BinaryIO | None = None) -> str:
    """The file's sha256 in hex; `sink`, if given, receives a copy of the bytes."""
    digest = hashlib.sha256()
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buf):
            # hashlib releases the GIL for large updates, so worker threads hash in parallel.
            digest.update(view[:n])
            if sink is not None:
                sink.write(view[:n])
    return digest.hexdigest()


class Placer:
    def __init__(self) -> None:
        self.can_link = True

    def place(self, src: Path, dest: Path, st: os.stat_result, *, need_hash: bool) -> str | None:
        """Make `dest` hold `src` (whose stat is `st`); return its sha256 when `need_hash`."""
        if _current(dest, st):
            return sha256_file(src) if need_hash else None
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            if self.can_link and self._link(src, tmp):
                os.replace(tmp, dest)
                return sha256_file(src) if need_hash else None
            digest = None
            if need_hash:
                with open(tmp, "wb") as out:
                    digest = sha256_file(src, sink=out)
            else:
                shutil.copyfile(src, tmp)
            os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
            os.replace(tmp, dest)
            return digest
        finally:
            tmp.unlink(missing_ok=True)

    def _link(self, src: Path, tmp: Path) -> bool:
        try:
            os.link(src, tmp)
        except OSError as exc:
            if exc.errno not in _NO_LINK:
                raise
            self.can_link = False
            return False
        return True


def _current(dest: Path, st: os.stat_result) -> bool:
    try:
        have = os.stat(dest)
    except FileNotFoundError:
        return False
    same_file = have.st_ino == st.st_ino and have.st_dev == st.st_dev
    return same_file or (have.st_size == st.st_size and have.st_mtime_ns == st.st_mtime_ns)
