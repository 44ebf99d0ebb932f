"""The player facade against real files: playback, controls, and clear failures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import av  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402

from player.resources import resource_path  # noqa: E402
from player.ui.player import (  # noqa: E402
    CANNOT_PLAY_PREFIX,
    DAMAGED_MESSAGE,
    MISSING_MESSAGE,
    Player,
)
from tests.videos import make_video  # noqa: E402

pytestmark = pytest.mark.gui

AV1_ENCODERS = ("libaom-av1", "libsvtav1", "librav1e")
CLEAR_MESSAGES = (MISSING_MESSAGE, DAMAGED_MESSAGE)


def _sample_lecture() -> Path:
    found = sorted(Path(resource_path("sample")).glob("media/*/*.mp4"))
    assert found, "the sample mirror should ship H.264 lectures"
    return found[0]


@pytest.fixture
def player(qtbot):
    p = Player(frame_timeout_ms=3000)
    yield p
    p.stop()
    p.deleteLater()


def _playing(qtbot, player: Player, path: Path) -> None:
    with qtbot.waitSignal(player.first_frame, timeout=10000):
        player.open(path)
        player.play()


def test_plays_a_sample_lecture(qtbot, player):
    _playing(qtbot, player, _sample_lecture())
    qtbot.waitUntil(lambda: player.position() > 0.3, timeout=10000)
    assert player.state() == "playing"
    assert player.duration() > 1


def test_pause_stops_the_clock(qtbot, player):
    _playing(qtbot, player, _sample_lecture())
    qtbot.waitUntil(lambda: player.position() > 0.2, timeout=10000)
    with qtbot.waitSignal(player.state_changed, check_params_cb=lambda s: s == "paused"):
        player.pause()
    held = player.position()
    # Let real time pass by waiting for a timer, not by sleeping.
    timer = QTimer()
    timer.setSingleShot(True)
    with qtbot.waitSignal(timer.timeout, timeout=5000):
        timer.start(500)
    assert abs(player.position() - held) < 0.05


def test_seek_and_skip_move(qtbot, player):
    _playing(qtbot, player, _sample_lecture())
    player.pause()
    player.seek(5.0)
    qtbot.waitUntil(lambda: abs(player.position() - 5.0) < 0.5, timeout=5000)
    player.skip(-3.0)
    qtbot.waitUntil(lambda: abs(player.position() - 2.0) < 0.5, timeout=5000)


def test_speed_takes(qtbot, player):
    _playing(qtbot, player, _sample_lecture())
    player.set_speed(1.5)
    assert player.speed() == pytest.approx(1.5)
    player.set_speed(9.0)
    assert player.speed() == pytest.approx(2.0)
    player.set_volume(0.3)
    player.set_muted(True)
    assert player.volume() == pytest.approx(0.3, abs=0.01)
    assert player.is_muted()
    qtbot.waitUntil(lambda: player.position() > 0.5, timeout=10000)


def test_opens_at_a_start_position(qtbot, player):
    with qtbot.waitSignal(player.first_frame, timeout=10000):
        player.open(_sample_lecture(), start=4.0)
        player.play()
    qtbot.waitUntil(lambda: player.position() >= 4.0, timeout=10000)


def test_missing_file_fails_at_once(qtbot, player, tmp_path):
    with qtbot.waitSignal(player.failed, timeout=1000) as blocker:
        player.open(tmp_path / "gone.mp4")
    assert blocker.args == [MISSING_MESSAGE]


def test_truncated_file_fails_clearly(qtbot, player, tmp_path):
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(_sample_lecture().read_bytes()[:2048])
    with qtbot.waitSignal(player.failed, timeout=10000) as blocker:
        player.open(cut)
        player.play()
    message = blocker.args[0]
    assert message in CLEAR_MESSAGES or message.startswith(CANNOT_PLAY_PREFIX)
    assert message == DAMAGED_MESSAGE


def test_av1_is_reported_as_unplayable(qtbot, player, tmp_path):
    encoder = next((name for name in AV1_ENCODERS if name in av.codecs_available), None)
    if encoder is None:
        pytest.skip(f"PyAV's FFmpeg has no AV1 encoder ({', '.join(AV1_ENCODERS)})")
    video = make_video(tmp_path / "lecture.mp4", 2.0, codec=encoder)
    with qtbot.waitSignal(player.failed, timeout=15000) as blocker:
        player.open(video)
        player.play()
    assert blocker.args[0].startswith(CANNOT_PLAY_PREFIX)
    assert "AV1" in blocker.args[0]


def test_a_copy_of_a_good_file_still_plays(qtbot, player, tmp_path):
    # The failure checks must not misfire on a healthy file outside the sample folder.
    copy = tmp_path / "copy.mp4"
    shutil.copyfile(_sample_lecture(), copy)
    failures: list[str] = []
    player.failed.connect(failures.append)
    _playing(qtbot, player, copy)
    assert failures == []


def test_sound_goes_out_only_where_a_device_can_play_it(qapp):
    from PySide6.QtMultimedia import QMediaDevices

    player = Player()
    assert player.has_sound == bool(QMediaDevices.audioOutputs())
    # Volume and mute are kept either way, for when a device appears.
    player.set_volume(0.3)
    player.set_muted(True)
    assert player.volume() == pytest.approx(0.3) and player.is_muted()
