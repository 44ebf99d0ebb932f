"""The player screen: one lecture playing, its controls, keys, and saved progress.

Keys follow VLC and mpv. Everything read from the library arrives through the library
executor; progress goes back the same way, one `ProgressTracker` per opened lecture.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import QLocale, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent
from PySide6.QtWidgets import QAbstractSlider, QMenu, QVBoxLayout, QWidget

from player import textutil
from player.library import progress_store
from player.progress import ProgressTracker, ProgressUpdate
from player.ui import player as facade
from player.ui.models import format_duration
from player.ui.playback import SPEEDS, OpenedLecture, chapter_index, cue_at, load_lecture, step_speed
from player.ui.player import Player
from player.ui.player_widgets import ControlBar, VideoArea
from player.ui.session import Session

log = logging.getLogger(__name__)

SMALL_SKIP = 5.0
BIG_SKIP = 30.0
VOLUME_STEP = 0.05
SLIDER_SCALE = 10  # slider units per second


class PlayerView(QWidget):
    back_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.executor = session.executor
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.video = VideoArea()
        self.controls = ControlBar()
        self.player = Player(self.video, self)
        self.player.set_volume(0.8)
        self.opened: OpenedLecture | None = None
        self.tracker: ProgressTracker | None = None
        self.subtitle_lang: str | None = None
        self._last_subtitle_lang: str | None = None
        self._series_speed: dict[int, float] = {}  # for this session
        self._request = 0  # drops a slow answer for a lecture no longer wanted

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.video, 1)
        layout.addWidget(self.controls)
        self._wire()

    # -- opening and closing ----------------------------------------------------------

    def open_lecture(self, lecture_pk: int, start: float | None = None) -> None:
        """Start opening a lecture, at `start` seconds or else where this profile left it;
        it plays once the library has answered."""
        self.close_lecture()
        self._request += 1
        self.video.clear_message()
        self.video.set_subtitle("")
        self.controls.title.setText(self.tr("Opening…"))
        self.setFocus()
        self.executor.submit(
            partial(load_lecture, lecture_pk=lecture_pk, profile_id=self.session.profile_id, start=start),
            partial(self._on_loaded, self._request),
            partial(self._on_load_failed, self._request),
            owner=self,
        )

    def close_lecture(self) -> None:
        """Save where the lecture stopped, then stop it; safe to call twice."""
        if self.tracker is not None:
            self.tracker.closed(self.player.position())
            self.tracker = None
        self.player.stop()
        self.opened = None

    def _on_loaded(self, request: int, opened: OpenedLecture) -> None:
        if request != self._request:
            return
        self.opened = opened
        lecture = opened.lecture
        self.controls.title.setText(textutil.pick(lecture.title))
        self.controls.previous.setEnabled(self._sibling(-1) is not None)
        self.controls.next.setEnabled(self._sibling(1) is not None)
        self._fill_chapters()
        speed = self._series_speed.get(lecture.series_pk, opened.speed or 1.0)
        self._fill_speeds()
        langs = list(opened.subtitles)
        preferred = opened.subtitle_lang if opened.subtitle_lang in opened.subtitles else None
        if preferred is None and langs:
            preferred = textutil.pick({lang: lang for lang in langs})
        self._last_subtitle_lang = preferred
        self.subtitle_lang = preferred
        self._fill_subtitles()
        self._show_time(opened.resume)
        if opened.video is None:
            self.video.show_message(
                self.tr("This lecture is not downloaded."), self.tr("Keep its series offline and sync.")
            )
            return
        self.tracker = ProgressTracker(
            opened.profile_id,
            lecture.source_id,
            lecture.id,
            lecture.duration,
            save=self._save,
            speed=speed,
            subtitle_lang=self.subtitle_lang,
        )
        self.player.open(opened.video, opened.resume)
        self.set_speed(speed)
        self.player.play()

    def _on_load_failed(self, request: int, exc: BaseException) -> None:
        if request == self._request:
            log.warning("Cannot open the lecture: %s", exc)
            self.video.show_message(self.tr("This lecture cannot be opened."), str(exc))

    def _save(self, update: ProgressUpdate) -> None:
        # Fire and forget: a failed save is logged by the executor, playback goes on.
        self.executor.submit(
            partial(progress_store.save_progress, update=update),
            lambda _none: self.session.progress_changed.emit(),
            owner=self,
        )

    # -- commands (the keys and the buttons) ------------------------------------------

    def seek(self, seconds: float) -> None:
        if self.opened is None:
            return
        duration = self.player.duration() or self.opened.lecture.duration
        target = max(0.0, min(seconds, duration)) if duration > 0 else max(0.0, seconds)
        if self.tracker is not None:
            self.tracker.seeked(self.player.position(), target)
        self.player.seek(target)

    def skip(self, delta: float) -> None:
        self.seek(self.player.position() + delta)

    def jump_to_fraction(self, fraction: float) -> None:
        duration = self.player.duration() or (self.opened.lecture.duration if self.opened else 0)
        self.seek(duration * fraction)

    def set_speed(self, rate: float) -> None:
        self.player.set_speed(rate)
        rate = self.player.speed()
        if self.opened is not None:
            self._series_speed[self.opened.lecture.series_pk] = rate
        if self.tracker is not None:
            self.tracker.speed(rate)
        self.controls.speed.setText(f"{rate:g}×")
        for action in self.controls.speed.menu().actions():
            action.setChecked(abs(action.data() - rate) < 1e-6)

    def set_subtitle_lang(self, lang: str | None) -> None:
        self.subtitle_lang = lang
        if lang is not None:
            self._last_subtitle_lang = lang
        if self.tracker is not None:
            self.tracker.subtitle(lang)
        for action in self._subtitle_group.actions():
            action.setChecked(action.data() == lang)
        self._show_cue(self.player.position())

    def toggle_subtitles(self) -> None:
        if self.subtitle_lang is not None:
            self.set_subtitle_lang(None)
        elif self.opened is not None and self.opened.subtitles:
            self.set_subtitle_lang(self._last_subtitle_lang or next(iter(self.opened.subtitles)))

    def change_volume(self, delta: float) -> None:
        self.player.set_volume(self.player.volume() + delta)
        self.player.set_muted(False)
        self._sync_volume()

    def toggle_mute(self) -> None:
        self.player.set_muted(not self.player.is_muted())
        self._sync_volume()

    def toggle_fullscreen(self) -> None:
        window = self.window()
        window.setWindowState(window.windowState() ^ Qt.WindowState.WindowFullScreen)

    def go_back(self) -> None:
        if self.window().isFullScreen():
            self.toggle_fullscreen()
        self.close_lecture()
        self.back_requested.emit()

    def open_sibling(self, step: int) -> None:
        pk = self._sibling(step)
        if pk is not None:
            self.open_lecture(pk)

    def jump_chapter(self, step: int) -> None:
        chapters = self.opened.lecture.chapters if self.opened else []
        if not chapters:
            return
        position = self.player.position()
        current = chapter_index(chapters, position)
        # Like a CD player: "previous" first returns to the start of this chapter.
        if step < 0 and current >= 0 and position - float(chapters[current]["start"]) > 3:
            target = current
        else:
            target = current + step
        if 0 <= target < len(chapters):
            self.seek(float(chapters[target]["start"]))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        shift = mods == Qt.KeyboardModifier.ShiftModifier
        ctrl = mods == Qt.KeyboardModifier.ControlModifier
        k = Qt.Key
        if key in (k.Key_Left, k.Key_Right):
            step = -1 if key == k.Key_Left else 1
            if ctrl:
                self.jump_chapter(step)
            else:
                self.skip(step * (BIG_SKIP if shift else SMALL_SKIP))
        elif k.Key_0 <= key <= k.Key_9 and not ctrl:
            self.jump_to_fraction((key - k.Key_0) / 10)
        elif key == k.Key_Escape:
            if self.window().isFullScreen():
                self.toggle_fullscreen()
            else:
                self.go_back()
        elif key in self._simple_keys:
            self._simple_keys[key]()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # -- wiring -----------------------------------------------------------------------

    def _wire(self) -> None:
        k = Qt.Key
        self._simple_keys = {
            k.Key_Space: self.player.toggle,
            k.Key_K: self.player.toggle,
            k.Key_Up: partial(self.change_volume, VOLUME_STEP),
            k.Key_Down: partial(self.change_volume, -VOLUME_STEP),
            k.Key_M: self.toggle_mute,
            k.Key_F: self.toggle_fullscreen,
            k.Key_BracketLeft: lambda: self.set_speed(step_speed(self.player.speed(), -1)),
            k.Key_BracketRight: lambda: self.set_speed(step_speed(self.player.speed(), 1)),
            k.Key_Equal: partial(self.set_speed, 1.0),
            k.Key_Backspace: partial(self.set_speed, 1.0),
            k.Key_S: self.toggle_subtitles,
            k.Key_V: self.toggle_subtitles,
            k.Key_P: partial(self.open_sibling, -1),
            k.Key_N: partial(self.open_sibling, 1),
        }
        c = self.controls
        c.back.clicked.connect(self.go_back)
        c.play.clicked.connect(self.player.toggle)
        c.previous.clicked.connect(partial(self.open_sibling, -1))
        c.next.clicked.connect(partial(self.open_sibling, 1))
        c.fullscreen.clicked.connect(self.toggle_fullscreen)
        c.mute.clicked.connect(self.toggle_mute)
        c.volume.valueChanged.connect(self._on_volume_slider)
        c.slider.sliderMoved.connect(lambda value: self._show_time(value / SLIDER_SCALE))
        c.slider.sliderReleased.connect(lambda: self.seek(c.slider.value() / SLIDER_SCALE))
        c.slider.actionTriggered.connect(self._on_slider_action)
        c.speed.setMenu(QMenu(c.speed))
        c.chapters.setMenu(QMenu(c.chapters))
        c.subtitles.setMenu(QMenu(c.subtitles))
        self._subtitle_group = QActionGroup(self)
        self._sync_volume()

        p = self.player
        p.position_changed.connect(self._on_position)
        p.duration_changed.connect(self._on_duration)
        p.state_changed.connect(self._on_state)
        p.failed.connect(self._on_failed)
        p.first_frame.connect(self.video.clear_message)

    def _fill_speeds(self) -> None:
        menu = self.controls.speed.menu()
        if menu.actions():
            return
        for rate in SPEEDS:
            action = menu.addAction(f"{rate:g}×", partial(self.set_speed, rate))
            action.setCheckable(True)
            action.setData(rate)

    def _fill_chapters(self) -> None:
        menu = self.controls.chapters.menu()
        menu.clear()
        chapters = self.opened.lecture.chapters if self.opened else []
        for chapter in chapters:
            start = float(chapter.get("start", 0))
            label = f"{format_duration(start)}  {textutil.pick(chapter.get('title'))}"
            menu.addAction(label, partial(self.seek, start))
        self.controls.chapters.setVisible(bool(chapters))

    def _fill_subtitles(self) -> None:
        menu = self.controls.subtitles.menu()
        menu.clear()
        for action in self._subtitle_group.actions():
            self._subtitle_group.removeAction(action)
        langs = list(self.opened.subtitles) if self.opened else []
        for lang in [None, *langs]:
            name = self.tr("Off") if lang is None else self._language_name(lang)
            action = menu.addAction(name, partial(self.set_subtitle_lang, lang))
            action.setCheckable(True)
            action.setData(lang)
            action.setChecked(lang == self.subtitle_lang)
            self._subtitle_group.addAction(action)
        menu.addSeparator()
        large = QAction(self.tr("Large subtitles"), menu)
        large.setCheckable(True)
        large.setChecked(self.video.large_subtitles)
        large.toggled.connect(self.video.set_large_subtitles)
        menu.addAction(large)
        self.controls.subtitles.setEnabled(bool(langs))

    @staticmethod
    def _language_name(lang: str) -> str:
        name = QLocale(lang).nativeLanguageName()
        return f"{name} ({lang})" if name else lang

    def _sibling(self, step: int) -> int | None:
        if self.opened is None or self.opened.lecture.pk not in self.opened.siblings:
            return None
        i = self.opened.siblings.index(self.opened.lecture.pk) + step
        return self.opened.siblings[i] if 0 <= i < len(self.opened.siblings) else None

    def _on_position(self, seconds: float) -> None:
        if self.tracker is not None:
            self.tracker.position(seconds)
        if not self.controls.slider.isSliderDown():
            with QSignalBlocker(self.controls.slider):
                self.controls.slider.setValue(round(seconds * SLIDER_SCALE))
            self._show_time(seconds)
        self._show_cue(seconds)

    def _on_duration(self, seconds: float) -> None:
        if seconds > 0 and self.tracker is not None:
            self.tracker.duration = seconds
        self.controls.slider.setRange(0, round(seconds * SLIDER_SCALE))
        self.controls.slider.setPageStep(round(SMALL_SKIP * SLIDER_SCALE))
        self._show_time(self.player.position())

    def _on_state(self, state: str) -> None:
        self.controls.set_playing(state == "playing")
        if self.tracker is None:
            return
        position = self.player.position()
        {"playing": self.tracker.playing, "paused": self.tracker.paused}.get(state, self.tracker.stopped)(
            position
        )

    def _on_failed(self, message: str) -> None:
        translated = {
            facade.MISSING_MESSAGE: self.tr(
                "The video file is missing. Run `lecture-player verify --repair`, then sync."
            ),
            facade.DAMAGED_MESSAGE: self.tr(
                "The video file is damaged. Run `lecture-player verify --repair`, then sync to download it again."
            ),
            facade.DENIED_MESSAGE: self.tr(
                "The video file cannot be read: permission denied. Check the permissions of the library folder."
            ),
        }.get(message, message)
        self.video.show_message(self.tr("This lecture cannot be played."), translated)

    def _on_slider_action(self, action: int) -> None:
        if action not in (
            QAbstractSlider.SliderAction.SliderMove,
            QAbstractSlider.SliderAction.SliderNoAction,
        ):
            self.seek(self.controls.slider.sliderPosition() / SLIDER_SCALE)

    def _on_volume_slider(self, value: int) -> None:
        self.player.set_volume(value / 100)

    def _sync_volume(self) -> None:
        with QSignalBlocker(self.controls.volume):
            self.controls.volume.setValue(round(self.player.volume() * 100))
        self.controls.set_muted(self.player.is_muted())

    def _show_time(self, seconds: float) -> None:
        total = self.player.duration() or (self.opened.lecture.duration if self.opened else 0)
        self.controls.time.setText(f"{format_duration(seconds)} / {format_duration(total)}")

    def _show_cue(self, seconds: float) -> None:
        cues = self.opened.subtitles.get(self.subtitle_lang or "", []) if self.opened else []
        self.video.set_subtitle(cue_at(cues, seconds) if cues else "")
