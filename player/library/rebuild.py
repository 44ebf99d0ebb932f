"""Rebuilding a lost or damaged index from what the library folder still holds.

The catalogs/ folder keeps each source's signed catalog byte for byte, and media/ keeps
the files under their sha256: together they give back series, lectures and stored files.
The latest backup gives back what no catalog holds: where each source lives and its
pinned key, the kept series, settings, profiles, progress and bookmarks.

A damaged database is moved aside as `library.db.corrupt-<time>`, never deleted.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from player.catalog.mirror import CatalogFiles
from player.errors import LibraryError, PlayerError, disk_full
from player.library.backups import PROGRESS_TABLES, Backup, latest_backup, restore_rows
from player.library.db import Library, now_iso, open_library
from player.library.lock import WriteLock
from player.library.migrations import migrations
from player.library.paths import LibraryPaths

# The sync refetches a catalog without them; stale ones could only make it skip a newer one.
_DROPPED_SETTINGS = ("catalog-validators:",)
_BATCH = 500


@dataclass
class RebuildResult:
    moved_aside: Path | None = None
    backup: Path | None = None
    sources: list[str] = field(default_factory=list)
    failed_sources: list[tuple[str, str]] = field(default_factory=list)  # (source id, reason)
    lost_locations: list[str] = field(default_factory=list)
    files_found: int = 0
    kept: int = 0
    restored: dict[str, int] = field(default_factory=dict)


def database_problem(path: Path, *, full: bool = False) -> str | None:
    """Why the database at `path` cannot be used, or None if SQLite's check passes."""
    if not path.exists():
        return "it is missing"
    if path.stat().st_size == 0:
        return "it is empty"
    check = "integrity_check" if full else "quick_check"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            rows = conn.execute(f"PRAGMA {check}").fetchall()
            migrated = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = ?", [migrations.migrations_table]
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        # Locked, unreadable, an I/O error: nothing says the file is damaged, so it must
        # not be moved aside on this evidence.
        raise disk_full(exc, path.parent) or LibraryError(
            f"The library database {path} cannot be checked: {exc}.",
            hint="Check that its folder is readable and no other program holds the file, then run doctor again.",
        ) from None
    except sqlite3.DatabaseError as exc:
        return f"SQLite cannot read it ({exc})"
    if rows != [("ok",)]:
        return f"SQLite's {check} failed ({'; '.join(str(r[0]) for r in rows[:3])})"
    if not migrated:
        # An empty file passes SQLite's check, but would come up as an empty library.
        return "it holds no library (it is empty, or another program's database)"
    return None


def connection_problem(lib: Library, *, full: bool = False) -> str | None:
    """Like `database_problem`, over an open library's own connection."""
    check = "integrity_check" if full else "quick_check"
    try:
        rows = lib.db.execute(f"PRAGMA {check}").fetchall()
    except sqlite3.DatabaseError as exc:
        return f"SQLite cannot read it ({exc})"
    if rows != [("ok",)]:
        return f"SQLite's {check} failed ({'; '.join(str(r[0]) for r in rows[:3])})"
    return None


def move_aside(paths: LibraryPaths, now: datetime | None = None) -> Path | None:
    """Rename library.db (and its -wal and -shm) to `library.db.corrupt-<time>`.

    The journal files go too: SQLite would otherwise replay an old WAL into the new
    database that takes the name.
    """
    when = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = paths.db.with_name(f"{paths.db.name}.corrupt-{when}")
    moved = None
    for suffix in ("", "-wal", "-shm"):
        src = paths.db.with_name(paths.db.name + suffix)
        if src.exists():
            dest = target.with_name(target.name + suffix)
            src.rename(dest)
            moved = moved or dest
    return moved


def rebuild_library(root: Path, *, full: bool = False, now: datetime | None = None) -> RebuildResult:
    """Move a missing or damaged database aside and build a new one; return what was done.

    Raises LibraryInUse if another process has the library open.
    """
    paths = LibraryPaths(Path(root))
    result = RebuildResult()
    paths.create()
    lock = WriteLock(paths.lock)
    lock.acquire()
    try:
        # Looked at again under the lock: a sound database is never moved aside.
        if paths.db.exists() and database_problem(paths.db) is None:
            raise LibraryError(
                f"The library database {paths.db} is sound; there is nothing to rebuild.",
                hint="Run `lecture-player doctor` to check the rest of the library.",
            )
        result.moved_aside = move_aside(paths, now)
    finally:
        lock.release()
    backup = latest_backup(paths.backups)
    result.backup = backup.path if backup else None
    with open_library(paths.root, install_sample=False, rebuilding=True) as lib:
        _import_cached_catalogs(lib, backup, result)
        result.files_found = adopt_stored_files(lib, full=full)
        _restore_library_rows(lib, backup, result)
        if backup is not None:
            with lib.db.atomic():
                result.restored = restore_rows(lib, backup, PROGRESS_TABLES)
    return result


def _source_settings(backup: Backup | None) -> dict[str, dict]:
    if backup is None:
        return {}
    columns, rows = backup.rows("sources")
    return {row[columns.index("id")]: dict(zip(columns, row, strict=True)) for row in rows}


def _import_cached_catalogs(lib: Library, backup: Backup | None, result: RebuildResult) -> None:
    from player.catalog.signing import parse_public_key
    from player.library.importer import import_catalog
    from player.resources import resource_path
    from player.sample import SAMPLE_LOCATION

    known = _source_settings(backup)
    sample_id = _sample_id()
    for cached in sorted(lib.paths.catalogs.glob("*.json")):
        source_id = cached.stem
        sig_path = cached.with_name(cached.name + ".sig")
        settings = known.get(source_id)
        if settings is not None:
            location, key, builtin = (
                settings["location"],
                settings.get("pubkey"),
                bool(settings.get("builtin")),
            )
        elif source_id == sample_id:
            location, builtin = SAMPLE_LOCATION, True
            key = parse_public_key(resource_path("sample.pub").read_text())
        else:
            # Nothing else records where it came from; `sources add` gives it back.
            location, key, builtin = "", None, False
            result.lost_locations.append(source_id)
        try:
            files = CatalogFiles(cached.read_bytes(), sig_path.read_bytes() if sig_path.exists() else None)
            # The catalog passed every check when it was imported; only its age has changed.
            import_catalog(lib, files, location=location, pubkey=key, allow_expired=True, builtin=builtin)
        except (PlayerError, OSError) as exc:
            result.failed_sources.append((source_id, str(exc)))
            continue
        if settings is not None:
            lib.db.execute(
                "UPDATE sources SET added_at = ? WHERE id = ?",
                [settings.get("added_at") or now_iso(), source_id],
            )
            lib.db.conn.commit()
        result.sources.append(source_id)


def _sample_id() -> str | None:
    import json

    from player.resources import resource_path

    try:
        return json.loads(resource_path("sample", "catalog.json").read_bytes())["id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def stored_candidates(paths: LibraryPaths) -> list[tuple[str, str, Path]]:
    """(sha256, ext, path) for each file in media/ named like a stored file."""
    found = []
    for path in paths.media.glob("??/*"):
        sha, dot, ext = path.name.partition(".")
        if dot and len(sha) == 64 and path.parent.name == sha[:2] and path.is_file():
            found.append((sha, ext, path))
    return found


def adopt_stored_files(lib: Library, *, full: bool = False) -> int:
    """Mark present the files in media/ that catalogs name but the index does not count
    as stored; checked by size (and by sha256 with `full`). Returns how many."""
    from player.sync.queue import mark_done_many
    from player.sync.verify import file_sha256

    sizes = dict(
        lib.db.execute(
            "SELECT sha256 || '.' || ext, max(size) FROM media WHERE state != 'present' GROUP BY sha256, ext"
        ).fetchall()
    )
    good = []
    for sha, ext, path in stored_candidates(lib.paths):
        size = sizes.get(f"{sha}.{ext}")
        if size is None or path.stat().st_size != size:
            continue
        if full and file_sha256(path) != sha:
            continue
        good.append((sha, path))
    for start in range(0, len(good), _BATCH):
        mark_done_many(lib, good[start : start + _BATCH])
    return len(good)


def _restore_library_rows(lib: Library, backup: Backup | None, result: RebuildResult) -> None:
    """Kept series (from the backup, else the series with stored files) and settings."""
    from player.library.kept import keep_series

    kept: list[tuple[str, str, int | None, str | None]] = []
    if backup is not None and "kept" in backup.tables:
        columns, rows = backup.rows("kept")
        for row in rows:
            r = dict(zip(columns, row, strict=True))
            kept.append((r["source_id"], r["series_id"], r.get("quality"), r.get("kept_at")))
    else:
        rows = lib.db.execute(
            """SELECT DISTINCT s.source_id, s.id FROM media m
               LEFT JOIN lectures l ON l.pk = m.lecture_pk
               JOIN series s ON s.pk = coalesce(l.series_pk, m.series_pk)
               WHERE m.state = 'present' ORDER BY s.source_id, s.id"""
        ).fetchall()
        kept = [(src, sid, None, None) for src, sid in rows]
    series = set(lib.db.execute("SELECT source_id, id FROM series").fetchall())
    with lib.db.atomic():
        for source_id, series_id, quality, kept_at in kept:
            if (source_id, series_id) not in series:
                continue
            keep_series(lib, source_id, series_id, quality)
            if kept_at:
                lib.db.execute(
                    "UPDATE kept SET kept_at = ? WHERE source_id = ? AND series_id = ?",
                    [kept_at, source_id, series_id],
                )
            result.kept += 1
        if backup is not None:
            columns, rows = backup.rows("settings")
            lib.db.conn.executemany(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                [
                    (r[columns.index("key")], r[columns.index("value")])
                    for r in rows
                    if not r[columns.index("key")].startswith(_DROPPED_SETTINGS)
                ],
            )
    _choose_renditions(lib)


def _choose_renditions(lib: Library) -> None:
    """Record the rendition each kept lecture wants, as `keep` does, so sizes are right."""
    from player.library.sizes import set_wanted_renditions
    from player.sync.plan import build_plan

    if not lib.db.execute("SELECT 1 FROM kept LIMIT 1").fetchone():
        return
    plan = build_plan(lib, free_bytes=0)
    choices: dict[int, int | None] = {}
    for series in plan.series:
        choices.update(series.choices)
    set_wanted_renditions(lib, choices)
