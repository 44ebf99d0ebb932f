"""A full disk is said as one sentence by every command, and harms nothing.

The library lives on a real small tmpfs (where mounting is allowed), filled to the last
byte or nearly; the commands run as their own processes. Once space is freed, the
library is exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from player.errors import DiskFull, disk_full
from tests.disks import fill
from tests.mirrors import one_series_catalog, sha, write_mirror
from tests.test_rebuild import SRC, cli, synced_library

FULL = "is full; free some space on it and try again."


def new_source(tmp_path: Path) -> Path:
    """A second, larger catalog, outside the small disk: importing it needs room."""
    entries = [(f"media/v{i}.mp4", sha(b"v%d" % i), 1000 + i) for i in range(400)]
    return write_mirror(tmp_path / "big-mirror", one_series_catalog(entries))


def assert_one_sentence(argv: list[str], code: int, err: str) -> None:
    assert code == 1, (argv, err)
    assert err.startswith("lecture-player: The disk that holds ") and err.endswith(f"{FULL}\n"), err
    assert err.count("\n") == 1 and "Traceback" not in err and "damaged" not in err, err


def library_state(lib_dir: Path) -> tuple:
    code, series, err = cli(lib_dir, "series", "list")
    assert code == 0, err
    media = sorted((p.name, p.stat().st_size) for p in (lib_dir / "media").rglob("*") if p.is_file())
    return series, media


@pytest.mark.parametrize("leave", [0, 48 * 1024], ids=["no-byte-left", "a-few-pages-left"])
def test_a_full_disk_is_one_sentence_and_harms_nothing(tmp_path, keypair, small_disk, leave):
    lib_dir, _ = synced_library(small_disk, keypair)
    before = library_state(lib_dir)
    big = new_source(tmp_path)
    filler = fill(small_disk, leave)
    try:
        writes = [
            ["sources", "add", str(big)],
            ["keep", "mechanics", "--source", SRC],
            ["progress", "backup"],
        ]
        reads = [["sources", "list"], ["series", "list"], ["sync", "--no-refresh"], ["doctor"]]
        for argv in writes + (reads if leave == 0 else []):
            code, out, err = cli(lib_dir, *argv)
            if leave and argv[0] == "keep" and code == 0:
                continue  # nothing to write: the series is kept already
            assert_one_sentence(argv, code, err)
        if leave:
            # With a little room left, reading still works.
            code, out, err = cli(lib_dir, "sources", "list")
            assert code == 0 and SRC in out, err
    finally:
        filler.unlink()
    assert library_state(lib_dir) == before
    code, out, err = cli(lib_dir, "doctor")
    assert code == 0 and "All good" in out, out + err
    code, out, err = cli(lib_dir, "sources", "add", str(big))
    assert code == 0, err  # and now there is room for it


def test_full_disk_errors_are_told_apart_from_others(tmp_path):
    import errno
    import sqlite3

    assert isinstance(disk_full(OSError(errno.ENOSPC, "No space left on device", "/x/y")), DiskFull)
    assert str(disk_full(sqlite3.OperationalError("database or disk is full"), "/lib")) == (
        f"The disk that holds /lib {FULL}"
    )
    assert disk_full(OSError(errno.EACCES, "Permission denied")) is None
    assert disk_full(sqlite3.DatabaseError("file is not a database"), tmp_path) is None
    # An I/O error on a disk with room to spare is not a full disk.
    assert disk_full(sqlite3.OperationalError("disk I/O error"), tmp_path) is None
