"""The pieces of the player screen: the video with its overlays, and the control bar.

Qt renders a QVideoWidget into a native child window, which covers ordinary child
widgets; the overlays are native windows themselves so they stay on top. Native
windows cannot be see-through, so both overlays are solid panels.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.ui.seekbar import SeekBar

_OVERLAY_STYLE = "background-color: #1b1b1b; color: #f2f2f2;"


def _native(widget: QWidget) -> None:
    widget.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
    widget.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)


class MessagePanel(QFrame):
    """Why nothing plays, over the whole video, instead of a silent black picture."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        _native(self)
        self.setStyleSheet(_OVERLAY_STYLE)
        self.title = QLabel()
        self.title.setObjectName("messageTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel()
        self.detail.setObjectName("messageDetail")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 24)
        layout.addStretch(1)
        for label in (self.title, self.detail):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(label)
        layout.addStretch(1)
        self.hide()

    def show_message(self, title: str, detail: str = "") -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.show()
        self.raise_()


class NextPanel(QFrame):
    """ "Next: <title> in 5 s" at the end of a lecture, with Cancel and Play now."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        _native(self)
        self.setObjectName("nextPanel")
        self.setStyleSheet(_OVERLAY_STYLE)
        self.label = QLabel()
        self.label.setObjectName("nextLabel")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.label.setFont(font)
        self.cancel = QPushButton(self.tr("Cancel"))
        self.play_now = QPushButton(self.tr("Play now"))
        for button in (self.cancel, self.play_now):
            # Enter and Esc are the player's; the buttons are for the mouse.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.play_now)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.label)
        layout.addLayout(buttons)
        self.hide()


class NoteLine(QLineEdit):
    """The note's text box: Enter saves, Esc and leaving keep the bookmark as it is."""

    finished = Signal(bool)  # True to save the text

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finished.emit(True)
        elif event.key() == Qt.Key.Key_Escape:
            self.finished.emit(False)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.isVisible() and self.text().strip():
            self.finished.emit(True)  # typed, then clicked away: keep what was typed


class NotePopup(QFrame):
    """A small box over the video for a new bookmark's note; playback goes on."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        _native(self)
        self.setObjectName("notePopup")
        self.setStyleSheet(_OVERLAY_STYLE)
        self.title = QLabel()
        self.edit = NoteLine()
        self.edit.setPlaceholderText(self.tr("Note (optional) — Enter saves, Esc skips"))
        self.edit.setMaxLength(500)
        self.edit.setStyleSheet("background-color: #f2f2f2; color: #1b1b1b;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.edit)
        self.hide()


class VideoArea(QVideoWidget):
    """The video, a subtitle line over its bottom, and the message panel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(320, 180)
        self.large_subtitles = False
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("subtitle")
        _native(self.subtitle)
        self.subtitle.setStyleSheet(_OVERLAY_STYLE)
        self.subtitle.setContentsMargins(14, 4, 14, 6)
        self.subtitle.setWordWrap(True)
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.hide()
        self.message = MessagePanel(self)
        self.next_panel = NextPanel(self)
        self.note = NotePopup(self)

    def set_subtitle(self, text: str) -> None:
        if text == self.subtitle.text() and self.subtitle.isVisible() == bool(text):
            return
        self.subtitle.setText(text)
        self.subtitle.setVisible(bool(text) and not self.message.isVisible())
        self._place_subtitle()

    def set_large_subtitles(self, large: bool) -> None:
        self.large_subtitles = large
        self._place_subtitle()

    def show_message(self, title: str, detail: str = "") -> None:
        self.subtitle.hide()
        self.message.show_message(title, detail)
        self.message.setGeometry(self.rect())

    def clear_message(self) -> None:
        self.message.hide()

    def show_next(self, text: str) -> None:
        self.next_panel.label.setText(text)
        self.next_panel.show()
        self._place_panels()

    def show_note(self, title: str) -> None:
        self.note.title.setText(title)
        self.note.edit.clear()
        self.note.show()
        self._place_panels()
        self.note.edit.setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.message.setGeometry(self.rect())
        self._place_subtitle()
        self._place_panels()

    def _place_panels(self) -> None:
        for panel, top in ((self.next_panel, False), (self.note, True)):
            size = panel.sizeHint().expandedTo(QSize(min(self.width() - 20, 360), 0))
            x = (self.width() - size.width()) // 2
            y = round(self.height() * 0.08) if top else (self.height() - size.height()) // 2
            panel.setGeometry(max(0, x), max(0, y), min(size.width(), self.width()), size.height())
            if panel.isVisible():
                panel.raise_()

    def _place_subtitle(self) -> None:
        # Scaled with the picture, as TV subtitles are: readable when fullscreen, not
        # overwhelming in a small window.
        share = 0.062 if self.large_subtitles else 0.042
        font = self.subtitle.font()
        font.setPixelSize(max(14, round(self.height() * share)))
        self.subtitle.setFont(font)
        if not self.subtitle.text():
            return
        # A word-wrapping label's size hint is narrow; measure the text itself so a
        # line that fits stays one line.
        margins = self.subtitle.contentsMargins()
        extra_w = margins.left() + margins.right()
        extra_h = margins.top() + margins.bottom()
        box = QRect(0, 0, max(1, round(self.width() * 0.9) - extra_w), self.height())
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        text = QFontMetrics(font).boundingRect(box, flags, self.subtitle.text())
        width = text.width() + extra_w
        height = text.height() + extra_h
        x = (self.width() - width) // 2
        y = self.height() - height - round(self.height() * 0.05)
        self.subtitle.setGeometry(x, max(0, y), width, height)
        self.subtitle.raise_()


def _button(icon: QStyle.StandardPixmap | None = None, text: str = "") -> QToolButton:
    button = QToolButton()
    # Keys belong to the player screen; a focused button would swallow Space.
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoRaise(True)
    if icon is not None:
        button.setIcon(button.style().standardIcon(icon))
    if text:
        button.setText(text)
        button.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon
            if icon is not None
            else Qt.ToolButtonStyle.ToolButtonTextOnly
        )
    return button


class ControlBar(QWidget):
    """Buttons and sliders only; the player screen wires them up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        px = QStyle.StandardPixmap
        self.back = _button(px.SP_ArrowBack, self.tr("Library"))
        self.back.setToolTip(self.tr("Back to the library (Esc)"))
        self.previous = _button(px.SP_MediaSkipBackward)
        self.previous.setToolTip(self.tr("Previous lecture (P)"))
        self.play = _button(px.SP_MediaPlay)
        self.play.setToolTip(self.tr("Play or pause (Space)"))
        self.next = _button(px.SP_MediaSkipForward)
        self.next.setToolTip(self.tr("Next lecture (N)"))
        self.slider = SeekBar()
        self.time = QLabel("0:00 / 0:00")
        self.time.setObjectName("time")
        self.time.setMinimumWidth(self.time.fontMetrics().horizontalAdvance("00:00:00 / 00:00:00"))
        self.time.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chapters = _button(None, self.tr("Chapters"))
        self.speed = _button(None, "1×")
        self.speed.setToolTip(self.tr("Playback speed ([ and ])"))
        self.subtitles = _button(None, self.tr("Subtitles"))
        self.subtitles.setToolTip(self.tr("Subtitles (S)"))
        self.mute = _button(px.SP_MediaVolume)
        self.mute.setCheckable(True)
        self.mute.setToolTip(self.tr("Mute (M)"))
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.volume.setRange(0, 100)
        self.volume.setFixedWidth(90)
        self.volume.setToolTip(self.tr("Volume (Up and Down)"))
        self.fullscreen = _button(px.SP_TitleBarMaxButton)
        self.fullscreen.setToolTip(self.tr("Full screen (F)"))
        self.bookmarks = _button(None, self.tr("Bookmarks"))
        self.bookmarks.setToolTip(self.tr("Bookmarks (B adds one, Shift+B lists them)"))
        self.options = _button(None, self.tr("Options"))
        self.options.setToolTip(self.tr("Options (O)"))
        self.classroom = _button(None, self.tr("Classroom"))
        self.classroom.setCheckable(True)
        self.classroom.setToolTip(self.tr("Classroom mode: only the video and large controls (C)"))
        self.presenter = _button(None, self.tr("Presenter"))
        self.presenter.setCheckable(True)
        self.presenter.setToolTip(self.tr("Presenter mode: the video on the projector (Ctrl+P)"))
        for button in (self.chapters, self.speed, self.subtitles, self.bookmarks, self.options):
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.title = QLabel()
        self.title.setObjectName("lectureTitle")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)

        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        top.addWidget(self.chapters)
        top.addWidget(self.speed)
        top.addWidget(self.subtitles)
        top.addWidget(self.bookmarks)
        top.addWidget(self.options)
        top.addWidget(self.classroom)
        top.addWidget(self.presenter)
        self.top_row = [
            self.back,
            self.title,
            self.chapters,
            self.speed,
            self.subtitles,
            self.bookmarks,
            self.options,
            self.classroom,
            self.presenter,
        ]
        bottom = QHBoxLayout()
        for widget in (self.previous, self.play, self.next):
            bottom.addWidget(widget)
        bottom.addWidget(self.slider, 1)
        bottom.addWidget(self.time)
        for widget in (self.mute, self.volume, self.fullscreen):
            bottom.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addLayout(bottom)
        self.large = False
        self._normal_font = self.font()
        self._normal_time_font = self.time.font()
        self._normal_icon = self.play.iconSize()

    def set_large(self, large: bool) -> None:
        """Classroom size: big buttons and a big clock readable from the back of a room."""
        self.large = large
        font = QFont(self._normal_font)
        time_font = QFont(self._normal_time_font)
        icon = QSize(self._normal_icon)
        if large:
            font.setPointSizeF(self._normal_font.pointSizeF() * 1.8)
            time_font.setPointSizeF(self._normal_time_font.pointSizeF() * 3)
            time_font.setBold(True)
            icon = self._normal_icon * 2.5
        self.setFont(font)
        self.time.setFont(time_font)
        # Room for an hour-long lecture's clock; the seek bar keeps the rest.
        sample = "0:00:00 / 0:00:00" if large else "00:00:00 / 00:00:00"
        self.time.setMinimumWidth(QFontMetrics(time_font).horizontalAdvance(sample))
        for button in self.findChildren(QToolButton):
            button.setIconSize(icon)
        self.slider.setMinimumHeight(44 if large else 22)
        self.volume.setFixedWidth(180 if large else 90)

    def set_playing(self, playing: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play.setIcon(self.style().standardIcon(icon))

    def set_muted(self, muted: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaVolumeMuted if muted else QStyle.StandardPixmap.SP_MediaVolume
        self.mute.setIcon(self.style().standardIcon(icon))
        self.mute.setChecked(muted)
