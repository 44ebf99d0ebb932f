"""Read-side queries. Every one returns plain dataclasses; no SQL leaves this layer."""

from __future__ import annotations

import json
from dataclasses import dataclass

from player import textutil
from player.library.db import Library


@dataclass(frozen=True)
class SeriesSummary:
    pk: int
    source_id: str
    id: str
    title: textutil.Text
    description: textutil.Text | None
    tags: list[str]
    lecture_count: int
    total_size: int  # bytes of the preferred video rendition of every lecture, plus subtitles
    present_size: int
    kept: bool
    withdrawn: bool


@dataclass(frozen=True)
class Lecture:
    pk: int
    source_id: str
    id: str
    series_pk: int
    position: int
    title: textutil.Text
    speakers: list[dict]
    duration: float
    published: str | None
    description: textutil.Text | None
    chapters: list[dict]
    withdrawn: bool


@dataclass(frozen=True)
class MediaFile:
    pk: int
    role: str
    lang: str | None
    href: str
    sha256: str
    size: int
    mime: str | None
    ext: str
    height: int | None
    state: str


# The size of a series counts, for each lecture, the video rendition a sync chose for it
# (the catalog's first until a sync has planned it) plus its subtitles and thumbnail. The
# per-lecture sums are kept in `lectures`, so these read only the `lectures_totals` index.
_SERIES_COLUMNS = """
    s.pk, s.source_id, s.id, s.title, s.description, s.tags, s.withdrawn,
    (SELECT count(*) FROM lectures l WHERE l.series_pk = s.pk AND l.withdrawn = 0),
    (SELECT coalesce(sum(l.size), 0) FROM lectures l WHERE l.series_pk = s.pk AND l.withdrawn = 0),
    (SELECT coalesce(sum(l.present_size), 0) FROM lectures l WHERE l.series_pk = s.pk AND l.withdrawn = 0),
    EXISTS (SELECT 1 FROM kept k WHERE k.source_id = s.source_id AND k.series_id = s.id)
"""


def _series(r: tuple) -> SeriesSummary:
    return SeriesSummary(
        pk=r[0],
        source_id=r[1],
        id=r[2],
        title=json.loads(r[3]),
        description=textutil.load(r[4]),
        tags=json.loads(r[5]),
        withdrawn=bool(r[6]),
        lecture_count=r[7],
        total_size=r[8],
        present_size=r[9],
        kept=bool(r[10]),
    )


def count_series(lib: Library, *, include_withdrawn: bool = False) -> int:
    where = "" if include_withdrawn else "WHERE withdrawn = 0"
    return lib.db.execute(f"SELECT count(*) FROM series {where}").fetchone()[0]


def list_series(
    lib: Library, *, offset: int = 0, limit: int = -1, include_withdrawn: bool = False
) -> list[SeriesSummary]:
    """Series in catalog order (sources by id), a page at a time for lazy views."""
    where = "" if include_withdrawn else "WHERE s.withdrawn = 0"
    rows = lib.db.execute(
        f"SELECT {_SERIES_COLUMNS} FROM series s {where} ORDER BY s.source_id, s.position LIMIT ? OFFSET ?",
        [limit, offset],
    ).fetchall()
    return [_series(r) for r in rows]


def get_series(lib: Library, pk: int) -> SeriesSummary | None:
    row = lib.db.execute(f"SELECT {_SERIES_COLUMNS} FROM series s WHERE s.pk = ?", [pk]).fetchone()
    return _series(row) if row else None


def find_series(lib: Library, series_id: str, source_id: str | None = None) -> list[SeriesSummary]:
    params: list = [series_id]
    extra = ""
    if source_id:
        extra = " AND s.source_id = ?"
        params.append(source_id)
    rows = lib.db.execute(f"SELECT {_SERIES_COLUMNS} FROM series s WHERE s.id = ?{extra}", params).fetchall()
    return [_series(r) for r in rows]


LECTURE_COLUMNS = (
    "pk, source_id, id, series_pk, position, title, speakers, duration, published, description, chapters, "
    "withdrawn"
)


def lecture_from_row(r: tuple) -> Lecture:
    return Lecture(
        pk=r[0],
        source_id=r[1],
        id=r[2],
        series_pk=r[3],
        position=r[4],
        title=json.loads(r[5]),
        speakers=json.loads(r[6]),
        duration=r[7],
        published=r[8],
        description=textutil.load(r[9]),
        chapters=json.loads(r[10]),
        withdrawn=bool(r[11]),
    )


def list_lectures(lib: Library, series_pk: int, *, offset: int = 0, limit: int = -1) -> list[Lecture]:
    rows = lib.db.execute(
        f"SELECT {LECTURE_COLUMNS} FROM lectures WHERE series_pk = ? ORDER BY position LIMIT ? OFFSET ?",
        [series_pk, limit, offset],
    ).fetchall()
    return [lecture_from_row(r) for r in rows]


def get_lecture(lib: Library, pk: int) -> Lecture | None:
    row = lib.db.execute(f"SELECT {LECTURE_COLUMNS} FROM lectures WHERE pk = ?", [pk]).fetchone()
    return lecture_from_row(row) if row else None


def lecture_media(lib: Library, lecture_pk: int) -> list[MediaFile]:
    rows = lib.db.execute(
        """SELECT pk, role, lang, href, sha256, size, mime, ext, height, state FROM media
           WHERE lecture_pk = ? ORDER BY role, position""",
        [lecture_pk],
    ).fetchall()
    return [MediaFile(*r) for r in rows]
