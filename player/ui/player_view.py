"""The player screen: one lecture playing, its controls, keys, and saved progress.

Keys follow VLC and mpv. Everything read from the library arrives through the library
executor; progress goes back the same way, one `ProgressTracker` per opened lecture, and
so do bookmarks and the auto-play setting.

Screen modes: fullscreen (F), classroom (C: only the video and big controls) and
presenter (Ctrl+P: the video on the projector, the controls and what comes next on the
laptop; see presenter.py).
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import QLocale, QPoint, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QHideEvent, QKeyEvent, QScreen
from PySide6.QtWidgets import QAbstractSlider, QMenu, QVBoxLayout, QWidget

from player import textutil
from player.library import bookmarks as bookmark_store
from player.library import progress_store
from player.library.bookmarks import Bookmark
from player.progress import ProgressTracker, ProgressUpdate
from player.ui import player as facade
from player.ui.models import format_duration
from player.ui.playback import (
    EMBEDDED_PREFIX,
    SPEEDS,
    OpenedLecture,
    chapter_index,
    cue_at,
    get_autoplay,
    load_lecture,
    set_autoplay,
    step_speed,
    subtitle_language,
    upcoming_cues,
)
from player.ui.player import Player
from player.ui.player_widgets import ControlBar, VideoArea
from player.ui.presenter import PresenterPanel, ProjectorWindow, projector_screen, screen_of
from player.ui.seekbar import SCALE
from player.ui.session import Session

log = logging.getLogger(__name__)

SMALL_SKIP = 5.0
BIG_SKIP = 30.0
VOLUME_STEP = 0.05
SLIDER_SCALE = SCALE  # slider units per second
AUTOPLAY_SECONDS = 5
NOTICE_MS = 8000
_DEFAULT = object()  # no subtitle choice remembered: pick by the preferred languages


class PlayerView(QWidget):
    back_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.executor = session.executor
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.video = VideoArea()
        self.controls = ControlBar()
        self.presenter_panel = PresenterPanel()
        self.presenter_panel.hide()
        self.player = Player(self.video, self)
        self.player.set_volume(0.8)
        self.opened: OpenedLecture | None = None
        self.tracker: ProgressTracker | None = None
        # "en" (a subtitle file), "embedded:fr" (a track inside the video) or None (off).
        self.subtitle_lang: str | None = None
        self._last_subtitle_lang: str | None = None
        self._wanted_subtitle: object = _DEFAULT  # waits for the embedded tracks to be known
        self.embedded_tracks: list[str] = []
        self._subtitle_text = ""
        self._series_speed: dict[int, float] = {}  # for this session
        self._series_subtitle: dict[int, str | None] = {}  # likewise
        self._request = 0  # drops a slow answer for a lecture no longer wanted
        self.autoplay = True
        self.autoplay_seconds = AUTOPLAY_SECONDS
        self._countdown_left = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick_countdown)
        self.bookmarks: list[Bookmark] = []
        self._note_bookmark: int | None = None  # the bookmark the note popup is for
        self._note_text: str | None = None  # typed before the bookmark was stored
        self.classroom = False
        self.projector: ProjectorWindow | None = None
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(NOTICE_MS)
        self._notice_timer.timeout.connect(self.controls.notice.hide)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.video, 1)
        layout.addWidget(self.presenter_panel, 1)
        layout.addWidget(self.controls)
        self._wire()

    # -- opening and closing ----------------------------------------------------------

    def open_lecture(self, lecture_pk: int, start: float | None = None) -> None:
        """Start opening a lecture, at `start` seconds or else where this profile left it;
        it plays once the library has answered."""
        self.close_lecture()
        self._request += 1
        for area in self._areas():
            area.clear_message()
        self._set_subtitle_text("")
        self.embedded_tracks = []
        self.bookmarks = []
        self._fill_bookmarks()
        self.controls.title.setText(self.tr("Opening…"))
        self.setFocus()
        self.executor.submit(get_autoplay, self._on_autoplay_loaded, owner=self)
        self.executor.submit(
            partial(load_lecture, lecture_pk=lecture_pk, profile_id=self.session.profile_id, start=start),
            partial(self._on_loaded, self._request),
            partial(self._on_load_failed, self._request),
            owner=self,
        )

    def close_lecture(self) -> None:
        """Save where the lecture stopped, then stop it; safe to call twice."""
        self.cancel_autoplay()
        self._finish_note(False)
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
        # The choice made in this series this session wins, as the speed does; then the
        # one saved for this lecture; then the preferred languages.
        if lecture.series_pk in self._series_subtitle:
            self._wanted_subtitle = self._series_subtitle[lecture.series_pk]
        else:
            self._wanted_subtitle = opened.subtitle_lang or _DEFAULT
        choice = self._match_subtitle(self._wanted_subtitle)
        self._last_subtitle_lang = choice
        self.subtitle_lang = choice
        self._fill_subtitles()
        self._show_time(opened.resume)
        self._load_bookmarks()
        if opened.video is None:
            self._show_message(
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
            self._show_message(self.tr("This lecture cannot be opened."), str(exc))

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

    def set_subtitle_lang(self, lang: str | None, *, remember: bool = True) -> None:
        """Show the subtitle file of `lang`, the embedded track "embedded:<lang>", or none.

        `remember` carries the choice to the next lecture of the series (a choice the
        user made, not one the screen fell back to)."""
        self.subtitle_lang = lang
        if lang is not None:
            self._last_subtitle_lang = lang
        if remember:
            self._wanted_subtitle = lang
            if self.opened is not None:
                self._series_subtitle[self.opened.lecture.series_pk] = lang
        if self.tracker is not None:
            self.tracker.subtitle(lang)
        embedded = lang is not None and lang.startswith(EMBEDDED_PREFIX)
        code = subtitle_language(lang)
        self.player.set_subtitle_track(
            self.embedded_tracks.index(code) if embedded and code in self.embedded_tracks else -1
        )
        if not embedded:
            self._subtitle_text = ""
        for action in self._subtitle_group.actions():
            action.setChecked(action.data() == lang)
        self._show_cue(self.player.position())

    def toggle_subtitles(self) -> None:
        if self.subtitle_lang is not None:
            self.set_subtitle_lang(None)
        elif self._subtitle_choices():
            choices = self._subtitle_choices()
            self.set_subtitle_lang(
                self._last_subtitle_lang if self._last_subtitle_lang in choices else choices[0]
            )

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
        if self.classroom:
            self.set_classroom(False)
        if self.window().isFullScreen():
            self.toggle_fullscreen()
        self.set_presenter(False)
        self.close_lecture()
        self.back_requested.emit()

    # -- auto-play --------------------------------------------------------------------

    def set_autoplay_enabled(self, on: bool) -> None:
        """Turn auto-play on or off and keep the choice in the library settings."""
        self._show_autoplay(on)
        if not on:
            self.cancel_autoplay()
        self.executor.submit(partial(set_autoplay, on=on), owner=self)

    def cancel_autoplay(self) -> None:
        self._countdown.stop()
        for area in self._areas():
            area.next_panel.hide()

    def play_next_now(self) -> None:
        self.cancel_autoplay()
        self.open_sibling(1)

    def _on_autoplay_loaded(self, on: bool) -> None:
        self._show_autoplay(on)

    def _show_autoplay(self, on: bool) -> None:
        self.autoplay = on
        with QSignalBlocker(self._autoplay_action):
            self._autoplay_action.setChecked(on)

    def _on_ended(self) -> None:
        following = self._sibling(1)
        if not self.autoplay or following is None or self.opened is None:
            return  # stop at the end
        self._countdown_left = max(0, self.autoplay_seconds)
        self._show_countdown()
        if self._countdown_left == 0:
            self.play_next_now()
        else:
            self._countdown.start()

    def _tick_countdown(self) -> None:
        self._countdown_left -= 1
        if self._countdown_left <= 0:
            self.play_next_now()
        else:
            self._show_countdown()

    def _show_countdown(self) -> None:
        pk = self._sibling(1)
        title = textutil.pick(self.opened.sibling_titles.get(pk)) if self.opened and pk is not None else ""
        text = self.tr("Next: %1 in %2 s").replace("%1", title).replace("%2", str(self._countdown_left))
        self._display().show_next(text)

    # -- bookmarks --------------------------------------------------------------------

    def add_bookmark(self) -> None:
        """Bookmark the current point at once; a note can follow in the popup."""
        if self.opened is None or self.opened.video is None:
            return
        lecture = self.opened.lecture
        position = self.player.position()
        self._finish_note(False)
        self._note_bookmark = None
        self._note_text = None
        self.executor.submit(
            partial(
                bookmark_store.add_bookmark,
                profile_id=self.opened.profile_id,
                source_id=lecture.source_id,
                lecture_id=lecture.id,
                position=position,
            ),
            partial(self._on_bookmark_added, self._request),
            owner=self,
        )
        host = self.presenter_panel if self.projector is not None else self.video
        host.show_note(self.tr("Bookmark at %1").replace("%1", format_duration(position)))

    def jump_to_bookmark(self, bookmark_id: int) -> None:
        found = next((b for b in self.bookmarks if b.id == bookmark_id), None)
        if found is not None:
            self.seek(found.position)

    def delete_bookmark(self, bookmark_id: int) -> None:
        self.executor.submit(
            partial(bookmark_store.delete_bookmark, bookmark_id=bookmark_id),
            lambda _none: self._load_bookmarks(),
            owner=self,
        )

    def show_bookmarks_menu(self) -> None:
        button = self.controls.bookmarks
        if button.isVisible():
            where = button.mapToGlobal(QPoint(0, button.height()))
        else:
            where = self.mapToGlobal(self.rect().center())
        button.menu().popup(where)

    def _on_bookmark_added(self, request: int, bookmark: Bookmark) -> None:
        if request != self._request:
            return
        self._note_bookmark = bookmark.id
        if self._note_text is not None:
            self._save_note(bookmark.id, self._note_text)
            self._note_text = None
        else:
            self._load_bookmarks()

    def _finish_note(self, save: bool) -> None:
        hosts = [*self._areas(), self.presenter_panel]
        popups = [host.note for host in hosts if host.note.isVisible()]
        if not popups:
            return
        text = popups[0].edit.text()
        for popup in popups:
            popup.hide()
        self.setFocus()
        if not save or not text.strip():
            return
        if self._note_bookmark is None:
            self._note_text = text  # saved when the bookmark is stored
        else:
            self._save_note(self._note_bookmark, text)

    def _save_note(self, bookmark_id: int, text: str) -> None:
        self.executor.submit(
            partial(bookmark_store.set_note, bookmark_id=bookmark_id, note=text),
            lambda _bookmark: self._load_bookmarks(),
            owner=self,
        )

    def _load_bookmarks(self) -> None:
        if self.opened is None:
            return
        lecture = self.opened.lecture
        self.executor.submit(
            partial(
                bookmark_store.list_bookmarks,
                profile_id=self.opened.profile_id,
                source_id=lecture.source_id,
                lecture_id=lecture.id,
            ),
            partial(self._on_bookmarks, self._request),
            owner=self,
        )

    def _on_bookmarks(self, request: int, found: list[Bookmark]) -> None:
        if request == self._request:
            self.bookmarks = found
            self._fill_bookmarks()

    def _fill_bookmarks(self) -> None:
        menu = self.controls.bookmarks.menu()
        menu.clear()
        menu.addAction(self.tr("Add a bookmark here (B)"), self.add_bookmark)
        if self.bookmarks:
            menu.addSeparator()
        rows = []
        for bookmark in self.bookmarks:
            label = f"{format_duration(bookmark.position)}  {bookmark.note or ''}".rstrip()
            rows.append((bookmark.position, label))
            sub = menu.addMenu(label)
            sub.addAction(self.tr("Jump here"), partial(self.jump_to_bookmark, bookmark.id))
            sub.addAction(self.tr("Delete"), partial(self.delete_bookmark, bookmark.id))
        self.presenter_panel.set_bookmarks(rows)

    # -- screen modes -----------------------------------------------------------------

    def set_classroom(self, on: bool) -> None:
        """Classroom mode: only the video and a large control bar; Esc leaves it."""
        self.classroom = on
        for widget in self.controls.top_row:
            widget.setVisible(not on and (widget is not self.controls.chapters or self._has_chapters()))
        self.controls.set_large(on)
        with QSignalBlocker(self.controls.classroom):
            self.controls.classroom.setChecked(on)
        self.setFocus()

    def toggle_classroom(self) -> None:
        self.set_classroom(not self.classroom)

    def presenter_target(self) -> QScreen | None:
        return projector_screen(self.controls_screen(), QGuiApplication.screens())

    def controls_screen(self) -> QScreen | None:
        # Not QWidget.screen(): PySide ties the QScreen wrapper it returns to the widget,
        # and deleting the widget (the projector window, each time presenter mode ends)
        # would leave a dead QScreen for every later caller.
        return screen_of(self.window())

    def set_presenter(self, on: bool, screen: QScreen | None = None) -> bool:
        """Presenter mode on `screen` (default: a screen other than this window's).
        Returns whether it is on; with one screen it says why it cannot be."""
        if not on:
            if self.projector is not None:
                projector, self.projector = self.projector, None
                self.player.remove_output(projector.video)
                projector.closed.disconnect(self._on_projector_closed)
                projector.close()
                projector.deleteLater()
                self.presenter_panel.hide()
                self.video.show()
                self._sync_overlays(self.video)
            self._check_presenter(False)
            return False
        target = screen or self.presenter_target()
        if target is None or target == self.controls_screen():
            self.show_notice(self.tr("Presenter mode needs a second screen (a projector)."))
            self._check_presenter(False)
            return False
        if self.projector is None:
            self.projector = ProjectorWindow(self._projector_key)
            self.projector.closed.connect(self._on_projector_closed)
            self._wire_area(self.projector.video)
            self.player.add_output(self.projector.video)
        self.projector.video.set_large_subtitles(self.video.large_subtitles)
        self.projector.show_on(target)
        self.video.hide()
        self.presenter_panel.show()
        self._sync_overlays(self.projector.video)
        self._check_presenter(True)
        self.activateWindow()
        self.setFocus()
        return True

    def toggle_presenter(self) -> None:
        self.set_presenter(self.projector is None)

    def show_notice(self, text: str) -> None:
        self.controls.notice.setText(text)
        self.controls.notice.show()
        self._notice_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        # The screen left or the window closed: the projector must not stay behind. A
        # minimised window (a spontaneous hide) keeps presenting.
        if not event.spontaneous():
            self.set_presenter(False)
        super().hideEvent(event)

    def _seek_from_panel(self, seconds: float) -> None:
        self.seek(seconds)
        self.setFocus()  # the keys stay the player's after a click in a list

    def _check_presenter(self, on: bool) -> None:
        with QSignalBlocker(self.controls.presenter):
            self.controls.presenter.setChecked(on)

    def _on_projector_closed(self) -> None:
        QTimer.singleShot(0, lambda: self.set_presenter(False))

    def _on_screen_removed(self, screen: QScreen) -> None:
        if self.projector is not None and screen_of(self.projector) in (screen, None):
            self.set_presenter(False)

    def _projector_key(self, event: QKeyEvent) -> None:
        self.keyPressEvent(event)

    def _sync_overlays(self, area: VideoArea) -> None:
        """Carry the subtitle and any message to the area now showing the picture."""
        area.set_subtitle(self._current_text())
        self._show_cue(self.player.position())
        if self._countdown.isActive():
            self._show_countdown()

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
        if self._countdown.isActive() and key in (k.Key_Escape, k.Key_Return, k.Key_Enter):
            if key == k.Key_Escape:
                self.cancel_autoplay()
            else:
                self.play_next_now()
        elif ctrl and key == k.Key_P:
            self.toggle_presenter()
        elif shift and key == k.Key_B:
            self.show_bookmarks_menu()
        elif key in (k.Key_Left, k.Key_Right):
            step = -1 if key == k.Key_Left else 1
            if ctrl:
                self.jump_chapter(step)
            else:
                self.skip(step * (BIG_SKIP if shift else SMALL_SKIP))
        elif k.Key_0 <= key <= k.Key_9 and not ctrl:
            self.jump_to_fraction((key - k.Key_0) / 10)
        elif key == k.Key_Escape:
            # One mode at a time, the last one entered first.
            if self.classroom:
                self.set_classroom(False)
            elif self.window().isFullScreen():
                self.toggle_fullscreen()
            elif self.projector is not None:
                self.set_presenter(False)
            else:
                self.go_back()
        elif key in self._simple_keys and not mods & Qt.KeyboardModifier.ControlModifier:
            # Shift and AltGr may be part of typing [ ] = on some layouts; Ctrl is not.
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
            k.Key_B: self.add_bookmark,
            k.Key_C: self.toggle_classroom,
            k.Key_A: lambda: self.set_autoplay_enabled(not self.autoplay),
            k.Key_O: lambda: self._popup(self.controls.options),
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
        c.slider.seek_requested.connect(self.seek)
        c.speed.setMenu(QMenu(c.speed))
        c.chapters.setMenu(QMenu(c.chapters))
        c.subtitles.setMenu(QMenu(c.subtitles))
        c.bookmarks.setMenu(QMenu(c.bookmarks))
        c.options.setMenu(QMenu(c.options))
        self._autoplay_action = c.options.menu().addAction(self.tr("Play the next lecture automatically (A)"))
        self._autoplay_action.setCheckable(True)
        self._autoplay_action.setChecked(self.autoplay)
        self._autoplay_action.toggled.connect(self.set_autoplay_enabled)
        c.classroom.clicked.connect(lambda: self.set_classroom(c.classroom.isChecked()))
        c.presenter.clicked.connect(lambda: self.set_presenter(c.presenter.isChecked()))
        self._subtitle_group = QActionGroup(self)
        self._sync_volume()
        self._fill_bookmarks()
        self._wire_area(self.video)
        self.presenter_panel.seek_requested.connect(self._seek_from_panel)
        self.presenter_panel.note.edit.finished.connect(self._finish_note)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenRemoved.connect(self._on_screen_removed)

        p = self.player
        p.position_changed.connect(self._on_position)
        p.duration_changed.connect(self._on_duration)
        p.state_changed.connect(self._on_state)
        p.failed.connect(self._on_failed)
        p.first_frame.connect(self._clear_messages)
        p.media_ended.connect(self._on_ended)
        p.subtitle_text.connect(self._on_embedded_text)
        p.subtitle_tracks_changed.connect(self._on_tracks)

    def _wire_area(self, area: VideoArea) -> None:
        area.next_panel.cancel.clicked.connect(self.cancel_autoplay)
        area.next_panel.play_now.clicked.connect(self.play_next_now)
        area.note.edit.finished.connect(self._finish_note)

    def _areas(self) -> list[VideoArea]:
        return [self.video] + ([self.projector.video] if self.projector is not None else [])

    def _display(self) -> VideoArea:
        """The video area the audience looks at."""
        return self.projector.video if self.projector is not None else self.video

    def _show_message(self, title: str, detail: str) -> None:
        for area in self._areas():
            area.show_message(title, detail)

    def _clear_messages(self) -> None:
        for area in self._areas():
            area.clear_message()

    def _popup(self, button) -> None:  # noqa: ANN001 - a QToolButton with a menu
        where = (
            button.mapToGlobal(QPoint(0, button.height()))
            if button.isVisible()
            else self.mapToGlobal(QPoint())
        )
        button.menu().popup(where)

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
        self.controls.chapters.setVisible(bool(chapters) and not self.classroom)
        marks = [(float(c.get("start", 0)), textutil.pick(c.get("title"))) for c in chapters]
        self.controls.slider.set_chapters(marks)
        self.presenter_panel.set_chapters(marks)

    def _has_chapters(self) -> bool:
        return bool(self.opened and self.opened.lecture.chapters)

    def _fill_subtitles(self) -> None:
        menu = self.controls.subtitles.menu()
        menu.clear()
        for action in self._subtitle_group.actions():
            self._subtitle_group.removeAction(action)
        choices = self._subtitle_choices()
        for lang in [None, *choices]:
            if lang is None:
                name = self.tr("Off")
            elif lang.startswith(EMBEDDED_PREFIX):
                code = subtitle_language(lang) or ""
                name = self.tr("%1 — in the video").replace(
                    "%1", self._language_name(code) if code else self.tr("Unknown language")
                )
            else:
                name = self._language_name(lang)
            action = menu.addAction(name, partial(self.set_subtitle_lang, lang))
            action.setCheckable(True)
            action.setData(lang)
            action.setChecked(lang == self.subtitle_lang)
            self._subtitle_group.addAction(action)
        menu.addSeparator()
        large = QAction(self.tr("Large subtitles"), menu)
        large.setCheckable(True)
        large.setChecked(self.video.large_subtitles)
        large.toggled.connect(self._set_large_subtitles)
        menu.addAction(large)
        self.controls.subtitles.setEnabled(bool(choices))

    def _set_large_subtitles(self, large: bool) -> None:
        for area in self._areas():
            area.set_large_subtitles(large)

    def _subtitle_choices(self) -> list[str]:
        files = list(self.opened.subtitles) if self.opened else []
        embedded = [f"{EMBEDDED_PREFIX}{code}" for code in self.embedded_tracks]
        return files + list(dict.fromkeys(embedded))

    def _match_subtitle(self, wanted: object) -> str | None:
        """The choice available in this lecture closest to `wanted`: the same kind in the
        same language, else the other kind in that language, else the preferred language."""
        files = list(self.opened.subtitles) if self.opened else []
        if wanted is None:
            return None
        if wanted is _DEFAULT or not isinstance(wanted, str):
            if files:
                return textutil.pick({lang: lang for lang in files})
            if self.embedded_tracks:
                code = textutil.pick({c: c for c in self.embedded_tracks})
                return f"{EMBEDDED_PREFIX}{code}"
            return None
        lang = subtitle_language(wanted)
        embedded = wanted.startswith(EMBEDDED_PREFIX)
        if embedded and lang in self.embedded_tracks:
            return wanted
        if lang in files:
            return lang
        if lang in self.embedded_tracks:
            return f"{EMBEDDED_PREFIX}{lang}"
        return None

    def _on_tracks(self, codes: list[str]) -> None:
        if self.opened is None:
            return
        self.embedded_tracks = codes
        choice = self._match_subtitle(self._wanted_subtitle)
        self._fill_subtitles()
        if choice != self.subtitle_lang or (choice or "").startswith(EMBEDDED_PREFIX):
            self.set_subtitle_lang(choice, remember=False)

    def _on_embedded_text(self, text: str) -> None:
        if (self.subtitle_lang or "").startswith(EMBEDDED_PREFIX):
            self._subtitle_text = text
            self._set_subtitle_text(text)

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
        self.cancel_autoplay()
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
        self._show_message(self.tr("This lecture cannot be played."), translated)

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

    def _current_text(self) -> str:
        if (self.subtitle_lang or "").startswith(EMBEDDED_PREFIX):
            return self._subtitle_text
        cues = self.opened.subtitles.get(self.subtitle_lang or "", []) if self.opened else []
        return cue_at(cues, self.player.position()) if cues else ""

    def _show_cue(self, seconds: float) -> None:
        if (self.subtitle_lang or "").startswith(EMBEDDED_PREFIX):
            if self.projector is not None:
                self.presenter_panel.set_upcoming(None)
            return  # the text comes from the player as it shows
        cues = self.opened.subtitles.get(self.subtitle_lang or "", []) if self.opened else []
        self._set_subtitle_text(cue_at(cues, seconds) if cues else "")
        if self.projector is not None:
            self.presenter_panel.set_upcoming(upcoming_cues(cues, seconds))

    def _set_subtitle_text(self, text: str) -> None:
        for area in self._areas():
            area.set_subtitle(text)
        self.presenter_panel.set_current(text)
