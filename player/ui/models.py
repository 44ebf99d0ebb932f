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
from player.library import lecture_states, progress_store, queries
from player.library.db import Library
from player.ui.tasks import LibraryExecutor
from player.ui.thumbs import LECTURE as LECTURE_PICTURE
from player.ui.thumbs import Thumbnails
from player.ui.widgets import size_text

PAGE_SIZE = 100
ItemRole = Qt.ItemDataRole.UserRole + 1  # the row's dataclass
WatchedRole = Qt.ItemDataRole.UserRole + 2  # a lecture's fraction watched, 0..1 (1: watched)
DownloadRole = Qt.ItemDataRole.UserRole + 3  # a lecture's (download state, fraction stored)
DOWNLOADING = "downloading"  # a download state only a running sync knows
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
        self._rows_changed()
        self.fetchMore(QModelIndex())

    def reload(self) -> None:
        """Fetch the rows shown again, keeping them in place where they are the same rows.

        Rows whose keys (`_key`) are unchanged are updated in place, so the view keeps its
        selection and scroll position; a changed list of rows resets the model.
        """
        if not self._rows:
            self.restart()
            return
        if not self._has_source():
            self.restart()
            return
        self._generation += 1
        self._pending = True
        generation = self._generation
        count = len(self._rows)
        self._executor.submit(
            self._page_query(0, max(count, self._page_size)),
            partial(self._on_reload, generation, count),
            partial(self._on_error, generation),
            owner=self,
        )

    def _key(self, row: Any) -> Any:
        return row.pk

    def _on_reload(self, generation: int, count: int, rows: list) -> None:
        if generation != self._generation:
            return
        self._pending = False
        self._exhausted = len(rows) < max(count, self._page_size)
        if [self._key(r) for r in rows[:count]] == [self._key(r) for r in self._rows] and len(rows) >= count:
            self._rows[:count] = rows[:count]
            if count:
                last = self.index(count - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            if len(rows) > count:
                self.beginInsertRows(QModelIndex(), count, len(rows) - 1)
                self._rows.extend(rows[count:])
                self.endInsertRows()
        else:
            self.beginResetModel()
            self._rows = list(rows)
            self.endResetModel()
        self._rows_changed()
        self.page_loaded.emit()

    def _rows_changed(self) -> None:
        """After rows arrive or change: subclasses index them."""

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
        self._rows_changed()
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
            return size_text(series.total_size)
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
            return (
                self.tr("%1 of %2 stored on this computer")
                .replace("%1", size_text(series.present_size))
                .replace("%2", size_text(series.total_size))
            )
        return None


class LectureModel(PagedTableModel):
    """The lectures of one series, in catalog order, with their files and watching progress.

    Every row of a page comes from one query (`lecture_states.list_lecture_states`).
    Downloads in flight are shown live from the sync engine's events (`apply_sync_event`),
    between those queries.
    """

    NUMBER, THUMB, TITLE, SPEAKERS, DURATION, WATCHED, DOWNLOAD = range(7)
    RIGHT_ALIGNED = frozenset({NUMBER, DURATION})

    def __init__(
        self,
        executor: LibraryExecutor,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
        thumbnails: Thumbnails | None = None,
    ) -> None:
        super().__init__(executor, parent, page_size=page_size)
        self._series_pk: int | None = None
        self._profile_id: int | None = None
        self._thumbnails = thumbnails
        self._row_of_pk: dict[int, int] = {}
        self._rows_of_sha: dict[str, list[int]] = {}
        # What the running sync has said since the rows were read: bytes of files in
        # flight, and files finished or failed.
        self._live_bytes: dict[str, int] = {}
        self._live_done: set[str] = set()
        self._live_failed: set[str] = set()
        self._forget_live_on_reload = False
        if thumbnails is not None:
            thumbnails.ready.connect(self._on_picture)

    @property
    def series_pk(self) -> int | None:
        return self._series_pk

    def set_series(self, series_pk: int | None) -> None:
        self._series_pk = series_pk
        self.restart()

    def set_profile(self, profile_id: int | None) -> None:
        """Whose progress to show (None: the library's default profile)."""
        self._profile_id = profile_id

    def _has_source(self) -> bool:
        return self._series_pk is not None

    def _page_query(self, offset: int, limit: int) -> Callable[[Library], list]:
        series_pk = self._series_pk
        profile_id = self._profile_id
        assert series_pk is not None

        def query(lib: Library) -> list:
            profile = profile_id if profile_id is not None else progress_store.default_profile_id(lib)
            return lecture_states.list_lecture_states(lib, series_pk, profile, offset=offset, limit=limit)

        return query

    def _rows_changed(self) -> None:
        if self._forget_live_on_reload:
            self._forget_live_on_reload = False
            self._live_bytes.clear()
            self._live_done.clear()
            self._live_failed.clear()
        self._row_of_pk = {row.pk: n for n, row in enumerate(self._rows)}
        self._rows_of_sha = {}
        for n, row in enumerate(self._rows):
            for f in row.pending:
                self._rows_of_sha.setdefault(f.sha256, []).append(n)

    def row_of(self, lecture_pk: int) -> int | None:
        return self._row_of_pk.get(lecture_pk)

    # -- live downloads -----------------------------------------------------------------

    def apply_sync_event(self, name: str, info: object) -> None:
        """Show a sync engine event (see player.sync.engine) in the rows it concerns."""
        if not isinstance(info, dict):
            return
        touched: set[str] = set()
        if name == "file_started" and info.get("sha256") in self._rows_of_sha:
            self._live_bytes[info["sha256"]] = int(info.get("have") or 0)
            self._live_failed.discard(info["sha256"])
            touched.add(info["sha256"])
        elif name == "bytes":
            for f in info.get("files") or ():
                sha = f.get("sha256")
                if sha in self._rows_of_sha:
                    self._live_bytes[sha] = int(f.get("done") or 0)
                    touched.add(sha)
        elif name == "file_done":
            self._live_bytes.pop(info["sha256"], None)
            self._live_done.add(info["sha256"])
            touched.add(info["sha256"])
        elif name == "file_failed":
            self._live_bytes.pop(info["sha256"], None)
            self._live_failed.add(info["sha256"])
            touched.add(info["sha256"])
        elif name == "finished":
            # The library now says where every file stands; the next reload shows it.
            self._forget_live_on_reload = True
        rows = sorted({n for sha in touched for n in self._rows_of_sha.get(sha, ())})
        for n in rows:
            index = self.index(n, self.DOWNLOAD)
            self.dataChanged.emit(index, index)

    def download_state(self, row: lecture_states.LectureState) -> tuple[str, float]:
        """(PRESENT, QUEUED, DOWNLOADING, FAILED or ABSENT; the fraction stored, 0..1)."""
        if not row.pending:
            return lecture_states.PRESENT, 1.0
        done = row.present_size
        live = False
        failed = False
        left = 0
        for f in row.pending:
            if f.sha256 in self._live_done:
                done += f.size
                live = True
            elif f.sha256 in self._live_bytes:
                done += min(self._live_bytes[f.sha256], f.size)
                live = True
                left += 1
            else:
                failed = failed or f.sha256 in self._live_failed
                left += 1
        fraction = min(1.0, done / row.size) if row.size else 0.0
        if live and not left:
            return lecture_states.PRESENT, 1.0
        if live and any(f.sha256 in self._live_bytes for f in row.pending):
            return DOWNLOADING, fraction
        if failed:
            return lecture_states.FAILED, fraction
        state = row.download
        if live and state == lecture_states.ABSENT:
            state = lecture_states.QUEUED
        return state, fraction

    # -- pictures -----------------------------------------------------------------------

    def _on_picture(self, kind: str, pk: int) -> None:
        if kind != LECTURE_PICTURE:
            return
        n = self._row_of_pk.get(pk)
        if n is not None:
            index = self.index(n, self.THUMB)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    # -- showing ------------------------------------------------------------------------

    def _headers(self) -> tuple[str, ...]:
        return (
            "#",
            "",
            self.tr("Title"),
            self.tr("Speakers"),
            self.tr("Duration"),
            self.tr("Watched"),
            self.tr("On this computer"),
        )

    def _tooltip(self, row: lecture_states.LectureState, column: int) -> str | None:
        lecture = row.lecture
        if lecture.withdrawn:
            return self.tr("Withdrawn from its catalog")
        if column == self.TITLE:
            return textutil.pick(lecture.description) or None
        if column == self.WATCHED:
            return self._watched_text(row) or None
        if column == self.DOWNLOAD:
            return self._download_text(row)
        return None

    def _style(self, row: lecture_states.LectureState, column: int, role: int) -> Any:
        if role == WatchedRole:
            return row.fraction_watched
        if role == DownloadRole:
            return self.download_state(row)
        if role == Qt.ItemDataRole.DecorationRole and column == self.THUMB and self._thumbnails is not None:
            return self._thumbnails.lecture(row.pk)
        withdrawn = row.lecture.withdrawn
        if role == Qt.ItemDataRole.ForegroundRole and (
            withdrawn or (column == self.DOWNLOAD and self.download_state(row)[0] == lecture_states.ABSENT)
        ):
            return _muted()
        if withdrawn and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _watched_text(self, row: lecture_states.LectureState) -> str:
        if row.watched:
            return self.tr("Watched")
        fraction = row.fraction_watched
        if fraction > 0:
            return self.tr("%1% watched").replace("%1", QLocale().toString(max(1, int(fraction * 100))))
        return ""

    def _download_text(self, row: lecture_states.LectureState) -> str:
        locale = QLocale()
        state, fraction = self.download_state(row)
        size = size_text(row.size)
        if state == lecture_states.PRESENT:
            return self.tr("Downloaded")
        if state == DOWNLOADING:
            return self.tr("Downloading %1%").replace("%1", locale.toString(int(fraction * 100)))
        if state == lecture_states.QUEUED:
            return self.tr("Queued, %1").replace("%1", size)
        if state == lecture_states.FAILED:
            return self.tr("Download failed, %1").replace("%1", size)
        return self.tr("Not downloaded, %1").replace("%1", size)

    def _display(self, row: lecture_states.LectureState, column: int) -> str:
        lecture = row.lecture
        if column == self.NUMBER:
            return str(lecture.position + 1)
        if column == self.THUMB:
            return ""
        if column == self.TITLE:
            return textutil.pick(lecture.title)
        if column == self.SPEAKERS:
            names = [textutil.pick(s.get("name")) for s in lecture.speakers if isinstance(s, dict)]
            return QLocale().createSeparatedList([n for n in names if n])
        if column == self.DURATION:
            return format_duration(lecture.duration)
        if column == self.WATCHED:
            return self._watched_text(row)
        return self._download_text(row)


def format_duration(seconds: float) -> str:
    """1:02:03 or 4:05, as video players show it."""
    total = max(0, round(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
