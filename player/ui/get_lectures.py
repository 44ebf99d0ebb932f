"""Get lectures: sources, the series to keep, and sync with its progress."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from player.ui.session import Session
from player.ui.widgets import StatePage


class GetLecturesPage(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(StatePage(self.tr("Get lectures")))

    def refresh(self) -> None:
        """Read the sources and series again."""

    def confirm_close(self) -> bool:
        """Whether the window may close now; asks first if a sync is running, then stops it."""
        return True

    def shutdown(self) -> None:
        """Stop any running work and wait for it, before the library closes."""
