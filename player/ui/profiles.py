"""The "who is watching" switcher in the toolbar, and the profile notices screens share.

No passwords: a shared study-centre computer needs to tell people's progress apart, not
to keep them out. The last choice is remembered in the library, so whoever sits down at
that computer next finds the same person still selected.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QComboBox, QInputDialog, QLineEdit, QMessageBox, QWidget

from player.errors import PlayerError
from player.library import profiles as profile_store
from player.library.db import Library
from player.library.progress_store import Profile, add_profile
from player.ui.session import Session

DEFAULT_NAME = "Default"  # the profile every new library starts with (migration 0001)


def display_name(name: str) -> str:
    """A profile's name as shown: the built-in first profile in the UI's language."""
    if name == DEFAULT_NAME:
        return QCoreApplication.translate("Profiles", "Default")
    return name


_ADD = -1  # the item data of the "Add profile…" entry


class ProfileNotices(QObject):
    """One per session: profiles were added, renamed or deleted, so lists read them again."""

    changed = Signal()

    @staticmethod
    def of(session: Session) -> ProfileNotices:
        notices = session.findChild(ProfileNotices)
        return notices if notices is not None else ProfileNotices(session)


def name_problem(parent: QWidget, name: str, profiles: list[Profile], current_id: int | None = None) -> str:
    """Why `name` cannot be a profile's name, or "" if it can (translated, for the dialogs)."""
    name = name.strip()
    if not name:
        return parent.tr("A profile needs a name. Type one, for example the person's first name.")
    if any(p.name == name and p.id != current_id for p in profiles):
        return parent.tr("There is already a profile named “%1”. Choose another name.").replace("%1", name)
    return ""


def ask_profile_name(
    parent: QWidget, title: str, label: str, text: str, accepted: Callable[[str], None]
) -> QInputDialog:
    """A window-modal name dialog that does not block: `accepted(name)` runs on OK."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(text)
    dialog.textValueSelected.connect(accepted)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def show_problem(parent: QWidget, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.finished.connect(box.deleteLater)
    box.open()
    return box


class ProfileSwitcher(QComboBox):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.setToolTip(self.tr("Who is watching"))
        self.setAccessibleName(self.tr("Who is watching"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.profiles: list[Profile] = []
        self.name_dialog: QInputDialog | None = None
        self.activated.connect(self._on_activated)
        self.notices = ProfileNotices.of(session)
        self.notices.changed.connect(self.refresh)
        session.profile_changed.connect(self._show_current)

    def refresh(self) -> None:
        """Read the profiles again, and tell the session which one is watching."""
        self.session.executor.submit(profile_store.chosen_profile, self._on_read, self._on_failed, owner=self)

    def _on_read(self, choice: profile_store.ProfileChoice) -> None:
        self.profiles = choice.profiles
        current = self.session.profile_id
        # The session's profile stays if it still exists (another screen may have just
        # switched); at start there is none, and the remembered one is restored.
        profile_id = current if any(p.id == current for p in self.profiles) else choice.chosen_id
        self.blockSignals(True)
        self.clear()
        for p in self.profiles:
            self.addItem(display_name(p.name), p.id)
        self.insertSeparator(self.count())
        self.addItem(self.tr("Add profile…"), _ADD)
        self.blockSignals(False)
        self._show_current(profile_id)
        self.session.set_profile(profile_id)

    def _show_current(self, profile_id: int) -> None:
        index = self.findData(profile_id)
        if index >= 0:
            self.setCurrentIndex(index)

    def _on_activated(self, index: int) -> None:
        data = self.itemData(index)
        if data == _ADD:
            if self.session.profile_id is not None:
                self._show_current(self.session.profile_id)  # the entry is an action, not a choice
            self.add_profile()
        elif isinstance(data, int):
            self.choose(data)

    def choose(self, profile_id: int) -> None:
        """Make `profile_id` the one watching, and remember it in the library."""
        self.session.set_profile(profile_id)
        self.session.executor.submit(
            lambda lib: profile_store.remember_profile(lib, profile_id), None, self._on_failed, owner=self
        )

    def add_profile(self) -> None:
        self.name_dialog = ask_profile_name(
            self.window(), self.tr("Add profile"), self.tr("Name of the person watching:"), "", self._add
        )

    def _add(self, name: str) -> None:
        problem = name_problem(self, name, self.profiles)
        if problem:
            show_problem(self.window(), self.tr("Add profile"), problem)
            return

        def add(lib: Library) -> Profile:
            profile = add_profile(lib, name)
            profile_store.remember_profile(lib, profile.id)
            return profile

        self.session.executor.submit(add, self._on_added, self._on_failed, owner=self)

    def _on_added(self, profile: Profile) -> None:
        # A new person was added to watch now: switch to them, and tell the other lists.
        self.session.set_profile(profile.id)
        self.notices.changed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, PlayerError) else self.tr("The profiles could not be saved: %1")
        show_problem(self.window(), self.tr("Profiles"), text.replace("%1", str(exc)))
