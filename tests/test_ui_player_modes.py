"""Presenter mode, on one screen and on two.

Qt's offscreen platform simulates several screens from a JSON file named in
QT_QPA_PLATFORM (`offscreen:configfile=…`), read once when the QApplication starts. The
rest of the test session already runs with one screen, so the two-screen tests run in a
pytest of their own: `test_presenter_mode_on_a_simulated_projector` starts this module
again in a subprocess with a laptop and a projector screen, where only the tests named
`two_screens` run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TWO_SCREENS = os.environ.get("LECTURE_PLAYER_TEST_SCREENS") == "2"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from player.library import bookmarks as bookmark_store  # noqa: E402
from player.library import progress_store, queries  # noqa: E402
from player.library.db import open_library  # noqa: E402
from player.ui.playback import cue_at, upcoming_cues  # noqa: E402
from player.ui.presenter import projector_screen, screen_of  # noqa: E402
from tests.ui_helpers import running_launcher, ui_language  # noqa: E402

pytestmark = pytest.mark.gui

WAIT = 15000
ROOT = Path(__file__).resolve().parents[1]
SCREENS = {
    "screens": [
        {
            "name": "laptop",
            "x": 0,
            "y": 0,
            "width": 1280,
            "height": 800,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        },
        {
            "name": "projector",
            "x": 1280,
            "y": 0,
            "width": 1920,
            "height": 1080,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        },
    ]
}
two_screens_only = pytest.mark.skipif(not TWO_SCREENS, reason="runs in the two-screen subprocess")
one_screen_only = pytest.mark.skipif(TWO_SCREENS, reason="runs in the ordinary one-screen session")


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
        return queries.list_lectures(lib, queries.list_series(lib)[0].pk)[0]


def _open(qtbot, window, lecture_pk: int) -> None:
    qtbot.waitUntil(lambda: window.lecture_model.rowCount() > 0, timeout=WAIT)
    with qtbot.waitSignal(window.player_view.player.first_frame, timeout=WAIT):
        window.open_lecture(lecture_pk)


# -- one screen --------------------------------------------------------------------------


@one_screen_only
def test_with_one_screen_presenter_mode_says_it_needs_a_projector(qtbot, sample_library):
    assert len(QGuiApplication.screens()) == 1
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        _open(qtbot, window, _first_lecture(sample_library).pk)
        assert pv.presenter_target() is None
        qtbot.keyClick(pv, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert pv.controls.notice.isVisible()
        assert pv.controls.notice.text() == "Presenter mode needs a second screen (a projector)."
        assert pv.projector is None and not pv.controls.presenter.isChecked()
        assert pv.video.isVisible() and not pv.presenter_panel.isVisible()
        # Ctrl+P is not P: the lecture did not change.
        assert pv.controls.title.text() == "Why Do Things Fall?"
        # The button says the same, and leaves nothing half-switched.
        qtbot.mouseClick(pv.controls.presenter, Qt.MouseButton.LeftButton)
        assert not pv.controls.presenter.isChecked() and pv.projector is None


def test_upcoming_subtitles_are_the_next_three_cues():
    from player.subtitles import Cue

    cues = [Cue(float(i), i + 0.8, f"line {i}") for i in range(6)]
    assert [c.text for c in upcoming_cues(cues, 1.5)] == ["line 2", "line 3", "line 4"]
    assert [c.text for c in upcoming_cues(cues, 2.0)] == ["line 3", "line 4", "line 5"]
    assert upcoming_cues(cues, 9.0) == []


def test_the_projector_is_any_screen_but_the_laptop_one(qapp):
    # Explicit QScreen objects: the logic apart from how many screens this run has.
    screens = QGuiApplication.screens()
    here = screens[0]
    assert projector_screen(here, [here]) is None
    assert projector_screen(None, screens) is None
    if len(screens) > 1:
        assert projector_screen(here, screens) is screens[1]
        assert projector_screen(screens[1], screens) is here


@one_screen_only
def test_presenter_mode_on_a_simulated_projector(tmp_path):
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS), encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "LECTURE_PLAYER_TEST_SCREENS": "2",
    }
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "two_screens"]
    # A hang shows where it is stuck (the stacks of all threads) instead of a bare timeout.
    command += ["-o", "faulthandler_timeout=40", __file__]
    try:
        run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = (exc.stderr or b"").decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        pytest.fail(f"the two-screen run hung:\n{out[-3000:]}\n{err[-6000:]}")
    tail = run.stdout[-4000:] + run.stderr[-2000:]
    assert run.returncode == 0, tail
    assert "3 passed" in run.stdout, tail


# -- two screens (in the subprocess) -----------------------------------------------------


@two_screens_only
def test_two_screens_are_simulated(qapp):
    assert [s.name() for s in QGuiApplication.screens()] == ["laptop", "projector"]


@two_screens_only
def test_two_screens_presenter_mode_puts_the_video_on_the_projector(qtbot, sample_library):
    lecture = _first_lecture(sample_library)
    laptop, projector = QGuiApplication.screens()
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        player = pv.player
        _open(qtbot, window, lecture.pk)
        assert pv.presenter_target() is projector

        qtbot.keyClick(pv, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        shown = pv.projector
        assert shown is not None and pv.controls.presenter.isChecked()
        qtbot.waitUntil(lambda: shown.isFullScreen() and shown.isVisible(), timeout=WAIT)
        assert screen_of(shown) == projector
        assert shown.geometry() == projector.geometry()
        assert screen_of(window) == laptop
        # The laptop keeps the controls and the panel instead of the picture.
        assert not pv.video.isVisible()
        assert pv.presenter_panel.isVisible() and pv.controls.isVisible()
        assert pv.presenter_panel.chapter_model.rowCount() == 3

        # The picture reaches the projector's window, and keeps moving there.
        sink = shown.video.videoSink()
        qtbot.waitUntil(lambda: sink.videoFrame().isValid(), timeout=WAIT)
        first = sink.videoFrame().startTime()
        qtbot.waitUntil(lambda: sink.videoFrame().startTime() > first, timeout=WAIT)

        # The subtitle now and the next three, on the laptop; the subtitle on the projector.
        cues = pv.opened.subtitles["en"]
        player.pause()
        pv.seek(1.0)
        qtbot.waitUntil(lambda: abs(player.position() - 1.0) < 0.2, timeout=WAIT)
        at = player.position()
        expected = upcoming_cues(cues, at)
        assert expected and expected[0].start > at  # the sample has few cues: all that follow
        qtbot.waitUntil(
            lambda: pv.presenter_panel.upcoming.text().count("\n") == len(expected) - 1, timeout=WAIT
        )
        for cue in expected:
            assert cue.text in pv.presenter_panel.upcoming.text()
        assert shown.video.subtitle.text() == cue_at(cues, at)
        assert pv.presenter_panel.now.text() == cue_at(cues, at)

        # Bookmarks made on the laptop list in its panel; a click there jumps.
        qtbot.keyClick(pv, Qt.Key.Key_B)
        assert pv.presenter_panel.note.isVisible() and not shown.video.note.isVisible()
        qtbot.keyClicks(pv.presenter_panel.note.edit, "ramp")
        qtbot.keyClick(pv.presenter_panel.note.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: pv.presenter_panel.bookmark_model.rowCount() == 1, timeout=WAIT)
        assert pv.presenter_panel.bookmark_model.item(0).text().endswith("ramp")
        pv.seek(8.5)
        qtbot.waitUntil(lambda: abs(player.position() - 8.5) < 0.2, timeout=WAIT)
        view = pv.presenter_panel.bookmarks
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(0, 0)).center()
        )
        qtbot.waitUntil(lambda: abs(player.position() - at) < 0.3, timeout=WAIT)
        with open_library(sample_library, write=False) as lib:
            profile = progress_store.default_profile_id(lib)
            [stored] = bookmark_store.list_bookmarks(lib, profile, lecture.source_id, lecture.id)
        assert stored.note == "ramp"

        # Esc ends presenter mode; the picture is back in the laptop window.
        qtbot.keyClick(pv, Qt.Key.Key_Escape)
        assert pv.projector is None and not pv.controls.presenter.isChecked()
        assert pv.video.isVisible() and not pv.presenter_panel.isVisible()
        assert window.pages.currentWidget() is pv


@two_screens_only
def test_two_screens_presenter_mode_takes_an_explicit_screen(qtbot, sample_library):
    laptop, projector = QGuiApplication.screens()
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        _open(qtbot, window, _first_lecture(sample_library).pk)
        assert not pv.set_presenter(True, screen=laptop)  # the controls' own screen
        assert pv.projector is None
        assert "second screen" in pv.controls.notice.text()
        assert pv.set_presenter(True, screen=projector)
        assert screen_of(pv.projector) == projector
        # Closing the projector window (as a window manager may) ends the mode cleanly.
        pv.projector.close()
        qtbot.waitUntil(lambda: pv.projector is None, timeout=WAIT)
        assert pv.video.isVisible()
        # And it can start again: the screens outlive the projector windows.
        qtbot.keyClick(pv, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert pv.projector is not None and screen_of(pv.projector) == projector
        # Leaving the player screen by any way takes the projector window down with it.
        window.show_library()
        assert pv.projector is None
        assert not any(w.isVisible() for w in QApplication.topLevelWidgets() if w.objectName() == "projector")
