"""Get lectures: sources, the series to keep, the plan against the free space, and sync.

Reading the lists goes through the library executor; adding and refreshing sources,
planning and syncing run on threads of their own (see sync_worker), each with its own
library connection, so the other screens stay responsive meanwhile.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from player.bundle.layout import BUNDLE_NAME
from player.errors import PlayerError
from player.library import queries
from player.library.db import Library
from player.library.sources import Source, key_fingerprint, list_sources
from player.sizes import parse_size
from player.sync import limits, preferences
from player.sync.catalogs import refresh_sources
from player.sync.drives import DriveMirror, find_drive_mirrors
from player.sync.engine import SyncResult
from player.sync.keeping import KeptTotals, kept_totals, set_kept
from player.sync.plan import Plan, PlanTooBig, build_plan
from player.sync.remove_source import RemovedSource
from player.sync.window import SyncWindow
from player.ui.bundle_import import BundleImportDialog, BundleImportRun, ImportOutcome
from player.ui.get_models import (
    KeepModel,
    PlanModel,
    SourceRow,
    SourcesModel,
    TransferDelegate,
    TransfersModel,
)
from player.ui.models import format_duration
from player.ui.session import Session
from player.ui.share_panel import SharePanel
from player.ui.sources_view import AddSourceDialog, RemoveSourceDialog
from player.ui.sync_worker import BackgroundJobs, SyncRun
from player.ui.widgets import mute, size_text, table_view

_BAR_STEPS = 1000


def _short_size(n: int | None, unit: str = "") -> str:
    """500K, 2M, 1.5G: how a size is written back into a settings field."""
    if not n:
        return ""
    for factor, suffix in ((10**9, "G"), (10**6, "M"), (10**3, "K")):
        if n >= factor and n % (factor // 10) == 0:
            value = n / factor
            return f"{value:g}{suffix}{unit}"
    return str(n)


class GetLecturesPage(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        executor = session.executor
        self.jobs = BackgroundJobs(executor, self)
        self.run = SyncRun(executor, self)
        self.importer = BundleImportRun(executor, self)
        self.add_dialog: AddSourceDialog | None = None
        self.remove_dialog: RemoveSourceDialog | None = None
        self.import_dialog: BundleImportDialog | None = None
        self.drive_roots: list[Path] | None = None  # where drives are mounted; None: the usual places
        self._plan: Plan | None = None
        self._plan_generation = 0
        self._busy = ""  # "refreshing", "planning" or "" while no source or plan work runs
        self._closing = False
        self._announcing = False  # our own library_changed is not a reason to read again
        self._failures: list[tuple[str, str]] = []
        self._source_errors: list[tuple[str, str]] = []
        self._paused = False
        self._stopping = False  # Cancel was pressed: whatever the engine reports, it stopped
        self._source_count: int | None = None
        self._requested: list[int] = []  # series pks asked for while a sync was running
        # An outcome (a sync finished, a source added) stays in view over the plan's words
        # until the user changes something.
        self._outcome_shown = False

        self.state_title = QLabel()
        font = self.state_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.state_title.setFont(font)
        self.state_detail = QLabel()
        self.state_detail.setWordWrap(True)
        self.state_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mute(self.state_detail)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._sources_box(), 1)
        left_layout.addWidget(self._keep_box(), 2)
        self.share_panel = SharePanel(lambda: self.session.executor.root, self)
        self.share_panel.add_requested.connect(self.open_add_dialog)
        left_layout.addWidget(self.share_panel)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self._plan_box())
        right_layout.addWidget(self._sync_box(), 1)
        right_layout.addWidget(self._settings_box())
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addWidget(self.state_title)
        layout.addWidget(self.state_detail)
        layout.addWidget(splitter, 1)

        self.run.event.connect(self._on_event)
        self.run.finished.connect(self._on_sync_finished)
        self.run.failed.connect(self._on_sync_failed)
        self.importer.event.connect(self._on_import_event)
        self.importer.finished.connect(self._on_import_finished)
        self.importer.failed.connect(self._on_import_failed)
        session.sync_requested.connect(self.sync_series)
        session.library_changed.connect(self._on_library_changed)
        self._set_state(self.tr("Get lectures"), self.tr("Opening the library…"))
        self._update_buttons()

    # -- building -------------------------------------------------------------------

    def _sources_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sources"))
        self.sources_model = SourcesModel(self)
        self.sources_view = table_view(self.sources_model, SourcesModel.LOCATION)
        self.sources_view.setColumnWidth(SourcesModel.ID, 130)
        self.sources_empty = QLabel(
            self.tr("No sources yet. Add a publisher's catalog from a web address, a folder or a USB drive.")
        )
        self.sources_empty.setWordWrap(True)
        self.sources_empty.hide()
        self.add_url_button = QPushButton(self.tr("Add web address…"))
        self.add_folder_button = QPushButton(self.tr("Add folder…"))
        self.add_drive_button = QPushButton(self.tr("Add from USB drive…"))
        self.import_button = QPushButton(self.tr("Import from drive…"))
        self.refresh_button = QPushButton(self.tr("Refresh catalogs"))
        self.remove_button = QPushButton(self.tr("Remove source…"))
        self.remove_button.setAccessibleName(self.tr("Remove the chosen source"))
        self.remove_button.clicked.connect(self.open_remove_dialog)
        self.import_button.clicked.connect(self.open_import_dialog)
        self.add_url_button.clicked.connect(lambda: self.open_add_dialog(""))
        self.add_folder_button.clicked.connect(self._add_folder)
        self.add_drive_button.clicked.connect(self._add_drive)
        self.refresh_button.clicked.connect(self.refresh_catalogs)
        buttons = QHBoxLayout()
        for button in (
            self.add_url_button,
            self.add_folder_button,
            self.add_drive_button,
            self.import_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.refresh_button)
        self.sources_view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        layout = QVBoxLayout(box)
        layout.addWidget(self.sources_empty)
        layout.addWidget(self.sources_view, 1)
        layout.addLayout(buttons)
        return box

    def _keep_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Series to keep on this computer"))
        self.keep_model = KeepModel(self.session.executor, self)
        self.keep_view = table_view(self.keep_model, KeepModel.TITLE)
        self.keep_view.setColumnWidth(KeepModel.KEEP, 48)
        self.keep_view.setColumnWidth(KeepModel.SOURCE, 130)
        for column in (KeepModel.LECTURES, KeepModel.SIZE):
            self.keep_view.setColumnWidth(column, 80)
        self.keep_view.setColumnWidth(KeepModel.STORED, 90)
        self.keep_model.kept_changed.connect(self._on_kept_changed)
        self.keep_model.keep_failed.connect(lambda message: self._set_state(self.tr("Not changed"), message))
        self.keep_model.failed.connect(lambda message: self._set_state(self.tr("Reading failed"), message))
        self.totals_label = QLabel()
        layout = QVBoxLayout(box)
        layout.addWidget(self.keep_view, 1)
        layout.addWidget(self.totals_label)
        return box

    def _plan_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("What the next sync does"))
        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        self.plan_model = PlanModel(self)
        self.plan_view = table_view(self.plan_model, PlanModel.TITLE)
        # A plan is a few rows: its numbers can be measured, leaving the rest to the titles.
        header = self.plan_view.horizontalHeader()
        for column in range(PlanModel.NEW, PlanModel.FETCH + 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        rows = self.plan_view.verticalHeader().defaultSectionSize()
        self.plan_view.setMaximumHeight(rows * 5)  # most plans are a few series; it scrolls
        layout = QVBoxLayout(box)
        layout.addWidget(self.plan_label)
        layout.addWidget(self.plan_view, 1)
        return box

    def _sync_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sync"))
        self.overall_bar = QProgressBar()
        self.overall_bar.setRange(0, _BAR_STEPS)
        self.overall_bar.setValue(0)
        self.overall_bar.setFormat("%p%")
        self.speed_label = QLabel()
        self.transfers = TransfersModel(self)
        self.transfers_view = QListView()
        self.transfers_view.setModel(self.transfers)
        self.transfers_view.setItemDelegate(TransferDelegate(self.transfers_view))
        self.transfers_view.setUniformItemSizes(True)
        self.transfers_view.setSelectionMode(QListView.SelectionMode.NoSelection)
        self.transfers_view.setMinimumHeight((self.fontMetrics().height() * 2 + 14) * 3)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.pause_button = QPushButton(self.tr("Pause"))
        self.resume_button = QPushButton(self.tr("Resume"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.sync_button.clicked.connect(lambda: self.start_sync())
        self.pause_button.clicked.connect(self.pause)
        self.resume_button.clicked.connect(self.resume)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addStretch(1)
        for button in (self.pause_button, self.resume_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.overall_bar)
        layout.addWidget(self.speed_label)
        layout.addWidget(self.transfers_view, 1)
        layout.addLayout(buttons)
        return box

    def _settings_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sync settings"))
        self.rate_edit = QLineEdit()
        self.rate_edit.setPlaceholderText(self.tr("no limit (for example 500K or 2M bytes a second)"))
        self.window_edit = QLineEdit()
        self.window_edit.setPlaceholderText(self.tr("any time (for example 22:00-06:00)"))
        self.reserve_edit = QLineEdit()
        self.reserve_edit.setPlaceholderText(self.tr("500MB"))
        self.save_settings_button = QPushButton(self.tr("Save"))
        self.save_settings_button.clicked.connect(self.save_settings)
        for edit in (self.rate_edit, self.window_edit, self.reserve_edit):
            edit.returnPressed.connect(self.save_settings)
        self.settings_message = QLabel()
        self.settings_message.setWordWrap(True)
        form = QFormLayout(box)
        form.addRow(self.tr("Speed limit:"), self.rate_edit)
        form.addRow(self.tr("Only between:"), self.window_edit)
        form.addRow(self.tr("Keep free on disk:"), self.reserve_edit)
        form.addRow(self.settings_message, self.save_settings_button)
        return box

    # -- words ------------------------------------------------------------------------

    def _set_state(self, title: str, detail: str = "") -> None:
        self.state_title.setText(title)
        self.state_detail.setText(detail)
        self.state_detail.setVisible(bool(detail))

    def _update_buttons(self) -> None:
        importing = self.importer.running
        syncing = self.run.running
        plan = self._plan
        can_sync = (
            not syncing
            and not importing
            and not self._busy
            and plan is not None
            and bool(plan.files)
            and plan.fits
        )
        self.sync_button.setEnabled(can_sync)
        self.pause_button.setEnabled(syncing and not self._paused)
        self.resume_button.setEnabled(syncing and self._paused)
        self.cancel_button.setEnabled((syncing or importing) and not self._stopping)
        for button in (
            self.add_url_button,
            self.add_folder_button,
            self.add_drive_button,
            self.import_button,
            self.refresh_button,
        ):
            button.setEnabled(not syncing and not importing and self._busy != "refreshing")
        self.refresh_button.setEnabled(self.refresh_button.isEnabled() and bool(self._source_count))
        self.remove_button.setEnabled(
            not syncing and not importing and self._busy != "refreshing" and self._chosen_source() is not None
        )

    # -- reading ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the sources and series again."""
        self._load_sources()
        self.keep_model.restart()
        self._load_totals()
        self._load_settings()
        self.replan()

    def _load_sources(self) -> None:
        def read(lib: Library) -> list[SourceRow]:
            return [SourceRow(s, key_fingerprint(s.pubkey) if s.pubkey else None) for s in list_sources(lib)]

        self.session.executor.submit(read, self._on_sources, self._on_read_failed, owner=self)

    def _on_sources(self, rows: list[SourceRow]) -> None:
        self.sources_model.set_rows(rows)
        self.sources_empty.setVisible(not rows)
        self.sources_view.setVisible(bool(rows))
        self._source_count = len(rows)
        self._update_buttons()
        self._show_idle_state()

    def _show_idle_state(self) -> None:
        """Words for a screen where nothing runs: no sources, or what the plan says."""
        if self.run.running or self.importer.running or self._busy == "refreshing" or self._closing:
            return
        # An outcome ("Source removed; 12 MB freed") stays until the next action replaces it.
        if self._outcome_shown:
            return
        if self._source_count == 0:
            self._set_state(
                self.tr("No sources yet"),
                self.tr("Add a publisher's catalog: from a web address, a folder, or a USB drive."),
            )
        elif self._plan is not None:
            self._set_state(*self._plan_state(self._plan))

    def _show_outcome(self, title: str, detail: str = "") -> None:
        self._outcome_shown = True
        self._set_state(title, detail)

    def _load_totals(self) -> None:
        self.session.executor.submit(kept_totals, self._on_totals, self._on_read_failed, owner=self)

    def _on_totals(self, totals: KeptTotals) -> None:
        if not totals.series:
            self.totals_label.setText(self.tr("No series kept yet: tick the ones to keep on this computer."))
            return
        self.totals_label.setText(
            self.tr("Keeping %n series: %1, of which %2 is on this computer.", "", totals.series)
            .replace("%1", size_text(totals.total_size))
            .replace("%2", size_text(totals.present_size))
        )

    def _on_read_failed(self, exc: BaseException) -> None:
        self._set_state(self.tr("Reading the library failed"), str(exc))

    def _on_kept_changed(self) -> None:
        self._outcome_shown = False
        self._load_totals()
        self.replan()
        self._announce()

    def _on_library_changed(self) -> None:
        if self._announcing or self._closing:
            return
        self.keep_model.restart()
        self._load_totals()
        self._load_sources()
        self.replan()

    def _announce(self) -> None:
        self._announcing = True
        try:
            self.session.library_changed.emit()
        finally:
            self._announcing = False

    # -- the plan ---------------------------------------------------------------------

    def replan(self) -> None:
        """Work out again what a sync would fetch, on the planning thread."""
        if self.run.running or self._closing:
            return
        self._plan_generation += 1
        generation = self._plan_generation
        self._busy = self._busy or "planning"
        self.plan_label.setText(self.tr("Working out what to fetch…"))
        self._update_buttons()
        self.jobs.submit(
            lambda lib: build_plan(lib),
            partial(self._on_plan, generation),
            partial(self._on_plan_failed, generation),
            owner=self,
        )

    def _on_plan(self, generation: int, plan: Plan) -> None:
        if generation != self._plan_generation:
            return
        if self._busy == "planning":
            self._busy = ""
        self._plan = plan
        self.plan_model.set_rows(plan.series)
        self.plan_label.setText(self._plan_words(plan))
        self._show_idle_state()
        self._update_buttons()

    def _on_plan_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._plan_generation:
            return
        if self._busy == "planning":
            self._busy = ""
        self._plan = None
        self.plan_model.set_rows([])
        self.plan_label.setText(self.tr("The plan could not be made: %1").replace("%1", str(exc)))
        self._update_buttons()

    def _plan_words(self, plan: Plan) -> str:
        if not plan.series:
            return self.tr("No series is kept yet. Tick the series to keep, then sync.")
        if not plan.files:
            return self.tr("Everything kept is already on this computer.")
        if not plan.fits:
            return (
                self.tr(
                    "This does not fit: it needs %1, but only %2 can be used (%3 free, keeping %4 free "
                    "for the computer). Free some space, keep fewer series, or lower the space kept free."
                )
                .replace("%1", size_text(plan.fetch_bytes))
                .replace("%2", size_text(plan.available))
                .replace("%3", size_text(plan.free_bytes))
                .replace("%4", size_text(plan.reserve))
            )
        words = self.tr("%n file(s), %1 to fetch.", "", len(plan.files)).replace(
            "%1", size_text(plan.fetch_bytes)
        )
        resumed = plan.total_bytes - plan.fetch_bytes
        if resumed:
            words += " " + self.tr("%1 was fetched before and resumes.").replace("%1", size_text(resumed))
        after = plan.available - plan.fetch_bytes
        return (
            words
            + " "
            + self.tr("Free after the sync: %1 (besides the %2 kept free).")
            .replace("%1", size_text(after))
            .replace("%2", size_text(plan.reserve))
        )

    def _plan_state(self, plan: Plan) -> tuple[str, str]:
        if not plan.series:
            return self.tr("No series kept yet"), self.tr("Tick the series to keep on this computer.")
        if not plan.files:
            return self.tr("Everything kept is already on this computer"), ""
        if not plan.fits:
            return self.tr("Not enough free space"), self._plan_words(plan)
        return self.tr("Ready to sync"), self._plan_words(plan)

    # -- sources ----------------------------------------------------------------------

    def open_add_dialog(self, location: str = "") -> AddSourceDialog:
        dialog = AddSourceDialog(self.jobs, location, self)
        dialog.added.connect(self._on_source_added)
        dialog.finished.connect(dialog.deleteLater)
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def _chosen_source(self) -> Source | None:
        index = self.sources_view.selectionModel().currentIndex()
        if not index.isValid() or index.row() >= self.sources_model.rowCount():
            return None
        return self.sources_model.item(index.row()).source

    def open_remove_dialog(self) -> RemoveSourceDialog | None:
        source = self._chosen_source()
        if source is None:
            return None
        dialog = RemoveSourceDialog(self.jobs, source, self)
        dialog.removed.connect(self._on_source_removed)
        dialog.finished.connect(dialog.deleteLater)
        self.remove_dialog = dialog
        dialog.open()
        return dialog

    def _on_source_removed(self, result: RemovedSource) -> None:
        if result.bytes_freed:
            detail = self.tr("%1 is no longer followed; %2 freed.").replace(
                "%2", size_text(result.bytes_freed)
            )
        elif result.files_left:
            detail = self.tr("%1 is no longer followed; its files stay in the library.")
        else:
            detail = self.tr("%1 is no longer followed.")
        self._show_outcome(self.tr("Source removed"), detail.replace("%1", result.source_id))
        self._announce()
        self.refresh()

    def _add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder that holds catalog.json"))
        if folder:
            self.open_add_dialog(folder)

    def _add_drive(self) -> None:
        self.add_drive_button.setEnabled(False)
        roots = self.drive_roots
        self.jobs.run(lambda: find_drive_mirrors(roots), self._on_drives, self._on_drives_failed, owner=self)

    def _on_drives(self, mirrors: list[DriveMirror]) -> None:
        self._update_buttons()
        if not mirrors:
            QMessageBox.information(
                self,
                self.tr("Add from USB drive"),
                self.tr(
                    "No drive with a catalog.json was found under /media, /run/media or /mnt. Plug the "
                    "drive in, open it once in the file manager so it is mounted, and try again."
                ),
            )
            return
        paths = [str(m.path) for m in mirrors]
        if len(paths) == 1:
            self.open_add_dialog(paths[0])
            return
        chosen, ok = QInputDialog.getItem(
            self, self.tr("Add from USB drive"), self.tr("Catalogs found on the drives:"), paths, 0, False
        )
        if ok and chosen:
            self.open_add_dialog(chosen)

    def _on_drives_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        self._set_state(self.tr("The drives could not be read"), str(exc))

    def _on_source_added(self, source_id: str) -> None:
        self._show_outcome(self.tr("Source added"), self.tr("%1 is in the library.").replace("%1", source_id))
        self._announce()
        self.refresh()

    def open_path(self, path: Path) -> None:
        """What the file manager opened the app with: a bundle is imported, a catalog
        (or its folder) is added as a source, each through its usual dialog."""
        folder = path if path.is_dir() else path.parent
        if (folder / BUNDLE_NAME).is_file():
            self.open_import_dialog().choose(str(folder))
        else:
            self.open_add_dialog(str(folder))

    # -- importing a bundle -------------------------------------------------------------

    def open_import_dialog(self) -> BundleImportDialog:
        dialog = BundleImportDialog(self.jobs, self.drive_roots, self)
        dialog.import_requested.connect(self.start_import)
        dialog.finished.connect(dialog.deleteLater)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def start_import(self, path: str, trust_new_key: bool) -> None:
        if self.run.running or self.importer.running or self._closing:
            return
        self._plan_generation += 1  # the plan is out of date once files arrive
        self._failures = []
        self._paused = self._stopping = self._outcome_shown = False
        self.transfers.clear()
        self.overall_bar.setValue(0)
        self.speed_label.setText("")
        self._set_state(self.tr("Importing from the drive…"), path)
        self.importer.start(Path(path), trust_new_key=trust_new_key)
        self._update_buttons()

    def _on_import_event(self, name: str, info: dict) -> None:
        self.transfers.on_event(name, info)
        if name == "bundle":
            detail = self.tr("%n file(s), %1 to copy.", "", info.get("files", 0)).replace(
                "%1", size_text(info.get("bytes", 0))
            )
            self._set_state(self.tr("Importing from the drive…"), detail)
        elif name == "bytes":
            self._on_bytes(info)
        elif name == "file_failed":
            self._failures.append((info.get("name", ""), info.get("reason") or ""))

    def _on_import_finished(self, outcome: ImportOutcome) -> None:
        self.speed_label.setText("")
        self.transfers.clear()
        result = outcome.result
        if outcome.cancelled or result is None:
            title = self.tr("Import stopped")
            detail = self.tr("The files already copied are kept; import the bundle again to continue.")
        else:
            title = self.tr("Imported %n file(s)", "", result.copied)
            parts = [
                self.tr("%n series kept on this computer; ", "", len(result.kept))
                + self.tr("%n file(s) were already here.", "", result.skipped)
            ]
            if result.failed:
                title = self.tr("Imported %n file(s), ", "", result.copied) + self.tr(
                    "%n failed", "", len(result.failed)
                )
                parts += [f"{name}: {reason}" for name, reason in result.failed[:5]]
            if result.missing:
                parts.append(
                    self.tr(
                        "%n file(s) that bundle.json lists are not on the drive; the export may have been "
                        "cut short: export it again, then import again.",
                        "",
                        result.missing,
                    )
                )
            # A source the bundle holds that was refused (its own sentence says why).
            parts += [f"{source_id}: {exc}" for source_id, exc in result.refused[:5]]
            parts += result.warnings[:5]
            detail = "\n".join(parts)
            if not result.failed and not result.missing and not result.refused:
                self.overall_bar.setValue(_BAR_STEPS)
        self._show_outcome(title, detail)
        self._after_import()

    def _on_import_failed(self, exc: BaseException) -> None:
        self.speed_label.setText("")
        self.transfers.clear()
        if isinstance(exc, PlayerError):
            self._show_outcome(self.tr("The import stopped"), str(exc))
        else:
            self._show_outcome(
                self.tr("The import stopped because of an unexpected error"), f"{type(exc).__name__}: {exc}"
            )
        self._after_import()

    def _after_import(self) -> None:
        self._stopping = False
        self._update_buttons()
        if self._closing:
            return
        # Catalogs, kept series or files may have changed even when it stopped early.
        self._announce()
        self.refresh()

    def refresh_catalogs(self) -> None:
        """Fetch every source's catalog again (a conditional request each)."""
        if self._busy == "refreshing" or self.run.running:
            return
        self._busy = "refreshing"
        self._set_state(self.tr("Refreshing the catalogs…"))
        self._update_buttons()
        self.jobs.submit(
            lambda lib: list(refresh_sources(lib)), self._on_refreshed, self._on_refresh_failed, owner=self
        )

    def _on_refreshed(self, results: list[tuple[str, dict]]) -> None:
        self._busy = ""
        errors = [f"{source_id}: {info['error']}" for source_id, info in results if "error" in info]
        self._announce()
        self.refresh()
        if errors:
            self._show_outcome(self.tr("Some catalogs could not be refreshed"), "\n".join(errors))
        else:
            self._show_outcome(self.tr("The catalogs are up to date"))

    def _on_refresh_failed(self, exc: BaseException) -> None:
        self._busy = ""
        self._update_buttons()
        self._show_outcome(self.tr("Refreshing failed"), str(exc))

    # -- settings ---------------------------------------------------------------------

    def _load_settings(self) -> None:
        def read(lib: Library) -> tuple:
            window = limits.window(lib)
            return limits.max_rate(lib), str(window) if window else "", preferences.reserve(lib)

        self.session.executor.submit(read, self._on_settings, self._on_read_failed, owner=self)

    def _on_settings(self, values: tuple) -> None:
        rate, window, reserve = values
        self.rate_edit.setText(_short_size(rate))
        self.window_edit.setText(window)
        self.reserve_edit.setText(_short_size(reserve, "B") or "0")

    def save_settings(self) -> None:
        rate_text, window_text = self.rate_edit.text(), self.window_edit.text()
        reserve_text = self.reserve_edit.text().strip()

        def save(lib: Library) -> int | None:
            # Every field is checked before anything is stored: one bad field changes nothing.
            reserve = parse_size(reserve_text) if reserve_text else None
            if rate_text.strip():
                parse_size(rate_text)
            if window_text.strip():
                SyncWindow.parse(window_text)
            with lib.db.atomic():
                rate = limits.set_max_rate(lib, rate_text)
                limits.set_window(lib, window_text)
                preferences.set_reserve(lib, reserve)
            return rate

        self.save_settings_button.setEnabled(False)
        self.session.executor.submit(save, self._on_settings_saved, self._on_settings_failed, owner=self)

    def _on_settings_saved(self, rate: int | None) -> None:
        self.save_settings_button.setEnabled(True)
        self.settings_message.setStyleSheet("")
        self.settings_message.setText(self.tr("Saved. The next sync uses them."))
        self._outcome_shown = False
        self.run.set_max_rate(rate)  # a running sync takes the new speed at once
        self._load_settings()
        self.replan()

    def _on_settings_failed(self, exc: BaseException) -> None:
        self.save_settings_button.setEnabled(True)
        self.settings_message.setStyleSheet("color: #b00020;")
        self.settings_message.setText(str(exc))

    # -- syncing ----------------------------------------------------------------------

    def sync_series(self, series_pks: object) -> None:
        """What another screen asks for: keep these series (pks) and fetch them now."""
        pks = list(series_pks or [])
        if self.run.running:
            self._requested.extend(pks)
            self.state_detail.setText(self.tr("The series asked for are fetched when this sync ends."))
            self.state_detail.show()
            return

        def prepare(lib: Library) -> list[str]:
            names = []
            for pk in pks:
                series = queries.get_series(lib, pk)
                if series is None:
                    continue
                if not series.kept:
                    set_kept(lib, series.source_id, series.id, True)
                names.append(f"{series.source_id}/{series.id}")
            return names

        self.session.executor.submit(
            prepare, lambda names: self.start_sync(names) if names else None, self._on_sync_failed, owner=self
        )

    def start_sync(self, series: list[str] | None = None) -> None:
        if self.run.running or self.importer.running or self._closing:
            return
        self._plan_generation += 1  # a plan still being made is out of date once this starts
        if self._busy == "planning":
            self._busy = ""
        self._failures, self._source_errors = [], []
        self._paused = self._stopping = self._outcome_shown = False
        self.transfers.clear()
        self.overall_bar.setValue(0)
        self.speed_label.setText("")
        self._set_state(self.tr("Syncing…"), self.tr("Refreshing the catalogs…"))
        self.run.start(series)
        self._update_buttons()

    def pause(self) -> None:
        self.run.pause()
        self.pause_button.setEnabled(False)
        self._set_state(self.tr("Pausing…"), self.tr("The files in flight stop and keep what they have."))

    def resume(self) -> None:
        self.run.resume()
        self.resume_button.setEnabled(False)

    def cancel(self) -> None:
        self._stopping = True
        self.cancel_button.setEnabled(False)
        if self.importer.running:
            self.importer.cancel()
            self._set_state(self.tr("Stopping…"), self.tr("The files already copied are kept."))
            return
        self.run.cancel()
        self._set_state(self.tr("Stopping…"), self.tr("The parts already downloaded are kept."))

    def _on_event(self, name: str, info: dict) -> None:
        self.session.sync_event.emit(name, info)
        self.transfers.on_event(name, info)
        if name == "source" and "error" in info:
            self._source_errors.append((info["source_id"], info["error"]))
        elif name == "plan":
            count = len(info.get("files") or [])
            detail = self.tr("%n file(s), %1 to fetch.", "", count).replace(
                "%1", size_text(info.get("fetch_bytes", 0))
            )
            self._set_state(self.tr("Syncing…"), detail if count else "")
        elif name == "waiting":
            until = datetime.fromisoformat(info["until"])
            self._set_state(
                self.tr("Waiting for the sync window, %1").replace("%1", f"{until:%H:%M}"),
                self.tr("Syncing is limited to the hours set below; it starts by itself then."),
            )
        elif name == "bytes":
            self._on_bytes(info)
        elif name == "file_failed":
            self._failures.append((info.get("name", ""), info.get("reason") or ""))
        elif name == "paused":
            self._paused = True
            self._set_state(self.tr("Paused"), self.tr("The parts already downloaded are kept."))
            self.speed_label.setText("")
        elif name == "resumed":
            self._paused = False
            self._set_state(self.tr("Syncing…"))
        elif name == "file_started" and not self._paused and self.state_title.text() != self.tr("Syncing…"):
            self._set_state(self.tr("Syncing…"))
        self._update_buttons()

    def _on_bytes(self, info: dict) -> None:
        done, total, rate = info.get("done", 0), info.get("total", 0), info.get("rate", 0)
        if total:
            self.overall_bar.setValue(min(_BAR_STEPS, int(_BAR_STEPS * done / total)))
        words = self.tr("%1 of %2").replace("%1", size_text(done)).replace("%2", size_text(total))
        if rate:
            words += " · " + self.tr("%1/s").replace("%1", size_text(rate))
            if total > done:
                words += " · " + self.tr("about %1 left").replace(
                    "%1", format_duration((total - done) / rate)
                )
        self.speed_label.setText(words)

    def _on_sync_finished(self, result: SyncResult) -> None:
        self._paused = False
        self.speed_label.setText("")
        failed = len(result.failed)
        if result.cancelled or self._stopping:
            title = self.tr("Stopped")
            detail = self.tr("The parts already downloaded are kept; the next sync resumes them.")
        elif result.outside_window:
            title = self.tr("The sync window closed")
            detail = self.tr("What is left is fetched at the next sync.")
        elif failed:
            title = self.tr("Finished with %n file(s) fetched, ", "", result.files_done) + self.tr(
                "%n failed", "", failed
            )
            detail = "\n".join(f"{name}: {reason}" for name, reason in result.failed[:5])
        elif result.files_done:
            title = self.tr("Finished with %n file(s) fetched", "", result.files_done)
            detail = ""
            self.overall_bar.setValue(_BAR_STEPS)
        else:
            title = self.tr("Everything kept is already on this computer")
            detail = ""
        errors = "\n".join(f"{source_id}: {error}" for source_id, error in result.source_errors)
        self._show_outcome(title, "\n".join(part for part in (detail, errors) if part))
        self._after_sync()

    def _on_sync_failed(self, exc: BaseException) -> None:
        self._paused = False
        self.speed_label.setText("")
        self.transfers.clear()
        if isinstance(exc, PlanTooBig):
            self._show_outcome(self.tr("Not enough free space"), str(exc))
        elif isinstance(exc, PlayerError):
            self._show_outcome(self.tr("The sync stopped"), str(exc))
        else:
            self._show_outcome(
                self.tr("The sync stopped because of an unexpected error"), f"{type(exc).__name__}: {exc}"
            )
        self._after_sync()

    def _after_sync(self) -> None:
        self._update_buttons()
        if self._closing:
            return
        requested, self._requested = self._requested, []
        if requested and not self._stopping:
            self.sync_series(requested)
        self._announce()
        self.keep_model.restart()
        self._load_totals()
        self._load_sources()
        self.replan()

    # -- closing ----------------------------------------------------------------------

    def confirm_close(self) -> bool:
        """Whether the window may close now; asks first if a sync is running, then stops it."""
        if self.importer.running:
            answer = QMessageBox.question(
                self,
                self.tr("Stop the import?"),
                self.tr("A bundle is being imported. Stop it and quit? The files already copied are kept."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
            self.importer.cancel()
            return True
        if not self.run.running:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Stop the sync?"),
            self.tr("A sync is running. Stop it and quit? The parts already downloaded are kept."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.run.cancel()
        return True

    def shutdown(self) -> None:
        """Stop any running work and wait for it, before the library closes."""
        self._closing = True
        self.run.cancel()
        self.importer.cancel()
        self.share_panel.shutdown()
        self.run.wait()
        self.importer.wait()
        self.jobs.wait()
