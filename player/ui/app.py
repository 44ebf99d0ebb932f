"""Start the GUI: the application object, its language, the window, the library thread."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QProcess, QTranslator, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from player import textutil
from player.errors import EXIT_INCOMPLETE, EXIT_OK, LibraryInUse, PlayerError
from player.library.paths import ENV_LIBRARY, default_library_dir, resolve_library_dir
from player.resources import resource_path
from player.ui import preferences
from player.ui.main_window import MainWindow
from player.ui.preferences import ENV_LANG, LibraryOrigin, Preferences
from player.ui.tasks import LibraryExecutor, run_task

log = logging.getLogger(__name__)

APP_ID = "org.lectureplayer.LecturePlayer"  # desktop file, Wayland app id, Windows taskbar group
APP_NAME = "Lecture Player"
ORGANIZATION_DOMAIN = "lectureplayer.org"  # reversed, the start of APP_ID
TRANSLATIONS_PREFIX = "lecture-player"


def ui_locale() -> QLocale:
    """The UI language: $LECTURE_PLAYER_LANG (zh_CN, en, …) if set, else the one chosen in
    the settings, else the system's."""
    chosen = os.environ.get(ENV_LANG, "").strip() or Preferences().language
    return QLocale(chosen) if chosen else QLocale.system()


def display_languages(locale: QLocale) -> list[str]:
    """Catalog languages to show, best first: the UI language, then English, then Chinese."""
    langs: list[str] = []
    for lang in [*locale.uiLanguages(), "en", "zh"]:
        if lang and lang != "C" and lang not in langs:
            langs.append(lang)
    return langs


def install_translators(app: QCoreApplication, locale: QLocale) -> list[QTranslator]:
    """Load Qt's own strings and ours for `locale`; English needs no file."""
    installed = []
    for name, folder in (
        ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        (TRANSLATIONS_PREFIX, str(resource_path("translations"))),
    ):
        translator = QTranslator(app)
        loaded = translator.load(locale, name, "_", folder)
        if not loaded and name == TRANSLATIONS_PREFIX:
            # A language we have no translation for (or the C locale) gets English, whose
            # file holds the plural forms ("1 lecture", "3 lectures").
            loaded = translator.load(QLocale(QLocale.Language.English), name, "_", folder)
        if loaded:
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def apply_language(app: QCoreApplication, locale: QLocale) -> list[QTranslator]:
    """Make `locale` the language of the UI, of numbers and sizes, and of catalog text."""
    QLocale.setDefault(locale)
    textutil.set_preferred_languages(display_languages(locale))
    return install_translators(app, locale)


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # The organisation's domain and the application name spell the reverse-DNS id, as in
    # the desktop file, the AppStream metainfo and the icon names.
    QCoreApplication.setOrganizationName(ORGANIZATION_DOMAIN)
    QCoreApplication.setOrganizationDomain(ORGANIZATION_DOMAIN)
    QCoreApplication.setApplicationName(APP_ID.rsplit(".", 1)[1])
    QGuiApplication.setDesktopFileName(APP_ID)
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        # Without it Windows groups the window under python.exe, with Python's icon.
        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_ID)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setWindowIcon(QIcon(str(resource_path("icons", "lecture-player.svg"))))
    return app


class OpenErrorBox(QMessageBox):
    """Why the library did not open, and what to do next."""

    def __init__(self, parent: QWidget | None, exc: BaseException) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("Lecture Player"))
        if isinstance(exc, LibraryInUse):
            self.setText(
                self.tr("The library is already in use by another Lecture Player window or command.")
            )
            self.setInformativeText(
                self.tr(
                    "Close the other window, or wait for the command to finish, then start Lecture Player again."
                )
            )
        elif isinstance(exc, PlayerError):
            # The core's sentence names the problem and its remedy; it has no translation.
            self.setText(self.tr("The library cannot be opened."))
            self.setInformativeText(str(exc))
        else:
            self.setText(self.tr("The library cannot be opened because of an unexpected error."))
            self.setInformativeText(
                self.tr(
                    "Start Lecture Player from a terminal with --debug to see the details, and report them."
                )
            )
        if self.informativeText() != str(exc):
            self.setDetailedText(str(exc) or type(exc).__name__)
        self.setStandardButtons(QMessageBox.StandardButton.Close)


class Launcher(QObject):
    """Shows the window at once and opens the library behind it; a failure ends the run."""

    finished = Signal(int)  # the exit code the application should end with

    def __init__(
        self, library_dir: Path, *, install_sample: bool = True, open_path: Path | None = None
    ) -> None:
        super().__init__()
        self._install_sample = install_sample
        self._open_path = open_path
        self.executor = LibraryExecutor(library_dir, self)
        self.window = MainWindow(self.executor, library_dir)
        self.error_box: QDialog | None = None  # an OpenErrorBox, or a RebuildDialog
        self.executor.failed.connect(self._on_failed)

    def start(self) -> None:
        self.window.show()
        if self._open_path is not None:
            self.window.open_path(self._open_path)
        self.executor.open(install_sample=self._install_sample)

    def shutdown(self) -> None:
        self.executor.shutdown()

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PlayerError):
            log.warning("%s", exc)
        else:
            log.error("Opening the library failed", exc_info=exc)
        from player.ui import rebuild

        if rebuild.may_be_damaged(exc):
            # Whether the database itself is damaged is a read of the file: off the GUI thread.
            root = self.executor.root
            run_task(
                lambda: rebuild.damage(root),
                lambda problem: self._offer_rebuild(problem, exc),
                lambda _check_failed: self._show_error(exc),
                owner=self,
            )
            return
        self._show_error(exc)

    def _show_error(self, exc: BaseException) -> None:
        self.error_box = OpenErrorBox(self.window, exc)
        self.error_box.finished.connect(lambda _result: self.finished.emit(EXIT_INCOMPLETE))
        self.error_box.open()

    def _offer_rebuild(self, problem: str | None, exc: BaseException) -> None:
        if problem is None:
            self._show_error(exc)
            return
        from player.ui.rebuild import RebuildDialog

        dialog = RebuildDialog(self.executor.root, problem, self.window)
        dialog.rebuilt.connect(lambda _result: self.executor.open(install_sample=False))
        dialog.rejected.connect(lambda: self.finished.emit(EXIT_INCOMPLETE))
        self.error_box = dialog
        dialog.open()


def display_problem() -> str | None:
    """Why no window can be shown here, or None. Qt would abort the process instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "No display was found, so the window cannot open. Start Lecture Player from a desktop "
        "session, or use its commands (see `lecture-player --help`)."
    )


def resolve_gui_library(option: str | None, prefs: Preferences | None = None) -> tuple[Path, LibraryOrigin]:
    """--library, then $LECTURE_PLAYER_LIBRARY, then the folder chosen in the settings, then
    the user data folder; and which of them it was."""
    if option:
        return resolve_library_dir(option), LibraryOrigin.OPTION
    if os.environ.get(ENV_LIBRARY):
        return resolve_library_dir(None), LibraryOrigin.ENVIRONMENT
    chosen = (prefs or Preferences()).library_dir
    if chosen is not None:
        return chosen, LibraryOrigin.PREFERENCE
    return default_library_dir(), LibraryOrigin.DEFAULT


class MissingLibraryBox(QMessageBox):
    """The chosen library folder is not there, most likely on a drive that is not plugged in."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Lecture Player"))
        self.setText(self.tr("The library folder %1 cannot be found.").replace("%1", str(folder)))
        self.setInformativeText(
            self.tr(
                "If it is on an external drive, plug the drive in and start Lecture Player again. "
                "You can also use the default library this time; the chosen folder stays in the settings."
            )
        )
        self.use_default = self.addButton(
            self.tr("Use the default library"), QMessageBox.ButtonRole.AcceptRole
        )
        self.quit_button = self.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.quit_button)
        self.setEscapeButton(self.quit_button)


def confirm_library_dir(folder: Path, origin: LibraryOrigin) -> Path | None:
    """The folder to open, or None to quit. A chosen folder that is missing is never
    silently created: a new empty library on the wrong disk would look like lost lectures."""
    if origin is not LibraryOrigin.PREFERENCE or folder.is_dir():
        return folder
    box = MissingLibraryBox(folder)
    box.exec()
    return default_library_dir() if box.clickedButton() is box.use_default else None


def start_again() -> bool:
    program, arguments = preferences.restart_command()
    started, _pid = QProcess.startDetached(program, arguments, os.getcwd())
    if not started:
        log.error("Could not start Lecture Player again: %s %s", program, arguments)
    return bool(started)


def run_gui(args: argparse.Namespace) -> int:
    """Run the GUI until its window closes; return the process exit code."""
    problem = display_problem()
    if problem:
        print(f"lecture-player: {problem}", file=sys.stderr)
        return EXIT_INCOMPLETE
    debug = bool(getattr(args, "debug", False))
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s: %(message)s"
    )
    app = create_application()
    prefs = Preferences()
    apply_language(app, ui_locale())
    preferences.apply_font_scale(app, prefs.font_scale)
    folder, origin = resolve_gui_library(getattr(args, "library", None), prefs)
    chosen = confirm_library_dir(folder, origin)
    if chosen is None:
        return EXIT_INCOMPLETE
    preferences.library_origin = origin if chosen == folder else LibraryOrigin.FALLBACK
    launcher = Launcher(chosen, open_path=getattr(args, "open_path", None))
    launcher.finished.connect(app.exit)
    launcher.start()
    try:
        code = app.exec()
    finally:
        launcher.shutdown()
    # Only now, with the library closed and its lock released, can the new process open it.
    if preferences.restart_requested():
        app.setProperty(preferences.RESTART_PROPERTY, False)
        start_again()
    return code if code is not None else EXIT_OK
