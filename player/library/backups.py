"""Progress backups: the rows a catalog cannot give back, copied into `backups/`.

A catalog rebuilds series, lectures and media; only the library knows who watched what,
which series it keeps, and where each source lives. Those tables go into a small SQLite
file `backups/progress-<time>.db`, chosen by name from `sqlite_master`, so a table a later
migration adds (or drops) is copied without this module changing.

Progress rows are keyed by source id and lecture id, never by row numbers of the index,
so a backup restores into a library rebuilt from scratch.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from player.errors import BadInput
from player.library.db import KEEP_BACKUPS, Library

FORMAT = "lecture-player-progress/1"
# People's own rows: what `progress restore` puts back.
PROGRESS_TABLES = ("profiles", "progress", "bookmarks")
# What a rebuild also needs that no catalog holds: kept series, and each source's
# location and pinned key (`sources`), and the library's settings.
LIBRARY_TABLES = ("sources", "kept", "settings")
REQUIRED = {"profiles": {"id", "name"}, "progress": {"profile_id", "source_id", "lecture_id", "position"}}
_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass
class Backup:
    """A validated backup file, open read-only."""

    path: Path
    taken_at: datetime | None
    # table -> (columns, rows), read at once: the file may be rotated away after.
    tables: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)

    def rows(self, table: str) -> tuple[list[str], list[tuple]]:
        return self.tables.get(table, ([], []))


@dataclass(frozen=True)
class RestoreResult:
    backup: Path
    counts: dict[str, int]
    saved_before: Path | None = None


def stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime(_STAMP)


def _existing_tables(conn: sqlite3.Connection, wanted: Sequence[str]) -> list[tuple[str, str]]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    have = dict(rows)
    return [(name, have[name]) for name in wanted if name in have]


def write_backup(
    conn: sqlite3.Connection,
    folder: Path,
    *,
    now: datetime | None = None,
    tables: Sequence[str] | None = None,
) -> Path:
    """Copy the chosen tables (default: progress and library tables) from `conn` into a
    new `progress-<time>.db` in `folder`; written beside its name, then renamed, so a
    crash never leaves half a backup under a backup's name."""
    now = now or datetime.now(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"progress-{stamp(now)}.db"
    scratch = target.with_name(target.name + ".new")
    scratch.unlink(missing_ok=True)
    chosen = _existing_tables(conn, tables or PROGRESS_TABLES + LIBRARY_TABLES)
    dest = sqlite3.connect(str(scratch))
    try:
        dest.execute("CREATE TABLE backup_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        dest.executemany(
            "INSERT INTO backup_info VALUES (?, ?)",
            [("format", FORMAT), ("taken_at", now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))],
        )
        # One read transaction, so progress never refers to a profile the copy missed.
        started = not conn.in_transaction
        if started:
            conn.execute("BEGIN")
        try:
            for name, sql in chosen:
                dest.execute(sql)
                rows = conn.execute(f'SELECT * FROM "{name}"')
                width = len(rows.description)
                marks = ", ".join("?" * width)
                dest.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
        finally:
            if started:
                conn.execute("COMMIT")
        dest.commit()
    except BaseException:
        dest.close()
        scratch.unlink(missing_ok=True)
        raise
    dest.close()
    with open(scratch, "rb") as f:
        os.fsync(f.fileno())
    os.replace(scratch, target)
    return target


def backup_progress(lib: Library, *, now: datetime | None = None) -> Path:
    """Take a progress backup now and keep the newest few."""
    path = write_backup(lib.db.conn, lib.paths.backups, now=now)
    rotate(lib.paths.backups)
    return path


def rotate(folder: Path, keep: int = KEEP_BACKUPS) -> list[Path]:
    """Delete all but the newest `keep` progress backups; return what was deleted."""
    old = sorted(folder.glob("progress-*.db"))
    gone = old[:-keep] if keep else old
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def _taken(path: Path) -> datetime | None:
    """When a backup was taken, from its name (`progress-…` or `library-<reason>-…`)."""
    text = path.stem.rpartition("-")[2]
    try:
        return datetime.strptime(text, _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def backup_progress_if_due(lib: Library, now: datetime) -> Path | None:
    """Take one progress backup per UTC day while the app is in use; None if today's exists."""
    today = now.astimezone(UTC).date()
    for path in lib.paths.backups.glob("progress-*.db"):
        taken = _taken(path)
        if taken is not None and taken.date() == today:
            return None
    return backup_progress(lib, now=now)


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def open_backup(path: Path) -> Backup:
    """Check that `path` is a sound backup with progress in it; raise BadInput if not.

    Progress backups and the whole-database copies taken before migrations both qualify.
    """
    path = Path(path)
    hint = "Choose a progress-….db file from the library's backups/ folder."
    if not path.is_file():
        raise BadInput(f"There is no backup file {path}.", hint=hint)
    try:
        conn = _open_read_only(path)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchall()
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            tables = {name: [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')] for name in names}
            if check == [("ok",)] and all(REQUIRED[t] <= set(tables.get(t, ())) for t in REQUIRED):
                data = {
                    name: (tables[name], conn.execute(f'SELECT * FROM "{name}"').fetchall())
                    for name in PROGRESS_TABLES + LIBRARY_TABLES
                    if name in tables
                }
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BadInput(f"{path} is not a readable backup ({exc}).", hint=hint) from None
    if check != [("ok",)]:
        raise BadInput(f"{path} is damaged ({check[0][0]}).", hint=hint)
    for table, columns in REQUIRED.items():
        missing = columns - set(tables.get(table, ()))
        if missing:
            what = (
                f"no {table} table" if table not in tables else f"no {', '.join(sorted(missing))} in {table}"
            )
            raise BadInput(f"{path} is not a Lecture Player progress backup ({what}).", hint=hint)
    return Backup(path, _taken(path), data)


def latest_backup(folder: Path) -> Backup | None:
    """The newest sound backup in `folder` (progress backups and pre-migration copies)."""
    found = [(t, p) for p in folder.glob("*.db") if (t := _taken(p)) is not None]
    for _, path in sorted(found, reverse=True):
        try:
            return open_backup(path)
        except BadInput:
            continue  # a damaged backup is passed over for an older sound one
    return None


def restore_rows(lib: Library, backup: Backup, tables: Sequence[str] = PROGRESS_TABLES) -> dict[str, int]:
    """Replace these tables' rows with the backup's, inside the caller's transaction.

    Only the columns both sides have are copied, so a backup taken before a migration
    added a column still restores (the column gets its default).
    """
    counts: dict[str, int] = {}
    db = lib.db
    current = {name: [r[1] for r in db.execute(f'PRAGMA table_info("{name}")')] for name in tables}
    # Children first on delete, parents first on insert.
    for name in reversed(tables):
        if current[name]:
            db.execute(f'DELETE FROM "{name}"')
    for name in tables:
        if not current[name] or name not in backup.tables:
            counts[name] = 0
            continue
        columns, rows = backup.rows(name)
        shared = [c for c in columns if c in current[name]]
        index = [columns.index(c) for c in shared]
        names = ", ".join(f'"{c}"' for c in shared)
        marks = ", ".join("?" * len(shared))
        db.conn.executemany(
            f'INSERT INTO "{name}" ({names}) VALUES ({marks})', [tuple(r[i] for i in index) for r in rows]
        )
        counts[name] = len(rows)
    return counts


def restore_progress(lib: Library, path: Path, *, now: datetime | None = None) -> RestoreResult:
    """Put back profiles, progress and bookmarks from a backup file, in one transaction.

    The file is checked first: a wrong or damaged file changes nothing. The current
    progress is backed up before it is replaced, so a restore can be undone.
    """
    lib.require_writable()
    backup = open_backup(path)
    # Not rotated here: the file being restored may be the oldest one kept.
    saved = write_backup(lib.db.conn, lib.paths.backups, now=now)
    try:
        with lib.db.atomic():
            counts = restore_rows(lib, backup)
    except sqlite3.DatabaseError as exc:
        raise BadInput(
            f"{path} does not fit this library ({exc}); nothing was changed.",
            hint="Choose another backup from the library's backups/ folder.",
        ) from None
    return RestoreResult(backup.path, counts, saved)
