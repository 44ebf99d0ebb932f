"""The player screen over a real library holding the built-in sample."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from player.library import progress_store, queries  # noqa: E402
from player.library.db import open_library  # noqa: E402
from player.ui.models import LectureModel  # noqa: E402
from tests.ui_helpers import running_launcher, ui_language  # noqa: E402

pytestmark = pytest.mark.gui

WAIT = 15000


@pytest.fixture(autouse=True)
def english(qapp):
    with ui_language(qapp, "en"):
        yield


@pytest.fixture
def sample_library(tmp_path):
    root = tmp_path / "lib"
    open_library(root, install_sample=True).close()
    return root


def _first_lecture(root):
    with open_library(root, write=False) as lib:
        series = queries.list_series(lib)[0]
        return queries.list_lectures(lib, series.pk)[0]


def _saved_position(root, lecture) -> float:
    with open_library(root, write=False) as lib:
        profile = progress_store.default_profile_id(lib)
        saved = progress_store.get_progress(lib, profile, lecture.source_id, lecture.id)
    return saved.position if saved else 0.0


def _activate_first_lecture(qtbot, window):
    qtbot.waitUntil(lambda: window.lecture_model.rowCount() > 0, timeout=WAIT)
    window.show_library()
    view = window.lecture_pane.view
    view.setCurrentIndex(window.lecture_model.index(0, LectureModel.TITLE))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.player_view


def test_keys_drive_playback_and_pausing_saves_progress(qtbot, sample_library):
    lecture = _first_lecture(sample_library)
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        player = pv.player
        with qtbot.waitSignal(player.first_frame, timeout=WAIT):
            _activate_first_lecture(qtbot, window)
        qtbot.waitUntil(lambda: player.position() > 0.2, timeout=WAIT)
        assert player.state() == "playing"
        assert pv.controls.title.text() == "Why Do Things Fall?"

        qtbot.keyClick(pv, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: player.state() == "paused", timeout=WAIT)
        before = player.position()
        qtbot.keyClick(pv, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda: abs(player.position() - (before + 5)) < 0.5, timeout=WAIT)
        qtbot.keyClick(pv, Qt.Key.Key_BracketRight)
        assert player.speed() == pytest.approx(1.25)
        assert pv.controls.speed.text() == "1.25×"
        qtbot.keyClick(pv, Qt.Key.Key_5)
        qtbot.waitUntil(lambda: abs(player.position() - player.duration() / 2) < 0.5, timeout=WAIT)

        # Only a point past the first ten seconds is worth resuming from.
        qtbot.keyClick(pv, Qt.Key.Key_9)
        qtbot.waitUntil(lambda: player.position() > 10, timeout=WAIT)
        qtbot.keyClick(pv, Qt.Key.Key_Space)  # play
        qtbot.waitUntil(lambda: player.state() == "playing", timeout=WAIT)
        qtbot.keyClick(pv, Qt.Key.Key_Space)  # and pause again, which saves
        qtbot.waitUntil(lambda: player.state() == "paused", timeout=WAIT)
        paused_at = player.position()
        qtbot.waitUntil(lambda: _saved_position(sample_library, lecture) > 10, timeout=WAIT)
        assert _saved_position(sample_library, lecture) == pytest.approx(paused_at, abs=0.5)

        qtbot.keyClick(pv, Qt.Key.Key_Escape)
        assert window.pages.currentWidget() is window.library_page
        _activate_first_lecture(qtbot, window)
        qtbot.waitUntil(lambda: player.position() >= paused_at - 0.5, timeout=WAIT)
        # The speed chosen for the series carries over to its next lecture.
        assert player.speed() == pytest.approx(1.25)


def test_subtitles_show_and_toggle(qtbot, sample_library):
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        _activate_first_lecture(qtbot, window)
        qtbot.waitUntil(lambda: pv.opened is not None, timeout=WAIT)
        assert set(pv.opened.subtitles) == {"en", "zh"}
        assert pv.subtitle_lang == "en"
        qtbot.waitUntil(lambda: pv.video.subtitle.text() != "", timeout=WAIT)
        qtbot.keyClick(pv, Qt.Key.Key_S)
        assert pv.subtitle_lang is None
        assert pv.video.subtitle.isHidden()
        qtbot.keyClick(pv, Qt.Key.Key_V)
        assert pv.subtitle_lang == "en"


def test_keys_move_between_chapters_and_lectures(qtbot, sample_library):
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        player = pv.player
        with qtbot.waitSignal(player.first_frame, timeout=WAIT):
            _activate_first_lecture(qtbot, window)
        qtbot.keyClick(pv, Qt.Key.Key_K)
        qtbot.waitUntil(lambda: player.state() == "paused", timeout=WAIT)
        qtbot.keyClick(pv, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: abs(player.position() - 4.0) < 0.3, timeout=WAIT)  # "The idea"

        volume = player.volume()
        qtbot.keyClick(pv, Qt.Key.Key_Down)
        assert player.volume() < volume
        qtbot.keyClick(pv, Qt.Key.Key_M)
        assert player.is_muted()
        assert pv.controls.mute.isChecked()

        qtbot.keyClick(pv, Qt.Key.Key_N)
        qtbot.waitUntil(lambda: pv.controls.title.text() == "Hot and Cold", timeout=WAIT)
        assert pv.controls.previous.isEnabled()
        qtbot.keyClick(pv, Qt.Key.Key_P)
        qtbot.waitUntil(lambda: pv.controls.title.text() == "Why Do Things Fall?", timeout=WAIT)
        assert not pv.controls.previous.isEnabled()


def test_a_deleted_file_shows_the_missing_file_message(qtbot, sample_library):
    lecture = _first_lecture(sample_library)
    with open_library(sample_library, write=False) as lib:
        video = next(m for m in queries.lecture_media(lib, lecture.pk) if m.role == "video")
        lib.paths.media_file(video.sha256, video.ext).unlink()
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        _activate_first_lecture(qtbot, window)
        qtbot.waitUntil(lambda: pv.video.message.isVisible(), timeout=WAIT)
        assert "missing" in pv.video.message.detail.text()
        assert "cannot be played" in pv.video.message.title.text()


def test_a_lecture_not_downloaded_says_how_to_get_it(qtbot, sample_library):
    lecture = _first_lecture(sample_library)
    with open_library(sample_library) as lib:
        lib.db.execute("UPDATE media SET state = 'absent' WHERE lecture_pk = ?", [lecture.pk])
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        _activate_first_lecture(qtbot, window)
        qtbot.waitUntil(lambda: pv.video.message.isVisible(), timeout=WAIT)
        assert pv.video.message.title.text() == "This lecture is not downloaded."
        assert "Keep its series offline and sync" in pv.video.message.detail.text()
