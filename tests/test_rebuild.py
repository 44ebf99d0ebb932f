"""Rebuilding a lost or damaged index: from cached catalogs, stored files and the latest backup."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from player.errors import LibraryError
from player.library.backups import backup_progress
from player.library.db import open_library
from player.library.kept import keep_series
from player.library.progress_store import add_profile, get_progress, save_progress
from player.library.rebuild import database_problem, rebuild_library
from player.library.search import search
from player.library.sources import add_source
from player.progress import ProgressUpdate
from tests.mirrors import base_catalog, sha, sync_from_local_mirrors, write_mirror

SRC = "org.example.physics"
ROOT = Path(__file__).resolve().parent.parent


def cli(lib_dir: Path, *argv: str) -> tuple[int, str, str]:
    """Run `lecture-player --library LIB …` as its own process."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "player", "--library", str(lib_dir), *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode, done.stdout, done.stderr


def synced_library(tmp_path: Path, keypair) -> tuple[Path, dict[str, bytes]]:
    """A library following a signed mirror, both series kept and synced, with progress
    for a second profile and a bookmark."""
    private, public = keypair
    catalog, files = base_catalog()
    lib_dir = tmp_path / "lib"
    with open_library(lib_dir, install_sample=False) as lib:
        add_source(lib, str(write_mirror(tmp_path / "m", catalog, files, key_path=private)), pubkey=public)
        keep_series(lib, SRC, "mechanics")
        keep_series(lib, SRC, "astronomy", quality=720)
        sync_from_local_mirrors(lib)
        ming = add_profile(lib, "Ming")
        save_progress(lib, ProgressUpdate(ming.id, SRC, "gravity", 321.5, 600, 300, False, 1.5, "zh"))
        with lib.db.atomic():
            lib.db.execute(
                "INSERT INTO bookmarks (profile_id, source_id, lecture_id, position, note, created_at) "
                "VALUES (?, ?, 'gravity', 120, 'orbits', '2026-11-20T10:00:00Z')",
                [ming.id, SRC],
            )
    return lib_dir, files


def assert_library_is_back(lib_dir: Path, files: dict[str, bytes], public: str) -> None:
    with open_library(lib_dir) as lib:
        db = lib.db
        assert db.execute("SELECT id, pubkey, builtin FROM sources").fetchall() == [(SRC, public, 0)]
        assert db.execute("SELECT location FROM sources").fetchone()[0].endswith("/m")
        assert sorted(r[0] for r in db.execute("SELECT id FROM series")) == ["astronomy", "mechanics"]
        assert sorted(r[0] for r in db.execute("SELECT id FROM lectures")) == ["gravity", "light", "stars"]
        assert db.execute("SELECT series_id, quality FROM kept ORDER BY series_id").fetchall() == [
            ("astronomy", 720),
            ("mechanics", None),
        ]
        present = {r[0] for r in db.execute("SELECT href FROM media WHERE state = 'present'")}
        assert present == {
            "media/gravity.mp4",
            "media/gravity.en.vtt",
            "media/gravity.zh.vtt",
            "media/light.mp4",
            "media/stars-720.mp4",
        }
        # Sizes count the chosen 720p rendition, as after `keep --quality 720`.
        size, stored = db.execute("SELECT size, present_size FROM lectures WHERE id = 'stars'").fetchone()
        assert size == stored == len(files["media/stars-720.mp4"])
        ming = db.execute("SELECT id FROM profiles WHERE name = 'Ming'").fetchone()[0]
        progress = get_progress(lib, ming, SRC, "gravity")
        assert progress is not None and progress.position == 321.5 and progress.subtitle_lang == "zh"
        assert db.execute("SELECT note, position FROM bookmarks").fetchall() == [("orbits", 120.0)]
        # Subtitle text is searchable again: the stored subtitles were indexed.
        assert any(hit.kind == "subtitle" and hit.lecture_id == "gravity" for hit in search(lib, "Newton"))


def test_a_deleted_database_comes_back_with_doctor_fix(tmp_path, keypair):
    lib_dir, files = synced_library(tmp_path, keypair)
    code, out, _ = cli(lib_dir, "progress", "backup")
    assert code == 0 and "Backed up" in out
    (lib_dir / "library.db").unlink()

    code, out, _ = cli(lib_dir, "doctor")
    assert code == 1
    assert "The library database is unusable: it is missing." in out and "doctor --fix" in out
    assert not (lib_dir / "library.db").exists()  # looking changes nothing

    code, out, err = cli(lib_dir, "doctor", "--fix")
    assert code == 0, out + err
    assert "Rebuilt the index from 1 cached catalog and 5 stored files; 2 kept series." in out
    assert "Restored from" in out
    assert_library_is_back(lib_dir, files, keypair[1])
    code, out, _ = cli(lib_dir, "doctor")
    assert code == 0 and "All good" in out


def test_a_truncated_database_is_moved_aside_and_rebuilt(tmp_path, keypair):
    lib_dir, files = synced_library(tmp_path, keypair)
    with open_library(lib_dir) as lib:
        backup_progress(lib)
    db_file = lib_dir / "library.db"
    data = db_file.read_bytes()
    db_file.write_bytes(data[: len(data) // 2])

    code, out, _ = cli(lib_dir, "doctor")
    assert code == 1 and "The library database is unusable" in out

    code, out, err = cli(lib_dir, "doctor", "--fix")
    assert code == 0, out + err
    # The journal files, if any, go aside with it under the same name.
    aside = [p for p in lib_dir.glob("library.db.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == data[: len(data) // 2]  # kept, never deleted
    assert f"Moved the old database aside to {aside[0]}" in out
    assert_library_is_back(lib_dir, files, keypair[1])


def test_without_a_backup_kept_series_are_guessed_and_the_lost_location_is_reported(tmp_path, keypair):
    lib_dir, files = synced_library(tmp_path, keypair)
    (lib_dir / "library.db").unlink()
    result = rebuild_library(lib_dir)
    assert result.backup is None and result.sources == [SRC] and result.lost_locations == [SRC]
    assert result.files_found == 5 and result.kept == 2
    with open_library(lib_dir) as lib:
        assert lib.db.execute("SELECT location, pubkey FROM sources").fetchall() == [("", None)]
        assert lib.db.execute("SELECT count(*) FROM progress").fetchone()[0] == 0
        assert lib.db.execute("SELECT name FROM profiles").fetchall() == [("Default",)]


def test_a_cached_catalog_with_a_bad_signature_is_not_trusted_and_its_files_stay(tmp_path, keypair):
    lib_dir, files = synced_library(tmp_path, keypair)
    with open_library(lib_dir) as lib:
        backup_progress(lib)
    (lib_dir / "library.db").unlink()
    cached = lib_dir / "catalogs" / f"{SRC}.json"
    cached.write_bytes(cached.read_bytes().replace(b"Mechanics", b"Mechanicz"))

    code, out, _ = cli(lib_dir, "doctor", "--fix")
    assert code == 1  # something is left to fix
    assert f"Could not rebuild the source {SRC}:" in out
    assert "5 stored files named by a cached catalog but not by the index will never be deleted" in out
    stored = lib_dir / "media" / sha(files["media/light.mp4"])[:2] / f"{sha(files['media/light.mp4'])}.mp4"
    assert stored.exists()  # the files of a source that could not be rebuilt are not deleted
    # Not even when orphans are deleted on purpose: the cached catalog names them.
    code, out, _ = cli(lib_dir, "doctor", "--delete-orphans")
    assert code == 1 and "Fixed:" not in out
    assert stored.exists() and len([p for p in (lib_dir / "media").rglob("*") if p.is_file()]) == 5
    with open_library(lib_dir) as lib:
        assert lib.db.execute("SELECT count(*) FROM sources").fetchone()[0] == 0
        # People's progress is back even so.
        assert lib.db.execute("SELECT lecture_id FROM progress").fetchall() == [("gravity",)]


def test_right_after_a_rebuild_orphans_are_shown_not_deleted(tmp_path, keypair):
    lib_dir, _ = synced_library(tmp_path, keypair)
    with open_library(lib_dir) as lib:
        backup_progress(lib)
    # As a file of a lecture the publisher withdrew: the old index named it, the catalog no longer does.
    withdrawn = lib_dir / "media" / "ef" / f"{'ef' * 32}.mp4"
    withdrawn.parent.mkdir(parents=True, exist_ok=True)
    withdrawn.write_bytes(b"a withdrawn lecture")
    (lib_dir / "library.db").unlink()

    code, out, _ = cli(lib_dir, "doctor", "--fix", "--delete-orphans")
    assert code == 1
    assert f"orphan     {withdrawn}" in out
    assert "Nothing was deleted: the index was just rebuilt." in out
    assert "No orphan file was deleted: the index was just rebuilt." in out
    assert withdrawn.exists()
    code, out, _ = cli(lib_dir, "doctor", "--fix")
    assert code == 1 and "1 orphan file (19 B) was kept" in out
    assert withdrawn.exists()  # --fix alone never deletes an orphan
    code, out, _ = cli(lib_dir, "doctor", "--delete-orphans")
    assert code == 0 and "Fixed: deleted 1 orphan file, freeing 19 B (19 bytes)." in out
    assert not withdrawn.exists()


def test_an_emptied_database_counts_as_lost_and_a_sound_one_is_never_moved(tmp_path, keypair):
    lib_dir, files = synced_library(tmp_path, keypair)
    with open_library(lib_dir) as lib:
        backup_progress(lib)
    db_file = lib_dir / "library.db"
    with pytest.raises(LibraryError, match="is sound; there is nothing to rebuild"):
        rebuild_library(lib_dir)
    assert not list(lib_dir.glob("library.db.corrupt-*"))

    db_file.write_bytes(b"")  # SQLite would take it for a new, empty database
    assert database_problem(db_file) == "it is empty"
    result = rebuild_library(lib_dir)
    assert result.moved_aside is not None and result.moved_aside.read_bytes() == b""
    assert_library_is_back(lib_dir, files, keypair[1])
