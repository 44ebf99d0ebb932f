import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QLocale, Qt, QTimer, QTranslator  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from player import textutil  # noqa: E402
from player.library.db import open_library  # noqa: E402
from player.ui.app import ENV_LANG, run_gui, ui_locale  # noqa: E402
from player.ui.models import SeriesModel  # noqa: E402
from tests.ui_helpers import make_library, running_launcher, ui_language  # noqa: E402

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent


def test_the_language_setting_overrides_the_system(monkeypatch):
    monkeypatch.setenv(ENV_LANG, "zh_CN")
    assert ui_locale().name() == "zh_CN"
    monkeypatch.setenv(ENV_LANG, "en")
    assert ui_locale().language() == QLocale.Language.English
    monkeypatch.delenv(ENV_LANG)
    assert ui_locale().name() == QLocale.system().name()


def test_the_window_speaks_chinese(qapp, qtbot, tmp_path):
    root = make_library(tmp_path / "lib", 3, n_lectures=2)
    with ui_language(qapp, "zh_CN") as translators, running_launcher(qtbot, root) as launcher:
        assert len(translators) == 2  # Qt's own strings and ours
        window = launcher.window
        assert window.windowTitle() == "讲座播放器"
        assert window.loading_page.title.text() == "正在打开资料库…"
        assert window.loading_page.title.isVisible()
        qtbot.waitUntil(lambda: window.lecture_model.rowCount() == 2)
        header = window.series_model.headerData(SeriesModel.TITLE, Qt.Orientation.Horizontal)
        assert header == "系列"
        assert window.series_model.index(0, SeriesModel.TITLE).data() == "科学系列0"
        assert window.lecture_pane.title.text() == "科学系列0"
        assert window.statusBar().currentMessage() == "3 个系列"
    assert textutil.pick({"en": "x", "zh": "y"}) == "x"  # the language switch was undone


def _wait_for_error_box(qtbot, launcher) -> QMessageBox:
    qtbot.waitUntil(lambda: launcher.error_box is not None and launcher.error_box.isVisible())
    return launcher.error_box


def test_a_library_in_use_here_shows_the_error_and_exits_1(qtbot, tmp_path):
    root = make_library(tmp_path / "lib", 1)
    with open_library(root, install_sample=False), running_launcher(qtbot, root) as launcher:
        box = _wait_for_error_box(qtbot, launcher)
        assert "in use" in box.text()
        assert "Close the other window" in box.informativeText()
        assert f"PID {os.getpid()}" in box.detailedText()
        assert launcher.window.pages.currentWidget() is launcher.window.error_page
        with qtbot.waitSignal(launcher.finished) as finished:
            box.button(QMessageBox.StandardButton.Close).click()
        assert finished.args == [1]


def test_a_library_locked_by_another_process_shows_the_error(qtbot, tmp_path):
    root = make_library(tmp_path / "lib", 1)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from player.library.lock import WriteLock; "
            "WriteLock(Path(sys.argv[1]) / 'library.lock').acquire(); print('locked', flush=True); "
            "sys.stdin.read()",
            str(root),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with running_launcher(qtbot, root) as launcher:
            box = _wait_for_error_box(qtbot, launcher)
            assert "in use" in box.text()
            assert f"PID {holder.pid}" in box.detailedText()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_damaged_database_shows_the_error(qtbot, tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "library.db").write_bytes(b"this is not a database" * 100)
    with running_launcher(qtbot, root) as launcher:
        box = _wait_for_error_box(qtbot, launcher)
        # A damaged database is not a dead end: the box offers to rebuild it (test_ui_rebuild.py).
        assert box.title.text() == "The library database is damaged."
        assert "file is not a database" in box.detail.text()
        assert box.rebuild_button.isEnabled() and box.quit_button.isEnabled()


def test_run_gui_returns_1_when_the_library_is_in_use(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_LANG, "en")
    root = make_library(tmp_path / "lib", 1)
    seen = []

    def close_the_dialog() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if boxes:
            seen.append(boxes[0].text())
            boxes[0].button(QMessageBox.StandardButton.Close).click()
        else:
            QTimer.singleShot(20, close_the_dialog)

    saved_langs = list(textutil._preferred)
    translators_before = set(qapp.findChildren(QTranslator))
    QTimer.singleShot(0, close_the_dialog)
    # A hung dialog fails the test instead of the run. Stopped afterwards: an exit() called
    # while no event loop runs makes every later loop return at once, and with it every
    # later test's waiting.
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: qapp.exit(99))
    guard.start(20_000)
    try:
        with open_library(root, install_sample=False):
            code = run_gui(argparse.Namespace(library=str(root), debug=False))
    finally:
        guard.stop()
        for translator in set(qapp.findChildren(QTranslator)) - translators_before:
            qapp.removeTranslator(translator)
        textutil.set_preferred_languages(saved_langs)
        QLocale.setDefault(QLocale.c())
    assert code == 1
    assert seen and "in use" in seen[0]


def test_untranslated_locales_fall_back_to_english_plurals(qapp):
    from PySide6.QtCore import QCoreApplication, QLocale

    from player.ui.app import install_translators

    translators = install_translators(qapp, QLocale(QLocale.Language.French))
    try:
        assert QCoreApplication.translate("LecturePane", "%n lecture(s)", None, 3) == "3 lectures"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_the_first_start_of_the_app_installs_the_sample(qtbot, tmp_path):
    """The app's first start gets the built-in sample (the command line's does not)."""
    from player.ui.app import Launcher

    root = tmp_path / "lib"
    launcher = Launcher(root)
    qtbot.addWidget(launcher.window)
    try:
        launcher.start()
        qtbot.waitUntil(lambda: launcher.executor.is_open, timeout=60_000)
    finally:
        launcher.shutdown()
    with open_library(root, write=False) as lib:
        sources = lib.db.execute("SELECT id, builtin FROM sources").fetchall()
        kept = lib.db.execute("SELECT count(*) FROM kept").fetchone()[0]
    assert sources == [("org.lecture-player.sample", 1)] and kept == 2
