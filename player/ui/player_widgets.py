"""The pieces of the player screen: the video with its overlays, and the control bar.

Qt renders a QVideoWidget into a native child window, which covers ordinary child
widgets; the overlays are native windows themselves so they stay on top. Native
windows cannot be see-through, so both overlays are solid panels.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.message.setGeometry(self.rect())
        self._place_subtitle()

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
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.setToolTip(self.tr("Position"))
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
        for button in (self.chapters, self.speed, self.subtitles):
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

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
        layout.addLayout(bottom)

    def set_playing(self, playing: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play.setIcon(self.style().standardIcon(icon))

    def set_muted(self, muted: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaVolumeMuted if muted else QStyle.StandardPixmap.SP_MediaVolume
        self.mute.setIcon(self.style().standardIcon(icon))
        self.mute.setChecked(muted)
