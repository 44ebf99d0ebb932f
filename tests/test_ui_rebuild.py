"""A damaged library.db at start: the app offers to rebuild it, then opens the library."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from player.library.backups import backup_progress  # noqa: E402
from player.library.db import open_library  # noqa: E402
from player.library.progress_store import (
    get_progress,  # noqa: E402
    save_progress,  # noqa: E402
)
from player.progress import ProgressUpdate  # noqa: E402
from player.ui.models import SeriesModel  # noqa: E402
from player.ui.rebuild import RebuildDialog  # noqa: E402
from tests.test_rebuild import SRC, synced_library  # noqa: E402
from tests.ui_helpers import running_launcher, ui_language  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english(qapp):
    with ui_language(qapp, "en"):
        yield


def ruin(lib_dir) -> bytes:
    """Overwrite library.db with junk (and drop its journal), as a failing disk might."""
    junk = b"not a database at all " * 2048
    (lib_dir / "library.db").write_bytes(junk)
    for suffix in ("-wal", "-shm"):
        (lib_dir / f"library.db{suffix}").unlink(missing_ok=True)
    return junk


def rebuild_dialog(qtbot, launcher) -> RebuildDialog:
    qtbot.waitUntil(lambda: isinstance(launcher.error_box, RebuildDialog) and launcher.error_box.isVisible())
    return launcher.error_box


def test_rebuild_brings_back_the_series_and_the_progress_of_the_last_backup(qtbot, tmp_path, keypair):
    lib_dir, _ = synced_library(tmp_path, keypair)
    with open_library(lib_dir) as lib:
        ming = lib.db.execute("SELECT id FROM profiles WHERE name = 'Ming'").fetchone()[0]
        backup_progress(lib)
        # Progress after the backup is what the damage loses.
        save_progress(lib, ProgressUpdate(ming, SRC, "light", 50.0, 400, 10, False, 1.0, None))
    junk = ruin(lib_dir)

    with running_launcher(qtbot, lib_dir) as launcher:
        dialog = rebuild_dialog(qtbot, launcher)
        assert dialog.title.text() == "The library database is damaged."
        assert "file is not a database" in dialog.detail.text()
        assert "nothing is deleted" in dialog.detail.text()
        assert dialog.rebuild_button.isEnabled() and dialog.quit_button.isEnabled()
        window = launcher.window
        with qtbot.waitSignal(launcher.executor.opened, timeout=60000):
            dialog.rebuild_button.click()
            assert dialog.busy.isVisible() and not dialog.quit_button.isEnabled()
        assert not dialog.isVisible()
        qtbot.waitUntil(lambda: window.toolbar.isEnabled())
        assert window.pages.currentWidget() is window.home_page
        window.screen_actions["library"].trigger()
        qtbot.waitUntil(lambda: window.series_model.rowCount() == 2)
        titles = {window.series_model.index(r, SeriesModel.TITLE).data() for r in range(2)}
        assert titles == {"Mechanics", "Astronomy"}

        restored = []
        launcher.executor.submit(lambda lib: get_progress(lib, ming, SRC, "gravity"), restored.append)
        qtbot.waitUntil(lambda: bool(restored))
        assert restored[0] is not None and restored[0].position == 321.5
    # The damaged file is kept beside the new one, untouched.
    aside = list(lib_dir.glob("library.db.corrupt-*"))
    assert [p.read_bytes() for p in aside if not p.name.endswith(("-wal", "-shm"))] == [junk]
    with open_library(lib_dir) as lib:
        assert get_progress(lib, ming, SRC, "light") is None  # made after the backup: lost


def test_quit_leaves_the_damaged_library_as_it_was(qtbot, tmp_path, keypair):
    lib_dir, _ = synced_library(tmp_path, keypair)
    junk = ruin(lib_dir)
    with running_launcher(qtbot, lib_dir) as launcher:
        dialog = rebuild_dialog(qtbot, launcher)
        with qtbot.waitSignal(launcher.finished) as finished:
            dialog.quit_button.click()
        assert finished.args == [1]
    assert (lib_dir / "library.db").read_bytes() == junk
    assert not list(lib_dir.glob("library.db.corrupt-*"))


def test_a_library_in_use_is_not_offered_a_rebuild(qtbot, tmp_path, keypair):
    lib_dir, _ = synced_library(tmp_path, keypair)
    with open_library(lib_dir, install_sample=False), running_launcher(qtbot, lib_dir) as launcher:
        qtbot.waitUntil(lambda: launcher.error_box is not None and launcher.error_box.isVisible())
        assert not isinstance(launcher.error_box, RebuildDialog)
        assert "in use" in launcher.error_box.text()


@pytest.mark.parametrize("loss", ["missing", "empty"])
def test_a_lost_database_beside_the_library_files_is_offered_the_rebuild_never_a_new_library(
    qtbot, tmp_path, keypair, loss
):
    lib_dir, _ = synced_library(tmp_path, keypair)
    with open_library(lib_dir) as lib:
        backup_progress(lib)
    db = lib_dir / "library.db"
    db.unlink() if loss == "missing" else db.write_bytes(b"")
    with running_launcher(qtbot, lib_dir) as launcher:
        dialog = rebuild_dialog(qtbot, launcher)
        assert f"What is wrong: it is {loss}." in dialog.detail.text()
        assert db.exists() == (loss == "empty") and not launcher.executor.is_open  # no new library
        with qtbot.waitSignal(launcher.executor.opened, timeout=60000):
            dialog.rebuild_button.click()
        window = launcher.window
        window.screen_actions["library"].trigger()
        qtbot.waitUntil(lambda: window.series_model.rowCount() == 2)
    with open_library(lib_dir) as lib:
        # The sample was not slipped in: only the library's own source came back.
        assert [r[0] for r in lib.db.execute("SELECT id FROM sources")] == [SRC]


def test_a_full_disk_at_start_says_so_and_offers_no_rebuild(qtbot, tmp_path, keypair, small_disk):  # noqa: F811
    from tests.disks import fill
    from tests.test_disk_full import FULL

    lib_dir, _ = synced_library(small_disk, keypair)
    db = (lib_dir / "library.db").read_bytes()
    filler = fill(small_disk, 0)
    try:
        with running_launcher(qtbot, lib_dir) as launcher:
            qtbot.waitUntil(lambda: launcher.error_box is not None and launcher.error_box.isVisible())
            assert not isinstance(launcher.error_box, RebuildDialog)
            assert launcher.error_box.informativeText().endswith(FULL)
    finally:
        filler.unlink()
    assert (lib_dir / "library.db").read_bytes() == db
    assert not list(lib_dir.glob("library.db.corrupt-*"))
