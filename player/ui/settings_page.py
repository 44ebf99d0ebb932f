"""Settings: library location, language, font scale, profiles and progress export."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from player.ui.session import Session
from player.ui.widgets import StatePage


class SettingsPage(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(StatePage(self.tr("Settings")))

    def refresh(self) -> None:
        """Read the profiles and settings again."""
