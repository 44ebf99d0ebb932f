"""Shared setup for the GUI tests: real libraries on disk, and a running window."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QLocale  # noqa: E402

from player import textutil  # noqa: E402
from player.catalog.mirror import CatalogFiles  # noqa: E402
from player.library.db import open_library  # noqa: E402
from player.library.importer import import_catalog  # noqa: E402
from player.library.kept import keep_series  # noqa: E402
from tests.benchmarks.synth import catalog_bytes  # noqa: E402

SOURCE_ID = "org.example.bench"


def make_library(root: Path, n_series: int, n_lectures: int = 2, *, kept: tuple[str, ...] = ()) -> Path:
    """A closed library at `root` holding a generated catalog (no sample)."""
    with open_library(root, install_sample=False) as lib:
        if n_series:
            raw = catalog_bytes(n_series=n_series, n_lectures=n_lectures)
            import_catalog(lib, CatalogFiles(raw, None), location="test")
        for series_id in kept:
            keep_series(lib, SOURCE_ID, series_id)
    return root


@contextmanager
def running_launcher(qtbot, root: Path) -> Iterator:
    """A Launcher with its window shown and the library opening; shut down afterwards."""
    from player.ui.app import Launcher

    launcher = Launcher(root, install_sample=False)
    qtbot.addWidget(launcher.window)
    try:
        launcher.start()
        yield launcher
    finally:
        if launcher.error_box is not None:
            launcher.error_box.close()
        launcher.shutdown()


@contextmanager
def ui_language(app: QCoreApplication, lang: str) -> Iterator[list]:
    """Switch the UI to `lang` as the app does at start, and undo it afterwards."""
    from player.ui.app import apply_language

    saved_locale = QLocale()
    saved_langs = list(textutil._preferred)
    translators = apply_language(app, QLocale(lang))
    try:
        yield translators
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        QLocale.setDefault(saved_locale)
        textutil.set_preferred_languages(saved_langs)
