"""The library screen: every series beside the series page (the lectures of the chosen one)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player import textutil
from player.library import kept, lecture_states, progress_store, queries
from player.library.db import Library
from player.ui.models import (
    DOWNLOADING,
    DownloadRole,
    ItemRole,
    LectureModel,
    PagedTableModel,
    SeriesModel,
    WatchedRole,
)
from player.ui.session import Session
from player.ui.widgets import StatePage, mute, size_text, table_view

if TYPE_CHECKING:
    from player.sync.release import Released

Index = QModelIndex | QPersistentModelIndex
QItemSelectionModelFlags = QItemSelectionModel.SelectionFlag
ROW_HEIGHT = 44  # room for a 16:9 picture beside one line of text
_REFRESH_DELAY_MS = 150  # playback saves progress every few seconds; one reload per burst


class KeepSelection:
    """Give a view back its selected rows (by pk) and scroll position when its model resets."""

    def __init__(self, view: QTableView, model: PagedTableModel) -> None:
        self.view = view
        self.model = model
        self._pks: list[int] = []
        self._current: int | None = None
        self._scroll = 0
        model.modelAboutToBeReset.connect(self._save)
        model.modelReset.connect(self._restore)

    def _save(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        self._pks = [self.model.item(i.row()).pk for i in rows]
        current = self.view.currentIndex()
        self._current = self.model.item(current.row()).pk if current.isValid() else None
        self._scroll = self.view.verticalScrollBar().value()

    def _restore(self) -> None:
        wanted = set(self._pks)
        if not wanted or not self.model.rowCount():
            return
        selection = QItemSelection()
        current = None
        for n in range(self.model.rowCount()):
            pk = self.model.item(n).pk
            if pk in wanted:
                selection.select(self.model.index(n, 0), self.model.index(n, self.model.columnCount() - 1))
            if pk == self._current:
                current = self.model.index(n, 0)
        selections = self.view.selectionModel()
        flags = QItemSelectionModelFlags.ClearAndSelect | QItemSelectionModelFlags.Rows
        if current is not None:
            selections.setCurrentIndex(current, QItemSelectionModelFlags.NoUpdate)
        selections.select(selection, flags)
        scroll = self._scroll
        # The scroll range grows only once the view has laid the rows out.
        QTimer.singleShot(0, self.view, lambda: self.view.verticalScrollBar().setValue(scroll))


class SeriesPane(QWidget):
    series_selected = Signal(object)  # a SeriesSummary, or None

    def __init__(self, model: SeriesModel) -> None:
        super().__init__()
        self.model = model
        self.view = table_view(model, SeriesModel.TITLE)
        for column, width in ((SeriesModel.LECTURES, 60), (SeriesModel.SIZE, 80), (SeriesModel.OFFLINE, 150)):
            self.view.setColumnWidth(column, width)
        self.keep_selection = KeepSelection(self.view, model)
        self._chose_first = False
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        model.page_loaded.connect(self._select_first)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def _select_first(self) -> None:
        # Once, when the list first arrives: later reloads keep what the user chose (or
        # the series another screen asked for, which may have no row selected).
        if self._chose_first:
            return
        if self.model.rowCount() and not self.view.selectionModel().hasSelection():
            self._chose_first = True
            self.view.selectRow(0)

    def select_series(self, series_pk: int) -> bool:
        """Select the series' row if the list has loaded it; False if not."""
        for n in range(self.model.rowCount()):
            if self.model.item(n).pk == series_pk:
                self._chose_first = True
                self.view.selectRow(n)
                self.view.scrollTo(self.model.index(n, 0))
                return True
        return False

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows:
            self.series_selected.emit(rows[0].data(ItemRole))
        elif not self.view.selectionModel().hasSelection():
            self.series_selected.emit(None)


def _accent(option: QStyleOptionViewItem) -> QColor:
    """The tick's and bars' colour: the highlight, except on a row drawn in it."""
    if option.state & QStyle.StateFlag.State_Selected:
        return option.palette.color(QPalette.ColorRole.HighlightedText)
    return option.palette.color(QPalette.ColorRole.Highlight)


class LectureDelegate(QStyledItemDelegate):
    """Paints a lecture row's picture, its watched tick or progress bar, and a download bar."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        column = index.column()
        if column not in (LectureModel.THUMB, LectureModel.WATCHED, LectureModel.DOWNLOAD):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        state = None
        if column == LectureModel.DOWNLOAD:
            state, fraction = index.data(DownloadRole) or (None, 0.0)
            if state != DOWNLOADING:
                super().paint(painter, option, index)
                return
        # The row's background and selection, without its text or icon.
        opt.text = ""
        opt.icon = QIcon()
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDecoration
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, 3, -4, -3)
        if column == LectureModel.THUMB:
            self._paint_picture(painter, rect, index.data(Qt.ItemDataRole.DecorationRole), option)
        elif column == LectureModel.WATCHED:
            self._paint_watched(painter, rect, float(index.data(WatchedRole) or 0.0), option)
        else:
            self._paint_bar(painter, rect, fraction, option, index.data())
        painter.restore()

    def _paint_picture(self, painter: QPainter, rect: QRect, pixmap, option: QStyleOptionViewItem) -> None:
        # 16:9, as tall as the row allows.
        height = min(rect.height(), rect.width() * 9 // 16)
        width = height * 16 // 9
        frame = QRect(0, 0, width, height)
        frame.moveCenter(rect.center())
        if pixmap is None or pixmap.isNull():
            color = QColor(option.palette.color(QPalette.ColorRole.PlaceholderText))
            color.setAlpha(60)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(QRectF(frame), 3, 3)
            return
        scaled = pixmap.size().scaled(frame.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(QPoint(0, 0), scaled)
        target.moveCenter(frame.center())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(target, pixmap)

    def _paint_watched(
        self, painter: QPainter, rect: QRect, fraction: float, option: QStyleOptionViewItem
    ) -> None:
        if fraction >= 1.0:
            side = min(rect.height(), 14)
            box = QRect(0, 0, side, side)
            box.moveCenter(QPoint(rect.left() + side // 2 + 2, rect.center().y()))
            pen = QPen(_accent(option), 2.2)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            left, top, w, h = box.left(), box.top(), box.width(), box.height()
            painter.drawPolyline(
                [
                    QPoint(left, top + h // 2),
                    QPoint(left + w * 2 // 5, top + h - 2),
                    QPoint(left + w, top + 1),
                ]
            )
            return
        if fraction > 0:
            bar = QRect(rect.left(), rect.center().y() - 2, rect.width(), 5)
            self._draw_bar(painter, bar, fraction, option)

    def _paint_bar(
        self, painter: QPainter, rect: QRect, fraction: float, option: QStyleOptionViewItem, text: str
    ) -> None:
        metrics = option.fontMetrics
        text_rect = QRect(rect.left(), rect.top(), rect.width(), rect.height() - 6)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(option.palette.color(role))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        bar = QRect(rect.left(), text_rect.center().y() + metrics.height() // 2 + 2, rect.width(), 4)
        self._draw_bar(painter, bar, fraction, option)

    @staticmethod
    def _draw_bar(painter: QPainter, bar: QRect, fraction: float, option: QStyleOptionViewItem) -> None:
        track = QColor(option.palette.color(QPalette.ColorRole.PlaceholderText))
        track.setAlpha(70)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(QRectF(bar), 2, 2)
        filled = QRectF(bar)
        filled.setWidth(max(2.0, bar.width() * min(1.0, fraction)))
        painter.setBrush(_accent(option))
        painter.drawRoundedRect(filled, 2, 2)


class LecturePane(QWidget):
    """The series page: the chosen series' title, a summary, actions, and its lectures."""

    lecture_activated = Signal(int)  # the lecture's pk
    removed = Signal(object)  # the Released of a "remove from this computer"

    def __init__(self, model: LectureModel, session: Session | None = None) -> None:
        super().__init__()
        self.model = model
        self.session = session
        self.series: queries.SeriesSummary | None = None
        self.confirm_box: QMessageBox | None = None
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
        self.message = QLabel()
        self.message.setWordWrap(True)
        mute(self.message)
        self.message.hide()

        self.view = table_view(model, LectureModel.TITLE)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.view.setItemDelegate(LectureDelegate(self.view))
        for column, width in (
            (LectureModel.NUMBER, 36),
            (LectureModel.THUMB, 76),
            (LectureModel.SPEAKERS, 120),
            (LectureModel.DURATION, 64),
            (LectureModel.WATCHED, 72),
            (LectureModel.DOWNLOAD, 180),
        ):
            self.view.setColumnWidth(column, width)
        self.keep_selection = KeepSelection(self.view, model)
        # Double-click or Enter, whichever the platform uses to open an item.
        self.view.activated.connect(lambda index: self.lecture_activated.emit(index.data(ItemRole).pk))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.play_action = self._action(self.tr("Play"), self.play_selected)
        self.watched_action = self._action(self.tr("Mark watched"), lambda: self.mark_selected(True), "W")
        self.unwatched_action = self._action(
            self.tr("Mark unwatched"), lambda: self.mark_selected(False), "Shift+W"
        )
        self.keep_action = self._action(self.tr("Keep offline"), self.keep_offline)
        self.remove_action = self._action(self.tr("Remove from this computer"), self.remove_from_computer)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for action in (self.play_action, self.watched_action, self.unwatched_action):
            buttons.addWidget(self._button(action))
        buttons.addStretch(1)
        self.keep_button = self._button(self.keep_action)
        self.remove_button = self._button(self.remove_action)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.remove_button)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        model.modelReset.connect(self._update_actions)

        details = QWidget()
        column = QVBoxLayout(details)
        column.setContentsMargins(4, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.summary)
        column.addWidget(self.description)
        column.addSpacing(4)
        column.addLayout(buttons)
        column.addWidget(self.message)
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
        self._update_actions()

    def _action(self, text: str, slot, key: str | None = None) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if key:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(
                f"{text} ({QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)})"
            )
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setAutoRaise(False)
        return button

    # -- what is shown ------------------------------------------------------------------

    def show_series(self, series: queries.SeriesSummary | None) -> None:
        same = series is not None and self.series is not None and series.pk == self.series.pk
        self.series = series
        if not same:
            self.message.hide()
            self.model.set_series(series.pk if series else None)
        if series is None:
            self.stack.setCurrentWidget(self.placeholder)
            self._update_actions()
            return
        self.title.setText(textutil.pick(series.title))
        parts = [
            self.tr("%n lecture(s)", "", series.lecture_count),
            size_text(series.total_size),
        ]
        if series.kept and series.present_size >= series.total_size:
            parts.append(self.tr("Kept offline"))
        elif series.kept:
            parts.append(
                self.tr("Kept offline, %1 of %2 downloaded")
                .replace("%1", size_text(series.present_size))
                .replace("%2", size_text(series.total_size))
            )
        else:
            parts.append(self.tr("Online only"))
        self.summary.setText(" · ".join(parts))
        description = textutil.pick(series.description)
        self.description.setText(description)
        self.description.setVisible(bool(description))
        self.stack.setCurrentIndex(1)
        self._update_actions()

    def selected_rows(self) -> list[lecture_states.LectureState]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        return [self.model.item(r) for r in rows if r < self.model.rowCount()]

    def _update_actions(self) -> None:
        has_rows = bool(self.selected_rows())
        series = self.series
        can_write = self.session is not None
        self.play_action.setEnabled(len(self.selected_rows()) == 1)
        self.watched_action.setEnabled(has_rows and can_write)
        self.unwatched_action.setEnabled(has_rows and can_write)
        self.keep_action.setVisible(series is None or not series.kept)
        self.keep_action.setEnabled(can_write and series is not None and not series.kept)
        # A kept series with nothing stored yet can still be removed: that stops its download.
        removable = series is not None and (series.kept or series.present_size > 0)
        self.remove_action.setEnabled(can_write and removable)
        self.remove_action.setVisible(removable)
        if series is not None:
            self.keep_action.setToolTip(
                self.tr("Download %1 and keep this series on this computer").replace(
                    "%1", size_text(max(0, series.total_size - series.present_size))
                )
            )
            self.remove_action.setToolTip(
                self.tr("Stop keeping this series and delete its %1 of files from this computer").replace(
                    "%1", size_text(series.present_size)
                )
            )
        # A tool button stays when its action hides (only tool bars follow the action).
        self.keep_button.setVisible(self.keep_action.isVisible())
        self.remove_button.setVisible(self.remove_action.isVisible())

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.play_action)
        menu.addSeparator()
        menu.addAction(self.watched_action)
        menu.addAction(self.unwatched_action)
        menu.addSeparator()
        if self.keep_action.isVisible():
            menu.addAction(self.keep_action)
        if self.remove_action.isVisible():
            menu.addAction(self.remove_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- actions ------------------------------------------------------------------------

    def play_selected(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.lecture_activated.emit(rows[0].pk)

    def mark_selected(self, watched: bool) -> None:
        rows = self.selected_rows()
        if not rows or self.session is None:
            return
        session = self.session
        profile_id = session.profile_id
        by_source: dict[str, list[str]] = {}
        for row in rows:
            by_source.setdefault(row.lecture.source_id, []).append(row.lecture.id)

        def job(lib: Library) -> None:
            profile = profile_id if profile_id is not None else progress_store.default_profile_id(lib)
            for source_id, ids in by_source.items():
                progress_store.mark_watched(lib, profile, source_id, ids, watched=watched)

        session.executor.submit(job, lambda _none: session.progress_changed.emit(), self._failed, owner=self)

    def keep_offline(self) -> None:
        series = self.series
        if series is None or self.session is None:
            return
        size = size_text(max(0, series.total_size - series.present_size))
        self._confirm(
            self.tr("Keep offline"),
            self.tr("Keep “%1” on this computer? About %2 will be downloaded.")
            .replace("%1", textutil.pick(series.title))
            .replace("%2", size),
            self.tr("Keep offline"),
            partial(self._keep, series),
        )

    def _keep(self, series: queries.SeriesSummary) -> None:
        session = self.session
        assert session is not None

        def kept_now(_none: None) -> None:
            self.show_message(self.tr("Kept offline. Its lectures are being downloaded."))
            session.sync_requested.emit([series.pk])
            session.library_changed.emit()

        session.executor.submit(
            lambda lib: kept.keep_series(lib, series.source_id, series.id), kept_now, self._failed, owner=self
        )

    def remove_from_computer(self) -> None:
        series = self.series
        if series is None or self.session is None:
            return
        self.session.executor.submit(
            lambda lib: kept.bytes_freed_by_removing(lib, series.source_id, series.id),
            partial(self._confirm_remove, series),
            self._failed,
            owner=self,
        )

    def _confirm_remove(self, series: queries.SeriesSummary, freed: tuple[int, int]) -> None:
        if self.series is None or self.series.pk != series.pk:
            return  # another series was chosen meanwhile
        _files, size = freed
        self._confirm(
            self.tr("Remove from this computer"),
            self.tr(
                "Remove the lectures of “%1” from this computer? This frees %2. "
                "Files that other kept series use stay, and so does your progress."
            )
            .replace("%1", textutil.pick(series.title))
            .replace("%2", size_text(size)),
            self.tr("Remove"),
            partial(self._remove, series),
        )

    def _remove(self, series: queries.SeriesSummary) -> None:
        session = self.session
        assert session is not None

        def done(released: Released) -> None:
            self.show_message(
                self.tr("Removed from this computer; %1 freed.").replace(
                    "%1", size_text(released.bytes_freed)
                )
            )
            self.removed.emit(released)
            session.library_changed.emit()

        session.executor.submit(
            lambda lib: _release(lib, series.source_id, series.id),
            done,
            self._failed,
            owner=self,
        )

    def _confirm(self, title: str, text: str, yes: str, then) -> None:
        # Window-modal and not exec(): the event loop (and any download in flight) keeps running.
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, self)
        accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(_result: int) -> None:
            self.confirm_box = None
            if box.clickedButton() is accept:
                then()

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()

    def _failed(self, exc: BaseException) -> None:
        self.show_message(str(exc))


class LibraryPage(QSplitter):
    """The series list and the series page side by side."""

    lecture_requested = Signal(int, float)  # lecture pk, start (seconds; negative: resume)

    def __init__(self, session: Session) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.session = session
        self.series_model = SeriesModel(session.executor, self)
        self.lecture_model = LectureModel(session.executor, self, thumbnails=session.thumbnails)
        self.lecture_model.set_profile(session.profile_id)
        self.series_pane = SeriesPane(self.series_model)
        self.lecture_pane = LecturePane(self.lecture_model, session)
        self.series_pane.series_selected.connect(self.lecture_pane.show_series)
        self.lecture_pane.lecture_activated.connect(lambda pk: self.lecture_requested.emit(pk, -1.0))
        self.setChildrenCollapsible(False)
        self.addWidget(self.series_pane)
        self.addWidget(self.lecture_pane)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 2)
        self.setSizes([460, 720])
        self.setContentsMargins(8, 8, 8, 0)

        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(_REFRESH_DELAY_MS)
        self._progress_timer.timeout.connect(self.lecture_model.reload)
        session.library_changed.connect(self.refresh)
        session.progress_changed.connect(self._progress_timer.start)
        session.profile_changed.connect(self._on_profile)
        session.sync_event.connect(self._on_sync_event)

    def refresh(self) -> None:
        """Read everything shown again, keeping the selection and scroll positions."""
        self.session.thumbnails.forget_missing()
        self.series_model.reload()
        shown = self.lecture_pane.series
        if shown is not None:
            self.session.executor.submit(
                partial(queries.get_series, pk=shown.pk), self._update_shown, owner=self
            )
            self.lecture_model.reload()

    def _on_profile(self, profile_id: int) -> None:
        self.lecture_model.set_profile(profile_id)
        self.lecture_model.reload()

    def _on_sync_event(self, name: str, info: object) -> None:
        self.lecture_model.apply_sync_event(name, info)
        if name == "finished":
            self.refresh()

    def show_series(self, series_pk: int) -> None:
        """Show one series, whether or not the list has loaded its row yet."""
        if self.series_pane.select_series(series_pk):
            return
        self.series_pane.view.clearSelection()
        self.session.executor.submit(partial(queries.get_series, pk=series_pk), self._show_found, owner=self)

    def _update_shown(self, series: queries.SeriesSummary | None) -> None:
        shown = self.lecture_pane.series
        if series is not None and shown is not None and series.pk == shown.pk:
            self.lecture_pane.show_series(series)

    def _show_found(self, series: queries.SeriesSummary | None) -> None:
        if series is not None:
            self.lecture_pane.show_series(series)

    def focus_lectures(self) -> None:
        self.lecture_pane.view.setFocus()


def _release(lib: Library, source_id: str, series_id: str) -> Released:
    # Imported here: the sync machinery behind it is not needed to start the app.
    from player.sync.release import release_series

    return release_series(lib, source_id, series_id, delete_files=True)
