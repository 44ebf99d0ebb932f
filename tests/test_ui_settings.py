"""The settings screen: profiles, progress export, library folder, language, text size."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QLocale, QTimer, QTranslator  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLineEdit, QMessageBox  # noqa: E402

from player import __version__, textutil  # noqa: E402
from player.cli import main  # noqa: E402
from player.library.db import open_library  # noqa: E402
from player.library.paths import ENV_LIBRARY, default_library_dir  # noqa: E402
from player.library.progress_store import add_profile, list_profiles, save_progress  # noqa: E402
from player.progress import ProgressUpdate  # noqa: E402
from player.ui import preferences  # noqa: E402
from player.ui.app import (  # noqa: E402
    MissingLibraryBox,
    confirm_library_dir,
    resolve_gui_library,
    run_gui,
    ui_locale,
)
from player.ui.preferences import ENV_LANG, LibraryOrigin, Preferences  # noqa: E402
from tests.ui_helpers import SOURCE_ID, make_library, running_launcher  # noqa: E402

pytestmark = pytest.mark.gui


def _visible(kind):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[0] if found else None


def _library_with_progress(root: Path) -> Path:
    make_library(root, 2, n_lectures=2)
    with open_library(root, install_sample=False) as lib:
        default = list_profiles(lib)[0].id
        kid = add_profile(lib, "小红").id
        for profile, lecture, seconds, done in (
            (default, "s0000-l000", 120.0, False),
            (kid, "s0000-l000", 600.0, True),
            (kid, "s0001-l001", 30.0, False),
        ):
            update = ProgressUpdate(
                profile, SOURCE_ID, lecture, 0 if done else 95.0, 600.0, seconds, done, None, None
            )
            save_progress(lib, update, at="2026-11-20T10:00:00Z")
    return root


def _open_settings(qtbot, launcher):
    window = launcher.window
    qtbot.waitUntil(lambda: window.session.profile_id is not None)
    page = window.settings_page
    window.show_page(page)
    qtbot.waitUntil(lambda: len(page.profile_model.profiles) > 0)
    return page


def _cli_csv(capsys, root: Path, *extra: str) -> bytes:
    code = main(["--library", str(root), "progress", "export", *extra, "--csv", "-"])
    out = capsys.readouterr().out
    assert code == 0
    return out.encode("utf-8")


def test_export_from_the_app_writes_what_the_command_line_writes(qtbot, tmp_path, capsys):
    root = _library_with_progress(tmp_path / "lib")
    everyone = tmp_path / "out" / "everyone.csv"
    mine = tmp_path / "out" / "mine.csv"
    everyone.parent.mkdir()
    with running_launcher(qtbot, root) as launcher:
        page = _open_settings(qtbot, launcher)
        kid = next(p.id for p in page.profile_model.profiles if p.name == "小红")
        launcher.window.profile_switcher.choose(kid)

        page.export_scope.setCurrentIndex(page.export_scope.findData("all"))
        page.export_button.click()
        qtbot.waitUntil(lambda: _visible(QFileDialog) is not None)
        dialog = _visible(QFileDialog)
        dialog.selectFile(str(everyone))
        with qtbot.waitSignal(page.exported, timeout=10_000) as done:
            dialog.accept()
        assert done.args == [str(everyone), 3]
        # (Plural forms come from the translation files, which gain new strings later.)
        assert page.export_status.text().startswith("Wrote the progress of 3 lecture")
        assert page.export_status.text().endswith(f" to {everyone}.")
        assert launcher.window.statusBar().currentMessage() == page.export_status.text()

        page.export_scope.setCurrentIndex(page.export_scope.findData("profile"))
        page.export_button.click()
        qtbot.waitUntil(lambda: _visible(QFileDialog) is not None)
        dialog = _visible(QFileDialog)
        dialog.selectFile(str(mine))
        with qtbot.waitSignal(page.exported, timeout=10_000) as done:
            dialog.accept()
        assert done.args == [str(mine), 2]

        # A folder that cannot take the file: a message, and the button works again.
        page.export_to(tmp_path / "no such folder" / "x.csv")
        qtbot.waitUntil(lambda: "could not be exported" in page.export_status.text())
        assert page.export_button.isEnabled()

    assert everyone.read_bytes().startswith(b"\xef\xbb\xbf")
    assert everyone.read_bytes() == _cli_csv(capsys, root)
    assert mine.read_bytes() == _cli_csv(capsys, root, "--profile", "小红")
    assert "小红" in mine.read_bytes().decode("utf-8-sig")


def test_profiles_can_be_added_renamed_and_deleted_on_the_settings_page(qtbot, tmp_path):
    root = _library_with_progress(tmp_path / "lib")
    with running_launcher(qtbot, root) as launcher:
        page = _open_settings(qtbot, launcher)
        switcher = launcher.window.profile_switcher
        assert [p.name for p in page.profile_model.profiles] == ["Default", "小红"]

        page.add_button.click()
        qtbot.waitUntil(lambda: _visible(QInputDialog) is not None)
        dialog = _visible(QInputDialog)
        qtbot.keyClicks(dialog.findChild(QLineEdit), "Ana")
        dialog.accept()
        qtbot.waitUntil(lambda: [p.name for p in page.profile_model.profiles] == ["Default", "小红", "Ana"])
        qtbot.waitUntil(lambda: switcher.findText("Ana") >= 0)  # the switcher heard of it too
        assert page.selected_profile().name == "Ana"

        page.rename_button.click()
        qtbot.waitUntil(lambda: _visible(QInputDialog) is not None)
        dialog = _visible(QInputDialog)
        edit = dialog.findChild(QLineEdit)
        assert edit.text() == "Ana"
        edit.setText("Anna")
        dialog.accept()
        qtbot.waitUntil(lambda: switcher.findText("Anna") >= 0)
        assert [p.name for p in page.profile_model.profiles] == ["Default", "小红", "Anna"]

        # Deleting the profile that is watching asks first, names what goes, and falls back.
        kid = next(p for p in page.profile_model.profiles if p.name == "小红")
        switcher.choose(kid.id)
        page.select_profile(kid.id)
        page.delete_button.click()
        qtbot.waitUntil(lambda: _visible(QMessageBox) is not None)
        box = _visible(QMessageBox)
        assert "小红" in box.text()
        assert "progress in 2 lecture" in box.informativeText()
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Cancel).click()
        page.delete_button.click()
        qtbot.waitUntil(lambda: _visible(QMessageBox) is not None)
        box = _visible(QMessageBox)
        with qtbot.waitSignal(launcher.window.session.profile_changed, timeout=10_000):
            next(b for b in box.buttons() if b.text() == "Delete").click()
        assert switcher.currentText() == "Default"
        qtbot.waitUntil(lambda: [p.name for p in page.profile_model.profiles] == ["Default", "Anna"])

    with open_library(root, install_sample=False, write=False) as lib:
        assert [p.name for p in list_profiles(lib)] == ["Default", "Anna"]
        assert lib.db.execute("SELECT count(*) FROM progress").fetchone()[0] == 1


def test_text_size_applies_at_once_and_is_kept(qtbot, qapp, tmp_path):
    root = make_library(tmp_path / "lib", 1)
    base = qapp.font().pointSizeF()
    try:
        with running_launcher(qtbot, root) as launcher:
            page = _open_settings(qtbot, launcher)
            assert page.font_combo.currentData() == 100
            page.font_combo.setCurrentIndex(page.font_combo.findData(150))
            assert qapp.font().pointSizeF() == pytest.approx(base * 1.5)
            assert page.profile_list.font().pointSizeF() == pytest.approx(base * 1.5)
            page.font_combo.setCurrentIndex(page.font_combo.findData(125))
            assert qapp.font().pointSizeF() == pytest.approx(base * 1.25)  # of the base, not compounded
        assert Preferences().font_scale == 125
        with running_launcher(qtbot, root) as launcher:
            assert launcher.window.settings_page.font_combo.currentData() == 125
    finally:
        preferences.reset_font_scale(qapp)
    assert qapp.font().pointSizeF() == base


def test_the_language_preference_is_used_unless_the_variable_says_otherwise(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_LANG, raising=False)
    root = make_library(tmp_path / "lib", 1)
    with running_launcher(qtbot, root) as launcher:
        page = _open_settings(qtbot, launcher)
        assert page.language_combo.currentText() == "System default"
        assert not page.language_restart.isVisibleTo(page)
        page.language_combo.setCurrentIndex(page.language_combo.findData("zh_CN"))
        assert page.language_combo.currentText() == "中文（简体）"
        assert "starts again" in page.language_note.text()
        assert page.language_restart.isVisibleTo(page)
    assert Preferences().language == "zh_CN"
    assert ui_locale().name() == "zh_CN"
    monkeypatch.setenv(ENV_LANG, "en")
    assert ui_locale().name().startswith("en")
    monkeypatch.delenv(ENV_LANG)
    Preferences().language = ""
    assert ui_locale().name() == ui_locale().system().name()


def test_choosing_a_library_folder_is_used_at_the_next_start(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_LIBRARY, raising=False)
    root = make_library(tmp_path / "lib", 1)
    other = make_library(tmp_path / "other", 0)
    empty = tmp_path / "usb"
    empty.mkdir()
    busy = tmp_path / "documents"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    a_file = tmp_path / "file"
    a_file.write_text("x")

    with running_launcher(qtbot, root) as launcher:
        page = _open_settings(qtbot, launcher)
        assert page.library_label.text() == str(root)
        assert page.about_library_label.text() == str(root)
        assert page.version_label.text() == __version__
        qtbot.waitUntil(lambda: page.free_label.text().endswith("free"))
        assert not page.library_restart.isVisibleTo(page)

        with qtbot.waitSignal(page.library_choice_changed):
            page.choose_library_folder(empty)
        assert Preferences().library_dir == empty
        assert "new library" in page.library_note.text()
        assert page.library_restart.isVisibleTo(page)

        with qtbot.waitSignal(page.library_choice_changed):
            page.choose_library_folder(busy)
        assert Preferences().library_dir == busy / preferences.LIBRARY_SUBFOLDER
        assert "other files" in page.library_note.text()
        assert (busy / "notes.txt").read_text() == "mine" and len(list(busy.iterdir())) == 1

        page.choose_library_folder(a_file)
        qtbot.waitUntil(lambda: _visible(QMessageBox) is not None)
        box = _visible(QMessageBox)
        assert "cannot write to" in box.text() and str(a_file) in box.text()
        box.button(QMessageBox.StandardButton.Ok).click()
        assert Preferences().library_dir == busy / preferences.LIBRARY_SUBFOLDER  # unchanged

        with qtbot.waitSignal(page.library_choice_changed):
            page.choose_library_folder(other)
        assert Preferences().library_dir == other
        assert "used as it is" in page.library_note.text()

    assert resolve_gui_library(None) == (other, LibraryOrigin.PREFERENCE)
    assert resolve_gui_library(str(root)) == (root, LibraryOrigin.OPTION)
    monkeypatch.setenv(ENV_LIBRARY, str(empty))
    assert resolve_gui_library(None) == (empty, LibraryOrigin.ENVIRONMENT)
    monkeypatch.delenv(ENV_LIBRARY)
    Preferences().library_dir = None
    assert resolve_gui_library(None) == (default_library_dir(), LibraryOrigin.DEFAULT)


def test_restart_now_closes_the_window_and_asks_for_a_new_start(qtbot, qapp, tmp_path):
    root = make_library(tmp_path / "lib", 1)
    try:
        with running_launcher(qtbot, root) as launcher:
            page = _open_settings(qtbot, launcher)
            page.language_combo.setCurrentIndex(page.language_combo.findData("en"))
            page.language_restart.click()
            assert not launcher.window.isVisible()
            assert preferences.restart_requested()
        program, arguments = preferences.restart_command()
        assert Path(program).exists() and isinstance(arguments, list)
    finally:
        qapp.setProperty(preferences.RESTART_PROPERTY, False)


def _answer_missing_box(button: str, seen: list) -> None:
    box = _visible(MissingLibraryBox)
    if box is None:
        QTimer.singleShot(20, lambda: _answer_missing_box(button, seen))
        return
    seen.append(box.text())
    getattr(box, button).click()


def test_a_library_on_a_missing_drive_asks_instead_of_making_a_new_one(qapp, tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_LIBRARY, raising=False)
    monkeypatch.setenv(ENV_LANG, "en")
    unplugged = tmp_path / "media" / "usb" / "Lecture Player library"
    Preferences().library_dir = unplugged
    Preferences().font_scale = 175
    base = qapp.font().pointSizeF()
    seen: list[str] = []
    saved_langs = list(textutil._preferred)
    translators_before = set(qapp.findChildren(QTranslator))
    QTimer.singleShot(0, lambda: _answer_missing_box("quit_button", seen))
    try:
        code = run_gui(argparse.Namespace(library=None, debug=False))
        assert qapp.font().pointSizeF() == pytest.approx(base * 1.75)  # the text size, from the start
    finally:
        preferences.reset_font_scale(qapp)
        for translator in set(qapp.findChildren(QTranslator)) - translators_before:
            qapp.removeTranslator(translator)
        textutil.set_preferred_languages(saved_langs)
        QLocale.setDefault(QLocale.c())
    assert code == 1
    assert seen == [f"The library folder {unplugged} cannot be found."]
    assert not (tmp_path / "media").exists()  # nothing was made on the wrong disk

    # "Use the default library" opens the default folder this time, and keeps the choice.
    QTimer.singleShot(0, lambda: _answer_missing_box("use_default", seen))
    assert confirm_library_dir(unplugged, LibraryOrigin.PREFERENCE) == default_library_dir()
    assert Preferences().library_dir == unplugged
    assert (
        confirm_library_dir(unplugged, LibraryOrigin.OPTION) == unplugged
    )  # --library is not second-guessed


def test_after_falling_back_to_the_default_the_page_says_why(qtbot, tmp_path, monkeypatch):
    root = make_library(tmp_path / "lib", 1)
    unplugged = tmp_path / "usb" / "lib"
    Preferences().library_dir = unplugged
    monkeypatch.setattr(preferences, "library_origin", LibraryOrigin.FALLBACK)
    with running_launcher(qtbot, root) as launcher:
        page = _open_settings(qtbot, launcher)
        assert f"{unplugged} was not found at start" in page.library_note.text()
        assert page.library_restart.isVisibleTo(page)
        page.use_default_folder()
        assert Preferences().library_dir is None
        assert "not found" not in page.library_note.text()
        assert not page.default_button.isEnabled()
