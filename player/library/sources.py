"""Sources: the publishers' catalogs this library follows."""

from __future__ import annotations

import json
from dataclasses import dataclass

from player import textutil
from player.catalog import DEFAULT_MAX_BYTES
from player.catalog.mirror import open_mirror
from player.catalog.signing import parse_public_key
from player.errors import BadInput
from player.library.db import Library
from player.library.importer import ImportResult, import_catalog


@dataclass(frozen=True)
class Source:
    id: str
    title: textutil.Text
    location: str
    pubkey: str | None
    version: int
    published: str
    expires: str | None
    builtin: bool
    series_count: int
    lecture_count: int


def add_source(
    lib: Library,
    location: str,
    *,
    pubkey: str | None = None,
    allow_expired: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    builtin: bool = False,
) -> ImportResult:
    """Fetch the catalog at `location`, check it, and import it (or refresh it)."""
    key = parse_public_key(pubkey) if pubkey else None
    mirror = open_mirror(location)
    files = mirror.read_catalog(max_bytes)
    return import_catalog(
        lib,
        files,
        location=mirror.location,
        pubkey=key,
        allow_expired=allow_expired,
        max_bytes=max_bytes,
        builtin=builtin,
    )


def list_sources(lib: Library) -> list[Source]:
    rows = lib.db.execute(
        """SELECT s.id, s.title, s.location, s.pubkey, s.version, s.published, s.expires, s.builtin,
                  (SELECT count(*) FROM series WHERE source_id = s.id AND withdrawn = 0),
                  (SELECT count(*) FROM lectures WHERE source_id = s.id AND withdrawn = 0)
           FROM sources s ORDER BY s.builtin DESC, s.id"""
    ).fetchall()
    return [
        Source(r[0], json.loads(r[1]), r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8], r[9]) for r in rows
    ]


def get_source(lib: Library, source_id: str) -> Source:
    for source in list_sources(lib):
        if source.id == source_id:
            return source
    raise BadInput(f"There is no source '{source_id}'.", hint="See `lecture-player sources list`.")
