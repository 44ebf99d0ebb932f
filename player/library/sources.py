"""Sources: the publishers' catalogs this library follows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from player import textutil
from player.catalog import DEFAULT_MAX_BYTES
from player.catalog.mirror import open_mirror
from player.catalog.parse import parse_catalog
from player.catalog.signing import parse_public_key, verify
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


@dataclass(frozen=True)
class SourcePreview:
    """A catalog read and checked, before the library takes it: what to ask the user about."""

    location: str
    id: str
    title: textutil.Text
    version: int
    series_count: int
    lecture_count: int
    signed: bool  # it has a catalog.json.sig
    pubkey: str | None  # the key given, as 64 hex digits; the signature matched it
    fingerprint: str | None


def key_fingerprint(pubkey_hex: str) -> str:
    """A short form of a key (64 hex digits, as pinned) for people to compare with what the
    publisher says: SHA-256 of the raw key, first 16 bytes, in groups of four hex digits."""
    digest = hashlib.sha256(bytes.fromhex(pubkey_hex)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4)).upper()


def preview_source(
    location: str,
    *,
    pubkey: str | None = None,
    allow_expired: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SourcePreview:
    """Fetch and check the catalog at `location` without changing any library.

    Raises the same errors `add_source` would (unreachable, invalid, expired, and a
    signature that does not match the key given), so a caller can ask the user to trust
    the key first and add nothing on refusal.
    """
    key = parse_public_key(pubkey) if pubkey else None
    mirror = open_mirror(location)
    files = mirror.read_catalog(max_bytes)
    if key:
        verify(files.raw, files.signature, key)
    parsed = parse_catalog(files.raw, max_bytes=max_bytes, allow_expired=allow_expired)
    catalog = parsed.shell  # the lectures are counted, not decoded
    return SourcePreview(
        location=mirror.location,
        id=catalog.id,
        title=catalog.title,
        version=catalog.version,
        series_count=len(catalog.series),
        lecture_count=sum(len(s.lectures) for s in catalog.series),
        signed=files.signature is not None,
        pubkey=key,
        fingerprint=key_fingerprint(key) if key else None,
    )


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
    result = import_catalog(
        lib,
        files,
        location=mirror.location,
        pubkey=key,
        allow_expired=allow_expired,
        max_bytes=max_bytes,
        builtin=builtin,
    )
    if result.unchanged:
        # The same catalog, added again where a rebuild could not tell where it came from.
        with lib.db.atomic():
            lib.db.execute(
                "UPDATE sources SET location = ? WHERE id = ? AND location = ''",
                [mirror.location, result.source_id],
            )
    return result


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


def delete_source_rows(lib: Library, source_id: str) -> int:
    """Delete the source with everything the index holds of it (series, lectures, media
    rows, cues, kept marks, sync history, per-source settings); the number of series it
    kept. Progress and bookmarks are keyed by id, and stay. Call inside a transaction."""
    db = lib.db
    kept = db.execute("SELECT count(*) FROM kept WHERE source_id = ?", [source_id]).fetchone()[0]
    # The search tables are not tied to the rows by foreign keys.
    db.execute(
        """DELETE FROM cues_fts WHERE rowid IN (
               SELECT c.pk FROM cues c JOIN lectures l ON l.pk = c.lecture_pk WHERE l.source_id = ?)""",
        [source_id],
    )
    db.execute(
        "DELETE FROM lectures_fts WHERE rowid IN (SELECT pk FROM lectures WHERE source_id = ?)",
        [source_id],
    )
    # Series, lectures, media, cues and kept marks go with it (ON DELETE CASCADE).
    db.execute("DELETE FROM sources WHERE id = ?", [source_id])
    db.execute("DELETE FROM sync_series WHERE source_id = ?", [source_id])
    db.execute("DELETE FROM sync_lectures WHERE source_id = ?", [source_id])
    # Per-source settings are named `<what>:<source id>` (validators, quality, fallback).
    db.execute("DELETE FROM settings WHERE substr(key, -length(?) - 1) = ':' || ?", [source_id, source_id])
    return kept
