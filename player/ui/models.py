"""Table models over the library, filled a page at a time from the library thread.

Views ask `canFetchMore`/`fetchMore` as they scroll; each request is one query on the
library executor, and its rows are inserted when the answer arrives. A generation
number drops answers that arrive after the model was reset.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from player import textutil
from player.library import queries
from player.library.db import Library
from player.ui.tasks import LibraryExecutor

PAGE_SIZE = 100
ItemRole = Qt.ItemDataRole.UserRole + 1  # the row's dataclass
Index = QModelIndex | QPersistentModelIndex

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class PagedTableModel(QAbstractTableModel):
    """Rows are dataclasses fetched lazily; subclasses say how to fetch and show them."""

    failed = Signal(str)
    page_loaded = Signal()

    def __init__(
        self, executor: LibraryExecutor, parent: QObject | None = None, *, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        self._executor = executor
        self._page_size = page_size
        self._rows: list[Any] = []
        self._exhausted = True  # nothing to fetch until `restart`
        self._pending = False
        self._generation = 0

    def _page_query(self, offset: int, limit: int) -> Callable[[Library], list]:
        raise NotImplementedError

    def restart(self) -> None:
        """Forget every row and fetch again from the start."""
        self.beginResetModel()
        self._rows = []
        self._generation += 1
        self._pending = False
        self._exhausted = not self._has_source()
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def _has_source(self) -> bool:
        return True

    @property
    def loading(self) -> bool:
        return self._pending

    def item(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted and not self._pending

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        self._pending = True
        generation = self._generation
        self._executor.submit(
            self._page_query(len(self._rows), self._page_size),
            partial(self._on_page, generation),
            partial(self._on_error, generation),
            owner=self,
        )

    # Subclasses: the column titles, the right-aligned columns, and how a row shows.
    RIGHT_ALIGNED: frozenset[int] = frozenset()

    def _headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _display(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def _tooltip(self, row: Any, column: int) -> str | None:
        return None

    def _style(self, row: Any, column: int, role: int) -> Any:
        """Foreground, font and the like; None for the default."""
        return None

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._headers())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.RIGHT_ALIGNED:
            return _RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ItemRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.RIGHT_ALIGNED:
            return _RIGHT
        return self._style(row, column, role)

    def _on_page(self, generation: int, rows: list) -> None:
        if generation != self._generation:
            return
        self._pending = False
        if len(rows) < self._page_size:
            self._exhausted = True
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.page_loaded.emit()

    def _on_error(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._pending = False
        self._exhausted = True  # retrying the same query on every scroll would only fail again
        self.failed.emit(str(exc))


def _muted() -> Any:
    return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)


class SeriesModel(PagedTableModel):
    TITLE, LECTURES, SIZE, OFFLINE = range(4)
    RIGHT_ALIGNED = frozenset({LECTURES, SIZE})

    def _page_query(self, offset: int, limit: int) -> Callable[[Library], list]:
        return lambda lib: queries.list_series(lib, offset=offset, limit=limit)

    def _headers(self) -> tuple[str, ...]:
        return (self.tr("Series"), self.tr("Lectures"), self.tr("Size"), self.tr("Offline"))

    def _style(self, series: queries.SeriesSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == self.OFFLINE and not series.kept:
            return _muted()
        return None

    def _display(self, series: queries.SeriesSummary, column: int) -> str:
        locale = QLocale()
        if column == self.TITLE:
            return textutil.pick(series.title)
        if column == self.LECTURES:
            return locale.toString(series.lecture_count)
        if column == self.SIZE:
            return locale.formattedDataSize(series.total_size, 1)
        if not series.kept:
            return self.tr("Online only")
        if series.total_size and series.present_size < series.total_size:
            percent = int(100 * series.present_size / series.total_size)
            return self.tr("Kept offline, %1% stored").replace("%1", locale.toString(percent))
        return self.tr("Kept offline")

    def _tooltip(self, series: queries.SeriesSummary, column: int) -> str | None:
        if column == self.TITLE:
            return textutil.pick(series.description) or None
        if column == self.OFFLINE and series.kept:
            locale = QLocale()
            return (
                self.tr("%1 of %2 stored on this computer")
                .replace("%1", locale.formattedDataSize(series.present_size, 1))
                .replace("%2", locale.formattedDataSize(series.total_size, 1))
            )
        return None


class LectureModel(PagedTableModel):
    """The lectures of one series, in catalog order."""

    NUMBER, TITLE, SPEAKERS, DURATION = range(4)
    RIGHT_ALIGNED = frozenset({NUMBER, DURATION})

    def __init__(
        self, executor: LibraryExecutor, parent: QObject | None = None, *, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(executor, parent, page_size=page_size)
        self._series_pk: int | None = None

    @property
    def series_pk(self) -> int | None:
        return self._series_pk

    def set_series(self, series_pk: int | None) -> None:
        self._series_pk = series_pk
        self.restart()

    def _has_source(self) -> bool:
        return self._series_pk is not None

    def _page_query(self, offset: int, limit: int) -> Callable[[Library], list]:
        series_pk = self._series_pk
        assert series_pk is not None
        return lambda lib: queries.list_lectures(lib, series_pk, offset=offset, limit=limit)

    def _headers(self) -> tuple[str, ...]:
        return ("#", self.tr("Title"), self.tr("Speakers"), self.tr("Duration"))

    def _tooltip(self, lecture: queries.Lecture, column: int) -> str | None:
        if lecture.withdrawn:
            return self.tr("Withdrawn from its catalog")
        if column == self.TITLE:
            return textutil.pick(lecture.description) or None
        return None

    def _style(self, lecture: queries.Lecture, column: int, role: int) -> Any:
        if lecture.withdrawn and role == Qt.ItemDataRole.ForegroundRole:
            return _muted()
        if lecture.withdrawn and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _display(self, lecture: queries.Lecture, column: int) -> str:
        if column == self.NUMBER:
            return str(lecture.position + 1)
        if column == self.TITLE:
            return textutil.pick(lecture.title)
        if column == self.SPEAKERS:
            names = [textutil.pick(s.get("name")) for s in lecture.speakers if isinstance(s, dict)]
            return QLocale().createSeparatedList([n for n in names if n])
        return format_duration(lecture.duration)


def format_duration(seconds: float) -> str:
    """1:02:03 or 4:05, as video players show it."""
    total = max(0, round(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
