"""Watching progress and profiles in the library, keyed by source and lecture id.

Progress is keyed by ids, never by file path, so it survives re-syncs, moved
libraries, and lectures that are not kept offline.
"""

from __future__ import annotations

from dataclasses import dataclass

from player import textutil
from player.errors import BadInput
from player.library.db import Library, now_iso
from player.progress import ProgressUpdate


@dataclass(frozen=True)
class Progress:
    profile_id: int
    source_id: str
    lecture_id: str
    position: float
    duration: float | None
    watched: bool
    watch_count: int
    first_watched: str | None
    last_watched: str | None
    watched_seconds: float
    speed: float | None
    subtitle_lang: str | None
    updated_at: str


@dataclass(frozen=True)
class ProgressRow:
    """Progress with the names a report needs. Titles are None for lectures the
    library no longer has (their source was removed)."""

    profile_id: int
    profile_name: str
    source_id: str
    series_id: str | None
    series_title: textutil.Text | None
    lecture_id: str
    lecture_title: textutil.Text | None
    duration: float | None
    position: float
    watched: bool
    watch_count: int
    watched_seconds: float
    first_watched: str | None
    last_watched: str | None
    updated_at: str


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    created_at: str


_PROGRESS_COLUMNS = (
    "profile_id, source_id, lecture_id, position, duration, watched, watch_count, first_watched, "
    "last_watched, watched_seconds, speed, subtitle_lang, updated_at"
)


def get_progress(lib: Library, profile_id: int, source_id: str, lecture_id: str) -> Progress | None:
    row = lib.db.execute(
        f"SELECT {_PROGRESS_COLUMNS} FROM progress WHERE profile_id = ? AND source_id = ? AND lecture_id = ?",
        [profile_id, source_id, lecture_id],
    ).fetchone()
    if row is None:
        return None
    return Progress(*row[:5], bool(row[5]), *row[6:])


def save_progress(lib: Library, update: ProgressUpdate, *, at: str | None = None) -> None:
    """Merge one save into the stored progress; `at` is the time it happened (now)."""
    lib.require_writable()
    at = at or now_iso()
    completed = 1 if update.completed else 0
    with lib.db.atomic():
        # Increments, not totals: two windows playing the same lecture add up instead of
        # overwriting each other's watched time.
        lib.db.execute(
            """INSERT INTO progress (profile_id, source_id, lecture_id, position, duration, watched,
                   watch_count, first_watched, last_watched, watched_seconds, speed, subtitle_lang, updated_at)
               VALUES (:profile, :source, :lecture, :position, :duration, :completed, :completed,
                   CASE WHEN :completed THEN :at END, CASE WHEN :completed THEN :at END,
                   :seconds, :speed, :lang, :at)
               ON CONFLICT(profile_id, source_id, lecture_id) DO UPDATE SET
                   position = excluded.position,
                   duration = excluded.duration,
                   watched = max(progress.watched, excluded.watched),
                   watch_count = progress.watch_count + excluded.watch_count,
                   first_watched = coalesce(progress.first_watched, excluded.first_watched),
                   last_watched = coalesce(excluded.last_watched, progress.last_watched),
                   watched_seconds = progress.watched_seconds + excluded.watched_seconds,
                   speed = coalesce(excluded.speed, progress.speed),
                   subtitle_lang = coalesce(excluded.subtitle_lang, progress.subtitle_lang),
                   updated_at = excluded.updated_at""",
            {
                "profile": update.profile_id,
                "source": update.source_id,
                "lecture": update.lecture_id,
                "position": update.position,
                "duration": update.duration,
                "completed": completed,
                "at": at,
                "seconds": max(update.watched_seconds, 0.0),
                "speed": update.speed,
                "lang": update.subtitle_lang,
            },
        )


_ROW_SELECT = """
    SELECT p.profile_id, pr.name, p.source_id, s.id, s.title, p.lecture_id, l.title,
           coalesce(p.duration, l.duration), p.position, p.watched, p.watch_count, p.watched_seconds,
           p.first_watched, p.last_watched, p.updated_at
    FROM progress p
    JOIN profiles pr ON pr.id = p.profile_id
    {join} lectures l ON l.source_id = p.source_id AND l.id = p.lecture_id
    LEFT JOIN series s ON s.pk = l.series_pk
"""


def _row(r: tuple) -> ProgressRow:
    return ProgressRow(
        profile_id=r[0],
        profile_name=r[1],
        source_id=r[2],
        series_id=r[3],
        series_title=textutil.load(r[4]),
        lecture_id=r[5],
        lecture_title=textutil.load(r[6]),
        duration=r[7],
        position=r[8],
        watched=bool(r[9]),
        watch_count=r[10],
        watched_seconds=r[11],
        first_watched=r[12],
        last_watched=r[13],
        updated_at=r[14],
    )


def list_progress(lib: Library, profile_id: int | None = None) -> list[ProgressRow]:
    """Every lecture with progress, for reports: by profile, then in catalog order."""
    where, params = ("WHERE p.profile_id = ?", [profile_id]) if profile_id is not None else ("", [])
    rows = lib.db.execute(
        _ROW_SELECT.format(join="LEFT JOIN")
        + f" {where} ORDER BY pr.name, p.source_id, s.position, l.position, p.lecture_id",
        params,
    ).fetchall()
    return [_row(r) for r in rows]


def continue_watching(lib: Library, profile_id: int, limit: int = 20) -> list[ProgressRow]:
    """Lectures started and not finished (a resume point is stored), most recent first."""
    rows = lib.db.execute(
        _ROW_SELECT.format(join="JOIN") + " WHERE p.profile_id = ? AND p.position > 0 AND l.withdrawn = 0"
        " ORDER BY p.updated_at DESC, p.rowid DESC LIMIT ?",
        [profile_id, limit],
    ).fetchall()
    return [_row(r) for r in rows]


def next_up(lib: Library, profile_id: int, limit: int = 20) -> list[int]:
    """Per series, the first unwatched lecture after the last watched one (lecture pks),
    the series most recently watched first. A series with nothing watched has none."""
    rows = lib.db.execute(
        """WITH last AS (
               SELECT l.series_pk, max(l.position) AS position, max(p.last_watched) AS at
               FROM progress p JOIN lectures l ON l.source_id = p.source_id AND l.id = p.lecture_id
               WHERE p.profile_id = ? AND p.watched = 1
               GROUP BY l.series_pk)
           SELECT (SELECT n.pk FROM lectures n
                   LEFT JOIN progress q ON q.profile_id = ? AND q.source_id = n.source_id AND q.lecture_id = n.id
                   WHERE n.series_pk = last.series_pk AND n.position > last.position AND n.withdrawn = 0
                     AND coalesce(q.watched, 0) = 0
                   ORDER BY n.position LIMIT 1)
           FROM last ORDER BY last.at DESC LIMIT ?""",
        [profile_id, profile_id, limit],
    ).fetchall()
    return [r[0] for r in rows if r[0] is not None]


def series_choices(lib: Library, profile_id: int, series_pk: int) -> tuple[float | None, str | None]:
    """The speed and subtitle language last used in a series by this profile, for the
    lectures of it not yet opened: a series watched at 1.5× goes on at 1.5×."""
    row = lib.db.execute(
        """SELECT p.speed, p.subtitle_lang FROM progress p
           JOIN lectures l ON l.source_id = p.source_id AND l.id = p.lecture_id
           WHERE p.profile_id = ? AND l.series_pk = ? AND (p.speed IS NOT NULL OR p.subtitle_lang IS NOT NULL)
           ORDER BY p.updated_at DESC LIMIT 1""",
        [profile_id, series_pk],
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def list_profiles(lib: Library) -> list[Profile]:
    rows = lib.db.execute("SELECT id, name, created_at FROM profiles ORDER BY id").fetchall()
    return [Profile(*r) for r in rows]


def find_profile(lib: Library, name: str) -> Profile | None:
    row = lib.db.execute("SELECT id, name, created_at FROM profiles WHERE name = ?", [name]).fetchone()
    return Profile(*row) if row else None


def add_profile(lib: Library, name: str) -> Profile:
    lib.require_writable()
    name = name.strip()
    if not name:
        raise BadInput("A profile needs a name.")
    with lib.db.atomic():
        if find_profile(lib, name) is not None:
            raise BadInput(f"There is already a profile named '{name}'.", hint="Choose another name.")
        cursor = lib.db.execute("INSERT INTO profiles (name, created_at) VALUES (?, ?)", [name, now_iso()])
        row = lib.db.execute(
            "SELECT id, name, created_at FROM profiles WHERE id = ?", [cursor.lastrowid]
        ).fetchone()
    return Profile(*row)


def default_profile_id(lib: Library) -> int:
    """The profile used when none is chosen: 'Default', else the oldest one."""
    row = lib.db.execute("SELECT id FROM profiles ORDER BY name = 'Default' DESC, id LIMIT 1").fetchone()
    if row is None:
        # Only a library whose profiles were all deleted gets here.
        lib.require_writable()
        with lib.db.atomic():
            return lib.db.execute(
                "INSERT INTO profiles (name, created_at) VALUES ('Default', ?)", [now_iso()]
            ).lastrowid
    return row[0]


def mark_watched(
    lib: Library, profile_id: int, source_id: str, lecture_ids: list[str], *, watched: bool = True
) -> None:
    """Mark lectures watched (or not) by hand, for one profile.

    Marking watched clears the resume point, so the lecture leaves "continue watching";
    marking unwatched clears it too, so it starts from the beginning. Watch counts and
    watched time are history, and stay.
    """
    lib.require_writable()
    at = now_iso()
    flag = 1 if watched else 0
    with lib.db.atomic():
        lib.db.conn.executemany(
            """INSERT INTO progress (profile_id, source_id, lecture_id, position, watched,
                   first_watched, last_watched, updated_at)
               VALUES (:profile, :source, :lecture, 0, :flag,
                   CASE WHEN :flag THEN :at END, CASE WHEN :flag THEN :at END, :at)
               ON CONFLICT(profile_id, source_id, lecture_id) DO UPDATE SET
                   position = 0,
                   watched = excluded.watched,
                   first_watched = coalesce(progress.first_watched, excluded.first_watched),
                   last_watched = coalesce(excluded.last_watched, progress.last_watched),
                   updated_at = excluded.updated_at""",
            [
                {"profile": profile_id, "source": source_id, "lecture": lecture_id, "flag": flag, "at": at}
                for lecture_id in dict.fromkeys(lecture_ids)
            ],
        )
