"""What every screen shares: the library thread, who is watching, and change notices.

Screens never call each other; they tell the session what changed, and the others
refresh what they show.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from player.ui.tasks import LibraryExecutor
from player.ui.thumbs import Thumbnails


class Session(QObject):
    profile_changed = Signal(int)  # the profile id now watching
    library_changed = Signal()  # lectures, files or kept series changed (sync, keep, import)
    progress_changed = Signal()  # positions or watched marks changed (playback, mark watched)
    # Every event of a running sync, as the engine names it ("bytes", "file_done", ...; see
    # player.sync.engine), so any screen can show live download states.
    sync_event = Signal(str, object)
    # A screen asks for these series (pks) to be fetched now; the Get lectures screen runs it.
    sync_requested = Signal(object)

    def __init__(self, executor: LibraryExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self.profile_id: int | None = None  # None until the library has told us the default
        self.thumbnails = Thumbnails(executor, self)

    def set_profile(self, profile_id: int) -> None:
        if profile_id != self.profile_id:
            self.profile_id = profile_id
            self.profile_changed.emit(profile_id)
