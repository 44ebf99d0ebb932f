"""How the home screen paints its cards and search results.

Every colour comes from the palette, so light, dark and high-contrast themes all read.
A card is a 240×135 picture (or a placeholder while there is none) with its text below.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from player import textutil
from player.library.home_queries import LectureCard, SeriesCard
from player.library.search import SearchHit
from player.ui.home_models import SeriesGridModel, SpeakersRole
from player.ui.models import ItemRole, format_duration
from player.ui.thumbs import Thumbnails

PICTURE = QSize(240, 135)
MARGIN = 8  # around each card, so neighbours and the focus ring do not touch
GAP = 4  # between the lines of text
BAR = 4  # the height of a progress bar
RADIUS = 6.0
Index = QModelIndex | QPersistentModelIndex


def title_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setBold(True)
    font.setPointSizeF(base.pointSizeF() * 1.1)
    return font


def muted(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.PlaceholderText)


def rounded(rect: QRect | QRectF, radius: float = RADIUS) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(QRectF(rect), radius, radius)
    return path


def draw_picture(
    painter: QPainter, rect: QRect, pixmap: QPixmap | None, palette: QPalette, placeholder: str
) -> None:
    """The picture cropped to fill `rect`, or a quiet placeholder with `placeholder` in it:
    a single character (the title's first) or "" for a play mark."""
    painter.save()
    painter.setClipPath(rounded(rect))
    if pixmap is not None and not pixmap.isNull():
        scaled = pixmap.scaled(
            rect.size(),
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        x = (scaled.width() - rect.width()) // 2
        y = (scaled.height() - rect.height()) // 2
        painter.drawPixmap(rect.topLeft(), scaled, QRect(x, y, rect.width(), rect.height()))
    else:
        # A tint of the text colour reads on light and dark themes alike.
        tint = QColor(palette.color(QPalette.ColorRole.WindowText))
        tint.setAlphaF(0.10)
        painter.fillRect(rect, tint)
        mark = QColor(palette.color(QPalette.ColorRole.WindowText))
        mark.setAlphaF(0.35)
        painter.setPen(mark)
        painter.setBrush(mark)
        if placeholder:
            font = title_font(painter.font())
            font.setPixelSize(rect.height() // 2)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, placeholder)
        else:
            side = rect.height() / 4
            centre = QPointF(rect.center())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.drawPolygon(
                QPolygonF(
                    [
                        centre + QPointF(-side / 2.5, -side / 2),
                        centre + QPointF(-side / 2.5, side / 2),
                        centre + QPointF(side / 1.6, 0),
                    ]
                )
            )
    painter.restore()


def draw_bar(painter: QPainter, rect: QRect, fraction: float, palette: QPalette) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    track = QColor(palette.color(QPalette.ColorRole.WindowText))
    track.setAlphaF(0.18)
    painter.setBrush(track)
    painter.drawRoundedRect(QRectF(rect), rect.height() / 2, rect.height() / 2)
    fraction = min(max(fraction, 0.0), 1.0)
    if fraction > 0:
        done = QRectF(rect)
        done.setWidth(max(rect.height(), rect.width() * fraction))
        painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
        painter.drawRoundedRect(done, rect.height() / 2, rect.height() / 2)
    painter.restore()


def draw_badge(painter: QPainter, corner: QRect, text: str, palette: QPalette, *, strong: bool) -> None:
    """A pill in the top-right corner of `corner`: the download state of a series."""
    painter.save()
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    metrics = QFontMetrics(font)
    width = metrics.horizontalAdvance(text) + 16
    height = metrics.height() + 6
    rect = QRect(corner.right() - width - 6, corner.top() + 6, width, height)
    if strong:
        background, foreground = (
            palette.color(QPalette.ColorRole.Highlight),
            QPalette.ColorRole.HighlightedText,
        )
    else:
        background, foreground = (
            QColor(palette.color(QPalette.ColorRole.Window)),
            QPalette.ColorRole.WindowText,
        )
        background.setAlphaF(0.88)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(background)
    painter.drawRoundedRect(QRectF(rect), height / 2, height / 2)
    painter.setPen(palette.color(foreground))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def draw_card_frame(
    painter: QPainter, option: QStyleOptionViewItem, picture: QRect, *, whole_row: bool = False
) -> None:
    """Hover and selection behind the card; a focus ring around the picture."""
    palette = option.palette
    state = option.state
    if whole_row:
        card = option.rect.adjusted(2, 2, -2, -2)
    else:  # the grid's cells can be wider than their card
        card = QRect(
            picture.left() - MARGIN + 2,
            option.rect.top() + 2,
            picture.width() + 2 * MARGIN - 4,
            option.rect.height() - 4,
        )
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    if state & QStyle.StateFlag.State_Selected:
        fill = QColor(palette.color(QPalette.ColorRole.Highlight))
        fill.setAlphaF(0.22)
        painter.setBrush(fill)
        painter.drawPath(rounded(card, RADIUS + 2))
    elif state & QStyle.StateFlag.State_MouseOver:
        fill = QColor(palette.color(QPalette.ColorRole.WindowText))
        fill.setAlphaF(0.07)
        painter.setBrush(fill)
        painter.drawPath(rounded(card, RADIUS + 2))
    painter.restore()


def draw_focus_ring(painter: QPainter, option: QStyleOptionViewItem, picture: QRect) -> None:
    if not option.state & QStyle.StateFlag.State_HasFocus:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = painter.pen()
    pen.setColor(option.palette.color(QPalette.ColorRole.Highlight))
    pen.setWidthF(3)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(rounded(QRectF(picture).adjusted(-1.5, -1.5, 1.5, 1.5), RADIUS + 1))
    painter.restore()


def elided(painter: QPainter, rect: QRect, text: str, color: QColor, font: QFont) -> None:
    painter.save()
    painter.setFont(font)
    painter.setPen(color)
    metrics = QFontMetrics(font)
    painter.drawText(
        rect,
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width()),
    )
    painter.restore()


def first_character(text: str) -> str:
    stripped = text.strip()
    return stripped[:1].upper() if stripped else ""


class _CardDelegate(QStyledItemDelegate):
    """The shared shape: picture, then `lines` lines of text and a bar under it."""

    LINES = 2
    BAR_BELOW = True

    def __init__(self, thumbnails: Thumbnails, parent=None) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return self.card_size(option.font)

    @classmethod
    def card_size(cls, font: QFont) -> QSize:
        text = QFontMetrics(title_font(font)).height() + (cls.LINES - 1) * QFontMetrics(font).height()
        height = MARGIN + PICTURE.height() + GAP * cls.LINES + text + MARGIN
        if cls.BAR_BELOW:
            height += BAR + GAP
        return QSize(PICTURE.width() + 2 * MARGIN, height)

    def layout(self, option: QStyleOptionViewItem) -> tuple[QRect, list[QRect], QRect]:
        """The picture, each line of text, and the bar."""
        left = option.rect.left() + MARGIN
        top = option.rect.top() + MARGIN
        width = PICTURE.width()
        picture = QRect(left, top, width, PICTURE.height())
        y = picture.bottom() + 1 + GAP
        lines = []
        for n in range(self.LINES):
            height = QFontMetrics(title_font(option.font) if n == 0 else option.font).height()
            lines.append(QRect(left, y, width, height))
            y += height + GAP
        bar = QRect(left, y + GAP // 2, width, BAR)
        return picture, lines, bar


class LectureCardDelegate(_CardDelegate):
    """A lecture to go on with: its picture, title, series, and how much is left."""

    LINES = 3
    BAR_BELOW = False  # the bar lies on the picture

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card: LectureCard = index.data(ItemRole)
        if card is None:
            return
        picture, lines, bar = self.layout(option)
        palette = option.palette
        draw_card_frame(painter, option, picture)
        draw_picture(painter, picture, self.thumbnails.lecture(card.pk), palette, "")
        if card.position > 0 and card.duration > 0:
            # Along the picture's bottom edge, as video sites show a part-watched video.
            track = QRect(picture.left() + 8, picture.bottom() - 8 - BAR, picture.width() - 16, BAR)
            draw_bar(painter, track, card.position / card.duration, palette)
        draw_focus_ring(painter, option, picture)
        text = palette.color(QPalette.ColorRole.WindowText)
        elided(painter, lines[0], textutil.pick(card.title), text, title_font(option.font))
        elided(painter, lines[1], textutil.pick(card.series_title), muted(palette), option.font)
        elided(painter, lines[2], self.time_text(card), muted(palette), option.font)

    def time_text(self, card: LectureCard) -> str:
        if card.duration <= 0:
            return ""
        if card.position <= 0:
            return format_duration(card.duration)
        left = max(card.duration - card.position, 0.0)
        if left < 60:
            return self.tr("Less than a minute left")
        minutes = math.ceil(left / 60)
        if minutes < 60:
            return self.tr("%n min left", "", minutes)
        hours, minutes = divmod(minutes, 60)
        return self.tr("%1 h %2 min left").replace("%1", str(hours)).replace("%2", f"{minutes:02d}")


class SeriesCardDelegate(_CardDelegate):
    """A series: poster, title, speaker and size, watched progress, download state."""

    LINES = 2

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card: SeriesCard = index.data(ItemRole)
        if card is None:
            return
        model = index.model()
        downloading = isinstance(model, SeriesGridModel) and model.downloading
        picture, lines, bar = self.layout(option)
        palette = option.palette
        title = textutil.pick(card.title)
        draw_card_frame(painter, option, picture)
        draw_picture(painter, picture, self.thumbnails.series(card.pk), palette, first_character(title))
        badge, strong = self.badge(card, downloading)
        draw_badge(painter, picture, badge, palette, strong=strong)
        draw_focus_ring(painter, option, picture)
        elided(
            painter, lines[0], title, palette.color(QPalette.ColorRole.WindowText), title_font(option.font)
        )
        elided(painter, lines[1], self.detail(card, index.data(SpeakersRole)), muted(palette), option.font)
        if card.lecture_count:
            draw_bar(painter, bar, card.watched_count / card.lecture_count, palette)

    def detail(self, card: SeriesCard, speakers) -> str:
        parts = []
        if speakers is not None:
            if speakers.main is not None:
                parts.append(textutil.pick(speakers.main))
            elif speakers.count > 1:
                parts.append(self.tr("%n speaker(s)", "", speakers.count))
        if card.watched_count:
            parts.append(
                self.tr("%1 of %n watched", "", card.lecture_count).replace("%1", str(card.watched_count))
            )
        else:
            parts.append(self.tr("%n lecture(s)", "", card.lecture_count))
        return " · ".join(parts)

    def badge(self, card: SeriesCard, downloading: bool) -> tuple[str, bool]:
        """The download state, and whether it is the emphasised kind (fully offline)."""
        if not card.kept:
            return self.tr("Online only"), False
        if card.total_size and card.present_size < card.total_size:
            percent = str(int(100 * card.present_size / card.total_size))
            if downloading:
                return self.tr("Downloading %1%").replace("%1", percent), False
            if not card.present_size:
                return self.tr("Not downloaded yet"), False
            return self.tr("Partly offline %1%").replace("%1", percent), False
        return self.tr("Offline"), True


class SearchHitDelegate(QStyledItemDelegate):
    """A result: a small picture, the lecture and its series, and what matched."""

    PICTURE = QSize(128, 72)

    def __init__(self, thumbnails: Thumbnails, parent=None) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        lines = QFontMetrics(title_font(option.font)).height() + 2 * QFontMetrics(option.font).height()
        return QSize(400, max(self.PICTURE.height(), lines + 2 * GAP) + 2 * MARGIN)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit: SearchHit = index.data(ItemRole)
        if hit is None:
            return
        palette = option.palette
        rect = option.rect
        picture = QRect(
            rect.left() + MARGIN, rect.top() + MARGIN, self.PICTURE.width(), self.PICTURE.height()
        )
        draw_card_frame(painter, option, picture, whole_row=True)
        draw_picture(painter, picture, self.thumbnails.lecture(hit.lecture_pk), palette, "")
        draw_focus_ring(painter, option, picture)
        left = picture.right() + 1 + 2 * MARGIN
        width = rect.right() - MARGIN - left
        bold = title_font(option.font)
        y = rect.top() + MARGIN
        h0 = QFontMetrics(bold).height()
        h1 = QFontMetrics(option.font).height()
        elided(
            painter,
            QRect(left, y, width, h0),
            textutil.pick(hit.title),
            palette.color(QPalette.ColorRole.WindowText),
            bold,
        )
        y += h0 + GAP
        elided(
            painter, QRect(left, y, width, h1), textutil.pick(hit.series_title), muted(palette), option.font
        )
        y += h1 + GAP
        if hit.kind == "subtitle":
            stamp = format_duration(hit.start or 0.0)
            stamp_font = QFont(option.font)
            stamp_font.setBold(True)
            stamp_width = QFontMetrics(stamp_font).horizontalAdvance(stamp) + MARGIN
            elided(
                painter,
                QRect(left, y, stamp_width, h1),
                stamp,
                palette.color(QPalette.ColorRole.Highlight),
                stamp_font,
            )
            snippet = "“" + hit.snippet.strip() + "”"
            elided(
                painter,
                QRect(left + stamp_width, y, width - stamp_width, h1),
                snippet,
                palette.color(QPalette.ColorRole.WindowText),
                option.font,
            )
        elif hit.snippet:
            elided(painter, QRect(left, y, width, h1), hit.snippet, muted(palette), option.font)
