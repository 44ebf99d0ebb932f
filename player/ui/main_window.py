"""The main window: the series of the library beside the lectures of the chosen one.

Each area is its own widget class; they talk through signals and read only from the
models, which fetch from the library thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, QLocale, Qt, Signal
from PySide6.QtGui import QCloseEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from player import textutil
from player.library import queries
from player.ui.models import ItemRole, LectureModel, SeriesModel
from player.ui.player_view import PlayerView
from player.ui.tasks import LibraryExecutor


def _table(model: SeriesModel | LectureModel, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    rows = view.verticalHeader()
    rows.hide()
    rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    # Content-sized columns would measure every row; fixed widths keep lazy loading cheap.
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def _mute(label: QLabel) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(palette)


class StatePage(QWidget):
    """A centred message for the moments without a list: opening, empty, failed."""

    def __init__(self, title: str = "", detail: str = "", *, busy: bool = False) -> None:
        super().__init__()
        self.title = QLabel(title)
        self.title.setObjectName("stateTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        self.detail = QLabel(detail)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        _mute(self.detail)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for label in (self.title, self.detail):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(label)
        if busy:
            bar = QProgressBar()
            bar.setRange(0, 0)
            bar.setTextVisible(False)
            bar.setFixedWidth(220)
            layout.addWidget(bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def set_text(self, title: str, detail: str = "") -> None:
        self.title.setText(title)
        self.detail.setText(detail)


class SeriesPane(QWidget):
    series_selected = Signal(object)  # a SeriesSummary, or None

    def __init__(self, model: SeriesModel) -> None:
        super().__init__()
        self.model = model
        self.view = _table(model, SeriesModel.TITLE)
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
        _mute(self.summary)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.view = _table(model, LectureModel.TITLE)
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


class MainWindow(QMainWindow):
    def __init__(self, executor: LibraryExecutor, library_dir: Path) -> None:
        super().__init__()
        self.executor = executor
        self.setWindowTitle(self.tr("Lecture Player"))
        self.resize(1100, 680)
        self.series_model = SeriesModel(executor, self)
        self.lecture_model = LectureModel(executor, self)
        self.series_pane = SeriesPane(self.series_model)
        self.lecture_pane = LecturePane(self.lecture_model)
        self.series_pane.series_selected.connect(self.lecture_pane.show_series)
        self.series_model.failed.connect(self._on_query_failed)
        self.lecture_model.failed.connect(self._on_query_failed)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.series_pane)
        splitter.addWidget(self.lecture_pane)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([550, 550])
        splitter.setContentsMargins(8, 8, 8, 0)

        self.loading_page = StatePage(
            self.tr("Opening library…"), self.tr("The first start sets up the sample lectures."), busy=True
        )
        self.empty_page = StatePage(
            self.tr("Your library is empty"),
            self.tr(
                "Add a catalog of lectures from the command line:\nlecture-player sources add URL-or-folder"
            ),
        )
        self.error_page = StatePage(self.tr("The library could not be opened"))
        self.player_view = PlayerView(executor)
        self.player_view.back_requested.connect(self.show_library)
        self.lecture_pane.lecture_activated.connect(self.open_lecture)
        self.pages = QStackedWidget()
        for page in (self.loading_page, self.empty_page, self.error_page, splitter, self.player_view):
            self.pages.addWidget(page)
        self.library_page = splitter
        self.setCentralWidget(self.pages)

        folder = QLabel(str(library_dir))
        folder.setToolTip(self.tr("The library folder"))
        _mute(folder)
        self.statusBar().addPermanentWidget(folder)
        self.statusBar().showMessage(self.tr("Opening library…"))

        executor.opened.connect(self._on_opened)
        executor.failed.connect(self._on_open_failed)

    def open_lecture(self, lecture_pk: int) -> None:
        self.pages.setCurrentWidget(self.player_view)
        # The player screen is the whole window, as in every video player.
        self.statusBar().hide()
        self.player_view.open_lecture(lecture_pk)

    def show_library(self) -> None:
        self.statusBar().show()
        self.pages.setCurrentWidget(self.library_page)
        self.lecture_pane.view.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Saves the position of a playing lecture before the library thread shuts down.
        self.player_view.close_lecture()
        super().closeEvent(event)

    def _on_opened(self) -> None:
        self.statusBar().showMessage(self.tr("Reading the library…"))
        self.executor.submit(queries.count_series, self._on_count, self._on_query_failed, owner=self)
        self.series_model.restart()

    def _on_count(self, count: int) -> None:
        if count == 0:
            self.pages.setCurrentWidget(self.empty_page)
            self.statusBar().showMessage(self.tr("No series yet"))
            return
        self.pages.setCurrentWidget(self.library_page)
        self.statusBar().showMessage(self.tr("%n series", "", count))

    def _on_open_failed(self, exc: BaseException) -> None:
        self.error_page.set_text(self.error_page.title.text(), str(exc))
        self.pages.setCurrentWidget(self.error_page)
        self.statusBar().showMessage(self.tr("The library could not be opened"))

    def _on_query_failed(self, message: object) -> None:
        self.statusBar().showMessage(self.tr("Reading the library failed: %1").replace("%1", str(message)))
