"""The models of the Get lectures screen: sources, series to keep, the plan, files in flight."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

from player import textutil
from player.library import queries
from player.library.db import Library
from player.library.sources import Source
from player.sync.keeping import set_kept
from player.sync.plan import SeriesPlan
from player.ui.models import Index, ItemRole, PagedTableModel
from player.ui.widgets import size_text

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class _ListTable(QAbstractTableModel):
    """A small table held whole in memory (sources, plan rows): there are few of them."""

    RIGHT_ALIGNED: frozenset[int] = frozenset()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def item(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._headers())

    def _headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _display(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def _tooltip(self, row: Any, column: int) -> str | None:
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.RIGHT_ALIGNED:
            return _RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ItemRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.RIGHT_ALIGNED:
            return _RIGHT
        return None


@dataclass(frozen=True)
class SourceRow:
    source: Source
    fingerprint: str | None  # of the pinned key


class SourcesModel(_ListTable):
    TITLE, ID, LOCATION, KEY, VERSION = range(5)
    RIGHT_ALIGNED = frozenset({VERSION})

    def _headers(self) -> tuple[str, ...]:
        return (
            self.tr("Source"),
            self.tr("ID"),
            self.tr("Location"),
            self.tr("Publisher key"),
            self.tr("Catalog"),
        )

    def _display(self, row: SourceRow, column: int) -> str:
        s = row.source
        if column == self.TITLE:
            return textutil.pick(s.title)
        if column == self.ID:
            return s.id
        if column == self.LOCATION:
            if s.builtin:
                return self.tr("Built in")
            # A rebuild without a backup cannot tell where a source lives.
            return s.location or self.tr("Not known: add the source again")
        if column == self.KEY:
            return row.fingerprint or self.tr("Not pinned")
        return self.tr("version %1, %2").replace("%1", str(s.version)).replace("%2", s.published[:10])

    def _tooltip(self, row: SourceRow, column: int) -> str | None:
        s = row.source
        if column == self.KEY and s.pubkey:
            return self.tr("Pinned key %1").replace("%1", s.pubkey)
        if column == self.VERSION:
            return self.tr("%n series, ", "", s.series_count) + self.tr("%n lecture(s)", "", s.lecture_count)
        return s.location if column == self.LOCATION else None


class KeepModel(PagedTableModel):
    """Every series with its size, and a check box that keeps it offline or not."""

    KEEP, TITLE, SOURCE, LECTURES, SIZE, STORED = range(6)
    RIGHT_ALIGNED = frozenset({LECTURES, SIZE, STORED})

    kept_changed = Signal()  # a series was kept or unkept, and the library says so
    keep_failed = Signal(str)

    def _page_query(self, offset: int, limit: int) -> Callable[[Library], list]:
        return lambda lib: queries.list_series(lib, offset=offset, limit=limit)

    def _headers(self) -> tuple[str, ...]:
        return (
            self.tr("Keep"),
            self.tr("Series"),
            self.tr("Source"),
            self.tr("Lectures"),
            self.tr("Size"),
            self.tr("Stored"),
        )

    def _display(self, series: queries.SeriesSummary, column: int) -> str:
        if column == self.KEEP:
            return ""
        if column == self.TITLE:
            return textutil.pick(series.title)
        if column == self.SOURCE:
            return series.source_id
        if column == self.LECTURES:
            return QLocale().toString(series.lecture_count)
        if column == self.SIZE:
            return size_text(series.total_size)
        return size_text(series.present_size)

    def _style(self, series: queries.SeriesSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and column == self.KEEP:
            return Qt.CheckState.Checked if series.kept else Qt.CheckState.Unchecked
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.KEEP:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.KEEP or role != Qt.ItemDataRole.CheckStateRole:
            return False
        keep = Qt.CheckState(value) == Qt.CheckState.Checked
        series = self._rows[index.row()]
        if keep == series.kept:
            return False
        # Shown at once; the library confirms (or the row goes back) when the write is done.
        self._replace(series.pk, replace(series, kept=keep))

        def write(lib: Library) -> queries.SeriesSummary | None:
            set_kept(lib, series.source_id, series.id, keep)
            return queries.get_series(lib, series.pk)

        def failed(exc: BaseException) -> None:
            self._replace(series.pk, series)
            self.keep_failed.emit(str(exc))

        self._executor.submit(write, self._on_kept, failed, owner=self)
        return True

    def _on_kept(self, series: queries.SeriesSummary | None) -> None:
        if series is not None:
            self._replace(series.pk, series)
        self.kept_changed.emit()

    def _replace(self, pk: int, series: queries.SeriesSummary) -> None:
        for row, old in enumerate(self._rows):
            if old.pk == pk:
                self._rows[row] = series
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
                return


class PlanModel(_ListTable):
    TITLE, NEW, CHANGED, WITHDRAWN, FILES, FETCH = range(6)
    RIGHT_ALIGNED = frozenset({NEW, CHANGED, WITHDRAWN, FILES, FETCH})

    def _headers(self) -> tuple[str, ...]:
        return (
            self.tr("Series"),
            self.tr("New"),
            self.tr("Changed"),
            self.tr("Withdrawn"),
            self.tr("Files"),
            self.tr("To fetch"),
        )

    def _display(self, s: SeriesPlan, column: int) -> str:
        locale = QLocale()
        if column == self.TITLE:
            return textutil.pick(s.title)
        if column == self.FETCH:
            return size_text(s.fetch_bytes)
        counts = {self.NEW: s.new, self.CHANGED: s.changed, self.WITHDRAWN: s.withdrawn, self.FILES: s.files}
        return locale.toString(len(counts[column]))

    def _tooltip(self, s: SeriesPlan, column: int) -> str | None:
        if column == self.WITHDRAWN and s.withdrawn:
            return self.tr("Withdrawn from the catalog; their files are kept: %1").replace(
                "%1", ", ".join(s.withdrawn)
            )
        return f"{s.source_id}/{s.series_id}" if column == self.TITLE else None


@dataclass
class Transfer:
    sha256: str
    name: str
    size: int
    done: int


class TransfersModel(QAbstractListModel):
    """The files being fetched now, fed by the engine's events."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Transfer] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ItemRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.name}\n{size_text(row.done)} / {size_text(row.size)}"
        return None

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def on_event(self, name: str, info: dict) -> None:
        if name == "file_started":
            self._drop(info["sha256"])
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first)
            self._rows.append(Transfer(info["sha256"], info["name"], info["size"], info.get("have", 0)))
            self.endInsertRows()
        elif name == "bytes":
            for f in info.get("files", []):
                for row, t in enumerate(self._rows):
                    if t.sha256 == f["sha256"]:
                        t.done = min(t.size, f["done"])
                        index = self.index(row)
                        self.dataChanged.emit(index, index)
        elif name in ("file_done", "file_failed"):
            self._drop(info["sha256"])
        elif name == "finished":
            self.clear()

    def _drop(self, sha256: str) -> None:
        for row, t in enumerate(self._rows):
            if t.sha256 == sha256:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
                return


class TransferDelegate(QStyledItemDelegate):
    """A file's name above its own progress bar, painted: no widget per row."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        height = option.fontMetrics.height()
        return QSize(200, height * 2 + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        t: Transfer | None = index.data(ItemRole)
        if t is None:
            return
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        rect = option.rect.adjusted(6, 3, -6, -3)
        line = option.fontMetrics.height()
        amounts = f"{size_text(t.done)} / {size_text(t.size)}"
        amounts_width = option.fontMetrics.horizontalAdvance(amounts) + 12
        painter.save()
        text_rect = QRect(rect.left(), rect.top(), rect.width() - amounts_width, line)
        name = option.fontMetrics.elidedText(t.name, Qt.TextElideMode.ElideMiddle, text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        painter.drawText(
            QRect(rect.right() - amounts_width, rect.top(), amounts_width, line),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            amounts,
        )
        painter.restore()
        bar = QStyleOptionProgressBar()
        bar.rect = QRect(rect.left(), rect.top() + line + 4, rect.width(), max(6, rect.height() - line - 4))
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = int(1000 * t.done / t.size) if t.size else 0
        bar.textVisible = False
        bar.state = option.state
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)
