"""`doctor`: damaged and missing files, orphans, left-over part files, and the quick start-up check."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from player.library.db import open_library
from player.library.doctor import STALE_AFTER, check_library, fix_findings, quick_doctor
from tests.mirrors import sha, sync_from_local_mirrors
from tests.test_rebuild import cli, synced_library


def stored_path(lib_dir: Path, data: bytes, ext: str) -> Path:
    h = sha(data)
    return lib_dir / "media" / h[:2] / f"{h}.{ext}"


def test_a_healthy_library_exits_0(tmp_path, keypair):
    lib_dir, _ = synced_library(tmp_path, keypair)
    code, out, _ = cli(lib_dir, "doctor", "--full")
    assert code == 0
    assert out == "Database: SQLite's integrity_check found no problem.\nAll good.\n"
    code, out, _ = cli(lib_dir, "doctor", "--json")
    report = json.loads(out)
    assert code == 0 and report["healthy"] and report["check"] == "quick_check" and report["problems"] == []


def test_no_library_is_bad_input(tmp_path):
    code, out, err = cli(tmp_path / "nowhere", "doctor")
    assert code == 2 and "There is no library at" in err and "--library" in err


def test_a_flipped_byte_is_found_by_full_and_the_next_sync_repairs_it(tmp_path, keypair):
    lib_dir, files = synced_library(tmp_path, keypair)
    damaged = stored_path(lib_dir, files["media/light.mp4"], "mp4")
    data = bytearray(damaged.read_bytes())
    data[100] ^= 0x20
    damaged.write_bytes(bytes(data))

    code, out, _ = cli(lib_dir, "doctor")
    assert code == 0  # the quick form checks sizes only, and the size is right
    code, out, _ = cli(lib_dir, "doctor", "--full")
    assert code == 1
    assert f"corrupt    {damaged}  (1.3 KB, its sha256 does not match)" in out
    assert "`lecture-player doctor --fix` would: queue 1 missing or damaged file for the next sync." in out
    assert damaged.read_bytes() == bytes(data)  # looking changes nothing

    code, out, _ = cli(lib_dir, "doctor", "--full", "--fix")
    assert code == 0
    assert "Fixed: queued 1 file for the next sync." in out and "lecture-player sync" in out
    assert not damaged.exists()
    with open_library(lib_dir) as lib:
        assert lib.db.execute("SELECT state FROM media WHERE href = 'media/light.mp4'").fetchone() == (
            "queued",
        )
        sync_from_local_mirrors(lib)
    assert damaged.read_bytes() == files["media/light.mp4"]
    code, out, _ = cli(lib_dir, "doctor", "--full")
    assert code == 0 and "All good." in out


def test_a_missing_or_short_file_is_found_by_size(tmp_path, keypair):
    lib_dir, files = synced_library(tmp_path, keypair)
    stored_path(lib_dir, files["media/gravity.mp4"], "mp4").unlink()
    short = stored_path(lib_dir, files["media/gravity.en.vtt"], "vtt")
    short.write_bytes(short.read_bytes()[:10])
    with open_library(lib_dir) as lib:
        report = check_library(lib)
    assert {(f.kind, f.sha256) for f in report.findings} == {
        ("missing", sha(files["media/gravity.mp4"])),
        ("corrupt", sha(files["media/gravity.en.vtt"])),
    }


def test_orphans_and_stale_part_files_are_found_and_removed(tmp_path, keypair):
    lib_dir, files = synced_library(tmp_path, keypair)
    # Two files to fetch again, so two sync jobs are live.
    light, gravity = sha(files["media/light.mp4"]), sha(files["media/gravity.mp4"])
    stored_path(lib_dir, files["media/light.mp4"], "mp4").unlink()
    stored_path(lib_dir, files["media/gravity.mp4"], "mp4").unlink()
    with open_library(lib_dir) as lib:
        assert fix_findings(lib, check_library(lib)).requeued == 2

    orphan = lib_dir / "media" / "ab" / f"{'ab' * 32}.mp4"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"nobody names me")
    stray = lib_dir / "media" / "notes.txt"
    stray.write_bytes(b"dropped here by hand")
    # A part file whose sync job is gone, and one of a live job untouched for two days.
    jobless = lib_dir / "tmp" / f"{'cd' * 32}.mp4.part"
    jobless.write_bytes(b"half")
    old = lib_dir / "tmp" / f"{light}.mp4.part"
    old.write_bytes(b"video-light")
    two_days_ago = time.time() - 2 * STALE_AFTER
    os.utime(old, (two_days_ago, two_days_ago))
    # A fresh part file of a live job is a download in progress, not a problem.
    fresh = lib_dir / "tmp" / f"{gravity}.mp4.part"
    fresh.write_bytes(b"video-gra")
    # Its note was written when the download began, days ago; it goes with its part file.
    note = fresh.with_name(fresh.name + ".meta")
    note.write_text(json.dumps({"sha256": gravity}))
    os.utime(note, (two_days_ago, two_days_ago))

    with open_library(lib_dir) as lib:
        assert quick_doctor(lib).stale_parts == 2
    code, out, _ = cli(lib_dir, "doctor")
    assert code == 1
    assert f"orphan     {orphan}  (15 B, no lecture names it)" in out
    assert f"orphan     {stray}  (20 B, not a stored file's name)" in out
    assert f"stale-part {jobless}  (4 B, no sync job needs it)" in out
    assert f"stale-part {old}  (11 B, untouched for 48 hours)" in out
    assert str(fresh) not in out and str(note) not in out
    assert "`lecture-player doctor --fix` would: delete 2 stale part files." in out
    assert "`lecture-player doctor --delete-orphans` would delete 2 orphan files and free 35 B." in out

    # --fix never deletes orphans: it says they are left, and how to delete them.
    code, out, _ = cli(lib_dir, "doctor", "--fix", "--json")
    report = json.loads(out)
    assert code == 1
    assert report["fixed"] == {"requeued": 0, "removed_parts": 2, "kept_files": None}
    assert orphan.exists() and stray.exists() and not jobless.exists() and not old.exists()
    assert fresh.exists() and note.exists()
    code, out, _ = cli(lib_dir, "doctor", "--fix")
    assert code == 1 and "2 orphan files (35 B) were kept" in out and "doctor --delete-orphans" in out

    code, out, _ = cli(lib_dir, "doctor", "--delete-orphans")
    assert code == 0, out
    assert "Fixed: deleted 2 orphan files, freeing 35 B (35 bytes)." in out
    assert not orphan.exists() and not stray.exists()
    with open_library(lib_dir) as lib:
        # The job whose bytes were thrown away starts over; the sync fetches both files.
        assert lib.db.execute("SELECT state FROM sync_queue WHERE sha256 = ?", [light]).fetchone() == (
            "queued",
        )
        assert quick_doctor(lib).healthy
        sync_from_local_mirrors(lib)
    # The sync is done, so the note it left is now a stale part file too.
    with open_library(lib_dir) as lib:
        assert [(f.path, f.detail) for f in check_library(lib, full=True).findings] == [
            (note, "no sync job needs it")
        ]
