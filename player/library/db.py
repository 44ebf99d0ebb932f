"""Open a library: the folder, the write lock, the SQLite connection, the migrations.

A `Library` belongs to the thread that opened it (SQLite connections do); a worker
thread opens its own.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from player.errors import LibraryError
from player.library.lock import WriteLock
from player.library.migrations import migrations
from player.library.paths import LibraryPaths

KEEP_BACKUPS = 7


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Library:
    """An open library. Use as a context manager, or call `close()`."""

    def __init__(
        self, paths: LibraryPaths, db: Database, lock: WriteLock | None, *, shares: Library | None = None
    ) -> None:
        self.paths = paths
        self.db = db
        self._lock = lock
        self._shares = shares

    @property
    def writable(self) -> bool:
        if self._shares is not None:
            return self._shares.writable
        return self._lock is not None and self._lock.held

    def require_writable(self) -> None:
        if not self.writable:
            raise LibraryError("This library was opened read-only.")

    def open_shared(self) -> Library:
        """Another connection to this library under the same write lock, for another thread.

        Call it on the thread that will use the result (SQLite connections belong to the
        thread that opened them). Closing the result leaves the lock with this library.
        """
        return Library(self.paths, _connect(self.paths.db), None, shares=self)

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_library(root: Path, *, write: bool = True, install_sample: bool = True) -> Library:
    """Open (creating if needed) the library at `root`.

    With write=False the library is read without taking the write lock, unless it
    first needs creating or migrating. A new writable library gets the built-in sample
    unless `install_sample` is False.
    """
    paths = LibraryPaths(Path(root))
    new = not paths.db.exists()
    lock: WriteLock | None = None
    if write or new:
        try:
            paths.create()
        except OSError as exc:
            raise LibraryError(
                f"Cannot create the library folder {paths.root}: {exc.strerror}.",
                hint="Choose another folder with --library, or check its permissions.",
            ) from None
        lock = WriteLock(paths.lock)
        lock.acquire()
    try:
        db = _connect(paths.db)
        if migrations.pending(db):
            if lock is None:
                lock = WriteLock(paths.lock)
                lock.acquire()
            _migrate(db, paths, backup=not new)
        library = Library(paths, db, lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if new and install_sample:
        from player.sample import install_sample as install

        install(library)
    if not write and lock is not None:
        lock.release()
    return library


def _connect(path: Path) -> Database:
    try:
        conn = sqlite3.connect(str(path), timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA temp_store=MEMORY")
        db = Database(conn)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise LibraryError(
            f"The library database {path} cannot be opened: {exc}.",
            hint="It may be damaged. Move it aside and start again, or restore a copy from backups/.",
        ) from None
    return db


def _migrate(db: Database, paths: LibraryPaths, *, backup: bool) -> None:
    if backup and migrations.applied(db):
        backup_database(db, paths, reason="pre-migration")
    try:
        migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise LibraryError(
            f"Upgrading the library database failed: {exc}.",
            hint=f"Nothing was changed by the failed step; a copy is in {paths.backups}.",
        ) from None


def backup_database(db: Database, paths: LibraryPaths, *, reason: str) -> Path:
    """Copy the database with SQLite's backup API; keep the newest few copies per reason."""
    paths.backups.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = paths.backups / f"library-{reason}-{stamp}.db"
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    old = sorted(paths.backups.glob(f"library-{reason}-*.db"))
    for stale in old[:-KEEP_BACKUPS]:
        stale.unlink(missing_ok=True)
    return target
