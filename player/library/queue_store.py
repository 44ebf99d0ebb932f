"""The sync queue's table: the files still to fetch, by sha256, and how each went.

The rows outlive the process, so a sync stopped by Ctrl-C, a kill or a reboot picks up
where it was; the bytes already fetched wait in `tmp/` as part files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from player.library.db import Library, now_iso


@dataclass(frozen=True)
class Candidate:
    """One place the file can come from: a source's href, resolved when it was queued."""

    source_id: str
    href: str
    location: str | None  # a local path or an http(s) URL; None when the mirror was unreachable


@dataclass(frozen=True)
class QueueEntry:
    sha256: str
    size: int
    ext: str
    candidates: list[Candidate]
    state: str
    attempts: int
    last_error: str | None
    updated_at: str


@dataclass(frozen=True)
class NewEntry:
    sha256: str
    size: int
    ext: str
    candidates: list[Candidate]


@dataclass(frozen=True)
class HashSource:
    sha256: str
    size: int
    ext: str
    source_id: str
    href: str


_COLUMNS = "sha256, size, ext, candidates, state, attempts, last_error, updated_at"
# Partial files first: their bytes are already on disk, and finishing them frees the space soonest.
_ORDER = "ORDER BY state = 'partial' DESC, seq"


def _entry(r: tuple) -> QueueEntry:
    candidates = [Candidate(**c) for c in json.loads(r[3])]
    return QueueEntry(r[0], r[1], r[2], candidates, r[4], r[5], r[6], r[7])


def _set_media_state(lib: Library, hashes: Iterable[str], state: str) -> None:
    lib.db.conn.executemany(
        "UPDATE media SET state = ? WHERE sha256 = ? AND state != 'present'",
        [(state, sha) for sha in hashes],
    )


def add_entries(lib: Library, entries: Sequence[NewEntry]) -> None:
    """Queue files in this order. A file queued before keeps its bytes and place; a done or
    failed one is queued again (a new sync retries what failed)."""
    lib.require_writable()
    now = now_iso()
    with lib.db.atomic():
        seq = lib.db.execute("SELECT coalesce(max(seq), 0) FROM sync_queue").fetchone()[0]
        lib.db.conn.executemany(
            """INSERT INTO sync_queue (sha256, size, ext, candidates, state, seq, updated_at)
               VALUES (?, ?, ?, ?, 'queued', ?, ?)
               ON CONFLICT(sha256) DO UPDATE SET size = excluded.size, ext = excluded.ext,
                 candidates = excluded.candidates, updated_at = excluded.updated_at,
                 state = CASE WHEN state IN ('done', 'failed') THEN 'queued' ELSE state END,
                 seq = CASE WHEN state = 'done' THEN excluded.seq ELSE seq END""",
            [
                (e.sha256, e.size, e.ext, json.dumps([c.__dict__ for c in e.candidates]), seq + i, now)
                for i, e in enumerate(entries, start=1)
            ],
        )
        # The media rows follow the queue: 'partial' where bytes are already waiting in tmp/.
        lib.db.conn.executemany(
            """UPDATE media SET state = (SELECT q.state FROM sync_queue q WHERE q.sha256 = media.sha256)
               WHERE sha256 = ? AND state != 'present'""",
            [(e.sha256,) for e in entries],
        )


def next_entries(lib: Library, n: int) -> list[QueueEntry]:
    rows = lib.db.execute(
        f"SELECT {_COLUMNS} FROM sync_queue WHERE state IN ('queued', 'partial') {_ORDER} LIMIT ?", [n]
    ).fetchall()
    return [_entry(r) for r in rows]


def pending_entries(lib: Library) -> list[QueueEntry]:
    """Every file not fetched yet, failed ones included."""
    rows = lib.db.execute(f"SELECT {_COLUMNS} FROM sync_queue WHERE state != 'done' {_ORDER}").fetchall()
    return [_entry(r) for r in rows]


def get_entry(lib: Library, sha256: str) -> QueueEntry | None:
    row = lib.db.execute(f"SELECT {_COLUMNS} FROM sync_queue WHERE sha256 = ?", [sha256]).fetchone()
    return _entry(row) if row else None


def set_done(lib: Library, hashes: Iterable[str]) -> None:
    """Inside the caller's transaction: the caller marks the media present in the same commit."""
    now = now_iso()
    lib.db.conn.executemany(
        "UPDATE sync_queue SET state = 'done', last_error = NULL, updated_at = ? WHERE sha256 = ?",
        [(now, sha) for sha in hashes],
    )


def set_partial(lib: Library, sha256: str) -> None:
    lib.require_writable()
    with lib.db.atomic():
        lib.db.execute(
            "UPDATE sync_queue SET state = 'partial', updated_at = ? WHERE sha256 = ? AND state != 'done'",
            [now_iso(), sha256],
        )
        _set_media_state(lib, [sha256], "partial")


def set_failed(lib: Library, sha256: str, reason: str) -> None:
    lib.require_writable()
    with lib.db.atomic():
        lib.db.execute(
            """UPDATE sync_queue SET state = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ?
               WHERE sha256 = ?""",
            [reason, now_iso(), sha256],
        )
        _set_media_state(lib, [sha256], "failed")


def drop_unkept(lib: Library) -> list[str]:
    """Remove the unfinished entries no kept series needs any more; return their hashes."""
    lib.require_writable()
    with lib.db.atomic():
        gone = [
            r[0]
            for r in lib.db.execute(
                """SELECT q.sha256 FROM sync_queue q WHERE q.state != 'done' AND NOT EXISTS (
                       SELECT 1 FROM media m
                       LEFT JOIN lectures l ON l.pk = m.lecture_pk
                       JOIN series s ON s.pk = coalesce(l.series_pk, m.series_pk)
                       JOIN kept k ON k.source_id = s.source_id AND k.series_id = s.id
                       WHERE m.sha256 = q.sha256)"""
            )
        ]
        lib.db.conn.executemany("DELETE FROM sync_queue WHERE sha256 = ?", [(sha,) for sha in gone])
        _set_media_state(lib, gone, "absent")
    return gone


def hash_sources(lib: Library, hashes: Iterable[str]) -> list[HashSource]:
    """Where the catalogs say each of these files is, one row per source and href."""
    out: list[HashSource] = []
    for sha in dict.fromkeys(hashes):
        rows = lib.db.execute(
            """SELECT DISTINCT m.sha256, m.size, m.ext, s.source_id, m.href FROM media m
               LEFT JOIN lectures l ON l.pk = m.lecture_pk
               JOIN series s ON s.pk = coalesce(l.series_pk, m.series_pk)
               WHERE m.sha256 = ? ORDER BY s.source_id, m.href""",
            [sha],
        ).fetchall()
        out.extend(HashSource(*r) for r in rows)
    return out


def source_locations(lib: Library) -> dict[str, str]:
    return dict(lib.db.execute("SELECT id, location FROM sources").fetchall())
