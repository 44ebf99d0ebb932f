"""The models behind the home screen: rows of lecture cards, the series grid, search hits.

Models hold plain dataclasses from `player.library.home_queries` and `search`; the
delegates in `home_delegates` paint them. Re-reading keeps rows in place when the same
items come back (a progress save changes a bar, not the list), so views neither
flicker nor lose their scroll position.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from player import textutil
from player.library import home_queries
from player.library.home_queries import SeriesCard, Speakers
from player.ui.models import ItemRole
from player.ui.session import Session
from player.ui.thumbs import LECTURE, SERIES

SpeakersRole = ItemRole + 1  # a SeriesCard's Speakers, once they are read (else None)
SERIES_PAGE = 40
Index = QModelIndex | QPersistentModelIndex


def _same_keys(old: Sequence[Any], new: Sequence[Any], key: Callable[[Any], int]) -> bool:
    return len(old) == len(new) and all(key(a) == key(b) for a, b in zip(old, new, strict=True))


class CardListModel(QAbstractListModel):
    """A short list, replaced whole: a row of lecture cards, or search hits."""

    def __init__(
        self,
        session: Session,
        key: Callable[[Any], int],
        title: Callable[[Any], Any],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._items: list[Any] = []
        self._key = key  # the lecture pk whose picture the row shows
        self._title = title
        session.thumbnails.ready.connect(self._on_picture)

    def set_items(self, items: Sequence[Any]) -> None:
        items = list(items)
        if _same_keys(self._items, items, self._key):
            if items != self._items:
                self._items = items
                self.dataChanged.emit(self.index(0), self.index(len(items) - 1))
            return
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def item(self, row: int) -> Any:
        return self._items[row]

    def items(self) -> list[Any]:
        return list(self._items)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._items):
            return None
        item = self._items[index.row()]
        if role == ItemRole:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return textutil.pick(self._title(item))
        if role == Qt.ItemDataRole.ToolTipRole:
            series = getattr(item, "series_title", None)
            return "\n".join(t for t in (textutil.pick(self._title(item)), textutil.pick(series)) if t)
        return None

    def _on_picture(self, kind: str, pk: int) -> None:
        if kind != LECTURE:
            return
        for row, item in enumerate(self._items):
            if self._key(item) == pk:
                self.dataChanged.emit(self.index(row), self.index(row))


class SeriesGridModel(QAbstractListModel):
    """Every series, fetched a page at a time as the grid scrolls toward its end.

    The view says how many rows it needs (`want`); `canFetchMore` is true while fewer
    are loaded. Speakers follow each page in a second query, since they take longer.
    """

    page_loaded = Signal()
    failed = Signal(str)

    def __init__(
        self, session: Session, parent: QObject | None = None, *, page_size: int = SERIES_PAGE
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._page_size = page_size
        self._rows: list[SeriesCard] = []
        self._row_of: dict[int, int] = {}
        self._speakers: dict[int, Speakers] = {}
        self._generation = 0
        self._pending = False
        self._exhausted = True  # nothing to fetch until `restart`
        self._wanted = page_size
        self.downloading = False  # a sync is running: partly stored series are downloading
        session.thumbnails.ready.connect(self._on_picture)

    # -- what the page asks ---------------------------------------------------------------

    def restart(self) -> None:
        """Forget every row and read the first page again."""
        self.beginResetModel()
        self._set_rows([])
        self._speakers = {}
        self._generation += 1
        self._pending = False
        self._exhausted = False
        self._wanted = self._page_size
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def want(self, rows: int) -> None:
        """The view shows (or is about to show) this many rows: fetch until they are loaded."""
        self._wanted = max(self._wanted, rows)
        self.fetchMore(QModelIndex())

    def reload(self, *, speakers: bool = False) -> None:
        """Read the loaded rows again and update them in place (progress, sizes, kept);
        the list is replaced only if the series themselves changed."""
        if self._exhausted and not self._rows and not self._pending:
            self.restart()
            return
        generation = self._generation
        count = max(len(self._rows), self._page_size)
        profile = self._session.profile_id
        self._session.executor.submit(
            lambda lib: home_queries.series_page(lib, profile, offset=0, limit=count),
            partial(self._on_reload, generation, count, speakers),
            partial(self._on_error, generation),
            owner=self,
        )

    @property
    def loading(self) -> bool:
        return self._pending

    def card(self, row: int) -> SeriesCard:
        return self._rows[row]

    def row_of(self, series_pk: int) -> int | None:
        return self._row_of.get(series_pk)

    # -- Qt's side ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: Index) -> bool:
        return (
            not parent.isValid()
            and not self._exhausted
            and not self._pending
            and len(self._rows) < self._wanted
        )

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        self._pending = True
        generation = self._generation
        offset = len(self._rows)
        limit = self._page_size
        profile = self._session.profile_id
        self._session.executor.submit(
            lambda lib: home_queries.series_page(lib, profile, offset=offset, limit=limit),
            partial(self._on_page, generation),
            partial(self._on_error, generation),
            owner=self,
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        card = self._rows[index.row()]
        if role == ItemRole:
            return card
        if role == SpeakersRole:
            return self._speakers.get(card.pk)
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return textutil.pick(card.title)
        return None

    # -- answers --------------------------------------------------------------------------

    def _set_rows(self, rows: list[SeriesCard]) -> None:
        self._rows = rows
        self._row_of = {card.pk: n for n, card in enumerate(rows)}

    def _on_page(self, generation: int, cards: list[SeriesCard]) -> None:
        if generation != self._generation:
            return
        self._pending = False
        if len(cards) < self._page_size:
            self._exhausted = True
        if cards:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(cards) - 1)
            self._set_rows(self._rows + cards)
            self.endInsertRows()
            self._fetch_speakers([card.pk for card in cards])
        self.page_loaded.emit()
        self.fetchMore(QModelIndex())  # the view may want more than one page

    def _on_reload(self, generation: int, asked: int, speakers: bool, cards: list[SeriesCard]) -> None:
        if generation != self._generation:
            return
        loaded = len(self._rows)
        if not _same_keys(self._rows, cards[:loaded], lambda c: c.pk):
            # Series came or went: start again from these rows.
            self.beginResetModel()
            self._generation += 1
            self._pending = False
            self._set_rows(cards)
            self._exhausted = len(cards) < asked
            self.endResetModel()
            self.page_loaded.emit()
            if cards:
                self._fetch_speakers([card.pk for card in cards])
            return
        changed = [n for n, (a, b) in enumerate(zip(self._rows, cards[:loaded], strict=True)) if a != b]
        self._set_rows(cards[:loaded])
        if changed:
            self.dataChanged.emit(self.index(changed[0]), self.index(changed[-1]))
        self._exhausted = len(cards) < asked
        if len(cards) > loaded:
            self.beginInsertRows(QModelIndex(), loaded, len(cards) - 1)
            self._set_rows(cards)
            self.endInsertRows()
            self.page_loaded.emit()
        fresh = [card.pk for card in cards[loaded:]]
        if speakers:
            # Speakers change only when a catalog does; re-reading them for hundreds of
            # loaded series would hold up the library thread, so the first page will do.
            fresh = [card.pk for card in cards[: self._page_size]] + fresh
        if fresh:
            self._fetch_speakers(fresh)

    def _fetch_speakers(self, pks: list[int]) -> None:
        generation = self._generation
        self._session.executor.submit(
            lambda lib: home_queries.series_speakers(lib, pks),
            partial(self._on_speakers, generation),
            owner=self,
        )

    def _on_speakers(self, generation: int, found: dict[int, Speakers]) -> None:
        if generation != self._generation:
            return
        changed = [
            self._row_of[pk] for pk, s in found.items() if pk in self._row_of and self._speakers.get(pk) != s
        ]
        self._speakers.update(found)
        if changed:
            self.dataChanged.emit(self.index(min(changed)), self.index(max(changed)))

    def _on_error(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._pending = False
        self._exhausted = True  # retrying the same query on every scroll would only fail again
        self.failed.emit(str(exc))

    def _on_picture(self, kind: str, pk: int) -> None:
        row = self._row_of.get(pk) if kind == SERIES else None
        if row is not None:
            self.dataChanged.emit(self.index(row), self.index(row))
