"""Errors the core raises. Each carries one plain sentence for the user and an exit code."""

from __future__ import annotations

import errno
import os
import sqlite3

# Exit codes shared by every command.
EXIT_OK = 0
EXIT_INCOMPLETE = 1
EXIT_BAD_INPUT = 2


class PlayerError(Exception):
    """A problem to show the user: what went wrong and what to do next."""

    exit_code = EXIT_INCOMPLETE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class BadInput(PlayerError):
    """The user or a catalog gave us something we cannot accept."""

    exit_code = EXIT_BAD_INPUT


class CatalogError(BadInput):
    """A catalog failed a check. `problems` lists every (json_path, message) found."""

    def __init__(
        self, message: str, *, problems: list[tuple[str, str]] | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.problems = problems or []


class SignatureError(CatalogError):
    """The signature is missing, malformed, or made by another key."""


class RollbackError(CatalogError):
    """The catalog is older than (or conflicts with) the one already imported."""


class ExpiredError(CatalogError):
    """The catalog's `expires` time has passed."""


class LibraryInUse(PlayerError):
    """Another process holds the library's write lock."""

    def __init__(self, pid: int | None, path: str) -> None:
        who = f"PID {pid}" if pid else "another process"
        super().__init__(
            f"The library {path} is in use by {who}.",
            hint="Close the other Lecture Player window or command, then try again.",
        )
        self.pid = pid


class LibraryError(PlayerError):
    """The library folder or database cannot be used."""


class FetchError(PlayerError):
    """A file or catalog could not be fetched."""


class DiskFull(PlayerError):
    """The disk has no room left: said as such, never as a damaged database."""


# Less than this free on the disk makes an SQLite I/O error a full disk: SQLite reports
# a failed write to its journal or shared-memory file as "disk I/O error".
_NEARLY_FULL = 1 << 20


def disk_full(exc: BaseException, where: str | os.PathLike | None = None) -> DiskFull | None:
    """`exc` as the one sentence "the disk is full", if a full disk caused it; else None.

    The one place that tells a full disk from other failures: SQLite's SQLITE_FULL
    ("database or disk is full"), an OSError ENOSPC or EDQUOT, or an SQLite I/O error
    while the disk holding `where` has (nearly) no space left.
    """
    full = False
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        full = code == sqlite3.SQLITE_FULL or "database or disk is full" in str(exc)
        if not full and where is not None and (code == sqlite3.SQLITE_IOERR or "disk I/O error" in str(exc)):
            full = _free_bytes(where) < _NEARLY_FULL
        if not full:
            return None
    elif isinstance(exc, OSError):
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            return None
        where = exc.filename or where  # the file that did not fit says best which disk
    else:
        return None
    place = f"the disk that holds {where}" if where else "the disk"
    return DiskFull(f"{place[0].upper()}{place[1:]} is full; free some space on it and try again.")


def _free_bytes(where: str | os.PathLike) -> int:
    path = os.fspath(where)
    while path and not os.path.exists(path):
        path = os.path.dirname(path)
    try:
        st = os.statvfs(path or ".")
    except (OSError, AttributeError):  # statvfs is POSIX only
        return _NEARLY_FULL
    return st.f_bavail * st.f_frsize
