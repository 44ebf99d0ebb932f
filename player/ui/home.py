"""The home screen: continue watching, next up, the series grid and search."""

from __future__ import annotations

import math
from functools import partial

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from player.library import home_queries, search
from player.library.home_queries import HomeRows, LectureCard
from player.library.search import SearchHit
from player.ui.home_delegates import LectureCardDelegate, SearchHitDelegate, SeriesCardDelegate
from player.ui.home_models import CardListModel, SeriesGridModel
from player.ui.models import ItemRole
from player.ui.session import Session
from player.ui.widgets import StatePage, mute

# Search runs as you type; this only merges keys pressed together (a paste, fast typing).
SEARCH_DELAY_MS = 20
# Progress is saved every few seconds while a lecture plays; re-read at most this often.
REFRESH_DELAY_MS = 500
SYNC_ACTIVE = frozenset({"plan", "bytes", "file_done", "resumed"})
SYNC_IDLE = frozenset({"finished", "paused", "waiting"})
_OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class CardView(QListView):
    """A list of cards painted by a delegate; a click or Enter opens the current card."""

    opened = Signal(QModelIndex)

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setMouseTracking(True)  # hover highlight
        self.setUniformItemSizes(True)
        self.viewport().setAutoFillBackground(False)
        # `clicked`, not `activated`: styles that open on a single click would send both.
        self.clicked.connect(self.opened.emit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _OPEN_KEYS and self.currentIndex().isValid():
            self.opened.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class CardRow(CardView):
    """One horizontal row of lecture cards that scrolls sideways."""

    def __init__(self, card: QSize) -> None:
        super().__init__()
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFixedHeight(card.height() + self.horizontalScrollBar().sizeHint().height())


class SeriesGrid(CardView):
    """Every series as a wrapping grid, as tall as its rows: the page scrolls, not the grid."""

    def __init__(self, card: QSize) -> None:
        super().__init__()
        self.card = card
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setGridSize(card)
        self.setSpacing(0)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def setModel(self, model) -> None:  # noqa: ANN001 - Qt's signature
        super().setModel(model)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self.fit_height)
        self.fit_height()

    def fit_height(self) -> None:
        model = self.model()
        rows = math.ceil(model.rowCount() / self.columns()) if model is not None else 0
        self.setFixedHeight(max(rows, 1) * self.card.height() + 2 * self.frameWidth())

    def columns(self) -> int:
        return max(1, self.viewport().width() // self.card.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            # Cells share out the spare width, so the grid fills the page edge to edge.
            cell = QSize(self.viewport().width() // self.columns(), self.card.height())
            if cell != self.gridSize():
                self.setGridSize(cell)
            self.fit_height()


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(8, 12, 0, 2)
    return label


class HomePage(QWidget):
    lecture_requested = Signal(int, float)  # lecture pk, start (seconds; negative: resume)
    series_requested = Signal(int)  # series pk
    get_lectures_requested = Signal()  # the empty library's "Get lectures" button

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._rows_generation = 0
        self._rows_shown = 0
        self._rows_profile: int | None = None  # whose progress the rows show
        # Read by queued search jobs on the library thread: a plain list outlives the page.
        self._search_latest = [0]
        self.shown_query = ""  # the text whose results are on screen
        self.series_count: int | None = None  # None until the library has answered

        self.search_box = QLineEdit()
        self.search_box.setObjectName("homeSearch")
        self.search_box.setPlaceholderText(self.tr("Search titles, speakers and subtitles"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumHeight(self.search_box.sizeHint().height() + 8)
        self.search_box.textChanged.connect(self._on_search_text)
        self.search_box.installEventFilter(self)

        thumbs = session.thumbnails
        lecture_card = LectureCardDelegate.card_size(self.font())
        series_card = SeriesCardDelegate.card_size(self.font())

        self.continue_model = CardListModel(session, lambda c: c.pk, lambda c: c.title, self)
        self.next_model = CardListModel(session, lambda c: c.pk, lambda c: c.title, self)
        self.series_model = SeriesGridModel(session, self)
        self.search_model = CardListModel(session, lambda h: h.lecture_pk, lambda h: h.title, self)

        self.continue_heading = heading(self.tr("Continue watching"))
        self.continue_view = CardRow(lecture_card)
        self.continue_view.setItemDelegate(LectureCardDelegate(thumbs, self.continue_view))
        self.continue_view.setModel(self.continue_model)
        self.next_heading = heading(self.tr("Next up"))
        self.next_view = CardRow(lecture_card)
        self.next_view.setItemDelegate(LectureCardDelegate(thumbs, self.next_view))
        self.next_view.setModel(self.next_model)
        for view in (self.continue_view, self.next_view):
            view.opened.connect(self._open_card)
        self.series_heading = heading(self.tr("All series"))
        self.grid = SeriesGrid(series_card)
        self.grid.setItemDelegate(SeriesCardDelegate(thumbs, self.grid))
        self.grid.setModel(self.series_model)
        self.grid.opened.connect(lambda index: self.series_requested.emit(index.data(ItemRole).pk))
        self.grid.selectionModel().currentChanged.connect(self._show_current_series)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(8, 0, 8, 8)
        column.setSpacing(2)
        for widget in (
            self.continue_heading,
            self.continue_view,
            self.next_heading,
            self.next_view,
            self.series_heading,
            self.grid,
        ):
            column.addWidget(widget)
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("homeScroll")
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)
        bar = self.scroll.verticalScrollBar()
        bar.valueChanged.connect(self._want_series)
        bar.rangeChanged.connect(self._want_series)
        self._set_rows_visible(continue_=False, next_=False)
        self.series_heading.hide()

        self.results_view = CardView()
        self.results_view.setItemDelegate(SearchHitDelegate(thumbs, self.results_view))
        self.results_view.setModel(self.search_model)
        self.results_view.opened.connect(self._open_hit)
        self.results_view.installEventFilter(self)
        self.results_status = QLabel()
        self.results_status.setContentsMargins(8, 4, 8, 4)
        mute(self.results_status)
        results = QWidget()
        results_column = QVBoxLayout(results)
        results_column.setContentsMargins(0, 0, 0, 0)
        results_column.addWidget(self.results_status)
        results_column.addWidget(self.results_view, 1)
        self.results_page = results

        self.empty_page = StatePage(
            self.tr("Your library is empty"),
            self.tr("Add a lecture source, or choose series to keep, and they will show up here."),
        )
        self.get_button = QPushButton(self.tr("Get lectures"))
        self.get_button.setDefault(True)
        self.get_button.clicked.connect(self.get_lectures_requested.emit)
        self.empty_page.layout().insertWidget(3, self.get_button, 0, Qt.AlignmentFlag.AlignHCenter)

        self.stack = QStackedWidget()
        for page in (self.scroll, self.results_page, self.empty_page):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.search_box)
        layout.addWidget(self.stack, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._reload)
        self._reload_speakers = False
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)

        session.library_changed.connect(partial(self.schedule_refresh, speakers=True))
        session.progress_changed.connect(self.schedule_refresh)
        session.profile_changed.connect(self._on_profile_changed)
        session.sync_event.connect(self._on_sync_event)
        self.series_model.page_loaded.connect(self._want_series)

    # -- reading the library ------------------------------------------------------------

    def refresh(self) -> None:
        """Read everything again (the library opened, or its contents or progress changed)."""
        self._refresh_timer.stop()
        self._load_rows()
        self.series_model.restart()

    def schedule_refresh(self, *, speakers: bool = False) -> None:
        """Re-read soon, once for a burst of changes (progress saves, finished downloads)."""
        self._reload_speakers = self._reload_speakers or speakers
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _reload(self) -> None:
        self._refresh_timer.stop()
        speakers, self._reload_speakers = self._reload_speakers, False
        self._load_rows()
        self.series_model.reload(speakers=speakers)

    def _load_rows(self) -> None:
        self._rows_generation += 1
        generation = self._rows_generation
        profile = self.session.profile_id
        self.session.executor.submit(
            lambda lib: home_queries.home_rows(lib, profile),
            partial(self._on_rows, generation),
            owner=self,
        )

    def _on_rows(self, generation: int, rows: HomeRows) -> None:
        # Answers arrive in the order asked. An older one is still worth showing while a
        # newer one waits behind other work, unless it was read for another profile.
        if generation <= self._rows_shown or self.session.profile_id not in (None, rows.profile_id):
            return
        self._rows_shown = generation
        self._rows_profile = rows.profile_id
        self.series_count = rows.series_count
        for view, model, cards in (
            (self.continue_view, self.continue_model, rows.continue_watching),
            (self.next_view, self.next_model, rows.next_up),
        ):
            # A changed list resets the row; keep where it was scrolled to.
            offset = view.horizontalScrollBar().value()
            model.set_items(cards)
            view.horizontalScrollBar().setValue(offset)
        self._set_rows_visible(continue_=bool(rows.continue_watching), next_=bool(rows.next_up))
        self.series_heading.setVisible(rows.series_count > 0)
        if rows.series_count == 0:
            self.search_box.hide()
            self.stack.setCurrentWidget(self.empty_page)
        else:
            self.search_box.show()
            if self.stack.currentWidget() is self.empty_page:
                self.stack.setCurrentWidget(
                    self.results_page if self.search_box.text().strip() else self.scroll
                )

    def _on_profile_changed(self, profile_id: int) -> None:
        # At start the window names the default profile, which the rows were read for.
        if profile_id != self._rows_profile:
            self._reload()

    def _set_rows_visible(self, *, continue_: bool, next_: bool) -> None:
        self.continue_heading.setVisible(continue_)
        self.continue_view.setVisible(continue_)
        self.next_heading.setVisible(next_)
        self.next_view.setVisible(next_)

    def _on_sync_event(self, name: str, _info: object) -> None:
        downloading = self.series_model.downloading
        if name in SYNC_ACTIVE:
            self.series_model.downloading = True
        elif name in SYNC_IDLE:
            self.series_model.downloading = False
        if name in ("file_done", "finished") or downloading != self.series_model.downloading:
            self.schedule_refresh()

    def _want_series(self) -> None:
        """Ask the grid's model for the rows down to one screen below what is shown."""
        bar = self.scroll.verticalScrollBar()
        seen_to = bar.value() + 2 * self.scroll.viewport().height() - self.grid.y()
        rows = max(1, math.ceil(seen_to / self.grid.card.height()))
        self.series_model.want(rows * self.grid.columns())

    def _show_current_series(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # The grid does not scroll itself; bring a card moved to by keyboard into view.
        if current.isValid():
            rect = self.grid.visualRect(current)
            centre = self.grid.mapTo(self.scroll.widget(), rect.center())
            self.scroll.ensureVisible(centre.x(), centre.y(), 0, rect.height() // 2 + 8)

    # -- opening ------------------------------------------------------------------------

    def _open_card(self, index: QModelIndex) -> None:
        card: LectureCard = index.data(ItemRole)
        if card is not None:
            self.lecture_requested.emit(card.pk, -1.0)

    def _open_hit(self, index: QModelIndex) -> None:
        hit: SearchHit = index.data(ItemRole)
        if hit is None:
            return
        start = hit.start if hit.kind == "subtitle" and hit.start is not None else -1.0
        self.lecture_requested.emit(hit.lecture_pk, float(start))

    # -- search -------------------------------------------------------------------------

    @property
    def _search_generation(self) -> int:
        return self._search_latest[0]

    @_search_generation.setter
    def _search_generation(self, value: int) -> None:
        self._search_latest[0] = value

    def _on_search_text(self, text: str) -> None:
        if not text.strip():
            self._search_timer.stop()
            self._search_generation += 1  # answers still on their way are stale now
            self.search_model.set_items([])
            self.results_status.clear()
            if self.stack.currentWidget() is self.results_page:
                self.stack.setCurrentWidget(self.scroll)
            return
        if self.stack.currentWidget() is self.scroll:
            self.stack.setCurrentWidget(self.results_page)
        self._search_timer.start()

    def _run_search(self) -> None:
        self._search_generation += 1
        generation = self._search_generation
        text = self.search_box.text()

        latest = self._search_latest

        def job(lib) -> list[SearchHit] | None:  # noqa: ANN001 - a Library, on its thread
            # A query typed over before it ran is skipped, so the queue never backs up.
            if generation != latest[0]:
                return None
            return search.search(lib, text)

        self.session.executor.submit(job, partial(self._on_hits, generation, text), owner=self)

    def _on_hits(self, generation: int, text: str, hits: list[SearchHit] | None) -> None:
        if generation != self._search_generation or hits is None:
            return
        self.search_model.set_items(hits)
        self.shown_query = text
        if hits:
            self.results_status.setText(self.tr("%n result(s)", "", len(hits)))
            self.results_view.scrollToTop()
        else:
            self.results_status.setText(self.tr("Nothing matches “%1”.").replace("%1", text.strip()))

    def is_populated(self) -> bool:
        """Whether the rows and the first series (or the empty state) are on screen."""
        if self._rows_shown == 0:
            return False
        return self.series_count == 0 or self.series_model.rowCount() > 0

    def _focus_first_card(self) -> bool:
        for view in (self.continue_view, self.next_view, self.grid):
            if view.isVisible() and view.model().rowCount():
                view.setFocus()
                view.setCurrentIndex(view.model().index(0, 0))
                return True
        return False

    def clear_search(self) -> None:
        self.search_box.clear()
        self.search_box.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.search_box:
            if key == Qt.Key.Key_Down and not self.search_box.text().strip():
                return self._focus_first_card()
            if key == Qt.Key.Key_Down and self.search_model.rowCount():
                self.results_view.setFocus()
                self.results_view.setCurrentIndex(self.search_model.index(0))
                return True
            if key in _OPEN_KEYS and self.search_model.rowCount():
                self._open_hit(self.search_model.index(0))
                return True
            if key == Qt.Key.Key_Escape and self.search_box.text():
                self.clear_search()
                return True
        elif watched is self.results_view:
            if key == Qt.Key.Key_Escape:
                self.clear_search()
                return True
            if key == Qt.Key.Key_Up and self.results_view.currentIndex().row() <= 0:
                self.search_box.setFocus()
                return True
        return super().eventFilter(watched, event)
