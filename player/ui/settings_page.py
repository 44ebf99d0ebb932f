"""Settings: profiles, progress export, library location, language, font size, version.

Preferences of the person (library location, language, font size) are kept in
`preferences.Preferences`; profiles live in the library. The page never touches the disk
or the database itself: folder checks, free space and the CSV run off the GUI thread.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from player import __version__
from player.errors import PlayerError
from player.library import profiles as profile_store
from player.library.paths import default_library_dir
from player.library.progress_store import Profile, add_profile
from player.progress_csv import export_progress, write_file
from player.ui import preferences
from player.ui.preferences import ENV_LANG, FONT_SCALES, FolderCheck, FolderKind, LibraryOrigin, Preferences
from player.ui.profiles import ProfileNotices, ask_profile_name, display_name, name_problem, show_problem
from player.ui.session import Session
from player.ui.tasks import run_task
from player.ui.widgets import mute

LANGUAGE_NAMES = {"zh_CN": "中文（简体）", "en": "English"}  # each in its own language, on purpose


def _left(widget: QWidget) -> QHBoxLayout:
    """`widget` at its natural width, on the left of its row."""
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


class ProfileListModel(QAbstractListModel):
    """The profiles, the one watching in bold. A handful of rows: no paging needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profiles: list[Profile] = []
        self.current_id: int | None = None

    def set_profiles(self, profiles: list[Profile]) -> None:
        self.beginResetModel()
        self.profiles = list(profiles)
        self.endResetModel()

    def set_current(self, profile_id: int | None) -> None:
        self.current_id = profile_id
        if self.profiles:
            self.dataChanged.emit(
                self.index(0), self.index(len(self.profiles) - 1), [Qt.ItemDataRole.FontRole]
            )

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.profiles)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self.profiles):
            return None
        profile = self.profiles[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_name(profile.name)
        if role == Qt.ItemDataRole.FontRole and profile.id == self.current_id:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and profile.id == self.current_id:
            return self.tr("Watching now")
        if role == Qt.ItemDataRole.UserRole:
            return profile.id
        return None


class SettingsPage(QWidget):
    exported = Signal(str, int)  # the CSV written, and its number of lectures
    library_choice_changed = Signal()  # the library folder for the next start was changed

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.prefs = Preferences()
        # What this run started with, to tell whether a restart is needed.
        self.start_language = self.prefs.language
        self.start_library_pref = self.prefs.library_dir
        self.export_dialog: QFileDialog | None = None
        self.folder_dialog: QFileDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.notices = ProfileNotices.of(session)

        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(self._profiles_group())
        column.addWidget(self._progress_group())
        column.addWidget(self._library_group())
        column.addWidget(self._display_group())
        column.addWidget(self._about_group())
        column.addStretch(1)
        content.setMaximumWidth(820)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.notices.changed.connect(self.refresh_profiles)
        session.profile_changed.connect(self.profile_model.set_current)

    # -- building -------------------------------------------------------------------------

    def _profiles_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Who is watching"))
        self.profile_model = ProfileListModel(self)
        self.profile_list = QListView()
        self.profile_list.setModel(self.profile_model)
        self.profile_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.profile_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.profile_list.setMaximumHeight(self.profile_list.fontMetrics().height() * 8)
        self.profile_list.setAccessibleName(self.tr("Profiles"))
        self.add_button = QPushButton(self.tr("&Add…"))
        self.rename_button = QPushButton(self.tr("&Rename…"))
        self.delete_button = QPushButton(self.tr("&Delete…"))
        self.add_button.clicked.connect(self.add_profile)
        self.rename_button.clicked.connect(self.rename_profile)
        self.delete_button.clicked.connect(self.delete_profile)
        self.profile_list.selectionModel().selectionChanged.connect(self._update_profile_buttons)
        self.profile_list.doubleClicked.connect(self.rename_profile)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.profile_list, 1)
        row.addLayout(buttons)
        note = QLabel(self.tr("Each person's progress is kept apart. Choose who is watching in the toolbar."))
        note.setWordWrap(True)
        mute(note)
        form = QFormLayout(group)
        label = QLabel(self.tr("&Profiles:"))
        label.setBuddy(self.profile_list)
        form.addRow(label, row)
        form.addRow("", note)
        self._update_profile_buttons()
        return group

    def _progress_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Progress"))
        self.export_scope = QComboBox()
        self.export_scope.addItem(self.tr("This profile"), "profile")
        self.export_scope.addItem(self.tr("All profiles"), "all")
        self.export_button = QPushButton(self.tr("&Export progress…"))
        self.export_button.clicked.connect(self.ask_export_file)
        self.export_status = QLabel()
        self.export_status.hide()  # until there is something to say
        self.export_status.setWordWrap(True)
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.export_scope)
        row.addWidget(self.export_button)
        row.addStretch(1)
        field = QVBoxLayout()
        field.addLayout(row)
        field.addWidget(self.export_status)
        form = QFormLayout(group)
        label = QLabel(self.tr("E&xport:"))
        label.setBuddy(self.export_scope)
        form.addRow(label, field)
        return group

    def _library_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Library"))
        self.library_label = QLabel(str(self.library_dir))
        self.library_label.setWordWrap(True)
        self.library_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.free_label = QLabel()
        mute(self.free_label)
        self.change_button = QPushButton(self.tr("&Change…"))
        self.change_button.clicked.connect(self.ask_library_folder)
        self.default_button = QPushButton(self.tr("Use the de&fault folder"))
        self.default_button.clicked.connect(self.use_default_folder)
        self.library_note = QLabel()
        self.library_note.setWordWrap(True)
        self.library_restart = QPushButton(self.tr("Restart &now"))
        self.library_restart.clicked.connect(self.restart)
        buttons = QHBoxLayout()
        buttons.addWidget(self.change_button)
        buttons.addWidget(self.default_button)
        buttons.addStretch(1)
        field = QVBoxLayout()  # word-wrapped notes get their height only in a column
        field.addLayout(buttons)
        field.addWidget(self.library_note)
        field.addLayout(_left(self.library_restart))
        form = QFormLayout(group)
        form.addRow(self.tr("Folder:"), self.library_label)
        form.addRow(self.tr("Free space:"), self.free_label)
        form.addRow("", field)
        self._update_library_note()
        return group

    def _display_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Display"))
        self.language_combo = QComboBox()
        self.language_combo.addItem(self.tr("System default"), "")
        for code in preferences.LANGUAGES[1:]:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(self.prefs.language)))
        self.language_combo.currentIndexChanged.connect(self._on_language_chosen)
        self.language_note = QLabel()
        self.language_note.setWordWrap(True)
        mute(self.language_note)
        self.language_restart = QPushButton(self.tr("Restart no&w"))
        self.language_restart.clicked.connect(self.restart)
        language_field = QVBoxLayout()
        language_field.addLayout(_left(self.language_combo))
        language_field.addWidget(self.language_note)
        language_field.addLayout(_left(self.language_restart))

        self.font_combo = QComboBox()
        for scale in FONT_SCALES:
            self.font_combo.addItem(self.tr("%1%").replace("%1", str(scale)), scale)
        self.font_combo.setCurrentIndex(max(0, self.font_combo.findData(self.prefs.font_scale)))
        self.font_combo.currentIndexChanged.connect(self._on_font_scale_chosen)
        font_note = QLabel(self.tr("Larger text for projectors and far screens; applies at once."))
        font_note.setWordWrap(True)
        mute(font_note)
        font_field = QVBoxLayout()
        font_field.addLayout(_left(self.font_combo))
        font_field.addWidget(font_note)

        form = QFormLayout(group)
        language_label = QLabel(self.tr("&Language:"))
        language_label.setBuddy(self.language_combo)
        font_label = QLabel(self.tr("&Text size:"))
        font_label.setBuddy(self.font_combo)
        form.addRow(language_label, language_field)
        form.addRow(font_label, font_field)
        self._update_language_note()
        return group

    def _about_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("About"))
        self.version_label = QLabel(__version__)
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.about_library_label = QLabel(str(self.library_dir))
        self.about_library_label.setWordWrap(True)
        self.about_library_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(group)
        form.addRow(self.tr("Version:"), self.version_label)
        form.addRow(self.tr("Library:"), self.about_library_label)
        return group

    @property
    def library_dir(self) -> Path:
        return self.session.executor.root

    # -- reading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the profiles and settings again."""
        self.refresh_profiles()
        root = self.library_dir
        run_task(lambda: preferences.free_space(root), self._on_free_space, owner=self)
        self._update_library_note()
        self._update_language_note()

    def refresh_profiles(self) -> None:
        self.session.executor.submit(
            profile_store.chosen_profile, self._on_profiles, self._on_failed, owner=self
        )

    def _on_profiles(self, choice: profile_store.ProfileChoice) -> None:
        selected = self.selected_profile()
        self.profile_model.set_profiles(choice.profiles)
        self.profile_model.set_current(self.session.profile_id)
        if selected is not None:
            self.select_profile(selected.id)
        self._update_profile_buttons()

    def _on_free_space(self, free: int | None) -> None:
        size = "" if free is None else self.locale().formattedDataSize(free, 1)
        self.free_label.setText(self.tr("%1 free").replace("%1", size) if size else self.tr("unknown"))

    # -- profiles ----------------------------------------------------------------------------

    def selected_profile(self) -> Profile | None:
        rows = self.profile_list.selectionModel().selectedRows()
        if not rows:
            return None
        return self.profile_model.profiles[rows[0].row()]

    def select_profile(self, profile_id: int) -> None:
        for row, p in enumerate(self.profile_model.profiles):
            if p.id == profile_id:
                self.profile_list.setCurrentIndex(self.profile_model.index(row))
                return

    def _update_profile_buttons(self) -> None:
        selected = self.selected_profile() is not None
        self.rename_button.setEnabled(selected)
        # The last profile stays: progress always needs someone to belong to.
        self.delete_button.setEnabled(selected and len(self.profile_model.profiles) > 1)

    def add_profile(self) -> None:
        ask_profile_name(self, self.tr("Add profile"), self.tr("Name of the new profile:"), "", self._add)

    def _add(self, name: str) -> None:
        problem = name_problem(self, name, self.profile_model.profiles)
        if problem:
            show_problem(self, self.tr("Add profile"), problem)
            return
        self.session.executor.submit(
            lambda lib: add_profile(lib, name), self._on_profile_saved, self._on_failed, owner=self
        )

    def rename_profile(self) -> None:
        profile = self.selected_profile()
        if profile is None:
            return
        ask_profile_name(
            self,
            self.tr("Rename profile"),
            self.tr("New name for “%1”:").replace("%1", profile.name),
            profile.name,
            lambda name: self._rename(profile, name),
        )

    def _rename(self, profile: Profile, name: str) -> None:
        if name.strip() == profile.name:
            return
        problem = name_problem(self, name, self.profile_model.profiles, profile.id)
        if problem:
            show_problem(self, self.tr("Rename profile"), problem)
            return
        self.session.executor.submit(
            lambda lib: profile_store.rename_profile(lib, profile.id, name),
            self._on_profile_saved,
            self._on_failed,
            owner=self,
        )

    def _on_profile_saved(self, profile: Profile) -> None:
        self.notices.changed.emit()
        # The list is read again first (jobs run in order); then the saved profile is selected.
        self.session.executor.submit(lambda _lib: profile.id, self.select_profile, owner=self)

    def delete_profile(self) -> None:
        profile = self.selected_profile()
        if profile is None or len(self.profile_model.profiles) <= 1:
            return
        self.session.executor.submit(
            lambda lib: profile_store.progress_count(lib, profile.id),
            lambda count: self._confirm_delete(profile, count),
            self._on_failed,
            owner=self,
        )

    def _confirm_delete(self, profile: Profile, count: int) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Delete profile"))
        box.setText(self.tr("Delete the profile “%1”?").replace("%1", profile.name))
        box.setInformativeText(
            self.tr(
                "Its progress in %n lecture(s) and its bookmarks are deleted with it. This cannot be undone.",
                "",
                count,
            )
        )
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)  # Enter must not delete someone's progress
        box.setEscapeButton(cancel)

        def done(_result: int) -> None:
            if box.clickedButton() is delete:
                self.session.executor.submit(
                    lambda lib: profile_store.delete_profile(lib, profile.id),
                    lambda _none: self.notices.changed.emit(),
                    self._on_failed,
                    owner=self,
                )
            box.deleteLater()

        box.finished.connect(done)
        self.confirm_box = box
        box.open()

    def _on_failed(self, exc: BaseException) -> None:
        text = (
            str(exc)
            if isinstance(exc, PlayerError)
            else self.tr("Something went wrong: %1").replace("%1", str(exc))
        )
        show_problem(self, self.tr("Settings"), text)

    # -- progress export ------------------------------------------------------------------------

    def ask_export_file(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = self.tr("progress-%1.csv").replace("%1", QDate.currentDate().toString(Qt.DateFormat.ISODate))
        dialog = QFileDialog(self, self.tr("Export progress"), str(Path(folder) / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilters([self.tr("CSV files (*.csv)"), self.tr("All files (*)")])
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()

    def export_to(self, path: Path, *, everyone: bool | None = None) -> None:
        """Write the CSV (this profile's, or everyone's) to `path`, off the GUI thread."""
        if everyone is None:
            everyone = self.export_scope.currentData() == "all"
        profile_id = None if everyone else self.session.profile_id
        self.export_button.setEnabled(False)
        self.export_status.setText(self.tr("Exporting…"))
        self.export_status.show()

        def written(result: tuple[bytes, int]) -> None:
            data, count = result
            run_task(
                lambda: write_file(path, data),
                lambda _none: self._on_exported(path, count),
                self._on_export_failed,
                owner=self,
            )

        self.session.executor.submit(
            lambda lib: export_progress(lib, profile_id), written, self._on_export_failed, owner=self
        )

    def _on_exported(self, path: Path, count: int) -> None:
        self.export_button.setEnabled(True)
        text = self.tr("Wrote the progress of %n lecture(s) to %1.", "", count).replace("%1", str(path))
        self.export_status.setText(text)
        self._status(text)
        self.exported.emit(str(path), count)

    def _on_export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        text = self.tr("The progress could not be exported: %1. Choose another file or folder.").replace(
            "%1", reason
        )
        self.export_status.setText(text)
        self._status(text)

    def _status(self, text: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 10_000)

    # -- library location -------------------------------------------------------------------------

    def ask_library_folder(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose the library folder"), str(self.library_dir.parent))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda path: self.choose_library_folder(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        self.folder_dialog = dialog
        dialog.open()

    def choose_library_folder(self, folder: Path) -> None:
        """Check `folder` off the GUI thread, then make it the library of the next start."""
        self.change_button.setEnabled(False)
        self.library_note.setText(self.tr("Checking %1…").replace("%1", str(folder)))
        run_task(
            lambda: preferences.check_library_folder(folder),
            self._on_folder_checked,
            self._on_folder_failed,
            owner=self,
        )

    def _on_folder_checked(self, check: FolderCheck) -> None:
        self.change_button.setEnabled(True)
        if check.problem:
            self._update_library_note()
            show_problem(
                self,
                self.tr("Library folder"),
                self.tr(
                    "Lecture Player cannot write to %1 (%2). Choose a folder you can write to, or plug the drive in."
                )
                .replace("%1", str(check.chosen))
                .replace("%2", check.problem),
            )
            return
        self.prefs.library_dir = check.library_dir
        what = {
            FolderKind.LIBRARY: self.tr("The library in %1 is used as it is from the next start."),
            FolderKind.EMPTY: self.tr("A new library is made in %1 at the next start."),
            FolderKind.OTHER: self.tr(
                "The folder holds other files, so a new library is made in %1 at the next start."
            ),
        }[check.kind]
        self._update_library_note(what.replace("%1", str(check.library_dir)))
        self.library_choice_changed.emit()

    def _on_folder_failed(self, exc: BaseException) -> None:
        self.change_button.setEnabled(True)
        self._update_library_note()
        show_problem(self, self.tr("Library folder"), str(exc))

    def use_default_folder(self) -> None:
        self.prefs.library_dir = None
        self._update_library_note()
        self.library_choice_changed.emit()

    def next_library_dir(self) -> Path:
        return self.prefs.library_dir or default_library_dir()

    def _update_library_note(self, text: str = "") -> None:
        changed = self.prefs.library_dir != self.start_library_pref
        pending = changed and self.next_library_dir() != self.library_dir
        origin = preferences.library_origin
        if origin in (LibraryOrigin.OPTION, LibraryOrigin.ENVIRONMENT):
            given = (
                self.tr("the --library option")
                if origin is LibraryOrigin.OPTION
                else "LECTURE_PLAYER_LIBRARY"
            )
            text = self.tr(
                "This start uses the folder given by %1, which comes before this setting."
            ).replace("%1", given)
            pending = False
        elif not text and not changed and origin is LibraryOrigin.FALLBACK:
            text = self.tr(
                "The chosen folder %1 was not found at start, so the default library is open. "
                "Plug its drive in and restart to use it."
            ).replace("%1", str(self.prefs.library_dir))
            pending = True
        elif not text and pending:
            text = self.tr("Lecture Player uses %1 from the next start.").replace(
                "%1", str(self.next_library_dir())
            )
        elif not text:
            text = self.tr("A library on an external drive works too; plug the drive in before starting.")
        self.library_note.setText(text)
        self.library_restart.setVisible(pending)
        self.default_button.setEnabled(self.prefs.library_dir is not None)

    # -- display ------------------------------------------------------------------------------------

    def _on_language_chosen(self, _index: int) -> None:
        self.prefs.language = self.language_combo.currentData()
        self._update_language_note()

    def _update_language_note(self) -> None:
        pending = self.prefs.language != self.start_language
        text = self.tr("Takes effect when Lecture Player starts again.")
        if os.environ.get(ENV_LANG, "").strip():
            text += "\n" + self.tr("LECTURE_PLAYER_LANG is set, and comes before this setting.")
        self.language_note.setText(text)
        self.language_restart.setVisible(pending)

    def _on_font_scale_chosen(self, _index: int) -> None:
        scale = int(self.font_combo.currentData())
        self.prefs.font_scale = scale
        app = QApplication.instance()
        if isinstance(app, QApplication):
            preferences.apply_font_scale(app, scale)

    def restart(self) -> None:
        """Close the window (it may ask first) and start again with the new settings."""
        preferences.request_restart(self.window())
