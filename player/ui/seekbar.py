"""The position slider of the player: chapter ticks, a time under the mouse, click to seek.

Values are in tenths of a second (`SCALE` units per second) so the slider's own keyboard
and drag handling keep working; the screen converts with `SCALE`.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider, QToolTip, QWidget

from player.ui.models import format_duration

SCALE = 10  # slider units per second


class SeekBar(QSlider):
    """A horizontal slider that knows the lecture's chapters; see the module docstring."""

    seek_requested = Signal(float)  # seconds, from a click on the groove
    hovered = Signal(float)  # seconds under the mouse

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(True)
        self.setMinimumHeight(22)
        self._chapters: list[tuple[float, str]] = []  # (start seconds, title), in order
        self.hover_text = ""

    # -- chapters ----------------------------------------------------------------------

    def set_chapters(self, chapters: list[tuple[float, str]]) -> None:
        self._chapters = sorted(chapters, key=lambda c: c[0])
        self.update()

    def chapters(self) -> list[tuple[float, str]]:
        return list(self._chapters)

    def chapter_at(self, seconds: float) -> str:
        i = bisect.bisect_right([start for start, _ in self._chapters], seconds) - 1
        return self._chapters[i][1] if i >= 0 else ""

    # -- geometry: seconds <-> pixels ---------------------------------------------------

    def _option(self) -> QStyleOptionSlider:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        return option

    def _span(self) -> tuple[int, int]:
        """The x of value 0 and the pixel span over which the handle's centre moves."""
        option = self._option()
        style = self.style()
        groove = style.subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, self
        )
        handle = style.subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
        )
        return groove.x() + handle.width() // 2, max(1, groove.width() - handle.width())

    def x_for_seconds(self, seconds: float) -> int:
        left, span = self._span()
        value = max(self.minimum(), min(self.maximum(), round(seconds * SCALE)))
        return left + QStyle.sliderPositionFromValue(self.minimum(), self.maximum(), value, span)

    def seconds_at(self, x: int) -> float:
        left, span = self._span()
        value = QStyle.sliderValueFromPosition(self.minimum(), self.maximum(), x - left, span)
        return value / SCALE

    def tick_positions(self) -> list[int]:
        """The x of each chapter start that falls inside the lecture."""
        if self.maximum() <= self.minimum():
            return []
        end = self.maximum() / SCALE
        return [self.x_for_seconds(start) for start, _ in self._chapters if 0 < start <= end]

    def text_at(self, seconds: float) -> str:
        chapter = self.chapter_at(seconds)
        stamp = format_duration(seconds)
        return f"{stamp} · {chapter}" if chapter else stamp

    # -- Qt's side ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        ticks = self.tick_positions()
        if not ticks:
            return
        painter = QPainter(self)
        color = QColor(self.palette().color(self.foregroundRole()))
        color.setAlpha(170)
        painter.setPen(QPen(color, 2))
        mid = self.height() // 2
        reach = max(5, self.height() // 3)
        for x in ticks:
            painter.drawLine(x, mid - reach, x, mid + reach)
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if self.maximum() <= self.minimum():
            return
        x = round(event.position().x())
        seconds = self.seconds_at(x)
        self.hover_text = self.text_at(seconds)
        QToolTip.showText(self.mapToGlobal(QPoint(x, -8)), self.hover_text, self, QRect(), 4000)
        self.hovered.emit(seconds)

    def leaveEvent(self, event) -> None:  # noqa: ANN001 - QEvent
        self.hover_text = ""
        QToolTip.hideText()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.maximum() > self.minimum():
            option = self._option()
            handle = self.style().subControlRect(
                QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
            )
            if not handle.contains(event.position().toPoint()):
                # Jump to the point clicked, as media players do, not a page step.
                seconds = self.seconds_at(round(event.position().x()))
                self.setValue(round(seconds * SCALE))
                self.seek_requested.emit(seconds)
        super().mousePressEvent(event)
