"""Progress backups: what they hold, one a day with seven kept, and a restore that is all or nothing."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from player.library import migrations as migrations_module
from player.library.backups import (
    backup_progress,
    backup_progress_if_due,
    latest_backup,
    open_backup,
    restore_progress,
)
from player.library.db import open_library
from player.library.progress_store import add_profile, get_progress, save_progress
from player.progress import ProgressUpdate
from tests.test_rebuild import cli

SRC = "org.example.physics"


def library_with_progress(tmp_path: Path) -> tuple[Path, int]:
    lib_dir = tmp_path / "lib"
    with open_library(lib_dir, install_sample=False) as lib:
        ming = add_profile(lib, "Ming")
        save_progress(lib, ProgressUpdate(ming.id, SRC, "gravity", 100.0, 600, 90, False, None, None))
        with lib.db.atomic():
            lib.db.execute(
                "INSERT INTO bookmarks (profile_id, source_id, lecture_id, position, created_at) "
                "VALUES (?, ?, 'gravity', 42, '2026-11-20T10:00:00Z')",
                [ming.id, SRC],
            )
    return lib_dir, ming.id


def tables_in(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def test_a_backup_holds_people_rows_and_what_a_rebuild_needs(tmp_path):
    lib_dir, _ = library_with_progress(tmp_path)
    with open_library(lib_dir) as lib:
        path = backup_progress(lib)
    assert path.parent == lib_dir / "backups" and path.name.startswith("progress-")
    assert tables_in(path) == {
        "backup_info",
        "profiles",
        "progress",
        "bookmarks",
        "sources",
        "kept",
        "settings",
    }
    backup = open_backup(path)
    assert [r[1] for r in backup.rows("profiles")[1]] == ["Default", "Ming"]
    assert len(backup.rows("bookmarks")[1]) == 1


def test_the_tables_come_from_the_schema_so_a_missing_one_is_skipped(tmp_path):
    lib_dir, ming = library_with_progress(tmp_path)
    with open_library(lib_dir) as lib:
        with lib.db.atomic():
            lib.db.execute("DROP TABLE bookmarks")
        path = backup_progress(lib)
        assert "bookmarks" not in tables_in(path)
        result = restore_progress(lib, path)
        assert result.counts == {"profiles": 2, "progress": 1, "bookmarks": 0}
        assert get_progress(lib, ming, SRC, "gravity").position == 100.0


def test_one_backup_a_day_and_the_newest_seven_are_kept(tmp_path):
    lib_dir, _ = library_with_progress(tmp_path)
    start = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    with open_library(lib_dir) as lib:
        made = []
        for day in range(10):
            now = start + timedelta(days=day)
            made.append(backup_progress_if_due(lib, now))
            # Later the same day: today's backup exists already.
            assert backup_progress_if_due(lib, now + timedelta(hours=8)) is None
    assert all(made)
    kept = sorted(p.name for p in (lib_dir / "backups").glob("progress-*.db"))
    assert kept == [p.name for p in made[3:]]
    assert latest_backup(lib_dir / "backups").path == made[-1]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "no progress table"])
def test_restore_of_a_damaged_or_wrong_file_refuses_and_changes_nothing(tmp_path, damage):
    lib_dir, ming = library_with_progress(tmp_path)
    with open_library(lib_dir) as lib:
        good = backup_progress(lib)
    bad = tmp_path / "bad.db"
    if damage == "truncate":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "garbage":
        bad.write_bytes(b"not a backup at all\n" * 500)
    else:
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE profiles (id INTEGER PRIMARY KEY, name TEXT)")
        conn.commit()
        conn.close()
    with open_library(lib_dir) as lib:
        save_progress(lib, ProgressUpdate(ming, SRC, "gravity", 250.0, 600, 150, False, None, None))
    before = sorted((lib_dir / "backups").iterdir())

    code, out, err = cli(lib_dir, "progress", "restore", str(bad))
    assert code == 2
    assert err.startswith(f"lecture-player: {bad}") and "backups/ folder" in err
    with open_library(lib_dir) as lib:
        assert get_progress(lib, ming, SRC, "gravity").position == 250.0
        assert lib.db.execute("SELECT count(*) FROM bookmarks").fetchone()[0] == 1
    assert sorted((lib_dir / "backups").iterdir()) == before


def test_restore_puts_progress_back_and_keeps_what_it_replaced(tmp_path):
    lib_dir, ming = library_with_progress(tmp_path)
    code, out, _ = cli(lib_dir, "progress", "backup")
    assert code == 0
    backup = next((lib_dir / "backups").glob("progress-*.db"))
    with open_library(lib_dir) as lib:
        save_progress(lib, ProgressUpdate(ming, SRC, "gravity", 500.0, 600, 400, True, None, None))
        add_profile(lib, "Wei")

    code, out, err = cli(lib_dir, "progress", "restore", str(backup))
    assert code == 0, err
    assert out == f"Restored 2 profiles, progress for 1 lecture, 1 bookmark from {backup}.\n"
    with open_library(lib_dir) as lib:
        assert get_progress(lib, ming, SRC, "gravity").position == 100.0
        assert [r[0] for r in lib.db.execute("SELECT name FROM profiles ORDER BY id")] == ["Default", "Ming"]
        saved = Path(err.split(" is in ")[1].rstrip(".\n"))
        # The replaced progress was saved first, so a restore can be undone.
        assert [r[1] for r in open_backup(saved).rows("profiles")[1]] == ["Default", "Ming", "Wei"]


def test_the_copy_before_a_migration_includes_progress_and_serves_as_a_backup(tmp_path):
    lib_dir, ming = library_with_progress(tmp_path)
    registered = list(migrations_module.migrations._migrations)
    try:
        migrations_module.migrations(name="9998_test_noop")(lambda db: None)
        open_library(lib_dir, install_sample=False).close()
    finally:
        migrations_module.migrations._migrations[:] = registered
    (copy,) = (lib_dir / "backups").glob("library-pre-migration-*.db")
    backup = latest_backup(lib_dir / "backups")
    assert backup is not None and backup.path == copy
    columns, rows = backup.rows("progress")
    assert [r[columns.index("lecture_id")] for r in rows] == ["gravity"]
