"""Apply a catalog to the library: checks first, then one transaction.

Re-importing the same bytes is detected by hash before any parsing. A new version
touches only the lectures whose encoding changed. Lectures that left the catalog are
marked withdrawn, never deleted, so their files and people's progress stay.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from player import textutil
from player.catalog import signing
from player.catalog.mirror import CatalogFiles
from player.catalog.model import UNSET, Catalog, Lecture
from player.catalog.parse import (
    DEFAULT_MAX_BYTES,
    ParsedCatalog,
    is_expired,
    parse_catalog,
)
from player.errors import RollbackError, SignatureError
from player.library.db import Library, now_iso
from player.library.paths import extension_for

_encode = msgspec.json.encode


@dataclass
class ImportResult:
    source_id: str
    version: int
    unchanged: bool = False
    added: int = 0
    changed: int = 0
    withdrawn: int = 0
    series_added: int = 0
    warnings: list[str] = field(default_factory=list)
    pinned: str | None = None  # the key this import pinned, when the source had none before


@contextmanager
def _gc_paused() -> Iterator[None]:
    # A large catalog creates millions of objects at once; the cyclic collector would
    # rescan them over and over, and none of them form cycles.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _large_cache(lib: Library) -> Iterator[None]:
    # Inserting 100,000s of rows into random places of the sha256 index thrashes the
    # default 2 MB page cache; a large one roughly halves the import time.
    previous = lib.db.execute("PRAGMA cache_size").fetchone()[0]
    lib.db.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        lib.db.execute(f"PRAGMA cache_size = {int(previous)}")


def import_catalog(
    lib: Library,
    files: CatalogFiles,
    *,
    location: str,
    pubkey: str | None = None,
    allow_expired: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    builtin: bool = False,
) -> ImportResult:
    """Check `files` and apply them to the library; raise a CatalogError subclass on refusal."""
    lib.require_writable()
    raw = files.raw
    sha = hashlib.sha256(raw).hexdigest()
    same = lib.db.execute(
        "SELECT id, version, pubkey FROM sources WHERE catalog_sha256 = ?", [sha]
    ).fetchone()
    if same is not None:
        source_id, version, pinned = same
        _check_key_change(source_id, pinned, pubkey)
        if pinned or pubkey:
            signing.verify(raw, files.signature, pinned or pubkey)
        result = ImportResult(source_id=source_id, version=version, unchanged=True)
        if pubkey and not pinned:
            # The same bytes, now with a key offered for a source followed without one: the
            # signature was checked above; pin the key, and keep the signature beside it.
            _pin_key(lib, source_id, pubkey, files)
            result.pinned = pubkey
        return result

    with _gc_paused():
        # The parsed catalog is freed inside _import, before the collector is back on.
        return _import(lib, files, sha, location, pubkey, allow_expired, max_bytes, builtin)


def _import(
    lib: Library,
    files: CatalogFiles,
    sha: str,
    location: str,
    pubkey: str | None,
    allow_expired: bool,
    max_bytes: int,
    builtin: bool,
) -> ImportResult:
    old = _OldLectures()

    def trusted(source_id: str) -> dict[bytes, str]:
        # Lectures stored with the same bytes passed every check before; the parser skips
        # them, which is most of the work for a small update to a large catalog.
        old.load(lib, source_id)
        return dict(zip(old.digests.values(), old.digests.keys(), strict=True))

    raw = files.raw
    parsed = parse_catalog(raw, max_bytes=max_bytes, allow_expired=allow_expired, trusted=trusted)
    catalog = parsed.shell
    row = lib.db.execute(
        "SELECT version, catalog_sha256, pubkey FROM sources WHERE id = ?", [catalog.id]
    ).fetchone()
    pinned = row[2] if row else None
    _check_key_change(catalog.id, pinned, pubkey)
    key = pinned or pubkey
    result = ImportResult(source_id=catalog.id, version=catalog.version, pinned=None if pinned else pubkey)
    if key:
        signing.verify(raw, files.signature, key)
    elif files.signature is not None:
        result.warnings.append(
            "The catalog is signed, but no key is pinned, so the signature was not checked. "
            "Add the source with --pubkey to check it."
        )
    else:
        result.warnings.append("The catalog is not signed; its integrity cannot be checked.")
    if row is not None:
        _check_rollback(catalog, row[0], row[1], sha)
    if is_expired(catalog):
        result.warnings.append(f"The catalog expired on {catalog.expires}; imported anyway.")
    # Writing and fsyncing a large catalog takes a while and needs no GIL: it runs beside
    # the database work, and must be done before the commit that refers to it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        saving = pool.submit(_save_catalog_files, lib, catalog.id, files)
        try:
            with _large_cache(lib), lib.db.atomic():
                _apply(lib, parsed, old, sha, location, key, builtin, result)
                pending = saving.result()
        except BaseException:
            saving.exception()  # wait for the writer before removing what it wrote
            for leftover in lib.paths.catalogs.glob(f"{catalog.id}.json*.new"):
                leftover.unlink(missing_ok=True)
            raise
    for tmp, final in pending:
        os.replace(tmp, final)
    return result


def _pin_key(lib: Library, source_id: str, pubkey: str, files: CatalogFiles) -> None:
    pending = _save_catalog_files(lib, source_id, files)
    try:
        with lib.db.atomic():
            lib.db.execute(
                "UPDATE sources SET pubkey = ?, updated_at = ? WHERE id = ?", [pubkey, now_iso(), source_id]
            )
    except BaseException:
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in pending:
        os.replace(tmp, final)


class _OldLectures:
    """What the library holds for a source's lectures, by lecture id. One query, and
    dicts built from columns in C: this runs over every lecture of the largest catalogs."""

    def __init__(self) -> None:
        self.digests: dict[str, bytes] = {}
        self.pks: dict[str, int] = {}
        # Where a lecture sits, packed: series pk, position, and the withdrawn flag.
        self.places: dict[str, int] = {}

    def load(self, lib: Library, source_id: str) -> None:
        rows = lib.db.execute(
            """SELECT id, digest, pk, (series_pk << 21) | (position << 1) | withdrawn FROM lectures
               WHERE source_id = ? AND digest IS NOT NULL""",
            [source_id],
        ).fetchall()
        if rows:
            ids, digests, pks, places = zip(*rows, strict=True)
            self.digests = dict(zip(ids, digests, strict=True))
            self.pks = dict(zip(ids, pks, strict=True))
            self.places = dict(zip(ids, places, strict=True))


def _check_key_change(source_id: str, pinned: str | None, offered: str | None) -> None:
    if pinned and offered and offered != pinned:
        raise SignatureError(
            f"The source '{source_id}' is pinned to another key than the one given.",
            problems=[("$", "key differs from the pinned key")],
            hint="If the publisher really changed keys, remove the source and add it again with the new key.",
        )


def _check_rollback(catalog: Catalog, old_version: int, old_sha: str, sha: str) -> None:
    if catalog.version < old_version:
        raise RollbackError(
            f"The catalog '{catalog.id}' has version {catalog.version}, older than the version "
            f"{old_version} already imported.",
            problems=[("$.version", "rollback to an older version")],
            hint="This may be a stale mirror or a replay; use a current mirror.",
        )
    if catalog.version == old_version and sha != old_sha:
        raise RollbackError(
            f"The catalog '{catalog.id}' has the same version {catalog.version} as the one imported, "
            "but different content.",
            problems=[("$.version", "same version, different bytes")],
            hint="A publisher must raise the version with every change; ask them to publish it again.",
        )


def _save_catalog_files(lib: Library, source_id: str, files: CatalogFiles) -> list[tuple[Path, Path]]:
    """Write the catalog and signature beside their final names; renamed after the commit."""
    folder = lib.paths.catalogs
    folder.mkdir(parents=True, exist_ok=True)
    pending = []
    for suffix, data in ((".json", files.raw), (".json.sig", files.signature)):
        final = folder / f"{source_id}{suffix}"
        if data is None:
            final.unlink(missing_ok=True)
            continue
        tmp = final.with_name(final.name + ".new")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        pending.append((tmp, final))
    return pending


def _text(value: object) -> str | None:
    return None if value is UNSET else _encode(value).decode()


def _digest(blob: bytes) -> bytes:
    return hashlib.blake2b(blob, digest_size=16).digest()


def _apply(
    lib: Library,
    parsed: ParsedCatalog,
    old: _OldLectures,
    sha: str,
    location: str,
    key: str | None,
    builtin: bool,
    result: ImportResult,
) -> None:
    db = lib.db
    catalog = parsed.shell
    now = now_iso()
    db.execute(
        """INSERT INTO sources (id, title, location, pubkey, version, catalog_sha256, published, expires,
                                builtin, added_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET title=excluded.title, location=excluded.location,
             pubkey=excluded.pubkey, version=excluded.version, catalog_sha256=excluded.catalog_sha256,
             published=excluded.published, expires=excluded.expires, updated_at=excluded.updated_at""",
        [
            catalog.id,
            _text(catalog.title),
            location,
            key,
            catalog.version,
            sha,
            catalog.published,
            None if catalog.expires is UNSET else catalog.expires,
            int(builtin),
            now,
            now,
        ],
    )
    # Media rows that are rebuilt keep the state of their file: stored, or waiting in the
    # sync queue.
    states = dict(db.execute("SELECT sha256, state FROM sync_queue WHERE state IN ('queued', 'partial')"))
    states.update(
        (r[0], "present") for r in db.execute("SELECT DISTINCT sha256 FROM media WHERE state = 'present'")
    )
    series_pks, series_titles = _apply_series(lib, catalog, states, result)
    _apply_lectures(lib, parsed, old, series_pks, series_titles, states, result)


def _apply_series(
    lib: Library, catalog: Catalog, states: dict[str, str], result: ImportResult
) -> tuple[dict[str, int], dict[str, tuple[bool, str]]]:
    """Upsert series; return their pks and, per series id, (title changed?, indexable title)."""
    db = lib.db
    old = {
        r[0]: (r[1], r[2], r[3])
        for r in db.execute("SELECT id, pk, digest, withdrawn FROM series WHERE source_id = ?", [catalog.id])
    }
    pks: dict[str, int] = {}
    titles: dict[str, tuple[bool, str]] = {}
    for position, series in enumerate(catalog.series):
        shell = msgspec.structs.replace(series, lectures=[])
        digest = _digest(_encode(shell))
        values = [
            position,
            _text(series.title),
            _text(series.description),
            _encode([] if series.tags is UNSET else series.tags).decode(),
            digest,
        ]
        previous = old.pop(series.id, None)
        if previous is None:
            cur = db.execute(
                """INSERT INTO series (source_id, id, position, title, description, tags, digest)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [catalog.id, series.id, *values],
            )
            pk = cur.lastrowid
            result.series_added += 1
            changed = True
        else:
            pk, old_digest, withdrawn = previous
            changed = old_digest != digest
            if changed or withdrawn:
                db.execute(
                    """UPDATE series SET position=?, title=?, description=?, tags=?, digest=?, withdrawn=0
                       WHERE pk=?""",
                    [*values, pk],
                )
            if changed:
                db.execute("DELETE FROM media WHERE series_pk = ?", [pk])
        if changed and series.poster is not UNSET:
            _insert_media(db, [_media_row(None, pk, "poster", None, series.poster, 0, states)])
        pks[series.id] = pk
        titles[series.id] = (changed, textutil.for_index(series.title))
    gone = [v[0] for v in old.values() if not v[2]]
    db.conn.executemany("UPDATE series SET withdrawn = 1 WHERE pk = ?", [(pk,) for pk in gone])
    return pks, titles


def _media_row(
    lecture_pk: int | None, series_pk: int | None, role: str, lang: str | None, f, position: int, states
) -> tuple:
    mime = None if f.type is UNSET else f.type
    state = states.get(f.sha256, "absent")
    return (
        lecture_pk,
        series_pk,
        role,
        lang,
        f.href,
        f.sha256,
        f.size,
        mime,
        extension_for(f.href, mime),
        getattr(f, "height", None),
        position,
        state,
    )


def _insert_media(db, rows: list[tuple]) -> None:
    db.conn.executemany(
        """INSERT INTO media (lecture_pk, series_pk, role, lang, href, sha256, size, mime, ext, height,
                              position, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        rows,
    )


def _lecture_media(pk: int, lecture: Lecture, states: dict[str, str], out: list[tuple]) -> tuple[int, int]:
    """Append the lecture's media rows to `out`; return the bytes that keeping it offline
    takes by default (first rendition, subtitles, thumbnail) and how many are stored."""
    total = stored = 0
    for i, video in enumerate(lecture.video):
        state = states.get(video.sha256, "absent")
        out.append(
            (pk, None, "video", None, video.href, video.sha256, video.size, video.type,
             extension_for(video.href, video.type), video.height, i, state)
        )  # fmt: skip
        if i == 0:
            total += video.size
            stored += video.size if state == "present" else 0
    extras = (
        []
        if lecture.subtitles is UNSET
        else [(s, "subtitle", s.lang, i) for i, s in enumerate(lecture.subtitles)]
    )
    if lecture.thumbnail is not UNSET:
        extras.append((lecture.thumbnail, "thumbnail", None, 0))
    for f, role, lang, i in extras:
        row = _media_row(pk, None, role, lang, f, i, states)
        out.append(row)
        total += f.size
        stored += f.size if row[11] == "present" else 0
    return total, stored


def _apply_lectures(
    lib: Library,
    parsed: ParsedCatalog,
    old: _OldLectures,
    series_pks: dict[str, int],
    series_titles: dict[str, tuple[bool, str]],
    states: dict[str, str],
    result: ImportResult,
) -> None:
    db = lib.db
    source_id = parsed.id
    old_digests, old_pks, old_places = old.digests, old.pks, old.places
    digests = parsed.lecture_digests
    ids = parsed.lecture_ids
    series_ids = [series.id for series in parsed.shell.series]
    bases = [series_pks[sid] << 21 for sid in series_ids]
    places = dict(
        zip(
            ids,
            [bases[si] | (p << 1) for si, p in zip(parsed.series_index, parsed.positions, strict=True)],
            strict=True,
        )
    )
    # Set differences of (id, value) pairs run in C: only what changed is looked at below.
    new_or_changed = {i for i, _ in digests.items() - old_digests.items()}
    moved_ids = {i for i, _ in places.items() - old_places.items()} - new_or_changed
    refresh_all = {sid for sid, (changed, _) in series_titles.items() if changed}
    index_of = dict(zip(ids, range(len(ids)), strict=True))
    wanted = [index_of[i] for i in new_or_changed]
    if refresh_all:
        wanted += [
            i
            for i, si in enumerate(parsed.series_index)
            if series_ids[si] in refresh_all and ids[i] not in new_or_changed
        ]
    conn = db.conn
    moved = [(places[i] >> 21, (places[i] >> 1) & 0xFFFFF, old_pks[i]) for i in moved_ids]
    conn.executemany("UPDATE lectures SET series_pk=?, position=?, withdrawn=0 WHERE pk=?", moved)
    # In pk order: FTS5 deletes in random order cost several times more.
    changed_pks = sorted((old_pks[i],) for i in new_or_changed if i in old_pks)
    conn.executemany("DELETE FROM media WHERE lecture_pk = ?", changed_pks)
    conn.executemany(
        "DELETE FROM lectures_fts WHERE rowid = ?",
        sorted((old_pks[ids[i]],) for i in wanted if ids[i] in old_pks),
    )
    next_pk = (db.execute("SELECT max(pk) FROM lectures").fetchone()[0] or 0) + 1

    def batches(batch_size: int = 2000) -> Iterator[_Rows]:
        nonlocal next_pk
        order = sorted(wanted)
        for start in range(0, len(order), batch_size):
            rows = _Rows()
            for index in order[start : start + batch_size]:
                lecture_id = ids[index]
                lecture = parsed.lecture(index)
                series_id = series_ids[parsed.series_index[index]]
                series_pk = series_pks[series_id]
                series_text = series_titles[series_id][1]
                pk = old_pks.get(lecture_id)
                if lecture_id not in new_or_changed:
                    rows.fts.append(_fts_row(pk, lecture, series_text))
                    continue
                if pk is None:
                    pk = next_pk
                    next_pk += 1
                    target = rows.inserts
                else:
                    target = rows.updates
                total, stored = _lecture_media(pk, lecture, states, rows.media)
                values = (*_lecture_values(lecture), digests[lecture_id], total, stored)
                position = parsed.positions[index]
                if target is rows.updates:
                    target.append((series_pk, position, *values, pk))
                else:
                    target.append((pk, series_pk, source_id, lecture_id, position, *values))
                rows.fts.append(_fts_row(pk, lecture, series_text))
            yield rows

    def write(rows: _Rows) -> None:
        conn.executemany(
            """INSERT INTO lectures (pk, series_pk, source_id, id, position, title, speakers, duration,
                                     published, description, chapters, digest, size, present_size)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            rows.inserts,
        )
        conn.executemany(
            """UPDATE lectures SET series_pk=?, position=?, title=?, speakers=?, duration=?, published=?,
                                   description=?, chapters=?, digest=?, size=?, present_size=?, withdrawn=0
               WHERE pk=?""",
            rows.updates,
        )
        _insert_media(db, rows.media)
        conn.executemany(
            "INSERT INTO lectures_fts (rowid, title, speakers, description, series) VALUES (?, ?, ?, ?, ?)",
            rows.fts,
        )
        result.added += len(rows.inserts)
        result.changed += len(rows.updates)

    bulk = len(new_or_changed) > db.execute("SELECT count(*) FROM lectures").fetchone()[0]
    with _indexes_rebuilt(db, "media", bulk), _indexes_rebuilt(db, "lectures", bulk):
        for rows in batches():
            write(rows)
    gone = [(old_pks[i],) for i in old_pks.keys() - digests.keys() if not old_places[i] & 1]
    conn.executemany("UPDATE lectures SET withdrawn = 1 WHERE pk = ?", gone)
    result.withdrawn = len(gone)


class _Rows:
    """One batch of rows to write."""

    def __init__(self) -> None:
        self.inserts: list[tuple] = []
        self.updates: list[tuple] = []
        self.media: list[tuple] = []
        self.fts: list[tuple] = []


@contextmanager
def _indexes_rebuilt(db, table: str, bulk: bool) -> Iterator[None]:
    """For a bulk load, drop the table's indexes and build them again after: sorting once
    beats inserting 100,000s of random keys one at a time. Inside the caller's transaction."""
    if not bulk:
        yield
        return
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        [table],
    ).fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        db.execute(sql)


def _lecture_values(lecture: Lecture) -> tuple:
    return (
        _text(lecture.title),
        _encode([] if lecture.speakers is UNSET else lecture.speakers).decode(),
        lecture.duration,
        None if lecture.published is UNSET else lecture.published,
        _text(lecture.description),
        _encode([] if lecture.chapters is UNSET else lecture.chapters).decode(),
    )


_FIELD_SEPARATOR = "\x1f"  # never in catalog text that matters for search


def _fts_row(pk: int, lecture: Lecture, series_text: str) -> tuple:
    texts: list[textutil.Text | None] = [lecture.title, _FIELD_SEPARATOR]
    if lecture.speakers is not UNSET:
        for speaker in lecture.speakers:
            texts.append(speaker.name)
            if speaker.affiliation is not UNSET:
                texts.append(speaker.affiliation)
    texts.append(_FIELD_SEPARATOR)
    if lecture.description is not UNSET:
        texts.append(lecture.description)
    # One call for the three columns: the CJK spacing is a regex pass, cheaper once.
    title, names, description = textutil.for_index(*texts).split(_FIELD_SEPARATOR)
    return (pk, title, names, description, series_text)
