"""The "who is watching" switcher in the toolbar."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from player.ui.session import Session


class ProfileSwitcher(QComboBox):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.setToolTip(self.tr("Who is watching"))

    def refresh(self) -> None:
        """Read the profiles again, and tell the session which one is watching."""
