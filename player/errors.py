"""Errors the core raises. Each carries one plain sentence for the user and an exit code."""

from __future__ import annotations

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
