"""Reading one small file from a folder the user pointed to (a mirror, a bundle).

Such a folder may hold anything under the expected name: a named pipe would block an
ordinary open() until some writer appears, a device would never end. So the file is
opened without blocking, and read only if it is a regular file, up to a limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from player.errors import BadInput

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO returns at once instead of waiting for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


class FileOverLimit(BadInput):
    """The file holds more than the caller's limit; nothing past the limit was read."""

    def __init__(self, path: Path, size: int, limit: int) -> None:
        super().__init__(
            f"{path} is {size:,} bytes or more, over the limit of {limit:,} bytes.",
            hint="Check that this is the right file.",
        )
        self.path, self.size, self.limit = path, size, limit


def read_regular_file(path: Path, max_bytes: int, *, follow_symlinks: bool = True) -> bytes | None:
    """The bytes of the regular file at `path`, or None when nothing is there.

    Anything else under that name (a folder, a FIFO, a device) raises BadInput naming it;
    more than `max_bytes` raises FileOverLimit. Other OSErrors (a drive gone) propagate.
    """
    flags = _FLAGS if follow_symlinks else _FLAGS | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except IsADirectoryError:  # where a folder cannot be opened at all
        raise _not_a_file(path, "a folder") from None
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
        raise _not_a_file(path, kind)
    with os.fdopen(fd, "rb", buffering=0) as f:
        if st.st_size > max_bytes:
            raise FileOverLimit(path, st.st_size, max_bytes)
        chunks, total = [], 0
        while total <= max_bytes and (chunk := f.read(max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
    if total > max_bytes:  # it grew while being read
        raise FileOverLimit(path, total, max_bytes)
    return b"".join(chunks)


def _not_a_file(path: Path, kind: str) -> BadInput:
    return BadInput(
        f"{path} is {kind}, not a file.",
        hint="Put the real file there, or point to the folder that holds it.",
    )
