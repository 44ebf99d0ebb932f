"""Importing a USB bundle: find it, show what is inside, check it, then copy it in.

Before anything is imported the dialog reads each catalog in the bundle and checks its
signature the way `lecture-player import` does: against the key the library pinned for
a source it follows, or, for a new source, against the key the bundle carries, whose
fingerprint the user is asked to trust (the command line's --trust-new-key). The
import itself runs on a thread of its own with its own library connection, and reports
the same events as a sync; Cancel stops it between two blocks and keeps what is copied.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player import textutil
from player.bundle.importer import BundleImport, import_bundle
from player.bundle.preview import BundlePreview, preview_bundle
from player.sync.drives import find_drive_bundles
from player.ui.sync_worker import BackgroundJobs
from player.ui.tasks import LibraryExecutor, run_task, to_main
from player.ui.widgets import busy_bar, size_text


class BundleImportDialog(QDialog):
    """Choose a bundle (found on a drive, or a folder), see what it holds, and trust it."""

    import_requested = Signal(str, bool)  # the bundle folder, checked; whether new keys are trusted

    def __init__(self, jobs: BackgroundJobs, roots: list[Path] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import from drive"))
        self.setMinimumWidth(600)
        self._jobs = jobs
        self.preview: BundlePreview | None = None
        self._generation = 0

        self.bundles = QComboBox()
        self.bundles.setPlaceholderText(self.tr("Looking at the drives…"))
        self.bundles.currentIndexChanged.connect(self._on_chosen)
        self.choose_button = QPushButton(self.tr("Choose folder…"))
        self.choose_button.clicked.connect(self._choose_folder)
        self.contents = QLabel()
        self.contents.setWordWrap(True)
        self.contents.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.trust = QCheckBox()
        self.trust.hide()
        self.trust.toggled.connect(lambda _on: self._update_buttons())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = busy_bar(hidden=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)

        chooser = QHBoxLayout()
        chooser.addWidget(self.bundles, 1)
        chooser.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Bundles on the drives:")))
        layout.addLayout(chooser)
        layout.addWidget(self.contents, 1)
        layout.addWidget(self.trust)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self._update_buttons()

        self._set_busy(self.tr("Looking for bundles on the drives…"))
        self._jobs.run(lambda: find_drive_bundles(roots), self._on_drives, self._on_error, owner=self)

    @property
    def error(self) -> str:
        return self.status.text() if self.status.property("error") else ""

    def _set_busy(self, text: str) -> None:
        self._show(text, error=False)
        self.busy.setVisible(bool(text))

    def _show(self, text: str, *, error: bool) -> None:
        self.status.setProperty("error", error)
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text)

    def _update_buttons(self) -> None:
        preview = self.preview
        ready = preview is not None and (not preview.new_sources or self.trust.isChecked())
        self.import_button.setEnabled(ready)

    def _on_drives(self, found: list[Path]) -> None:
        self._set_busy("")
        self.bundles.setPlaceholderText(self.tr("No bundle found on the drives"))
        if not found:
            self._show(
                self.tr(
                    "No drive with a bundle.json was found under /media, /run/media or /mnt. Plug the drive "
                    "in and open it once in the file manager so it is mounted, or choose the folder."
                ),
                error=False,
            )
            return
        for path in found:
            if self.bundles.findData(str(path)) < 0:
                self.bundles.addItem(str(path), str(path))
        if self.bundles.currentIndex() < 0:
            self.bundles.setCurrentIndex(0)

    def choose(self, folder: str) -> None:
        """Look at this folder as the bundle to import."""
        index = self.bundles.findData(folder)
        if index < 0:
            self.bundles.addItem(folder, folder)
            index = self.bundles.count() - 1
        if index == self.bundles.currentIndex():
            self._on_chosen(index)
        else:
            self.bundles.setCurrentIndex(index)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder that holds bundle.json"))
        if folder:
            self.choose(folder)

    def _on_chosen(self, index: int) -> None:
        self.preview = None
        self.contents.setText("")
        self.trust.hide()
        self.trust.setChecked(False)
        self._update_buttons()
        if index < 0:
            return
        path = Path(self.bundles.itemData(index))
        self._generation += 1
        generation = self._generation
        self._set_busy(self.tr("Reading the bundle and checking its signatures…"))
        self._jobs.submit(
            lambda lib: preview_bundle(lib, path),
            lambda preview: self._on_preview(generation, preview),
            lambda exc: self._on_preview_failed(generation, exc),
            owner=self,
        )

    def _on_preview(self, generation: int, preview: BundlePreview) -> None:
        if generation != self._generation:
            return
        self._set_busy("")
        self.preview = preview
        files = sum(s.files for s in preview.sources)
        total = sum(s.bytes for s in preview.sources)
        lines = [
            self.tr("%n source(s), ", "", len(preview.sources))
            + self.tr("%n file(s), %1:", "", files).replace("%1", size_text(total))
        ]
        for s in preview.sources:
            series = ", ".join(textutil.pick(t) for t in s.series)
            lines.append("")
            lines.append(
                self.tr("“%1” (%2): %3")
                .replace("%1", textutil.pick(s.title))
                .replace("%2", s.source_id)
                .replace("%3", series)
            )
            lines.append("    " + self.tr("%n file(s), %1", "", s.files).replace("%1", size_text(s.bytes)))
            if s.known and s.fingerprint:
                lines.append(
                    "    "
                    + self.tr("Signature checked against the pinned key %1.").replace("%1", s.fingerprint)
                )
            elif s.known:
                lines.append("    " + self.tr("The library follows this source without a key: not checked."))
            elif s.fingerprint:
                lines.append(
                    "    "
                    + self.tr(
                        "New to this library. Signed by the key the bundle carries, fingerprint %1."
                    ).replace("%1", s.fingerprint)
                )
            else:
                lines.append(
                    "    "
                    + self.tr("New to this library, and the bundle carries no key: it cannot be checked.")
                )
        self.contents.setText("\n".join(lines))
        new = preview.new_sources
        if new:
            self.contents.setText(
                self.contents.text()
                + "\n\n"
                + self.tr(
                    "Compare the fingerprints with the ones the publisher gives: every later catalog "
                    "must be signed by the same key."
                )
            )
            self.trust.setText(
                self.tr("Trust the key shown for %1").replace("%1", ", ".join(s.source_id for s in new))
            )
            self.trust.show()
        self._update_buttons()

    def _on_preview_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._on_error(exc)

    def _on_error(self, exc: BaseException) -> None:
        self._set_busy("")
        self.bundles.setPlaceholderText(self.tr("No bundle found on the drives"))
        # The core's sentence names the problem and what to do; it is shown as it is.
        self._show(str(exc), error=True)

    def _import(self) -> None:
        if self.preview is None or not self.import_button.isEnabled():
            return
        self.import_requested.emit(str(self.preview.path), bool(self.preview.new_sources))
        self.accept()


class _Cancelled(Exception):
    """Raised from the event callback to stop the copy loop; what is copied stays."""


@dataclass
class ImportOutcome:
    result: BundleImport | None  # None when cancelled
    cancelled: bool = False


class BundleImportRun(QObject):
    """One import at a time, on its own thread; its events arrive on the GUI thread."""

    event = Signal(str, object)
    finished = Signal(object)  # ImportOutcome
    failed = Signal(object)  # the exception that stopped it

    def __init__(self, executor: LibraryExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._cancel = threading.Event()
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def start(self, path: Path, *, trust_new_key: bool) -> None:
        if self._running:
            return
        self._running = True
        self._cancel.clear()
        run_task(
            self._job(Path(path), trust_new_key),
            self._on_finished,
            self._on_failed,
            owner=self,
            pool=self._pool,
        )

    def _job(self, path: Path, trust_new_key: bool) -> Callable[[], ImportOutcome]:
        executor, cancel = self._executor, self._cancel

        def forward(name: str, info: dict) -> None:
            if cancel.is_set():
                raise _Cancelled
            to_main(self.event.emit, name, info, owner=self)

        def job() -> ImportOutcome:
            lib = executor.open_shared()
            try:
                return ImportOutcome(import_bundle(lib, path, trust_new_key=trust_new_key, on_event=forward))
            except _Cancelled:
                return ImportOutcome(None, cancelled=True)
            finally:
                lib.close()

        return job

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self) -> None:
        self._pool.waitForDone()

    def _on_finished(self, outcome: ImportOutcome) -> None:
        self._running = False
        self.finished.emit(outcome)

    def _on_failed(self, exc: BaseException) -> None:
        self._running = False
        self.failed.emit(exc)
