"""Opening libraries: location, the one-writer lock, migrations and backups."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from player.errors import LibraryError, LibraryInUse
from player.library import migrations as migrations_module
from player.library.db import open_library
from player.library.paths import default_library_dir, resolve_library_dir


def test_library_location_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("LECTURE_PLAYER_LIBRARY", raising=False)
    assert resolve_library_dir(None) == default_library_dir()
    assert "lecture-player" in str(default_library_dir())
    monkeypatch.setenv("LECTURE_PLAYER_LIBRARY", str(tmp_path / "env"))
    assert resolve_library_dir(None) == tmp_path / "env"
    assert resolve_library_dir(str(tmp_path / "opt")) == tmp_path / "opt"


def test_new_library_layout_and_pragmas(tmp_path):
    with open_library(tmp_path / "lib", install_sample=False) as lib:
        assert lib.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert lib.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        tables = set(lib.db.table_names())
        assert {
            "sources",
            "series",
            "lectures",
            "media",
            "kept",
            "profiles",
            "progress",
            "bookmarks",
            "cues",
            "lectures_fts",
            "cues_fts",
        } <= tables
    for name in ("media", "tmp", "catalogs", "backups"):
        assert (tmp_path / "lib" / name).is_dir()


def test_second_writer_is_refused_with_pid(tmp_path):
    lib_dir = tmp_path / "lib"
    open_library(lib_dir, install_sample=False).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from player.library.db import open_library
            lib = open_library({str(lib_dir)!r}, install_sample=False)
            print("locked", flush=True)
            sys.stdin.read()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LibraryInUse) as info:
            open_library(lib_dir, install_sample=False)
        assert info.value.pid == holder.pid
        assert f"in use by PID {holder.pid}" in str(info.value)
        # Readers are not blocked by the writer.
        with open_library(lib_dir, write=False) as reader:
            assert reader.db.execute("SELECT count(*) FROM sources").fetchone() == (0,)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    # The lock goes with the process.
    open_library(lib_dir, install_sample=False).close()


def test_corrupt_database_gives_a_clear_error(tmp_path):
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    (lib_dir / "library.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(LibraryError, match="cannot be opened"):
        open_library(lib_dir, install_sample=False)
    assert (lib_dir / "library.db").read_bytes() == b"this is not a database" * 100


def test_migration_backs_up_first_and_rolls_back_on_failure(tmp_path, monkeypatch):
    lib_dir = tmp_path / "lib"
    with open_library(lib_dir, install_sample=False) as lib:
        lib.db.execute("INSERT INTO profiles (name, created_at) VALUES ('Ming', 'now')")
        lib.db.conn.commit()
    registered = list(migrations_module.migrations._migrations)

    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed")

    try:
        migrations_module.migrations(name="9999_test_broken")(broken)
        with pytest.raises(RuntimeError):
            open_library(lib_dir, install_sample=False)
    finally:
        migrations_module.migrations._migrations[:] = registered
    backups = list((lib_dir / "backups").glob("library-pre-migration-*.db"))
    assert len(backups) == 1
    with open_library(lib_dir, install_sample=False) as lib:
        assert "half_done" not in lib.db.table_names()
        assert lib.db.execute("SELECT name FROM profiles ORDER BY id").fetchall() == [("Default",), ("Ming",)]


def test_a_shared_connection_writes_under_the_same_lock_from_another_thread(tmp_path):
    import threading

    lib = open_library(tmp_path / "lib", install_sample=False)
    seen = {}

    def worker() -> None:
        shared = lib.open_shared()
        seen["writable"] = shared.writable
        shared.db.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
        shared.db.conn.commit()
        shared.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["writable"] is True
    assert lib.db.execute("SELECT value FROM settings WHERE key = 'k'").fetchone() == ("v",)
    # Closing the shared connection left the lock with the library.
    with pytest.raises(LibraryInUse):
        open_library(tmp_path / "lib", install_sample=False)
    lib.close()
    open_library(tmp_path / "lib", install_sample=False).close()
