"""The progress CSV written by both the command line and the app."""

import csv
import io

import pytest

from player.library.progress_store import add_profile, save_progress
from player.progress import ProgressUpdate
from player.progress_csv import CSV_HEADER, export_progress, progress_csv, write_file


def test_an_empty_report_is_a_header_with_a_bom(library):
    data, count = export_progress(library)
    assert count == 0
    assert data == ("\ufeff" + ",".join(CSV_HEADER) + "\r\n").encode("utf-8")
    assert progress_csv([]) == data


def test_one_profile_or_everyone(library):
    ana = add_profile(library, "Ana").id
    save_progress(library, ProgressUpdate(ana, "src", "lec", 30.0, 600.0, 60.0, False, None, None))
    data, count = export_progress(library)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert count == 1
    assert rows[1][:2] == ["Ana", "src"]
    assert rows[1][4] == "lec" and rows[1][10] == "1.0"
    assert export_progress(library, ana)[1] == 1
    assert export_progress(library, ana + 1000)[1] == 0


def test_write_file_replaces_whole_files_only(tmp_path):
    target = tmp_path / "report.csv"
    target.write_bytes(b"old")
    write_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]
    with pytest.raises(OSError):
        write_file(tmp_path / "missing" / "report.csv", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]
