"""Why a download failed. Each names the file's URL so the user can tell which one."""

from __future__ import annotations

from player.errors import FetchError, PlayerError


class DownloadFailed(FetchError):
    """One file could not be downloaded; other files may still succeed."""

    def __init__(self, message: str, *, url: str, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.url = url
        self.status = status


class FileGone(DownloadFailed):
    """The server says the file does not exist (404) or was removed (410); retrying will not help."""


class RedirectError(DownloadFailed):
    """The server redirected in a loop or too many times."""


class RestartLimit(DownloadFailed):
    """The server kept ignoring resume requests, so the file restarted from zero too often."""


class DiskFull(PlayerError):
    """The disk holding the library ran out of space while writing."""
