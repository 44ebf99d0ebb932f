"""What the home screen shows: lectures to go on with, and the series a page at a time.

Each query is sized for a 100,000-lecture library: it reads one profile's progress
(a primary-key prefix) or one page of series, and counts watched lectures and speakers
only for the series on that page.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from player import textutil
from player.library import progress_store
from player.library.db import Library


@dataclass(frozen=True)
class LectureCard:
    """A lecture in the "Continue watching" or "Next up" row."""

    pk: int
    series_pk: int
    title: textutil.Text
    series_title: textutil.Text
    duration: float
    position: float  # the resume point; 0 for a lecture not started


@dataclass(frozen=True)
class SeriesCard:
    pk: int
    title: textutil.Text
    lecture_count: int
    watched_count: int  # by the profile the page was read for
    total_size: int
    present_size: int
    kept: bool


@dataclass(frozen=True)
class Speakers:
    main: textutil.Text | None  # the one who speaks in at least half the lectures, if any
    count: int


@dataclass(frozen=True)
class HomeRows:
    profile_id: int
    continue_watching: list[LectureCard]
    next_up: list[LectureCard]
    series_count: int


def resolve_profile(lib: Library, profile_id: int | None) -> int:
    return profile_id if profile_id is not None else progress_store.default_profile_id(lib)


def continue_watching(lib: Library, profile_id: int, limit: int = 20) -> list[LectureCard]:
    """Lectures started and not finished, the most recently watched first."""
    rows = lib.db.execute(
        """SELECT l.pk, l.series_pk, l.title, s.title, coalesce(p.duration, l.duration), p.position
           FROM progress p
           JOIN lectures l ON l.source_id = p.source_id AND l.id = p.lecture_id
           JOIN series s ON s.pk = l.series_pk
           WHERE p.profile_id = ? AND p.position > 0 AND l.withdrawn = 0
           ORDER BY p.updated_at DESC, p.rowid DESC LIMIT ?""",
        [profile_id, limit],
    ).fetchall()
    return [_card(r) for r in rows]


def next_up(lib: Library, profile_id: int, limit: int = 20) -> list[LectureCard]:
    """Per series, the first unwatched lecture after the last watched one."""
    pks = progress_store.next_up(lib, profile_id, limit)
    if not pks:
        return []
    marks = ",".join("?" * len(pks))
    rows = lib.db.execute(
        f"""SELECT l.pk, l.series_pk, l.title, s.title, l.duration, 0
            FROM lectures l JOIN series s ON s.pk = l.series_pk WHERE l.pk IN ({marks})""",
        pks,
    ).fetchall()
    by_pk = {r[0]: _card(r) for r in rows}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _card(r: tuple) -> LectureCard:
    return LectureCard(
        pk=r[0],
        series_pk=r[1],
        title=json.loads(r[2]),
        series_title=json.loads(r[3]),
        duration=r[4] or 0.0,
        position=r[5] or 0.0,
    )


def count_series(lib: Library) -> int:
    return lib.db.execute("SELECT count(*) FROM series WHERE withdrawn = 0").fetchone()[0]


def home_rows(lib: Library, profile_id: int | None, limit: int = 20) -> HomeRows:
    """Both rows and whether the library has any series, in one trip to the library thread."""
    profile = resolve_profile(lib, profile_id)
    return HomeRows(
        profile_id=profile,
        continue_watching=continue_watching(lib, profile, limit),
        next_up=next_up(lib, profile, limit),
        series_count=count_series(lib),
    )


def series_page(
    lib: Library, profile_id: int | None, *, offset: int = 0, limit: int = 40
) -> list[SeriesCard]:
    """Series in catalog order, one page, with their watched counts for `profile_id`.

    Speakers cost a read of every lecture row, so they come separately: `series_speakers`.
    """
    profile = resolve_profile(lib, profile_id)
    rows = lib.db.execute(
        """SELECT s.pk, s.title, EXISTS (SELECT 1 FROM kept k WHERE k.source_id = s.source_id AND k.series_id = s.id)
           FROM series s WHERE s.withdrawn = 0
           ORDER BY s.source_id, s.position LIMIT ? OFFSET ?""",
        [limit, offset],
    ).fetchall()
    if not rows:
        return []
    pks = [r[0] for r in rows]
    marks = ",".join("?" * len(pks))
    # One pass over the lectures_totals index for the page only: correlated subqueries
    # in the query above would run for every series before the sort picks the page.
    totals = {
        r[0]: r[1:]
        for r in lib.db.execute(
            f"""SELECT series_pk, count(*), sum(size), sum(present_size) FROM lectures
                WHERE series_pk IN ({marks}) AND withdrawn = 0 GROUP BY series_pk""",
            pks,
        )
    }
    watched = watched_counts(lib, profile, pks)
    cards = []
    for pk, title, kept in rows:
        count, total, present = totals.get(pk, (0, 0, 0))
        cards.append(
            SeriesCard(
                pk=pk,
                title=json.loads(title),
                lecture_count=count,
                watched_count=watched.get(pk, 0),
                total_size=total or 0,
                present_size=present or 0,
                kept=bool(kept),
            )
        )
    return cards


def watched_counts(lib: Library, profile_id: int, series_pks: list[int]) -> dict[int, int]:
    """How many lectures of each of these series `profile_id` has watched."""
    if not series_pks:
        return {}
    marks = ",".join("?" * len(series_pks))
    # Starts from the profile's progress (primary-key prefix), which is far smaller than
    # the lectures of a page of series, and reaches each lecture by its unique key.
    rows = lib.db.execute(
        f"""SELECT l.series_pk, count(*) FROM progress p
            JOIN lectures l ON l.source_id = p.source_id AND l.id = p.lecture_id
            WHERE p.profile_id = ? AND p.watched = 1 AND l.withdrawn = 0 AND l.series_pk IN ({marks})
            GROUP BY l.series_pk""",
        [profile_id, *series_pks],
    ).fetchall()
    return dict(rows)


def series_speakers(lib: Library, series_pks: list[int]) -> dict[int, Speakers]:
    """Who speaks in each of these series: the main speaker, and how many there are."""
    if not series_pks:
        return {}
    marks = ",".join("?" * len(series_pks))
    # The lectures of a series mostly share one speaker list, so the lists are grouped
    # before JSON is parsed; `->` keeps each name in its JSON form, so a bilingual name
    # and a plain one both group exactly.
    rows = lib.db.execute(
        f"""WITH lists AS (
                SELECT series_pk, speakers, count(*) AS n FROM lectures
                WHERE series_pk IN ({marks}) AND withdrawn = 0 GROUP BY series_pk, speakers)
            SELECT lists.series_pk, j.value -> '$.name' AS name, sum(lists.n)
            FROM lists, json_each(lists.speakers) j WHERE name IS NOT NULL
            GROUP BY lists.series_pk, name""",
        series_pks,
    ).fetchall()
    counts = dict(
        lib.db.execute(
            f"SELECT series_pk, count(*) FROM lectures WHERE series_pk IN ({marks}) AND withdrawn = 0"
            " GROUP BY series_pk",
            series_pks,
        ).fetchall()
    )
    names: dict[int, Counter] = {pk: Counter() for pk in series_pks}
    for pk, name, n in rows:
        names[pk][name] = n
    return {
        pk: Speakers(main=_main_speaker(counter, counts.get(pk, 0)), count=len(counter))
        for pk, counter in names.items()
    }


def _main_speaker(names: Counter, lecture_count: int) -> textutil.Text | None:
    """The speaker of at least half the lectures, when no other speaks as often."""
    if not names:
        return None
    top = names.most_common(2)
    name, n = top[0]
    if 2 * n < lecture_count or (len(top) > 1 and top[1][1] == n):
        return None
    return json.loads(name)
