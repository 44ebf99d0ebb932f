"""Importing a USB bundle through the Get lectures screen: found on a drive, checked, copied."""

import os
import sqlite3

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from player.library.sources import key_fingerprint  # noqa: E402
from player.sync.drives import find_drive_bundles  # noqa: E402
from tests.mirrors import sha  # noqa: E402
from tests.test_bundle_export import cli, physics_library  # noqa: E402
from tests.test_bundle_import import media_states, sources_of  # noqa: E402
from tests.ui_helpers import make_library, running_launcher, ui_language  # noqa: E402

pytestmark = pytest.mark.gui

SOURCE = "org.example.physics"


@pytest.fixture(autouse=True)
def english(qapp):
    with ui_language(qapp, "en"):
        yield


def exported_to_drive(tmp_path, keypair):
    """A bundle of 'mechanics' written by `lecture-player export` onto a 'drive' under mnt/."""
    lib, _, _, files = physics_library(tmp_path, keypair)
    dest = tmp_path / "mnt" / "USBSTICK" / "lectures"
    done = cli(lib, "export", str(dest), "--series", "mechanics")
    assert done.returncode == 0, done.stderr
    return dest, files


def get_page(qtbot, launcher, roots):
    window = launcher.window
    qtbot.waitUntil(lambda: window.toolbar.isEnabled())
    window.screen_actions["get"].trigger()
    page = window.get_page
    page.drive_roots = roots
    qtbot.waitUntil(lambda: page.import_button.isEnabled())
    return page


def test_bundles_are_found_on_a_drive_or_one_folder_down(tmp_path):
    mnt = tmp_path / "mnt"
    (mnt / "A").mkdir(parents=True)
    (mnt / "A" / "bundle.json").write_text("{}")
    (mnt / "B" / "lectures").mkdir(parents=True)
    (mnt / "B" / "lectures" / "bundle.json").write_text("{}")
    (mnt / "C" / "x" / "deep").mkdir(parents=True)
    (mnt / "C" / "x" / "deep" / "bundle.json").write_text("{}")  # too deep: drives are not walked
    assert find_drive_bundles([mnt, tmp_path / "not-there"]) == [mnt / "A", mnt / "B" / "lectures"]


def test_a_bundle_on_a_drive_is_shown_checked_trusted_and_imported(qtbot, tmp_path, keypair):
    bundle, files = exported_to_drive(tmp_path, keypair)
    fresh = make_library(tmp_path / "fresh", 0)
    with running_launcher(qtbot, fresh) as launcher:
        page = get_page(qtbot, launcher, [tmp_path / "mnt"])
        page.import_button.click()
        dialog = page.import_dialog
        assert dialog is not None and dialog.isVisible()
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
        assert dialog.bundles.currentData() == str(bundle)
        text = dialog.contents.text()
        assert SOURCE in text and "Mechanics" in text and "Astronomy" not in text
        assert "4 files" in text.replace("file(s)", "files")
        # A source new to this library: the key the bundle carries is shown, and must be trusted.
        assert key_fingerprint(keypair[1]) in text
        assert dialog.trust.isVisible() and not dialog.import_button.isEnabled()
        dialog.trust.click()
        assert dialog.import_button.isEnabled()

        events = []
        page.importer.event.connect(lambda name, info: events.append(name))
        with qtbot.waitSignal(page.session.library_changed, timeout=60000):
            dialog.import_button.click()
            assert not dialog.isVisible()
            assert page.cancel_button.isEnabled() and not page.import_button.isEnabled()
        assert page.state_title.text().replace("file(s)", "files") == "Imported 4 files"
        assert "1 series kept" in page.state_detail.text().replace("series(s)", "series")
        assert page.overall_bar.value() == page.overall_bar.maximum()
        assert events.count("file_done") == 4 and events[-1] == "finished"
        qtbot.waitUntil(lambda: page.sources_model.rowCount() == 1)
        assert page.import_button.isEnabled()
    assert sources_of(fresh) == {SOURCE: keypair[1]}
    states = media_states(fresh)
    for href in ("media/gravity.mp4", "media/gravity.en.vtt", "media/gravity.zh.vtt", "media/light.mp4"):
        assert states[href] == "present"
        stored = next((fresh / "media").rglob(f"{sha(files[href])}.*"))
        assert stored.read_bytes() == files[href]
    assert states["media/stars.mp4"] == "absent"
    with sqlite3.connect(fresh / "library.db") as db:
        assert db.execute("SELECT series_id FROM kept").fetchall() == [("mechanics",)]


def test_a_tampered_bundle_is_refused_with_the_reason_and_nothing_changes(qtbot, tmp_path, keypair):
    bundle, _ = exported_to_drive(tmp_path, keypair)
    catalog = bundle / "catalog.json"
    catalog.write_bytes(catalog.read_bytes().replace(b"Mechanics", b"Mechanica"))
    fresh = make_library(tmp_path / "fresh", 0)
    with running_launcher(qtbot, fresh) as launcher:
        page = get_page(qtbot, launcher, [tmp_path / "empty-mnt"])
        page.import_button.click()
        dialog = page.import_dialog
        qtbot.waitUntil(lambda: "No drive with a bundle.json" in dialog.status.text())
        dialog.choose(str(bundle))  # what "Choose folder…" does with the folder picked
        qtbot.waitUntil(lambda: bool(dialog.error), timeout=20000)
        assert "signature does not match" in dialog.error
        assert str(bundle) in dialog.error
        assert dialog.preview is None and not dialog.import_button.isEnabled()
        dialog.reject()
    assert sources_of(fresh) == {}


def test_a_bundle_that_carries_no_key_for_a_new_source_is_refused(qtbot, tmp_path, keypair):
    """Nothing to trust: no key in bundle.json, no signature, an edited catalog."""
    import json

    bundle, _ = exported_to_drive(tmp_path, keypair)
    manifest = json.loads((bundle / "bundle.json").read_text())
    manifest["sources"][0]["pubkey"] = None
    (bundle / "bundle.json").write_text(json.dumps(manifest))
    (bundle / "catalog.json.sig").unlink()
    catalog = bundle / "catalog.json"
    catalog.write_bytes(catalog.read_bytes().replace(b"Mechanics", b"Mechanica"))
    fresh = make_library(tmp_path / "fresh", 0)
    with running_launcher(qtbot, fresh) as launcher:
        page = get_page(qtbot, launcher, [tmp_path / "empty-mnt"])
        page.import_button.click()
        dialog = page.import_dialog
        qtbot.waitUntil(lambda: "No drive with a bundle.json" in dialog.status.text())
        dialog.choose(str(bundle))
        qtbot.waitUntil(lambda: bool(dialog.error), timeout=20000)
        assert "carries no key for it, so there is no key to trust" in dialog.error
        assert dialog.preview is None and not dialog.import_button.isEnabled()
        dialog.reject()
    assert sources_of(fresh) == {}


def test_cancel_keeps_the_copied_files_and_importing_again_finishes(qtbot, tmp_path, keypair):
    from tests.test_bundle_export import big_library

    lib, _, files = big_library(tmp_path, keypair, n=6, size=3 * 1024 * 1024)
    dest = tmp_path / "mnt" / "USB" / "big"
    assert cli(lib, "export", str(dest), "--all-kept").returncode == 0
    fresh = make_library(tmp_path / "fresh", 0)
    with running_launcher(qtbot, fresh) as launcher:
        page = get_page(qtbot, launcher, [tmp_path / "mnt"])
        page.import_button.click()
        dialog = page.import_dialog
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
        dialog.trust.click()
        started = []
        # Cancel from the first progress report: the copy stops between two blocks.
        page.importer.event.connect(
            lambda name, info: (
                (started.append(name), page.cancel_button.click())
                if name == "file_started" and not started
                else None
            )
        )
        with qtbot.waitSignal(page.importer.finished, timeout=60000):
            dialog.import_button.click()
        assert page.state_title.text() == "Import stopped"
        assert "kept" in page.state_detail.text()
        with sqlite3.connect(fresh / "library.db") as db:
            present = db.execute("SELECT count(*) FROM media WHERE state = 'present'").fetchone()[0]
        assert present < len(files)

        qtbot.waitUntil(lambda: page.import_button.isEnabled())
        page.import_button.click()
        dialog = page.import_dialog
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
        assert not dialog.trust.isVisible()  # the key is pinned now; nothing to trust
        with qtbot.waitSignal(page.importer.finished, timeout=60000):
            dialog.import_button.click()
        assert page.state_title.text().startswith("Imported")
    states = media_states(fresh)
    assert all(states[href] == "present" for href in files)


def test_opened_with_a_bundle_the_app_offers_to_import_it(qtbot, tmp_path, keypair):
    """What the file manager does: `lecture-player PATH` with a bundle's bundle.json, or its
    catalog.json (a bundle's folder is imported, whichever of its files was opened)."""
    from player.ui.app import Launcher

    bundle, _ = exported_to_drive(tmp_path, keypair)
    for opened in (bundle / "bundle.json", bundle / "catalog.json"):
        fresh = make_library(tmp_path / f"fresh-{opened.stem}", 0)
        launcher = Launcher(fresh, install_sample=False, open_path=opened)
        qtbot.addWidget(launcher.window)
        try:
            launcher.start()
            window = launcher.window
            qtbot.waitUntil(lambda w=window: w.pages.currentWidget() is w._get_page)
            dialog = window.get_page.import_dialog
            assert dialog is not None and dialog.isVisible()
            qtbot.waitUntil(lambda d=dialog: d.bundles.currentData() == str(bundle))
            dialog.reject()
        finally:
            launcher.shutdown()


def test_opened_with_a_catalog_the_app_offers_to_add_its_folder_as_a_source(qtbot, tmp_path, keypair):
    from player.ui.app import Launcher

    _, mirror, _, _ = physics_library(tmp_path, keypair)
    fresh = make_library(tmp_path / "fresh", 0)
    launcher = Launcher(fresh, install_sample=False, open_path=mirror / "catalog.json")
    qtbot.addWidget(launcher.window)
    try:
        launcher.start()
        window = launcher.window
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window._get_page)
        dialog = window.get_page.add_dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.location.text() == str(mirror)
        dialog.reject()
    finally:
        launcher.shutdown()
