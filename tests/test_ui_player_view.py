"""The player screen over a real library holding the built-in sample."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, Qt  # noqa: E402

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


def _open(qtbot, window, lecture_pk: int) -> None:
    """Open a lecture once the library is read (which first shows the home screen)."""
    qtbot.waitUntil(lambda: window.lecture_model.rowCount() > 0, timeout=WAIT)
    with qtbot.waitSignal(window.player_view.player.first_frame, timeout=WAIT):
        window.open_lecture(lecture_pk)
    assert window.pages.currentWidget() is window.player_view


# -- the seek bar ------------------------------------------------------------------------


def _seekbar(qtbot):
    from player.ui.seekbar import SCALE, SeekBar

    bar = SeekBar()
    qtbot.addWidget(bar)
    bar.resize(400, 30)
    bar.setRange(0, round(12 * SCALE))
    bar.set_chapters([(0.0, "Opening"), (4.0, "The idea"), (8.0, "Summary")])
    bar.show()
    qtbot.waitExposed(bar)
    return bar


def test_seek_bar_ticks_sit_at_the_chapter_starts(qtbot):
    bar = _seekbar(qtbot)
    ticks = bar.tick_positions()
    assert len(ticks) == 2  # a chapter starting at 0 needs no mark
    start, end = bar.x_for_seconds(0), bar.x_for_seconds(12)
    assert end - start > 300  # the groove spans the widget
    for x, seconds in zip(ticks, (4.0, 8.0), strict=True):
        assert x == pytest.approx(start + (end - start) * seconds / 12, abs=1)
        assert bar.seconds_at(x) == pytest.approx(seconds, abs=0.05)
    # The marks are painted: the tick column differs from the plain groove beside it.
    image = bar.grab().toImage()
    y = bar.height() // 2 - max(5, bar.height() // 3) + 1
    assert image.pixelColor(ticks[0], y) != image.pixelColor(ticks[0] + 6, y)


def test_seek_bar_hover_names_the_time_and_chapter_and_a_click_seeks_there(qtbot):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    bar = _seekbar(qtbot)
    x = bar.x_for_seconds(5.0)
    # The event a pointer moving over the bar brings. (Moving the real pointer with
    # qtbot.mouseMove sends nothing when an earlier test left it at that very spot.)
    point = QPointF(x, bar.height() // 2)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        point,
        bar.mapToGlobal(point),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(bar.hovered, timeout=2000) as hovered:
        QApplication.sendEvent(bar, move)
    assert hovered.args[0] == pytest.approx(5.0, abs=0.1)
    assert bar.hover_text == "0:05 · The idea"
    x = bar.x_for_seconds(9.0)
    with qtbot.waitSignal(bar.seek_requested, timeout=2000) as clicked:
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(x, bar.height() // 2))
    assert clicked.args[0] == pytest.approx(9.0, abs=0.1)
    assert bar.value() == pytest.approx(90, abs=1)


def test_clicking_the_seek_bar_moves_playback_there(qtbot, sample_library):
    from PySide6.QtCore import QPoint

    lecture = _first_lecture(sample_library)
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        player = pv.player
        _open(qtbot, window, lecture.pk)
        player.pause()
        bar = pv.controls.slider
        qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=WAIT)
        assert [round(bar.seconds_at(x)) for x in bar.tick_positions()] == [4, 8]
        x = bar.x_for_seconds(7.0)
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(x, bar.height() // 2))
        qtbot.waitUntil(lambda: abs(player.position() - 7.0) < 0.3, timeout=WAIT)


# -- auto-play next ----------------------------------------------------------------------


def _play_to_the_end(qtbot, pv) -> None:
    player = pv.player
    qtbot.waitUntil(lambda: player.duration() > 5, timeout=WAIT)
    pv.seek(player.duration() - 0.6)
    player.play()


def _autoplay_setting(root) -> str | None:
    from player.library.settings import get_setting

    with open_library(root, write=False) as lib:
        return get_setting(lib, "player.autoplay")


def test_at_the_end_the_next_lecture_is_announced_and_plays(qtbot, sample_library):
    lecture = _first_lecture(sample_library)
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        _open(qtbot, window, lecture.pk)
        assert pv._autoplay_action.isChecked()  # on by default
        with qtbot.waitSignal(pv.player.media_ended, timeout=WAIT):
            _play_to_the_end(qtbot, pv)
        panel = pv.video.next_panel
        assert panel.isVisible()
        assert panel.label.text() == "Next: Hot and Cold in 5 s"
        qtbot.waitUntil(lambda: panel.label.text() == "Next: Hot and Cold in 4 s", timeout=WAIT)
        # Cancel keeps this lecture; the end of the next one counts down by itself.
        qtbot.mouseClick(panel.cancel, Qt.MouseButton.LeftButton)
        assert not panel.isVisible()
        assert pv.controls.title.text() == "Why Do Things Fall?"

        pv.open_sibling(1)
        qtbot.waitUntil(lambda: pv.controls.title.text() == "Hot and Cold", timeout=WAIT)
        pv.autoplay_seconds = 1
        with qtbot.waitSignal(pv.player.first_frame, timeout=WAIT):
            pass
        _play_to_the_end(qtbot, pv)
        qtbot.waitUntil(lambda: pv.controls.title.text() == "Light and Colour", timeout=WAIT)
        qtbot.waitUntil(lambda: pv.player.state() == "playing", timeout=WAIT)
        assert not pv.video.next_panel.isVisible()


def test_with_auto_play_off_the_lecture_stops_at_its_end(qtbot, sample_library):
    lecture = _first_lecture(sample_library)
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        _open(qtbot, window, lecture.pk)
        qtbot.keyClick(pv, Qt.Key.Key_A)  # the option's key
        assert not pv._autoplay_action.isChecked()
        qtbot.waitUntil(lambda: _autoplay_setting(sample_library) == "0", timeout=WAIT)
        with qtbot.waitSignal(pv.player.media_ended, timeout=WAIT):
            _play_to_the_end(qtbot, pv)
        assert not pv.video.next_panel.isVisible()
        assert not pv._countdown.isActive()
        assert pv.controls.title.text() == "Why Do Things Fall?"

        # The choice is the library's: the next opening reads it back.
        pv.open_lecture(lecture.pk)
        qtbot.waitUntil(lambda: pv.opened is not None, timeout=WAIT)
        assert not pv.autoplay
        pv._autoplay_action.trigger()
        qtbot.waitUntil(lambda: _autoplay_setting(sample_library) == "1", timeout=WAIT)


# -- classroom mode ----------------------------------------------------------------------


def test_classroom_mode_keeps_only_the_video_and_big_controls(qtbot, sample_library):
    lecture = _first_lecture(sample_library)
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        _open(qtbot, window, lecture.pk)
        c = pv.controls
        others = [c.back, c.title, c.chapters, c.speed, c.subtitles, c.bookmarks, c.options, c.presenter]
        assert [w for w in others if not w.isVisible()] == []
        normal_time = c.time.font().pointSizeF()
        normal_icon = c.play.iconSize().width()

        qtbot.keyClick(pv, Qt.Key.Key_C)
        assert pv.classroom and c.classroom.isChecked()
        assert not any(w.isVisible() for w in others)
        assert pv.video.isVisible() and c.play.isVisible() and c.slider.isVisible() and c.time.isVisible()
        assert c.time.font().pointSizeF() >= normal_time * 2.5
        assert c.play.iconSize().width() >= normal_icon * 2

        qtbot.keyClick(pv, Qt.Key.Key_Escape)  # leaves the mode, not the lecture
        assert not pv.classroom and not c.classroom.isChecked()
        assert all(w.isVisible() for w in others)
        assert c.time.font().pointSizeF() == pytest.approx(normal_time)
        assert window.pages.currentWidget() is pv


# -- subtitle tracks inside the video ----------------------------------------------------


def _mkv_with_subtitles(path, tracks: dict[str, list[tuple[float, float, str]]], seconds: float = 3.0):
    """An H.264 MKV with one SubRip stream per ISO 639-2 language in `tracks`.

    PyAV's SubRip encoder cannot be opened without an ASS header, so the cues go in
    as packets copied from SRT files (remuxed, as FFmpeg's `-c copy` does)."""
    from fractions import Fraction

    import av

    from tests.videos import _paint, write_subtitle

    fps = 25
    total = round(seconds * fps)
    sources = []
    with av.open(str(path), "w") as out:
        video = out.add_stream("h264", rate=fps)
        video.width, video.height, video.pix_fmt = 320, 180, "yuv420p"
        for lang, cues in tracks.items():
            source = av.open(str(write_subtitle(path.with_name(f"{path.stem}.{lang}.srt"), cues)))
            stream = out.add_stream_from_template(source.streams.subtitles[0], opaque=True)
            stream.metadata["language"] = lang
            sources.append((source, stream))
        for i in range(total):
            frame = av.VideoFrame(320, 180, "yuv420p")
            _paint(frame, i, total, fps, 3)
            frame.pts, frame.time_base = i, Fraction(1, fps)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        for source, stream in sources:
            for packet in source.demux(source.streams.subtitles[0]):
                if packet.dts is not None:
                    packet.stream = stream
                    out.mux(packet)
            source.close()
    return path


def _use_video(root, lecture, path) -> None:
    """Make `path` the lecture's downloaded video, stored by content as a sync would."""
    import hashlib
    import shutil

    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    with open_library(root) as lib:
        target = lib.paths.media_file(sha, "mkv")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        video = next(m for m in queries.lecture_media(lib, lecture.pk) if m.role == "video")
        lib.db.execute(
            "UPDATE media SET sha256 = ?, ext = 'mkv', size = ? WHERE pk = ?", [sha, len(data), video.pk]
        )
        lib.db.conn.commit()


def _saved_subtitle(root, lecture) -> str | None:
    with open_library(root, write=False) as lib:
        profile = progress_store.default_profile_id(lib)
        saved = progress_store.get_progress(lib, profile, lecture.source_id, lecture.id)
    return saved.subtitle_lang if saved else None


def test_embedded_subtitle_tracks_are_listed_shown_large_and_carried_to_the_next_lecture(
    qtbot, sample_library, tmp_path
):
    with open_library(sample_library, write=False) as lib:
        first, second = queries.list_lectures(lib, queries.list_series(lib)[0].pk)[:2]
    one = _mkv_with_subtitles(
        tmp_path / "one.mkv",
        {"fra": [(0.2, 1.4, "Bonjour"), (1.5, 2.8, "Au revoir")], "deu": [(0.2, 2.8, "Hallo")]},
    )
    # The next lecture has the same languages in another order.
    two = _mkv_with_subtitles(
        tmp_path / "two.mkv", {"deu": [(0.1, 2.8, "Guten Tag")], "fra": [(0.1, 2.8, "Salut")]}
    )
    _use_video(sample_library, first, one)
    _use_video(sample_library, second, two)
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        player = pv.player
        _open(qtbot, window, first.pk)
        qtbot.waitUntil(lambda: pv.embedded_tracks == ["fr", "de"], timeout=WAIT)
        names = [a.text() for a in pv._subtitle_group.actions()]
        assert [a.data() for a in pv._subtitle_group.actions()] == [
            None,
            "en",
            "zh",
            "embedded:fr",
            "embedded:de",
        ]
        assert names[0] == "Off"
        assert names[-1].endswith("(de) — in the video")
        assert pv.subtitle_lang == "en"  # the subtitle file of the preferred language first

        player.pause()
        pv.seek(0.0)
        qtbot.waitUntil(lambda: player.position() < 0.1, timeout=WAIT)
        next(a for a in pv._subtitle_group.actions() if a.data() == "embedded:fr").trigger()
        assert player.subtitle_track() == 0
        pv.video.set_large_subtitles(True)
        player.play()
        # Qt's text reaches our own overlay, where the large-font option applies.
        qtbot.waitUntil(lambda: pv.video.subtitle.text() == "Bonjour", timeout=WAIT)
        assert pv.video.subtitle.isVisible()
        assert pv.video.subtitle.font().pixelSize() == max(14, round(pv.video.height() * 0.062))
        qtbot.waitUntil(lambda: pv.video.subtitle.text() == "Au revoir", timeout=WAIT)

        qtbot.keyClick(pv, Qt.Key.Key_N)
        qtbot.waitUntil(lambda: pv.controls.title.text() == "Hot and Cold", timeout=WAIT)
        qtbot.waitUntil(lambda: pv.embedded_tracks == ["de", "fr"], timeout=WAIT)
        assert pv.subtitle_lang == "embedded:fr"
        assert player.subtitle_track() == 1
        qtbot.waitUntil(lambda: pv.video.subtitle.text() == "Salut", timeout=WAIT)
        # The first lecture keeps the choice in its progress too.
        assert _saved_subtitle(sample_library, first) == "embedded:fr"


def test_the_new_menus_open_from_the_keyboard(qtbot, sample_library):
    lecture = _first_lecture(sample_library)
    with running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        _open(qtbot, window, lecture.pk)
        bookmarks = pv.controls.bookmarks.menu()
        qtbot.keyClick(pv, Qt.Key.Key_B, Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(bookmarks.isVisible, timeout=WAIT)
        assert bookmarks.actions()[0].text() == "Add a bookmark here (B)"
        bookmarks.close()
        options = pv.controls.options.menu()
        qtbot.keyClick(pv, Qt.Key.Key_O)
        qtbot.waitUntil(options.isVisible, timeout=WAIT)
        assert options.actions()[0].isCheckable()
        options.close()
        # Shift+B is not B: no bookmark popup appeared.
        assert not pv.video.note.isVisible()
