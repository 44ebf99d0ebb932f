"""Filling a real small disk (see the make_small_disk fixture in conftest)."""

from __future__ import annotations

import os
from pathlib import Path


def fill(disk: Path, leave: int) -> Path:
    """Fill the disk until `leave` bytes or fewer are free; the filler file is returned."""
    filler = disk / "filler"
    st = os.statvfs(disk)
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.write(fd, b"\0" * max(0, st.f_bavail * st.f_frsize - leave))
        while not leave:  # the last blocks, a page at a time
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler
