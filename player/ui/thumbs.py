"""Small pictures of lectures and series for the lists, made off the GUI thread, cached.

Ask with `lecture(pk)` or `series(pk)`: a cached picture comes back at once; otherwise
None, and `ready` is emitted once the picture exists (never, if none can be made, in
which case views draw their placeholder).

The requests of one pass of the event loop go to the library thread as one job, which
says which file holds each picture. Worker threads then decode (or take a video frame,
cached on disk by `player.library.pictures`) and scale them as QImages; only the GUI
thread turns them into QPixmaps, kept in a small LRU.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from functools import partial

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap

from player.library import pictures
from player.library.paths import LibraryPaths
from player.ui.tasks import LibraryExecutor, run_task

log = logging.getLogger(__name__)

LECTURE = "lecture"
SERIES = "series"
PICTURE_SIZE = QSize(256, 144)  # the largest any list draws them; they are scaled down to fit


def load_picture(paths: LibraryPaths, source: pictures.PictureSource, size: QSize) -> QImage | None:
    """Decode (or first take from the video) the picture, scaled to fit `size`. Any thread."""
    file = pictures.picture_file(paths, source)
    if file is None:
        return None
    image = QImage(str(file))
    if image.isNull():
        log.warning("The picture %s could not be read", file)
        return None
    return image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class Thumbnails(QObject):
    ready = Signal(str, int)  # LECTURE or SERIES, and the pk whose picture arrived

    def __init__(
        self,
        executor: LibraryExecutor,
        parent: QObject | None = None,
        *,
        size: QSize = PICTURE_SIZE,
        capacity: int = 200,  # about 30 MB at the largest size
    ) -> None:
        super().__init__(parent)
        self.executor = executor
        self.size = size
        self._capacity = capacity
        self._cache: OrderedDict[tuple[str, int], QPixmap] = OrderedDict()
        self._pending: set[tuple[str, int]] = set()
        # Asked for and impossible (not stored, broken): not asked again until the library changes.
        self._missing: set[tuple[str, int]] = set()
        self._batch: dict[str, list[int]] = {LECTURE: [], SERIES: []}
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)

    def lecture(self, pk: int) -> QPixmap | None:
        """The lecture's thumbnail, else a frame of its video."""
        return self._get(LECTURE, pk)

    def series(self, pk: int) -> QPixmap | None:
        """The series' poster, else the picture of its first lecture."""
        return self._get(SERIES, pk)

    def is_missing(self, kind: str, pk: int) -> bool:
        """True once the picture is known to be impossible (views draw a placeholder)."""
        return (kind, pk) in self._missing

    def forget_missing(self) -> None:
        """Files arrived or left: pictures found impossible may be possible now."""
        self._missing.clear()

    def _get(self, kind: str, pk: int) -> QPixmap | None:
        key = (kind, pk)
        pixmap = self._cache.get(key)
        if pixmap is not None:
            self._cache.move_to_end(key)
            return pixmap
        if key in self._pending or key in self._missing:
            return None
        self._pending.add(key)
        self._batch[kind].append(pk)
        self._flush_timer.start()
        return None

    def _flush(self) -> None:
        for kind, find in ((LECTURE, pictures.lecture_pictures), (SERIES, pictures.series_pictures)):
            pks, self._batch[kind] = self._batch[kind], []
            if pks:
                self.executor.submit(
                    lambda lib, find=find, pks=pks: find(lib, pks),
                    partial(self._on_sources, kind),
                    partial(self._on_lookup_failed, kind, pks),
                    owner=self,
                )

    def _on_sources(self, kind: str, sources: dict[int, pictures.PictureSource | None]) -> None:
        paths = LibraryPaths(self.executor.root)
        for pk, source in sources.items():
            if source is None:
                self._give_up(kind, pk)
                continue
            run_task(
                partial(load_picture, paths, source, self.size),
                partial(self._on_image, kind, pk),
                partial(self._on_load_failed, kind, pk),
                owner=self,
            )

    def _on_lookup_failed(self, kind: str, pks: list[int], exc: BaseException) -> None:
        log.warning("Looking up pictures failed: %s", exc)
        for pk in pks:
            self._give_up(kind, pk)

    def _on_load_failed(self, kind: str, pk: int, exc: BaseException) -> None:
        log.warning("The picture of %s %s could not be made: %s", kind, pk, exc)
        self._give_up(kind, pk)

    def _give_up(self, kind: str, pk: int) -> None:
        self._pending.discard((kind, pk))
        self._missing.add((kind, pk))

    def _on_image(self, kind: str, pk: int, image: QImage | None) -> None:
        if image is None:
            self._give_up(kind, pk)
            return
        key = (kind, pk)
        self._pending.discard(key)
        self._cache[key] = QPixmap.fromImage(image)
        while len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        self.ready.emit(kind, pk)
