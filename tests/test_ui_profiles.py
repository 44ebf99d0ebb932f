"""The "who is watching" switcher: choosing, adding, and remembering a profile."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox  # noqa: E402

from player.errors import BadInput  # noqa: E402
from player.library.db import open_library  # noqa: E402
from player.library.profiles import chosen_profile, delete_profile, rename_profile  # noqa: E402
from player.library.progress_store import add_profile, list_profiles  # noqa: E402
from tests.ui_helpers import make_library, running_launcher  # noqa: E402

pytestmark = pytest.mark.gui


def _names(switcher) -> list[str]:
    return [switcher.itemText(i) for i in range(switcher.count())]


def _visible(kind):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[0] if found else None


def _type_into_dialog(qtbot, name: str) -> None:
    qtbot.waitUntil(lambda: _visible(QInputDialog) is not None)
    dialog = _visible(QInputDialog)
    edit = dialog.findChild(QLineEdit)
    edit.selectAll()
    if name.isascii():
        qtbot.keyClicks(edit, name)
    else:  # QTest types ASCII only; Chinese arrives from an input method as a whole string
        edit.insert(name)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def _ready(qtbot, launcher, n_profiles: int):
    switcher = launcher.window.profile_switcher
    qtbot.waitUntil(lambda: launcher.window.session.profile_id is not None)
    qtbot.waitUntil(lambda: len(switcher.profiles) == n_profiles)
    return switcher


def test_switching_profiles_tells_the_session_and_is_remembered(qtbot, tmp_path):
    root = make_library(tmp_path / "lib", 1)
    with open_library(root, install_sample=False) as lib:
        ana = add_profile(lib, "Ana").id
        default = list_profiles(lib)[0].id

    with running_launcher(qtbot, root) as launcher:
        session = launcher.window.session
        with qtbot.waitSignal(session.profile_changed) as started:
            pass
        assert started.args == [default]  # at start, the switcher always sets the profile
        switcher = _ready(qtbot, launcher, 2)
        assert _names(switcher)[:2] == ["Default", "Ana"]
        assert switcher.currentText() == "Default"
        switcher.setFocus()
        with qtbot.waitSignal(session.profile_changed) as changed:
            qtbot.keyClick(switcher, Qt.Key.Key_Down)
        assert changed.args == [ana]
        assert session.profile_id == ana
        assert switcher.currentText() == "Ana"

    # The next start (the library thread wrote the choice before it closed) restores Ana.
    with running_launcher(qtbot, root) as launcher:
        session = launcher.window.session
        qtbot.waitUntil(lambda: session.profile_id is not None)
        assert session.profile_id == ana
        qtbot.waitUntil(lambda: launcher.window.profile_switcher.currentText() == "Ana")


def test_adding_a_profile_from_the_switcher_switches_to_it(qtbot, tmp_path):
    root = make_library(tmp_path / "lib", 1)
    with running_launcher(qtbot, root) as launcher:
        session = launcher.window.session
        switcher = _ready(qtbot, launcher, 1)
        default = session.profile_id
        assert _names(switcher)[-1] == "Add profile…"

        switcher.setFocus()
        qtbot.keyClick(switcher, Qt.Key.Key_End)  # the "Add profile…" entry
        assert session.profile_id == default  # the entry is an action, not a profile
        with qtbot.waitSignal(session.profile_changed) as changed:
            _type_into_dialog(qtbot, "  小红 ")
        qtbot.waitUntil(lambda: "小红" in _names(switcher))
        assert switcher.currentText() == "小红"
        assert changed.args == [session.profile_id] and session.profile_id != default

        # A duplicate is refused with a message naming it; nothing is added.
        qtbot.keyClick(switcher, Qt.Key.Key_End)
        _type_into_dialog(qtbot, "Default")
        qtbot.waitUntil(lambda: _visible(QMessageBox) is not None)
        box = _visible(QMessageBox)
        assert "already a profile named “Default”" in box.text()
        box.button(QMessageBox.StandardButton.Ok).click()

        # So is an empty name.
        qtbot.keyClick(switcher, Qt.Key.Key_End)
        _type_into_dialog(qtbot, "   ")
        qtbot.waitUntil(lambda: _visible(QMessageBox) is not None)
        box = _visible(QMessageBox)
        assert "needs a name" in box.text()
        box.button(QMessageBox.StandardButton.Ok).click()
        assert [p.name for p in switcher.profiles] == ["Default", "小红"]

    with open_library(root, install_sample=False, write=False) as lib:
        assert [p.name for p in list_profiles(lib)] == ["Default", "小红"]
        assert chosen_profile(lib).chosen_id == [p.id for p in list_profiles(lib)][1]


def test_rename_and_delete_in_the_core(library):
    ana = add_profile(library, "Ana")
    assert rename_profile(library, ana.id, " Anna ").name == "Anna"
    with pytest.raises(BadInput, match="already"):
        rename_profile(library, ana.id, "Default")
    with pytest.raises(BadInput):
        rename_profile(library, ana.id, "")
    from player.library.profiles import remember_profile

    remember_profile(library, ana.id)
    assert chosen_profile(library).chosen_id == ana.id
    delete_profile(library, ana.id)
    assert [p.name for p in list_profiles(library)] == ["Default"]
    assert chosen_profile(library).chosen_id == list_profiles(library)[0].id
    with pytest.raises(BadInput, match="last profile"):
        delete_profile(library, list_profiles(library)[0].id)


def test_the_first_profile_is_named_in_the_ui_language(qapp):
    from player.ui.profiles import display_name
    from tests.ui_helpers import ui_language

    with ui_language(qapp, "zh_CN"):
        assert display_name("Default") == "默认"
        assert display_name("Ming") == "Ming"
