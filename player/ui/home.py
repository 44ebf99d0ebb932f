"""The home screen: continue watching, next up, the series grid and search."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from player.ui.session import Session
from player.ui.widgets import StatePage


class HomePage(QWidget):
    lecture_requested = Signal(int, float)  # lecture pk, start (seconds; negative: resume)
    series_requested = Signal(int)  # series pk

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(StatePage(self.tr("Home")))

    def refresh(self) -> None:
        """Read everything again (the library opened, or its contents or progress changed)."""
