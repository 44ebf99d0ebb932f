"""The library screen: every series beside the lectures of the chosen one."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QItemSelection, QLocale, Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from player import textutil
from player.library import queries
from player.ui.models import ItemRole, LectureModel, SeriesModel
from player.ui.session import Session
from player.ui.widgets import StatePage, mute, table_view


class SeriesPane(QWidget):
    series_selected = Signal(object)  # a SeriesSummary, or None

    def __init__(self, model: SeriesModel) -> None:
        super().__init__()
        self.model = model
        self.view = table_view(model, SeriesModel.TITLE)
        for column, width in ((SeriesModel.LECTURES, 64), (SeriesModel.SIZE, 84), (SeriesModel.OFFLINE, 112)):
            self.view.setColumnWidth(column, width)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        model.page_loaded.connect(self._select_first)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def _select_first(self) -> None:
        if self.model.rowCount() and not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        self.series_selected.emit(rows[0].data(ItemRole) if rows else None)


class LecturePane(QWidget):
    """The chosen series: its title, a summary line, and its lectures."""

    lecture_activated = Signal(int)  # the lecture's pk

    def __init__(self, model: LectureModel) -> None:
        super().__init__()
        self.model = model
        self.title = QLabel()
        self.title.setObjectName("seriesTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        mute(self.summary)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.view = table_view(model, LectureModel.TITLE)
        for column, width in (
            (LectureModel.NUMBER, 44),
            (LectureModel.SPEAKERS, 170),
            (LectureModel.DURATION, 80),
        ):
            self.view.setColumnWidth(column, width)
        # Double-click or Enter, whichever the platform uses to open an item.
        self.view.activated.connect(lambda index: self.lecture_activated.emit(index.data(ItemRole).pk))

        details = QWidget()
        column = QVBoxLayout(details)
        column.setContentsMargins(4, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.summary)
        column.addWidget(self.description)
        column.addSpacing(6)
        column.addWidget(self.view, 1)
        self.placeholder = StatePage(
            self.tr("No series selected"), self.tr("Choose a series to see its lectures.")
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(details)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def show_series(self, series: queries.SeriesSummary | None) -> None:
        self.model.set_series(series.pk if series else None)
        if series is None:
            self.stack.setCurrentWidget(self.placeholder)
            return
        locale = QLocale()
        self.title.setText(textutil.pick(series.title))
        parts = [
            self.tr("%n lecture(s)", "", series.lecture_count),
            locale.formattedDataSize(series.total_size, 1),
            self.tr("Kept offline") if series.kept else self.tr("Online only"),
        ]
        self.summary.setText(" · ".join(parts))
        description = textutil.pick(series.description)
        self.description.setText(description)
        self.description.setVisible(bool(description))
        self.stack.setCurrentIndex(1)


class LibraryPage(QSplitter):
    """The series list and the series page side by side."""

    lecture_requested = Signal(int, float)  # lecture pk, start (seconds; negative: resume)

    def __init__(self, session: Session) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.session = session
        self.series_model = SeriesModel(session.executor, self)
        self.lecture_model = LectureModel(session.executor, self)
        self.series_pane = SeriesPane(self.series_model)
        self.lecture_pane = LecturePane(self.lecture_model)
        self.series_pane.series_selected.connect(self.lecture_pane.show_series)
        self.lecture_pane.lecture_activated.connect(lambda pk: self.lecture_requested.emit(pk, -1.0))
        self.setChildrenCollapsible(False)
        self.addWidget(self.series_pane)
        self.addWidget(self.lecture_pane)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 1)
        self.setSizes([550, 550])
        self.setContentsMargins(8, 8, 8, 0)
        session.library_changed.connect(self.refresh)

    def refresh(self) -> None:
        self.series_model.restart()

    def show_series(self, series_pk: int) -> None:
        """Show one series, whether or not the list has loaded its row yet."""
        self.series_pane.view.clearSelection()
        self.session.executor.submit(partial(queries.get_series, pk=series_pk), self._show_found, owner=self)

    def _show_found(self, series: queries.SeriesSummary | None) -> None:
        if series is not None:
            self.lecture_pane.show_series(series)

    def focus_lectures(self) -> None:
        self.lecture_pane.view.setFocus()
