"""What the player screen needs to open one lecture, gathered on the library thread.

The GUI thread never touches the disk or the database: `load_lecture` runs on the
library executor and hands back everything at once, subtitles already parsed.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass, field
from pathlib import Path

from player import subtitles, textutil
from player.library import progress_store, queries, settings
from player.library.db import Library
from player.subtitles import Cue

log = logging.getLogger(__name__)

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
AUTOPLAY_KEY = "player.autoplay"
# How a subtitle choice is remembered: "en" for a subtitle file, "embedded:fr" for a
# track inside the video file (that lecture's own file; the next one may differ).
EMBEDDED_PREFIX = "embedded:"


@dataclass(frozen=True)
class OpenedLecture:
    lecture: queries.Lecture
    video: Path | None  # None when no video rendition is downloaded
    subtitles: dict[str, list[Cue]]  # by language, in the catalog's order
    profile_id: int
    resume: float  # seconds
    speed: float | None
    subtitle_lang: str | None
    siblings: list[int] = field(default_factory=list)  # lecture pks of the series, in order
    sibling_titles: dict[int, textutil.Text] = field(default_factory=dict)


def load_lecture(
    lib: Library, lecture_pk: int, profile_id: int | None = None, start: float | None = None
) -> OpenedLecture:
    """Everything to play a lecture for `profile_id` (default: the first profile), from
    `start` seconds or else from where that profile left it."""
    lecture = queries.get_lecture(lib, lecture_pk)
    if lecture is None:
        raise LookupError(f"Lecture {lecture_pk} is no longer in the library.")
    media = queries.lecture_media(lib, lecture_pk)  # in catalog order within each role
    videos = [m for m in media if m.role == "video" and m.state == "present"]
    video = lib.paths.media_file(videos[0].sha256, videos[0].ext) if videos else None
    cues: dict[str, list[Cue]] = {}
    for m in media:
        if m.role != "subtitle" or m.state != "present" or not m.lang or m.lang in cues:
            continue
        try:
            cues[m.lang] = subtitles.read_cues(lib.paths.media_file(m.sha256, m.ext))
        except (OSError, ValueError) as exc:
            # A broken subtitle file must not keep the lecture from playing.
            log.warning("Cannot read the %s subtitles of %s: %s", m.lang, lecture.id, exc)
    profile = profile_id if profile_id is not None else progress_store.default_profile_id(lib)
    saved = progress_store.get_progress(lib, profile, lecture.source_id, lecture.id)
    if saved is not None and saved.speed is not None:
        speed, subtitle_lang = saved.speed, saved.subtitle_lang
    else:  # a lecture not opened before carries on with its series' choices
        speed, subtitle_lang = progress_store.series_choices(lib, profile, lecture.series_pk)
    others = [other for other in queries.list_lectures(lib, lecture.series_pk) if not other.withdrawn]
    return OpenedLecture(
        lecture=lecture,
        video=video,
        subtitles=cues,
        profile_id=profile,
        resume=start if start is not None else (saved.position if saved else 0.0),
        speed=speed,
        subtitle_lang=subtitle_lang,
        siblings=[other.pk for other in others],
        sibling_titles={other.pk: other.title for other in others},
    )


def get_autoplay(lib: Library) -> bool:
    """Whether the next lecture of a series starts by itself (on unless turned off)."""
    return settings.get_setting(lib, AUTOPLAY_KEY) != "0"


def set_autoplay(lib: Library, on: bool) -> bool:
    settings.set_setting(lib, AUTOPLAY_KEY, "1" if on else "0")
    return on


def upcoming_cues(cues: list[Cue], seconds: float, count: int = 3) -> list[Cue]:
    """The next `count` cues starting after `seconds`, for a presenter reading ahead."""
    starts = [cue.start for cue in cues]
    i = bisect.bisect_right(starts, seconds)
    return cues[i : i + count]


def subtitle_language(choice: str | None) -> str | None:
    """The language of a remembered subtitle choice, file or embedded."""
    if choice is None:
        return None
    return choice.removeprefix(EMBEDDED_PREFIX) or None


def cue_at(cues: list[Cue], seconds: float) -> str:
    """The text showing at `seconds`, or "" between cues."""
    starts = [cue.start for cue in cues]
    i = bisect.bisect_right(starts, seconds) - 1
    # Cues may overlap; the latest one still showing wins, looking back only a few cues.
    for j in range(i, max(i - 8, -1), -1):
        if cues[j].end > seconds:
            return cues[j].text
    return ""


def step_speed(current: float, direction: int) -> float:
    """The next speed in `SPEEDS` above (1) or below (-1) `current`."""
    if direction > 0:
        return next((s for s in SPEEDS if s > current + 1e-6), SPEEDS[-1])
    return next((s for s in reversed(SPEEDS) if s < current - 1e-6), SPEEDS[0])


def chapter_index(chapters: list[dict], seconds: float) -> int:
    """The chapter playing at `seconds` (-1 before the first)."""
    starts = [float(c.get("start", 0)) for c in chapters]
    return bisect.bisect_right(starts, seconds) - 1
