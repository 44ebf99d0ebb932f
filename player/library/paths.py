"""Where a library lives, and its layout on disk.

LIBRARY/
  library.db        SQLite (WAL), the index
  library.lock      held by the one process that may write
  media/ab/abcd….mp4 files named by their sha256, so identical files are stored once
  tmp/              partial files, renamed into media/ once their hash matches
  catalogs/         each source's signed catalog, byte for byte
  backups/          copies of the database taken before each migration
  cache/pictures/   frames taken from videos for the lists; safe to delete
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from player import APP_NAME

ENV_LIBRARY = "LECTURE_PLAYER_LIBRARY"
_MIME_EXT = {
    "video/mp4": "mp4",
    "video/webm": "webm",
    "video/x-matroska": "mkv",
    "video/quicktime": "mov",
    "text/vtt": "vtt",
    "application/x-subrip": "srt",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}


def default_library_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_library_dir(option: str | None = None) -> Path:
    """--library wins, then $LECTURE_PLAYER_LIBRARY, then the user data folder."""
    chosen = option or os.environ.get(ENV_LIBRARY)
    return Path(chosen).expanduser() if chosen else default_library_dir()


def extension_for(href: str, mime: str | None) -> str:
    """The file extension a stored file gets, from its href, else its MIME type."""
    dot = href.rfind(".")
    if dot > href.rfind("/"):
        tail = href[dot + 1 :]
        ext = _EXT_CACHE.get(tail)
        if ext is None:
            clean = tail.partition("?")[0].lower()
            ext = _EXT_CACHE[tail] = (
                clean if 0 < len(clean) <= 8 and clean.isascii() and clean.isalnum() else ""
            )
        if ext:
            return ext
    return _MIME_EXT.get(mime or "", "bin")


# Catalogs reuse a handful of extensions across 100,000s of hrefs.
_EXT_CACHE: dict[str, str] = {}


@dataclass(frozen=True)
class LibraryPaths:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / "library.db"

    @property
    def lock(self) -> Path:
        return self.root / "library.lock"

    @property
    def media(self) -> Path:
        return self.root / "media"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def catalogs(self) -> Path:
        return self.root / "catalogs"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def pictures(self) -> Path:
        return self.root / "cache" / "pictures"

    def media_file(self, sha256: str, ext: str) -> Path:
        return self.media / sha256[:2] / f"{sha256}.{ext}"

    def holds_library_files(self) -> bool:
        """Whether the folder holds what only a used library has: stored files, cached
        catalogs or backups. Such a folder without a usable database lost its index; it
        is not a new library."""
        return (
            any(p.is_file() for p in self.media.glob("**/*"))
            or any(self.catalogs.glob("*.json"))
            or any(p.is_file() for p in self.backups.glob("*.db"))
        )

    def create(self) -> None:
        for folder in (self.root, self.media, self.tmp, self.catalogs, self.backups):
            folder.mkdir(parents=True, exist_ok=True)
