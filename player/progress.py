"""Watching progress: when a lecture counts as watched, where it resumes, when to save.

Plain rules with no Qt and no SQL. The GUI feeds a `ProgressTracker` the player's
events; the tracker hands `ProgressUpdate`s to a sink, which the library stores.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

SAVE_INTERVAL = 5.0
# A position this close to the start is where the lecture starts anyway.
MIN_RESUME_SECONDS = 10.0
# Ticks normally arrive several times a second; a longer silence means the app was
# suspended or stalled, and that time was not spent watching.
MAX_TICK_GAP = 2.0

_HOUR = 3600.0
# (duration under, end margin): the longer the lecture, the shorter its credits are in
# proportion, so the margin shrinks (the rule VLC's media library uses for long videos).
_MARGINS = ((1 * _HOUR, 0.05), (2 * _HOUR, 0.04), (3 * _HOUR, 0.03), (4 * _HOUR, 0.02))
_LONGEST_MARGIN = 0.01


def end_margin(duration: float) -> float:
    """The fraction of `duration` at each end that does not count as "part-way through"."""
    for under, margin in _MARGINS:
        if duration < under:
            return margin
    return _LONGEST_MARGIN


def watched_threshold(duration: float) -> float:
    """The position past which the lecture counts as watched."""
    return (1.0 - end_margin(duration)) * duration


def is_past_end(position: float, duration: float) -> bool:
    return duration > 0 and position >= watched_threshold(duration)


def resume_point(position: float, duration: float) -> float:
    """Where to resume from `position`: 0 near either end, since both mean "start over"."""
    if duration <= 0:
        return 0.0 if position < MIN_RESUME_SECONDS else position
    if position < MIN_RESUME_SECONDS or position < end_margin(duration) * duration:
        return 0.0
    if is_past_end(position, duration):
        return 0.0
    return position


@dataclass(frozen=True)
class ProgressUpdate:
    """One save. `watched_seconds` and `completed` are increments since the previous save,
    so the store adds them up and two saves never count the same viewing twice."""

    profile_id: int
    source_id: str
    lecture_id: str
    position: float  # the resume point, already through `resume_point`
    duration: float
    watched_seconds: float
    completed: bool
    speed: float | None
    subtitle_lang: str | None


class ProgressTracker:
    """The progress of one lecture while it plays: one tracker per opened lecture.

    Saves at most once per `save_interval` seconds of steady playback, and at once on
    pause, seek, stop and close, so a killed process loses at most one interval.
    """

    def __init__(
        self,
        profile_id: int,
        source_id: str,
        lecture_id: str,
        duration: float,
        *,
        save: Callable[[ProgressUpdate], None],
        now: Callable[[], float] = time.monotonic,
        speed: float | None = None,
        subtitle_lang: str | None = None,
        save_interval: float = SAVE_INTERVAL,
        max_tick_gap: float = MAX_TICK_GAP,
    ) -> None:
        self.profile_id = profile_id
        self.source_id = source_id
        self.lecture_id = lecture_id
        self.duration = duration
        self._save = save
        self._now = now
        self._speed = speed
        self._subtitle_lang = subtitle_lang
        self._save_interval = save_interval
        self._max_tick_gap = max_tick_gap
        self._position = 0.0
        self._playing = False
        self._closed = False
        self._last_tick: float | None = None
        self._last_save: float | None = None
        self._unsaved_seconds = 0.0
        self._completed_pending = False
        # One completion per viewing: lingering past the threshold, or seeking about near
        # the end, must not count the lecture watched again.
        self._completed_this_viewing = False

    @property
    def position_now(self) -> float:
        return self._position

    @property
    def watching(self) -> bool:
        return self._playing

    def playing(self, position: float) -> None:
        if self._closed:
            return
        self._move(position)
        self._playing = True
        self._last_tick = self._now()
        if self._last_save is None:
            # The throttle counts from the start of playback, not from the epoch.
            self._last_save = self._last_tick

    def position(self, position: float) -> None:
        if self._closed:
            return
        self._count_watching()
        self._move(position)
        if not self._playing:
            return
        now = self._now()
        if self._last_save is None or now - self._last_save >= self._save_interval:
            self._flush(now)

    def paused(self, position: float) -> None:
        self._stop_watching(position)

    def stopped(self, position: float) -> None:
        self._stop_watching(position)

    def seeked(self, from_position: float, to_position: float) -> None:
        if self._closed:
            return
        # The time up to the seek was watched from `from_position`; the jump itself is not.
        self._count_watching()
        self._move(from_position)
        self._move(to_position)
        self._flush(self._now())

    def closed(self, position: float) -> None:
        if self._closed:
            return
        self._stop_watching(position)
        self._closed = True

    def speed(self, rate: float) -> None:
        # Rides along with the next save: a user dragging a speed slider must not write
        # once per step.
        self._speed = rate

    def subtitle(self, lang: str | None) -> None:
        self._subtitle_lang = lang

    def _stop_watching(self, position: float) -> None:
        if self._closed:
            return
        self._count_watching()
        self._move(position)
        self._playing = False
        self._last_tick = None
        self._flush(self._now())

    def _count_watching(self) -> None:
        if not self._playing or self._last_tick is None:
            return
        now = self._now()
        self._unsaved_seconds += min(max(now - self._last_tick, 0.0), self._max_tick_gap)
        self._last_tick = now

    def _move(self, position: float) -> None:
        self._position = max(position, 0.0)
        if is_past_end(self._position, self.duration):
            if not self._completed_this_viewing:
                self._completed_this_viewing = True
                self._completed_pending = True
        elif resume_point(self._position, self.duration) == 0.0 and self._position < self.duration / 2:
            # Back at the start: finishing again is a new viewing.
            self._completed_this_viewing = False

    def _flush(self, now: float) -> None:
        update = ProgressUpdate(
            profile_id=self.profile_id,
            source_id=self.source_id,
            lecture_id=self.lecture_id,
            position=resume_point(self._position, self.duration),
            duration=self.duration,
            watched_seconds=self._unsaved_seconds,
            completed=self._completed_pending,
            speed=self._speed,
            subtitle_lang=self._subtitle_lang,
        )
        self._save(update)
        # Only after the sink accepted it: a failed save is retried with the same totals.
        self._unsaved_seconds = 0.0
        self._completed_pending = False
        self._last_save = now
