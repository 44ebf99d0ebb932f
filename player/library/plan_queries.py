"""What a sync plan reads and records: kept series with their lectures and media, the
hashes already stored, each series' last completed sync, and the renditions chosen."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from player import textutil
from player.library.db import Library, now_iso


@dataclass(frozen=True)
class KeptSeries:
    pk: int
    source_id: str
    id: str
    title: textutil.Text
    quality: int | None
    withdrawn: bool


@dataclass(frozen=True)
class PlanMedia:
    pk: int
    role: str
    lang: str | None
    href: str
    sha256: str
    size: int
    ext: str
    height: int | None
    position: int
    state: str


@dataclass(frozen=True)
class PlanLecture:
    pk: int
    id: str
    digest: bytes | None
    withdrawn: bool
    media: list[PlanMedia]


@dataclass(frozen=True)
class SyncedLecture:
    id: str
    digest: bytes | None
    withdrawn: bool


@dataclass(frozen=True)
class SeriesHistory:
    planned_at: str | None
    synced_at: str | None
    lectures: dict[str, SyncedLecture]


_MEDIA_COLUMNS = "m.pk, m.role, m.lang, m.href, m.sha256, m.size, m.ext, m.height, m.position, m.state"


def kept_series(lib: Library) -> list[KeptSeries]:
    rows = lib.db.execute(
        """SELECT s.pk, s.source_id, s.id, s.title, k.quality, s.withdrawn
           FROM kept k JOIN series s ON s.source_id = k.source_id AND s.id = k.series_id
           ORDER BY s.source_id, s.position"""
    ).fetchall()
    return [KeptSeries(r[0], r[1], r[2], json.loads(r[3]), r[4], bool(r[5])) for r in rows]


def series_lectures(lib: Library, series_pk: int) -> list[PlanLecture]:
    """Every lecture of the series, withdrawn ones too, each with its media; one query."""
    rows = lib.db.execute(
        f"""SELECT l.pk, l.id, l.digest, l.withdrawn, {_MEDIA_COLUMNS}
            FROM lectures l LEFT JOIN media m ON m.lecture_pk = l.pk
            WHERE l.series_pk = ? ORDER BY l.position, l.pk, m.role, m.position""",
        [series_pk],
    ).fetchall()
    lectures: list[PlanLecture] = []
    for r in rows:
        if not lectures or lectures[-1].pk != r[0]:
            lectures.append(PlanLecture(r[0], r[1], r[2], bool(r[3]), []))
        if r[4] is not None:
            lectures[-1].media.append(PlanMedia(*r[4:]))
    return lectures


def series_posters(lib: Library, series_pk: int) -> list[PlanMedia]:
    rows = lib.db.execute(
        f"SELECT {_MEDIA_COLUMNS} FROM media m WHERE m.series_pk = ? ORDER BY m.position", [series_pk]
    ).fetchall()
    return [PlanMedia(*r) for r in rows]


def present_hashes(lib: Library) -> set[str]:
    return {r[0] for r in lib.db.execute("SELECT DISTINCT sha256 FROM media WHERE state = 'present'")}


def missing_hashes(lib: Library, hashes: Iterable[str]) -> set[str]:
    """Those of `hashes` that are not stored."""
    wanted = set(hashes)
    return wanted - (present_hashes(lib) & wanted)


def series_history(lib: Library, source_id: str, series_id: str) -> SeriesHistory:
    row = lib.db.execute(
        "SELECT planned_at, synced_at FROM sync_series WHERE source_id = ? AND series_id = ?",
        [source_id, series_id],
    ).fetchone()
    rows = lib.db.execute(
        "SELECT lecture_id, digest, withdrawn FROM sync_lectures WHERE source_id = ? AND series_id = ?",
        [source_id, series_id],
    ).fetchall()
    lectures = {r[0]: SyncedLecture(r[0], r[1], bool(r[2])) for r in rows}
    return SeriesHistory(row[0] if row else None, row[1] if row else None, lectures)


def record_planned(lib: Library, series: Iterable[tuple[str, str]]) -> None:
    lib.require_writable()
    now = now_iso()
    with lib.db.atomic():
        lib.db.conn.executemany(
            """INSERT INTO sync_series (source_id, series_id, planned_at) VALUES (?, ?, ?)
               ON CONFLICT(source_id, series_id) DO UPDATE SET planned_at = excluded.planned_at""",
            [(source_id, series_id, now) for source_id, series_id in series],
        )


def record_synced(lib: Library, source_id: str, series_id: str, lectures: Iterable[SyncedLecture]) -> None:
    """Remember the series as this completed sync left it; the next plan compares against it."""
    lib.require_writable()
    now = now_iso()
    with lib.db.atomic():
        lib.db.execute(
            """INSERT INTO sync_series (source_id, series_id, synced_at) VALUES (?, ?, ?)
               ON CONFLICT(source_id, series_id) DO UPDATE SET synced_at = excluded.synced_at""",
            [source_id, series_id, now],
        )
        lib.db.execute(
            "DELETE FROM sync_lectures WHERE source_id = ? AND series_id = ?", [source_id, series_id]
        )
        lib.db.conn.executemany(
            """INSERT INTO sync_lectures (source_id, lecture_id, series_id, digest, withdrawn)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(source_id, lecture_id) DO UPDATE SET series_id = excluded.series_id,
                 digest = excluded.digest, withdrawn = excluded.withdrawn""",
            [(source_id, lec.id, series_id, lec.digest, int(lec.withdrawn)) for lec in lectures],
        )


def forget_history(lib: Library, source_id: str, series_id: str) -> None:
    """Drop what syncs recorded for a series no longer kept: kept again, it starts afresh."""
    lib.require_writable()
    with lib.db.atomic():
        for table in ("sync_series", "sync_lectures"):
            lib.db.execute(
                f"DELETE FROM {table} WHERE source_id = ? AND series_id = ?", [source_id, series_id]
            )
