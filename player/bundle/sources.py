"""A bundle is a source: `sources add BUNDLE` adds the mirror, or each mirror of a bundle
of several sources."""

from __future__ import annotations

from player.bundle.layout import source_folders
from player.catalog import DEFAULT_MAX_BYTES
from player.library.db import Library
from player.library.importer import ImportResult
from player.library.sources import add_source


def add_sources(
    lib: Library,
    location: str,
    *,
    pubkey: str | None = None,
    allow_expired: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[ImportResult]:
    """Like `add_source`; a bundle folder of several sources adds each of its mirrors."""
    folders = source_folders(location) or [location]
    return [
        add_source(lib, folder, pubkey=pubkey, allow_expired=allow_expired, max_bytes=max_bytes)
        for folder in folders
    ]
