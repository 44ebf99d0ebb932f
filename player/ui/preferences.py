"""The per-user app preferences (QSettings), and putting them into effect.

Unlike library settings, these belong to the person's account: where their library
is, the interface language and the font size. Library location and language take
effect at the next start; the font size at once.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

ORGANIZATION = "lectureplayer.org"  # as the application object names it (player.ui.app)
APPLICATION = "LecturePlayer"
# A folder for the preferences file instead of the user's config folder (tests, portable setups).
ENV_CONFIG = "LECTURE_PLAYER_CONFIG_DIR"
ENV_LANG = "LECTURE_PLAYER_LANG"  # the interface language, before the preference

LIBRARY_KEY = "library/location"
LANGUAGE_KEY = "ui/language"
FONT_SCALE_KEY = "ui/font_scale"

# "" follows the system; the others are QLocale names the translations are named after.
LANGUAGES = ("", "zh_CN", "en")
FONT_SCALES = (100, 125, 150, 175, 200)
RESTART_PROPERTY = "lecturePlayerRestart"  # on the QApplication: start again after quitting


class Preferences:
    """Typed access to the preferences; every read goes to QSettings, so all copies agree."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings or _open_settings()

    @property
    def library_dir(self) -> Path | None:
        value = self.settings.value(LIBRARY_KEY, "", str)
        return Path(value) if value else None

    @library_dir.setter
    def library_dir(self, path: Path | None) -> None:
        if path is None:
            self.settings.remove(LIBRARY_KEY)
        else:
            self.settings.setValue(LIBRARY_KEY, str(path))
        self.settings.sync()

    @property
    def language(self) -> str:
        value = self.settings.value(LANGUAGE_KEY, "", str)
        return value if value in LANGUAGES else ""

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}")
        if value:
            self.settings.setValue(LANGUAGE_KEY, value)
        else:
            self.settings.remove(LANGUAGE_KEY)
        self.settings.sync()

    @property
    def font_scale(self) -> int:
        try:
            value = int(self.settings.value(FONT_SCALE_KEY, 100))
        except (TypeError, ValueError):
            return 100
        return value if value in FONT_SCALES else 100

    @font_scale.setter
    def font_scale(self, value: int) -> None:
        if value not in FONT_SCALES:
            raise ValueError(f"unsupported font scale {value!r}")
        self.settings.setValue(FONT_SCALE_KEY, value)
        self.settings.sync()


def _open_settings() -> QSettings:
    folder = os.environ.get(ENV_CONFIG, "").strip()
    if folder:
        return QSettings(str(Path(folder) / "lecture-player.ini"), QSettings.Format.IniFormat)
    # Ini everywhere (not the Windows registry): one format to support and to copy.
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


# -- where the library is -------------------------------------------------------------------


class LibraryOrigin(Enum):
    """Which rule chose this run's library folder."""

    OPTION = "option"  # --library
    ENVIRONMENT = "environment"  # $LECTURE_PLAYER_LIBRARY
    PREFERENCE = "preference"
    DEFAULT = "default"
    FALLBACK = "fallback"  # the chosen folder was missing at start; the default one was opened


# Set by run_gui, read by the settings screen to explain which folder is in use and why.
library_origin = LibraryOrigin.DEFAULT


class FolderKind(Enum):
    LIBRARY = "library"  # holds a library: used as it is
    EMPTY = "empty"  # a new library is made in it
    OTHER = "other"  # holds other files: the library goes in a folder inside it


LIBRARY_SUBFOLDER = "Lecture Player library"


@dataclass(frozen=True)
class FolderCheck:
    chosen: Path  # what the person picked
    library_dir: Path  # where the library will be
    kind: FolderKind
    problem: str | None = None  # why it cannot be used (already a sentence for the user)


def check_library_folder(folder: Path) -> FolderCheck:
    """Whether a picked folder can hold the library, and where in it. Touches the disk:
    call it off the GUI thread. `problem` is plain English; the screen words its own."""
    folder = Path(folder).expanduser()
    if (folder / "library.db").is_file():
        kind, target = FolderKind.LIBRARY, folder
    elif (folder / LIBRARY_SUBFOLDER / "library.db").is_file():
        kind, target = FolderKind.LIBRARY, folder / LIBRARY_SUBFOLDER
    else:
        try:
            empty = not any(folder.iterdir())
        except OSError as exc:
            return FolderCheck(folder, folder, FolderKind.OTHER, exc.strerror or str(exc))
        kind = FolderKind.EMPTY if empty else FolderKind.OTHER
        target = folder if empty else folder / LIBRARY_SUBFOLDER
    try:
        # The only reliable test: permissions, read-only mounts and full FAT drives all differ.
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as exc:
        return FolderCheck(folder, target, kind, exc.strerror or str(exc))
    return FolderCheck(folder, target, kind)


def free_space(folder: Path) -> int | None:
    """Free bytes on the disk holding `folder` (or its nearest existing parent)."""
    import shutil

    folder = Path(folder)
    for candidate in (folder, *folder.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return None


# -- font size ----------------------------------------------------------------------------------

# The platform theme gives some classes fonts of their own (item views, menus, message
# boxes, …), which QApplication.setFont(font) alone would leave at the old size.
_FONT_CLASSES = (
    "QAbstractItemView",
    "QListView",
    "QTreeView",
    "QTableView",
    "QHeaderView",
    "QMenu",
    "QMenuBar",
    "QMenuItem",
    "QMessageBox",
    "QLabel",
    "QTipLabel",
    "QStatusBar",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QToolButton",
    "QGroupBox",
    "QComboBox",
    "QComboMenuItem",
    "QComboLineEdit",
    "QLineEdit",
    "QTabBar",
    "QDockWidgetTitle",
)
_base_fonts: dict[str, QFont] | None = None  # "" is the app's default font


def _scaled(font: QFont, percent: int) -> QFont:
    font = QFont(font)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * percent / 100)
    else:  # a font sized in pixels
        font.setPixelSize(max(1, round(font.pixelSize() * percent / 100)))
    return font


def apply_font_scale(app: QApplication, percent: int) -> None:
    """Scale the whole app's text to `percent` of the size it started with."""
    global _base_fonts
    if _base_fonts is None:
        _base_fonts = {"": QFont(app.font())}
        _base_fonts |= {name: QFont(app.font(name)) for name in _FONT_CLASSES}
    app.setFont(_scaled(_base_fonts[""], percent))
    for name in _FONT_CLASSES:
        app.setFont(_scaled(_base_fonts[name], percent), name)


def reset_font_scale(app: QApplication) -> None:
    """Back to the fonts the app started with (tests, and before a new base is taken)."""
    global _base_fonts
    if _base_fonts is not None:
        apply_font_scale(app, 100)
        _base_fonts = None


# -- starting again -----------------------------------------------------------------------------


def restart_command() -> tuple[str, list[str]]:
    """The program and arguments that started this process, to start it again."""
    if getattr(sys, "frozen", False):  # a bundled app: the executable is the program
        return sys.executable, sys.argv[1:]
    # orig_argv keeps "-m player"; argv[0] would be the path of player/__main__.py.
    return sys.executable, list(sys.orig_argv[1:])


def request_restart(window: QWidget) -> bool:
    """Close `window` (which may refuse, e.g. during a download) and ask for a new start once
    the app has shut down and released the library. False if the window stayed open."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    app.setProperty(RESTART_PROPERTY, True)
    if window.close():
        app.quit()
        return True
    app.setProperty(RESTART_PROPERTY, False)
    return False


def restart_requested() -> bool:
    app = QCoreApplication.instance()
    return bool(app is not None and app.property(RESTART_PROPERTY))
