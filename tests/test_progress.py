"""The progress rules: the watched margin, resume points, save throttling, watched time."""

import pytest

from player.progress import (
    ProgressTracker,
    end_margin,
    is_past_end,
    resume_point,
    watched_threshold,
)

H = 3600.0


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def tracker(duration: float = 600.0, **kw):
    clock = Clock()
    saves: list = []
    t = ProgressTracker(1, "src", "lec", duration, now=clock, save=saves.append, **kw)
    return t, clock, saves


@pytest.mark.parametrize(
    ("duration", "margin"),
    [
        (H - 1, 0.05),
        (H, 0.04),
        (2 * H - 1, 0.04),
        (2 * H, 0.03),
        (3 * H - 1, 0.03),
        (3 * H, 0.02),
        (4 * H - 1, 0.02),
        (4 * H, 0.01),
        (10 * H, 0.01),
    ],
)
def test_end_margin_boundaries(duration, margin):
    assert end_margin(duration) == margin
    threshold = (1 - margin) * duration
    assert watched_threshold(duration) == pytest.approx(threshold)
    assert is_past_end(threshold, duration)
    assert not is_past_end(threshold - 0.01, duration)


def test_the_margin_steps_down_at_one_hour():
    # 59:59 needs 95%; 1:00:00 only 96% - so a position can be watched for one and not the other.
    assert is_past_end(3420.0, H - 1)
    assert not is_past_end(3420.0, H)


@pytest.mark.parametrize(
    ("position", "duration", "expected"),
    [
        (9.99, 100.0, 0.0),  # under 10 s, even though past the 5 s start margin
        (10.0, 100.0, 10.0),
        (29.9, 600.0, 0.0),  # inside the first 5% of 10 minutes
        (30.0, 600.0, 30.0),
        (300.0, 600.0, 300.0),
        (569.9, 600.0, 569.9),
        (570.0, 600.0, 0.0),  # past the end margin: watched, start over
        (143.9, H, 0.0),  # 4% of an hour is 144 s
        (144.0, H, 144.0),
        (5.0, 0.0, 0.0),  # unknown duration: only the 10 s rule
        (50.0, 0.0, 50.0),
    ],
)
def test_resume_point(position, duration, expected):
    assert resume_point(position, duration) == pytest.approx(expected)


def play_steadily(t, clock, start: float, seconds: float, step: float = 0.25) -> float:
    position = start
    for _ in range(round(seconds / step)):
        clock.t += step
        position += step
        t.position(position)
    return position


def test_steady_playback_saves_every_five_seconds_and_no_more():
    t, clock, saves = tracker(duration=H)
    t.playing(100.0)
    times = []
    position = 100.0
    for _ in range(240):  # 0.25 s ticks for 60 s
        clock.t += 0.25
        position += 0.25
        before = len(saves)
        t.position(position)
        if len(saves) > before:
            times.append(clock.t)
    assert len(saves) == 12
    assert all(b - a >= 5.0 for a, b in zip(times, times[1:], strict=False))
    assert saves[-1].position == pytest.approx(160.0)


def test_the_last_save_is_never_more_than_five_seconds_behind():
    # What a SIGKILL at any moment would lose: the gap between the last tick and last save.
    t, clock, saves = tracker(duration=H)
    t.playing(200.0)
    position = 200.0
    for i in range(400):
        step = 0.125 if i % 7 else 0.875  # uneven ticks, exact in binary
        clock.t += step
        position += step
        t.position(position)
        assert position - saves[-1].position <= 5.0 if saves else position - 200.0 <= 5.0


def test_pause_seek_stop_and_close_save_at_once():
    t, clock, saves = tracker(duration=H)
    t.playing(200.0)
    clock.t += 1
    t.position(201.0)
    assert saves == []
    clock.t += 0.5
    t.paused(201.5)
    assert [s.position for s in saves] == [201.5]
    t.playing(201.5)
    clock.t += 0.5
    t.seeked(202.0, 1800.0)
    assert saves[-1].position == 1800.0
    clock.t += 0.5
    t.stopped(1800.5)
    assert saves[-1].position == 1800.5
    t.closed(1800.5)
    assert len(saves) == 4
    t.position(1900.0)
    t.closed(1900.0)
    assert len(saves) == 4  # a closed tracker is done


def test_watched_seconds_count_playing_time_not_seeks_or_gaps():
    t, clock, saves = tracker(duration=H)
    t.playing(0.0)
    play_steadily(t, clock, 0.0, 20.0)
    t.seeked(20.0, 3000.0)  # a jump of 49 minutes is no watching
    clock.t += 30.0  # the machine slept; the next tick counts at most the cap
    t.position(3000.5)
    play_steadily(t, clock, 3000.5, 10.0)
    t.paused(3010.5)
    clock.t += 100.0  # paused time is not watching either
    t.playing(3010.5)
    t.closed(3010.5)
    total = sum(s.watched_seconds for s in saves)
    assert total == pytest.approx(20.0 + 2.0 + 10.0)


def test_watched_time_is_wall_time_whatever_the_speed():
    t, clock, saves = tracker(duration=H)
    t.speed(2.0)
    t.playing(100.0)
    position = 100.0
    for _ in range(40):
        clock.t += 0.25
        position += 0.5
        t.position(position)
    t.closed(position)
    assert sum(s.watched_seconds for s in saves) == pytest.approx(10.0)
    assert saves[-1].speed == 2.0


def test_passing_the_margin_completes_once_and_clears_the_resume_point():
    t, clock, saves = tracker(duration=600.0)
    t.playing(560.0)
    play_steadily(t, clock, 560.0, 20.0)  # passes 570 s
    t.closed(580.0)
    completions = [s for s in saves if s.completed]
    assert len(completions) == 1
    assert completions[0].position == 0.0
    assert saves[-1].position == 0.0


def test_seeking_to_the_end_marks_watched_by_position_but_adds_no_time():
    t, clock, saves = tracker(duration=600.0)
    t.playing(0.0)
    t.seeked(0.0, 599.0)
    assert saves[-1].completed
    assert saves[-1].watched_seconds == 0.0
    assert saves[-1].position == 0.0


def test_starting_over_after_finishing_is_a_new_viewing():
    t, clock, saves = tracker(duration=600.0)
    t.playing(590.0)
    t.seeked(590.0, 595.0)
    t.seeked(595.0, 580.0)  # seeking about near the end is the same viewing
    t.seeked(580.0, 596.0)
    assert sum(s.completed for s in saves) == 1
    t.seeked(596.0, 0.0)
    t.seeked(0.0, 599.0)
    assert sum(s.completed for s in saves) == 2


def test_subtitle_and_speed_ride_with_the_next_save():
    t, clock, saves = tracker(duration=600.0, speed=1.0)
    t.playing(100.0)
    t.subtitle("zh")
    t.speed(1.5)
    assert saves == []
    clock.t += 1
    t.paused(101.0)
    assert (saves[-1].speed, saves[-1].subtitle_lang) == (1.5, "zh")


def test_a_failed_save_keeps_its_increments_for_the_next():
    clock = Clock()
    saves: list = []
    fail = [True]

    def sink(update):
        if fail[0]:
            raise OSError("disk full")
        saves.append(update)

    t = ProgressTracker(1, "src", "lec", 600.0, now=clock, save=sink)
    t.playing(100.0)
    clock.t += 1
    t.position(101.0)
    with pytest.raises(OSError):
        t.paused(101.0)
    fail[0] = False
    t.closed(101.0)
    assert saves[-1].watched_seconds == pytest.approx(1.0)
