"""Open a library: the folder, the write lock, the SQLite connection, the migrations.

A `Library` belongs to the thread that opened it (SQLite connections do); a worker
thread opens its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from player.errors import LibraryError, disk_full
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


def open_library(
    root: Path, *, write: bool = True, install_sample: bool = True, rebuilding: bool = False
) -> Library:
    """Open (creating if needed) the library at `root`.

    With write=False the library is read without taking the write lock, unless it
    first needs creating or migrating. A new writable library gets the built-in sample
    unless `install_sample` is False.

    A folder that holds stored files, cached catalogs or backups but no usable database
    lost its index: it is refused with IndexLost rather than started again empty, which
    would turn every stored file into an orphan. Only the rebuild (`rebuilding`) builds a
    new index there.
    """
    paths = LibraryPaths(Path(root))
    problem = _index_problem(paths)
    if problem is not None and not rebuilding and paths.holds_library_files():
        raise IndexLost(paths, problem)  # before anything is created or locked
    new = problem is not None
    lock: WriteLock | None = None
    if write or new:
        try:
            paths.create()
        except OSError as exc:
            raise disk_full(exc, paths.root) or LibraryError(
                f"Cannot create the library folder {paths.root}: {exc.strerror}.",
                hint="Choose another folder with --library, or check its permissions.",
            ) from None
        lock = WriteLock(paths.lock)
        lock.acquire()
    try:
        if lock is not None:
            # Looked at again under the lock: another process may have just changed it.
            problem = _index_problem(paths)
            if problem is not None and not rebuilding and paths.holds_library_files():
                raise IndexLost(paths, problem)
            new = problem is not None
        schemaless = False

        def vet(db: Database) -> None:
            nonlocal schemaless
            if not new and not migrations.applied(db):
                # A database file with no library in it: an empty one, or another program's.
                _refuse_foreign(db, paths, used=not rebuilding and paths.holds_library_files())
                schemaless = True

        db = _connect(paths.db, vet=vet)
        new = new or schemaless
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


class IndexLost(LibraryError):
    """The folder is a used library, but its database is missing, empty or holds no library."""

    def __init__(self, paths: LibraryPaths, problem: str) -> None:
        super().__init__(
            f"The library database {paths.db} is unusable ({problem}), but the folder still holds "
            "the library's files.",
            hint="Run `lecture-player doctor --fix` to rebuild the index from them; nothing is deleted.",
        )
        self.problem = problem


def _index_problem(paths: LibraryPaths) -> str | None:
    """Why there is no database to open, by the file alone: missing, or 0 bytes (SQLite
    would take either for a new, empty database)."""
    try:
        size = paths.db.stat().st_size
    except FileNotFoundError:
        return "it is missing"
    return "it is empty" if size == 0 else None


def _refuse_foreign(db: Database, paths: LibraryPaths, *, used: bool) -> None:
    """Refuse a database with no library schema in a used folder, or one that is another
    program's (it has tables): the schema is never written into either."""
    foreign = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name != ? LIMIT 1",
        [migrations.migrations_table],
    ).fetchone()
    if not (used or foreign):
        return
    if used:
        raise IndexLost(paths, "it holds no library (it is empty, or another program's database)")
    raise LibraryError(
        f"The file {paths.db} is another program's database, not a library.",
        hint="Choose another folder with --library, or move that file away.",
    )


def _connect(path: Path, *, vet: Callable[[Database], None] | None = None) -> Database:
    """Connect and set the pragmas; `vet` looks at the database first, before anything
    (such as the journal mode) is written to the file."""
    try:
        conn = sqlite3.connect(str(path), timeout=30)
        if vet is not None:
            try:
                vet(Database(conn))
            except BaseException:
                conn.close()
                raise
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA temp_store=MEMORY")
        db = Database(conn)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise disk_full(exc, path.parent) or LibraryError(
            f"The library database {path} cannot be opened: {exc}.",
            hint="It may be damaged: `lecture-player doctor --fix` moves it aside and rebuilds the library "
            "from its files.",
        ) from None
    return db


def _migrate(db: Database, paths: LibraryPaths, *, backup: bool) -> None:
    if backup and migrations.applied(db):
        backup_database(db, paths, reason="pre-migration")
    try:
        migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise disk_full(exc, paths.root) or LibraryError(
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
