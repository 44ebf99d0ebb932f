"""The main window: a toolbar to move between the screens, and the screens themselves.

Each screen is its own class in its own module. They share a `Session` (the library
thread, who is watching, change notices) and never call each other; the window routes
their requests ("play this", "show that series").
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QStackedWidget, QToolBar, QWidget

from player.library import queries
from player.ui.home import HomePage
from player.ui.library_page import LibraryPage
from player.ui.profiles import ProfileSwitcher
from player.ui.session import Session
from player.ui.tasks import LibraryExecutor, run_task
from player.ui.widgets import StatePage, mute

if TYPE_CHECKING:
    from player.library.doctor import QuickReport
    from player.ui.get_lectures import GetLecturesPage
    from player.ui.player_view import PlayerView
    from player.ui.settings_page import SettingsPage

UPKEEP_DELAY_MS = 10_000  # after the start, when the screens have what they need
UPKEEP_INTERVAL_MS = 3_600_000  # a daily backup is due at most an hour late


class MainWindow(QMainWindow):
    def __init__(self, executor: LibraryExecutor, library_dir: Path) -> None:
        super().__init__()
        self.executor = executor
        self.library_dir = library_dir
        self.session = Session(executor, self)
        self.setWindowTitle(self.tr("Lecture Player"))
        self.resize(1180, 720)

        self.loading_page = StatePage(
            self.tr("Opening library…"), self.tr("The first start sets up the sample lectures."), busy=True
        )
        self.error_page = StatePage(self.tr("The library could not be opened"))
        self.home_page = HomePage(self.session)
        self.library_page = LibraryPage(self.session)
        self.pages = QStackedWidget()
        for page in (self.loading_page, self.error_page, self.home_page, self.library_page):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)
        # The other screens are built when first needed: their modules (the sync engine,
        # QtMultimedia) would otherwise weigh on every start.
        self._get_page: GetLecturesPage | None = None
        self._settings_page: SettingsPage | None = None
        self._player_view: PlayerView | None = None
        self.session.sync_requested.connect(self._first_sync_request)

        # Kept as attributes: tests and the series page reach the models through them.
        self.series_model = self.library_page.series_model
        self.lecture_model = self.library_page.lecture_model
        self.series_pane = self.library_page.series_pane
        self.lecture_pane = self.library_page.lecture_pane

        self.profile_switcher = ProfileSwitcher(self.session)
        self.toolbar = self._make_toolbar()

        for page in (self.home_page, self.library_page):
            page.lecture_requested.connect(self.open_lecture)
        self.home_page.series_requested.connect(self.show_series)
        self.home_page.get_lectures_requested.connect(lambda: self.show_page(self.get_page))

        folder = QLabel(str(library_dir))
        folder.setToolTip(self.tr("The library folder"))
        mute(folder)
        self.statusBar().addPermanentWidget(folder)
        self.statusBar().showMessage(self.tr("Opening library…"))
        self._last_page: QWidget = self.home_page

        executor.opened.connect(self._on_opened)
        executor.failed.connect(self._on_open_failed)

    def _make_toolbar(self) -> QToolBar:
        bar = QToolBar(self.tr("Screens"))
        bar.setObjectName("screens")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        group = QActionGroup(self)
        self.screen_actions: dict[str, QAction] = {}
        for name, text, key in (
            ("home", self.tr("Home"), "Alt+1"),
            ("library", self.tr("Library"), "Alt+2"),
            ("get", self.tr("Get lectures"), "Alt+3"),
            ("settings", self.tr("Settings"), "Alt+4"),
        ):
            action = QAction(text, self, checkable=True)
            action.setShortcut(key)
            action.triggered.connect(
                lambda _checked=False, n=name: self.show_page(getattr(self, f"{n}_page"))
            )
            group.addAction(action)
            bar.addAction(action)
            self.screen_actions[name] = action
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addWidget(QLabel(self.tr("Watching:") + " "))
        bar.addWidget(self.profile_switcher)
        bar.setEnabled(False)  # until the library is open
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        return bar

    # -- the screens built on demand -----------------------------------------------------

    @property
    def get_page(self) -> GetLecturesPage:
        if self._get_page is None:
            from player.ui.get_lectures import GetLecturesPage

            self._get_page = self._add_page(GetLecturesPage(self.session))
            self.session.sync_requested.disconnect(self._first_sync_request)
        return self._get_page

    @property
    def settings_page(self) -> SettingsPage:
        if self._settings_page is None:
            from player.ui.settings_page import SettingsPage

            self._settings_page = self._add_page(SettingsPage(self.session))
        return self._settings_page

    @property
    def player_view(self) -> PlayerView:
        if self._player_view is None:
            from player.ui.player_view import PlayerView

            self._player_view = self._add_page(PlayerView(self.session))
            self._player_view.back_requested.connect(self.leave_player)
        return self._player_view

    def _add_page(self, page: QWidget) -> QWidget:
        self.pages.addWidget(page)
        refresh = getattr(page, "refresh", None)  # screens that read the library when shown
        if self.executor.is_open and refresh is not None:
            refresh()
        return page

    def _first_sync_request(self, series_pks: object) -> None:
        # The page connects itself to later requests when it is built; hand it this one.
        self.get_page.sync_series(series_pks)

    # -- moving between screens ---------------------------------------------------------

    def show_page(self, page: QWidget) -> None:
        self.toolbar.show()
        self.statusBar().show()
        self.pages.setCurrentWidget(page)
        self._last_page = page
        for name, action in self.screen_actions.items():
            if self._built_page(name) is page:
                action.setChecked(True)

    def _built_page(self, name: str) -> QWidget | None:
        """The screen called `name`, if it exists yet (without building it)."""
        built = {
            "home": self.home_page,
            "library": self.library_page,
            "get": self._get_page,
            "settings": self._settings_page,
        }
        return built[name]

    def open_path(self, path: Path) -> None:
        """Act on a catalog or bundle the app was opened with, once the library is open."""
        if not self.executor.is_open:
            self.executor.opened.connect(lambda: self.open_path(path), Qt.ConnectionType.SingleShotConnection)
            return
        self.show_page(self.get_page)
        self.get_page.open_path(path)

    def show_series(self, series_pk: int) -> None:
        self.show_page(self.library_page)
        self.library_page.show_series(series_pk)

    def open_lecture(self, lecture_pk: int, start: float = -1.0) -> None:
        # The player screen is the whole window, as in every video player.
        self.toolbar.hide()
        self.statusBar().hide()
        self.pages.setCurrentWidget(self.player_view)
        self.player_view.open_lecture(lecture_pk, None if start < 0 else start)

    def leave_player(self) -> None:
        self.show_page(self._last_page)
        if self._last_page is self.library_page:
            self.library_page.focus_lectures()

    def show_library(self) -> None:
        self.show_page(self.library_page)
        self.library_page.focus_lectures()

    # -- the library opening, and closing -----------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._get_page is not None and not self._get_page.confirm_close():
            event.ignore()
            return
        # Saves the position of a playing lecture before the library thread shuts down.
        if self._player_view is not None:
            self._player_view.close_lecture()
        if self._get_page is not None:
            self._get_page.shutdown()
        super().closeEvent(event)

    def _on_opened(self) -> None:
        self.toolbar.setEnabled(True)
        self.statusBar().showMessage(self.tr("Reading the library…"))
        self.executor.submit(queries.count_series, self._on_count, self._on_query_failed, owner=self)
        self.profile_switcher.refresh()
        for page in (
            self.home_page,
            self.library_page,
            self._get_page,
            self._settings_page,
            self._player_view,
        ):
            refresh = getattr(page, "refresh", None)
            if refresh is not None:
                refresh()
        self.show_page(self.home_page)
        self._start_upkeep()

    def _start_upkeep(self) -> None:
        """A progress backup once a day while the app is open, and a quick health check.

        Both wait until the home screen is filled, so they never slow the start."""
        self._upkeep_timer = QTimer(self)
        self._upkeep_timer.setInterval(UPKEEP_INTERVAL_MS)
        self._upkeep_timer.timeout.connect(self._backup_if_due)
        self._upkeep_timer.start()
        QTimer.singleShot(UPKEEP_DELAY_MS, self, self._first_upkeep)

    def _first_upkeep(self) -> None:
        self._backup_if_due()

        from player.library import doctor  # the checks are not needed to start

        def check() -> doctor.QuickReport:
            # On a connection of its own: the check reads the whole database, and the
            # library thread must stay free for the screens.
            lib = self.executor.open_shared()
            try:
                return doctor.quick_doctor(lib)
            finally:
                lib.close()

        run_task(check, self._on_checked, owner=self)

    def _backup_if_due(self) -> None:
        from player.library import backups

        self.executor.submit(lambda lib: backups.backup_progress_if_due(lib, datetime.now(UTC)))

    def _on_checked(self, report: QuickReport) -> None:
        if report.database_problem:
            self.statusBar().showMessage(
                self.tr("The library database has a problem: %1. Run “lecture-player doctor --fix”.").replace(
                    "%1", report.database_problem
                )
            )

    def _on_count(self, count: int) -> None:
        self.statusBar().showMessage(self.tr("%n series", "", count))

    def _on_open_failed(self, exc: BaseException) -> None:
        self.error_page.set_text(self.error_page.title.text(), str(exc))
        self.pages.setCurrentWidget(self.error_page)
        self.statusBar().showMessage(self.tr("The library could not be opened"))

    def _on_query_failed(self, message: object) -> None:
        self.statusBar().showMessage(self.tr("Reading the library failed: %1").replace("%1", str(message)))
