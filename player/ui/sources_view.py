"""Adding a source (by web address, folder or USB drive, with the publisher's key pinned),
and removing one.

An Ed25519 signature does not carry its key, so the key comes from the publisher (their
web page, a letter, the label on a drive) and is pasted here. The catalog is read and
checked against it first; the user then compares the fingerprint and says whether to
trust it. Nothing is written to the library until they do, and a refused or failed
check adds nothing.

Removing a source keeps everyone's progress and bookmarks; its files are deleted only
when the user ticks the box, and only those no other kept series uses.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from player import textutil
from player.library.db import Library
from player.library.sources import Source, SourcePreview, add_source, preview_source
from player.sync.remove_source import RemovedSource, removal_cost, remove_source
from player.ui.sync_worker import BackgroundJobs
from player.ui.widgets import busy_bar, size_text


class AddSourceDialog(QDialog):
    added = Signal(str)  # the new source's id

    def __init__(self, jobs: BackgroundJobs, location: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a source"))
        self.setMinimumWidth(560)
        self._jobs = jobs
        self.location = QLineEdit(location)
        self.location.setPlaceholderText(self.tr("https://… or a folder holding catalog.json"))
        self.key = QPlainTextEdit()
        self.key.setPlaceholderText(
            self.tr(
                "The publisher's key: 64 hex digits or a PEM public key. Optional, but without it the "
                "catalog's signature cannot be checked."
            )
        )
        self.key.setFixedHeight(self.fontMetrics().height() * 4)
        self.key.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow(self.tr("Catalog:"), self.location)
        form.addRow(self.tr("Publisher key:"), self.key)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = busy_bar(hidden=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton(self.tr("Add"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setDefault(True)
        self.buttons.accepted.connect(self.check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

    @property
    def error(self) -> str:
        return self.status.text() if self.status.property("error") else ""

    def _set_busy(self, text: str) -> None:
        self._show(text, error=False)
        self.busy.setVisible(bool(text))
        for widget in (self.location, self.key, self.add_button):
            widget.setEnabled(not text)

    def _show(self, text: str, *, error: bool) -> None:
        self.status.setProperty("error", error)
        self.status.setStyleSheet("color: palette(highlight);" if not error else "color: #b00020;")
        self.status.setText(text)

    def check(self) -> None:
        location = self.location.text().strip()
        if not location:
            self._show(self.tr("Give the catalog's web address or folder."), error=True)
            return
        key = self.key.toPlainText().strip() or None
        self._set_busy(self.tr("Reading and checking the catalog…"))
        self._jobs.run(
            lambda: preview_source(location, pubkey=key), self._on_preview, self._on_error, owner=self
        )

    def _on_preview(self, preview: SourcePreview) -> None:
        self._set_busy("")
        if not self._trusted(preview):
            self._show(self.tr("Nothing was added."), error=False)
            return
        self._set_busy(self.tr("Adding %1…").replace("%1", textutil.pick(preview.title)))
        location, key = preview.location, preview.pubkey

        def add(lib: Library) -> str:
            return add_source(lib, location, pubkey=key).source_id

        self._jobs.submit(add, self._on_added, self._on_error, owner=self)

    def _trusted(self, preview: SourcePreview) -> bool:
        title = textutil.pick(preview.title)
        about = self.tr("“%1” (%2), version %3: %n series", "", preview.series_count)
        about = about.replace("%1", title).replace("%2", preview.id).replace("%3", str(preview.version))
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Add a source"))
        if preview.fingerprint:
            box.setText(self.tr("Trust this publisher key?"))
            box.setInformativeText(
                self.tr(
                    "The catalog's signature matches the key with the fingerprint\n\n%1\n\n"
                    "Compare it with the one the publisher gives. Every later catalog of %2 "
                    "must be signed by this key."
                )
                .replace("%1", preview.fingerprint)
                .replace("%2", about)
            )
        elif preview.signed:
            box.setText(self.tr("Add the source without a publisher key?"))
            box.setInformativeText(
                self.tr(
                    "%1 is signed, but no key was given, so its signature cannot be checked "
                    "and its updates will not be either. Paste the publisher's key to pin it."
                ).replace("%1", about)
            )
        else:
            box.setText(self.tr("Add an unsigned source?"))
            box.setInformativeText(
                self.tr(
                    "%1 is not signed: nothing shows that it comes from its publisher unaltered."
                ).replace("%1", about)
            )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _on_added(self, source_id: str) -> None:
        self._set_busy("")
        self.added.emit(source_id)
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self._set_busy("")
        # The core's message names the problem and what to do; it is shown as it is.
        self._show(str(exc), error=True)


class RemoveSourceDialog(QDialog):
    """Stop following a source, after a confirmation that offers to delete its files."""

    removed = Signal(object)  # the RemovedSource

    def __init__(self, jobs: BackgroundJobs, source: Source, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Remove a source"))
        self.setAccessibleName(self.tr("Remove a source"))
        self.setMinimumWidth(520)
        self._jobs = jobs
        self.source_id = source.id
        self.removed_source: RemovedSource | None = None
        self.question = QLabel(
            self.tr("Stop following “%1” (%2)?")
            .replace("%1", textutil.pick(source.title))
            .replace("%2", source.id)
        )
        font = self.question.font()
        font.setBold(True)
        self.question.setFont(font)
        self.question.setWordWrap(True)
        self.detail = QLabel(
            self.tr(
                "Its series are no longer kept or listed, and its catalog is no longer fetched. Everyone's "
                "progress and bookmarks stay, and come back if the source is added again."
            )
        )
        self.detail.setWordWrap(True)
        self.delete_files = QCheckBox(self._delete_text(self.tr("counting…")))
        self.delete_files.setAccessibleName(self.tr("Also delete the source's files"))
        self.delete_files.setEnabled(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = busy_bar(hidden=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.remove_button = self.buttons.addButton(
            self.tr("Remove"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.setAccessibleName(self.tr("Remove the source"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        self.remove_button.clicked.connect(self.remove)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.detail)
        layout.addWidget(self.delete_files)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        source_id = source.id
        jobs.submit(lambda lib: removal_cost(lib, source_id), self._on_cost, self._on_error, owner=self)

    def _delete_text(self, size: str) -> str:
        return self.tr("Also delete its files that no other kept series uses (%1)").replace("%1", size)

    def _on_cost(self, cost: tuple[int, int]) -> None:
        files, size = cost
        self.delete_files.setText(self._delete_text(size_text(size)))
        self.delete_files.setEnabled(files > 0)

    def remove(self) -> None:
        self.remove_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.delete_files.setEnabled(False)
        self.busy.show()
        self._show(self.tr("Removing %1…").replace("%1", self.source_id), error=False)
        source_id, delete = self.source_id, self.delete_files.isChecked()
        self._jobs.submit(
            lambda lib: remove_source(lib, source_id, delete_files=delete),
            self._on_removed,
            self._on_error,
            owner=self,
        )

    def _on_removed(self, result: RemovedSource) -> None:
        self.removed_source = result
        self.busy.hide()
        self.removed.emit(result)
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self.busy.hide()
        self.remove_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        # The core's message names the problem and what to do; nothing was removed.
        self._show(str(exc), error=True)

    def _show(self, text: str, *, error: bool) -> None:
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text)

    def reject(self) -> None:
        if self.busy.isVisible():
            return  # never in the middle of the removal
        super().reject()
