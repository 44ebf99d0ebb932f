"""What a destination drive can hold: its file system's largest file and its free space."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# FAT32 stores a file's size in 32 bits: 4 GiB − 1 bytes at most. exFAT has no such limit.
FAT_TYPES = frozenset({"vfat", "msdos", "fat", "umsdos"})
FAT_MAX_FILE = 2**32 - 1
MOUNTS_FILE = Path("/proc/self/mounts")


def existing_ancestor(path: Path) -> Path:
    """`path` if it exists, else its nearest parent that does (the folder may not be made yet)."""
    path = Path(os.path.abspath(path))
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _unescape(field: str) -> str:
    # /proc/mounts writes spaces, tabs, newlines and backslashes as octal escapes.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_table(text: str | None = None) -> list[tuple[str, str]]:
    """(mount point, file system type) for each line of /proc/self/mounts, or of `text`."""
    if text is None:
        try:
            text = MOUNTS_FILE.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
    table = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            table.append((_unescape(fields[1]), fields[2]))
    return table


def filesystem_type(path: Path, mounts: str | None = None) -> str | None:
    """The type of the file system holding `path` (`vfat`, `ext4` …), or None if unknown.

    `os.statvfs` cannot tell, so this finds the longest mount point that contains the
    path, as `stat -f` and `df` do. The last such line wins: a later mount hides an
    earlier one on the same point.
    """
    # Symlinks resolved in the part that exists; the rest (folders not made yet) kept as given.
    full = os.path.abspath(path)
    there = existing_ancestor(Path(full))
    where = os.path.normpath(os.path.join(os.path.realpath(there), os.path.relpath(full, there)))
    best: tuple[int, str] | None = None
    for point, fstype in mount_table(mounts):
        point = point.rstrip("/") or "/"
        inside = where == point or where.startswith(point + "/") or point == "/"
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), fstype)
    return best[1] if best else None


def largest_file(fstype: str | None) -> int | None:
    """The largest file the file system can hold, or None when it has no limit worth checking."""
    return FAT_MAX_FILE if fstype and fstype.lower() in FAT_TYPES else None


def free_space(path: Path) -> int:
    return shutil.disk_usage(existing_ancestor(path)).free
