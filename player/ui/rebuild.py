"""A damaged library database at start: offer to rebuild it, as `doctor --fix` does.

The library folder keeps every source's signed catalog, every stored file under its
sha256, and progress backups, so the index can be built again: the core moves the bad
file aside (never deletes it), imports the cached catalogs, adopts the stored files,
and restores kept series, profiles, progress and bookmarks from the latest backup.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from player.errors import LibraryError, LibraryInUse
from player.library.paths import LibraryPaths
from player.library.rebuild import RebuildResult, database_problem, rebuild_library
from player.ui.tasks import run_task
from player.ui.widgets import busy_bar


def may_be_damaged(exc: BaseException) -> bool:
    """Whether opening failed in a way a damaged database explains (checked next)."""
    return isinstance(exc, (LibraryError, sqlite3.DatabaseError)) and not isinstance(exc, LibraryInUse)


def damage(root: Path) -> str | None:
    """Why the library's database cannot be used, or None when it is sound (or missing
    from a new folder, where it is simply created). A folder that holds stored files,
    catalogs or backups lost its index: missing or empty, it is offered the rebuild too.
    Touches the disk: not for the GUI thread."""
    paths = LibraryPaths(root)
    if not paths.db.exists():
        return "it is missing" if paths.holds_library_files() else None
    return database_problem(paths.db)


class RebuildDialog(QDialog):
    """The database is damaged: Rebuild it (off the GUI thread), or Quit."""

    rebuilt = Signal(object)  # the RebuildResult; the library can be opened now
    quit_requested = Signal()

    def __init__(self, root: Path, problem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self.result: RebuildResult | None = None
        self.setWindowTitle(self.tr("Lecture Player"))
        self.setMinimumWidth(520)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48, 48))
        self.title = QLabel(self.tr("The library database is damaged."))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel(
            self.tr(
                "What is wrong: %1.\n\nLecture Player can rebuild it from the catalogs and lectures kept in "
                "the library folder, then bring back kept series, profiles, progress and bookmarks from "
                "the latest backup. The damaged file is kept beside it, renamed; nothing is deleted."
            ).replace("%1", problem)
        )
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        self.busy = busy_bar(hidden=True)
        self.buttons = QDialogButtonBox()
        self.rebuild_button: QPushButton = self.buttons.addButton(
            self.tr("Rebuild"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.quit_button: QPushButton = self.buttons.addButton(
            self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.rebuild_button.setDefault(True)
        self.rebuild_button.clicked.connect(self.rebuild)
        self.quit_button.clicked.connect(self._quit)

        heading = QHBoxLayout()
        heading.addWidget(icon)
        heading.addWidget(self.title, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.detail)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

    def rebuild(self) -> None:
        self.rebuild_button.setEnabled(False)
        self.quit_button.setEnabled(False)
        self.busy.show()
        self._show(self.tr("Rebuilding the library… This reads every catalog and stored file."), error=False)
        root = self.root
        run_task(lambda: rebuild_library(root), self._on_rebuilt, self._on_failed, owner=self)

    def _show(self, text: str, *, error: bool) -> None:
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _on_rebuilt(self, result: RebuildResult) -> None:
        self.result = result
        self.busy.hide()
        self.rebuilt.emit(result)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.rebuild_button.setEnabled(True)
        self.quit_button.setEnabled(True)
        self.rebuild_button.setText(self.tr("Try again"))
        # The core's sentence says what went wrong and what to do; nothing was deleted.
        self._show(str(exc) or type(exc).__name__, error=True)

    def _quit(self) -> None:
        self.quit_requested.emit()
        self.reject()

    def reject(self) -> None:
        # Escape or the window's close button mean Quit, but never in the middle of a rebuild.
        if self.busy.isVisible():
            return
        super().reject()
