"""A library folder whose database is lost is never taken for a new library.

Real libraries on disk, real SQLite files, and the command line as its own process: a
missing, empty, foreign or schema-less `library.db` beside stored files, cached catalogs
and backups is refused by every command, and `doctor` never deletes what an index that
knows nothing would call orphans.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from player.errors import LibraryError
from player.library.backups import backup_progress
from player.library.db import IndexLost, open_library
from tests.mirrors import base_catalog, sha, write_mirror
from tests.test_rebuild import ROOT, SRC, assert_library_is_back, cli, synced_library


def _missing(db: Path) -> None:
    db.unlink()


def _empty(db: Path) -> None:
    db.write_bytes(b"")


def _not_sqlite(db: Path) -> None:
    db.write_bytes(b"this is not a database\n" * 200)


def _no_schema(db: Path) -> None:
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 7")  # writes the header page, and no table
    conn.close()
    assert db.stat().st_size > 0


def _foreign(db: Path) -> None:
    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()


LOSSES = {"missing": _missing, "empty": _empty, "not-sqlite": _not_sqlite, "no-schema": _no_schema}


def media_files(lib_dir: Path) -> list[Path]:
    return sorted(p for p in (lib_dir / "media").rglob("*") if p.is_file())


def db_state(db: Path) -> bytes | None:
    return db.read_bytes() if db.exists() else None


@pytest.mark.parametrize("loss", LOSSES, ids=list(LOSSES))
def test_a_lost_index_is_refused_everywhere_and_doctor_fix_brings_the_library_back(tmp_path, keypair, loss):
    lib_dir, files = synced_library(tmp_path, keypair)
    code, _, err = cli(lib_dir, "progress", "backup")
    assert code == 0, err
    stored = media_files(lib_dir)
    assert len(stored) == 5
    db = lib_dir / "library.db"
    LOSSES[loss](db)
    before = db_state(db)

    # Even the read-only commands and the nightly sync: none of them starts an empty index.
    for argv in (["series", "list"], ["sources", "list"], ["verify"], ["sync"]):
        code, out, err = cli(lib_dir, *argv)
        assert code == 1, (argv, out, err)
        assert "`lecture-player doctor --fix`" in err and "Traceback" not in err, (argv, err)
        assert err.count("\n") == 1, err  # one line
        assert db_state(db) == before, argv
    assert media_files(lib_dir) == stored

    code, out, err = cli(lib_dir, "doctor", "--fix")
    assert code == 0, out + err
    assert "Rebuilt the index from 1 cached catalog and 5 stored files; 2 kept series." in out
    assert "deleted" not in out
    assert media_files(lib_dir) == stored
    assert_library_is_back(lib_dir, files, keypair[1])


def test_a_lost_index_is_refused_when_opened_from_code_too(tmp_path, keypair):
    lib_dir, _ = synced_library(tmp_path, keypair)
    (lib_dir / "library.db").unlink()
    for write in (True, False):
        with pytest.raises(IndexLost, match=r"unusable \(it is missing\).*doctor --fix"):
            open_library(lib_dir, write=write)
    assert not (lib_dir / "library.db").exists()


def test_only_backups_left_still_count_as_a_used_library(tmp_path, keypair):
    lib_dir, _ = synced_library(tmp_path, keypair)
    with open_library(lib_dir) as lib:
        backup_progress(lib)
    for folder in ("media", "catalogs"):
        for path in sorted((lib_dir / folder).rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
    (lib_dir / "library.db").write_bytes(b"")
    with pytest.raises(IndexLost, match=r"it is empty"):
        open_library(lib_dir)


def test_a_new_folder_and_a_new_empty_file_still_make_a_new_library(tmp_path):
    with open_library(tmp_path / "new", install_sample=False) as lib:
        assert lib.db.execute("SELECT count(*) FROM profiles").fetchone() == (1,)
    # An empty file where nothing else was (a first start that stopped early) is a new library.
    (tmp_path / "early").mkdir()
    (tmp_path / "early" / "library.db").write_bytes(b"")
    with open_library(tmp_path / "early", install_sample=False) as lib:
        assert lib.db.execute("SELECT count(*) FROM profiles").fetchone() == (1,)


def test_another_programs_database_is_never_written_into(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    _foreign(folder / "library.db")
    with pytest.raises(LibraryError, match="another program's database, not a library"):
        open_library(folder)
    conn = sqlite3.connect(folder / "library.db")
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]
    conn.close()


def test_a_sound_index_that_counts_no_stored_file_deletes_nothing(tmp_path, keypair):
    """As left by a version that started a lost library again empty: every stored file
    looks like an orphan, and the cached catalog still names them."""
    lib_dir, files = synced_library(tmp_path, keypair)
    stored = media_files(lib_dir)
    (lib_dir / "library.db").unlink()
    with open_library(lib_dir, install_sample=False, rebuilding=True):
        pass  # a sound, empty index, as the old start-again made
    stray = lib_dir / "media" / "ab" / f"{'ab' * 32}.mp4"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"no catalog names me")

    code, out, _ = cli(lib_dir, "doctor")
    assert code == 1
    light = sha(files["media/light.mp4"])
    assert f"unindexed  {lib_dir / 'media' / light[:2] / light}.mp4" in out
    code, out, _ = cli(lib_dir, "doctor", "--fix", "--delete-orphans")
    assert code == 1
    assert "No orphan file was deleted: the index counts no stored file" in out
    assert media_files(lib_dir) == sorted([*stored, stray])


def test_delete_orphans_never_deletes_a_file_a_cached_catalog_names(tmp_path, keypair):
    lib_dir, files = synced_library(tmp_path, keypair)
    # A lecture's file that the index forgot (as after a failed import), and a true orphan.
    light = sha(files["media/light.mp4"])
    with open_library(lib_dir) as lib:
        lib.db.execute("DELETE FROM media WHERE sha256 = ?", [light])
        lib.db.conn.commit()
    named = lib_dir / "media" / light[:2] / f"{light}.mp4"
    orphan = lib_dir / "media" / "cd" / f"{'cd' * 32}.mp4"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x" * 1000)

    code, out, _ = cli(lib_dir, "doctor", "--delete-orphans")
    assert code == 1  # the unindexed file is left, and said so
    assert "Fixed: deleted 1 orphan file, freeing 1.0 KB (1,000 bytes)." in out
    assert "1 stored file named by a cached catalog but not by the index will never be deleted" in out
    assert named.exists() and not orphan.exists()
    assert SRC in (lib_dir / "catalogs" / f"{SRC}.json").name


def test_a_source_without_a_location_is_reported_never_read_from_the_current_folder(tmp_path, keypair):
    lib_dir, _ = synced_library(tmp_path, keypair)
    (lib_dir / "library.db").unlink()
    code, out, err = cli(lib_dir, "doctor", "--fix")  # no backup: the location is lost
    assert code == 1 and f"The location of the source {SRC} was in no backup" in out, out + err
    # The folder the nightly job happens to run in holds a newer catalog of the same source.
    private, public = keypair
    newer, files = base_catalog(version=2)
    here = write_mirror(tmp_path / "here", newer, files, key_path=private)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "player", "--library", str(lib_dir), "sync"],
        cwd=here,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    assert (
        f"{SRC}: catalog not refreshed: No location is recorded for this source" in done.stdout + done.stderr
    )
    with open_library(lib_dir) as lib:
        assert lib.db.execute("SELECT version, location FROM sources").fetchall() == [(1, "")]
    code, out, _ = cli(lib_dir, "sources", "list")
    assert code == 0 and "no location recorded: add it again with `lecture-player sources add" in out

    # Adding it again records where it lives, even though the catalog is unchanged.
    code, out, err = cli(lib_dir, "sources", "add", str(tmp_path / "m"), "--pubkey", public)
    assert code == 0, err
    with open_library(lib_dir) as lib:
        assert lib.db.execute("SELECT location FROM sources").fetchone()[0] == str((tmp_path / "m").resolve())
