"""Each lecture of a series as its page shows it: stored or not, and how far it is watched.

One query per page of rows, whatever the number of lectures: the series page must not
ask once per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from player.library.db import Library

# Shared, not copied: the rows must read lectures as `queries` does, and count the same
# files (the chosen rendition) as the stored sizes do.
from player.library.queries import LECTURE_COLUMNS, Lecture, lecture_from_row
from player.library.sizes import COUNTED_MEDIA

PRESENT = "present"  # every file it counts is on this computer
QUEUED = "queued"  # waiting in the sync queue (some bytes may already be fetched)
FAILED = "failed"  # the last sync could not fetch a file
ABSENT = "absent"  # not downloaded, and not asked for


@dataclass(frozen=True)
class PendingFile:
    """A file the lecture counts that is not stored yet."""

    sha256: str
    size: int
    state: str  # a media state: absent, queued, partial or failed


@dataclass(frozen=True)
class LectureState:
    lecture: Lecture
    size: int  # bytes that keeping it takes (video rendition, subtitles, thumbnail)
    present_size: int
    pending: tuple[PendingFile, ...]
    position: float  # the resume point, 0 when none
    progress_duration: float | None  # the duration the player saw, else None
    watched: bool

    @property
    def pk(self) -> int:
        return self.lecture.pk

    @property
    def series_pk(self) -> int:
        return self.lecture.series_pk

    @property
    def download(self) -> str:
        """PRESENT, QUEUED, FAILED or ABSENT."""
        states = {f.state for f in self.pending}
        if not states:
            return PRESENT
        if states & {"queued", "partial"}:
            return QUEUED
        if "failed" in states:
            return FAILED
        return ABSENT

    @property
    def fraction_watched(self) -> float:
        """How far the resume point is into the lecture, 0..1 (1 when watched)."""
        if self.watched:
            return 1.0
        duration = self.progress_duration or self.lecture.duration
        if not duration or self.position <= 0:
            return 0.0
        return max(0.0, min(1.0, self.position / duration))


_COLUMNS = ", ".join(f"l.{c.strip()}" for c in LECTURE_COLUMNS.split(","))

# The pending files come back as one "sha256:size:state" list per lecture; hashes and
# states never contain ':' or ' '.
_ROWS = f"""SELECT {_COLUMNS}, l.size, l.present_size,
        (SELECT group_concat(m.sha256 || ':' || m.size || ':' || m.state, ' ') FROM media m
         WHERE m.lecture_pk = l.pk AND m.state != 'present' AND {COUNTED_MEDIA}),
        coalesce(p.position, 0), p.duration, coalesce(p.watched, 0)
    FROM lectures l
    LEFT JOIN progress p ON p.profile_id = ? AND p.source_id = l.source_id AND p.lecture_id = l.id
    WHERE l.series_pk = ? ORDER BY l.position LIMIT ? OFFSET ?"""


def _pending(text: str | None) -> tuple[PendingFile, ...]:
    if not text:
        return ()
    out = []
    for item in dict.fromkeys(text.split(" ")):
        sha, size, state = item.split(":")
        out.append(PendingFile(sha, int(size), state))
    return tuple(out)


def list_lecture_states(
    lib: Library, series_pk: int, profile_id: int, *, offset: int = 0, limit: int = -1
) -> list[LectureState]:
    """The series' lectures in order, with their files and `profile_id`'s progress."""
    n = len(LECTURE_COLUMNS.split(","))
    rows = lib.db.execute(_ROWS, [profile_id, series_pk, limit, offset]).fetchall()
    return [
        LectureState(
            lecture=lecture_from_row(r[:n]),
            size=r[n],
            present_size=r[n + 1],
            pending=_pending(r[n + 2]),
            position=r[n + 3],
            progress_duration=r[n + 4],
            watched=bool(r[n + 5]),
        )
        for r in rows
    ]
