"""Get lectures → Remove source…: a confirmation that offers to delete the files, and
says how much was freed."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from player.library.db import open_library  # noqa: E402
from player.ui.widgets import size_text  # noqa: E402
from tests.mirrors import sha  # noqa: E402
from tests.test_rebuild import SRC  # noqa: E402
from tests.test_sources_remove import OTHER, stored, two_sources  # noqa: E402
from tests.ui_helpers import running_launcher, ui_language  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english(qapp):
    with ui_language(qapp, "en"):
        yield


def sources_page(qtbot, launcher):
    window = launcher.window
    qtbot.waitUntil(lambda: window.toolbar.isEnabled())
    window.screen_actions["get"].trigger()
    page = window.get_page
    qtbot.waitUntil(lambda: page.sources_model.rowCount() == 2)
    return page


def choose(page, source_id: str) -> None:
    model = page.sources_model
    row = next(r for r in range(model.rowCount()) if model.item(r).source.id == source_id)
    page.sources_view.setCurrentIndex(model.index(row, 0))


def test_remove_with_its_files_frees_only_what_no_other_kept_series_uses(qtbot, tmp_path, keypair):
    lib_dir, files = two_sources(tmp_path, keypair)
    before = stored(lib_dir)
    shared = sha(files["media/light.mp4"])
    freed = sum(size for h, size in before.items() if h != shared)
    with running_launcher(qtbot, lib_dir) as launcher:
        page = sources_page(qtbot, launcher)
        assert not page.remove_button.isEnabled()  # no source chosen yet
        assert page.remove_button.accessibleName()
        choose(page, SRC)
        qtbot.waitUntil(page.remove_button.isEnabled)
        dialog = page.open_remove_dialog()
        assert dialog is not None and dialog.isVisible()
        assert SRC in dialog.question.text() and "progress and bookmarks stay" in dialog.detail.text()
        assert dialog.cancel_button.isDefault()  # nothing is removed by pressing Enter
        qtbot.waitUntil(dialog.delete_files.isEnabled)
        assert f"({size_text(freed)})" in dialog.delete_files.text()
        assert dialog.delete_files.accessibleName() and dialog.remove_button.accessibleName()
        dialog.delete_files.setChecked(True)
        with qtbot.waitSignal(dialog.removed, timeout=30000) as removed:
            dialog.remove_button.click()
        assert removed.args[0].bytes_freed == freed
        assert page.state_title.text() == "Source removed"
        assert page.state_detail.text() == f"{SRC} is no longer followed; {size_text(freed)} freed."
        qtbot.waitUntil(lambda: page.sources_model.rowCount() == 1)
        assert page.sources_model.item(0).source.id == OTHER
    assert stored(lib_dir) == {shared: before[shared]}
    with open_library(lib_dir) as lib:
        assert lib.db.execute("SELECT count(*) FROM progress WHERE source_id = ?", [SRC]).fetchone() == (1,)


def test_cancel_removes_nothing_and_without_the_box_the_files_stay(qtbot, tmp_path, keypair):
    lib_dir, _ = two_sources(tmp_path, keypair)
    before = stored(lib_dir)
    with running_launcher(qtbot, lib_dir) as launcher:
        page = sources_page(qtbot, launcher)
        choose(page, SRC)
        dialog = page.open_remove_dialog()
        qtbot.waitUntil(dialog.delete_files.isEnabled)
        dialog.cancel_button.click()
        assert not dialog.isVisible()
        dialog = page.open_remove_dialog()
        with qtbot.waitSignal(dialog.removed, timeout=30000):
            dialog.remove_button.click()
        assert page.state_detail.text() == f"{SRC} is no longer followed; its files stay in the library."
        qtbot.waitUntil(lambda: page.sources_model.rowCount() == 1)
    assert stored(lib_dir) == before


def test_removing_the_last_source_keeps_saying_what_was_removed(qtbot, tmp_path, keypair):
    lib_dir, _ = two_sources(tmp_path, keypair)
    with running_launcher(qtbot, lib_dir) as launcher:
        page = sources_page(qtbot, launcher)
        for remaining, source_id in ((1, OTHER), (0, SRC)):
            choose(page, source_id)
            qtbot.waitUntil(page.remove_button.isEnabled)
            dialog = page.open_remove_dialog()
            with qtbot.waitSignal(dialog.removed, timeout=30000):
                dialog.remove_button.click()
            qtbot.waitUntil(lambda n=remaining: page.sources_model.rowCount() == n)
        # The empty list has been read back, and the outcome was not replaced by "No sources yet".
        qtbot.waitUntil(lambda: page.sources_empty.isVisibleTo(page))
        assert page.state_title.text() == "Source removed"
        assert page.state_detail.text().startswith(f"{SRC} is no longer followed")


def test_the_dialog_speaks_chinese(qtbot, qapp, tmp_path, keypair):
    lib_dir, _ = two_sources(tmp_path, keypair)
    with ui_language(qapp, "zh_CN"), running_launcher(qtbot, lib_dir) as launcher:
        page = sources_page(qtbot, launcher)
        assert page.remove_button.text() == "移除来源…"
        choose(page, SRC)
        dialog = page.open_remove_dialog()
        assert dialog.windowTitle() == "移除来源" and dialog.remove_button.text() == "移除"
        assert dialog.question.text().startswith("不再关注")
        qtbot.waitUntil(dialog.delete_files.isEnabled)
        assert dialog.delete_files.text().startswith("同时删除")
        dialog.cancel_button.click()
