"""Small pictures of lectures and series for the lists, made off the GUI thread, cached.

Ask with `lecture(pk)` or `series(pk)`: a cached picture comes back at once; otherwise
None, and `ready` is emitted once the picture exists (never, if none can be made, in
which case views draw their placeholder).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPixmap

from player.ui.tasks import LibraryExecutor

LECTURE = "lecture"
SERIES = "series"


class Thumbnails(QObject):
    ready = Signal(str, int)  # LECTURE or SERIES, and the pk whose picture arrived

    def __init__(self, executor: LibraryExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.executor = executor

    def lecture(self, pk: int) -> QPixmap | None:
        """The lecture's thumbnail, else a frame of its video."""
        return None

    def series(self, pk: int) -> QPixmap | None:
        """The series' poster, else the picture of its first lecture."""
        return None
