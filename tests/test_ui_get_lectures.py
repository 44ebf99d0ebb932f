"""The Get lectures screen: sources, keeping, the plan, and a real sync over HTTP."""

import json
import os
import re
from datetime import datetime, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from player.catalog import signing  # noqa: E402
from player.library import queries  # noqa: E402
from player.library.db import open_library  # noqa: E402
from player.library.paths import LibraryPaths  # noqa: E402
from player.library.sources import add_source, key_fingerprint, list_sources  # noqa: E402
from player.sync import limits, preferences  # noqa: E402
from player.sync.keeping import set_kept  # noqa: E402
from player.ui.get_models import KeepModel  # noqa: E402
from player.ui.models import ItemRole  # noqa: E402
from tests.faultserver import FaultServer, sample_bytes  # noqa: E402
from tests.mirrors import base_catalog, one_series_catalog, sha, write_mirror  # noqa: E402
from tests.ui_helpers import running_launcher, ui_language  # noqa: E402

pytestmark = pytest.mark.gui

SOURCE = "org.example.big"


@pytest.fixture(autouse=True)
def english(qapp):
    with ui_language(qapp, "en"):
        yield


class Mirror:
    """A signed one-series catalog and its media, served by a FaultServer."""

    def __init__(self, server: FaultServer, key_path, n_files: int, size: int) -> None:
        self.server = server
        self.media = {f"/media/v{i}.mp4": sample_bytes(size, seed=i) for i in range(n_files)}
        entries = [(path.lstrip("/"), sha(data), len(data)) for path, data in self.media.items()]
        raw = json.dumps(one_series_catalog(entries)).encode()
        server.add_file("/catalog.json", raw)
        server.add_file("/catalog.json.sig", signing.sign(raw, signing.load_private_key(key_path)))
        for path, data in self.media.items():
            server.add_file(path, data)
        self.url = server.url("/catalog.json")

    def slow(self, rate: int, after: int = 16 * 1024) -> None:
        for path in self.media:
            self.server.set_fault(path, "trickle", after=after, rate=rate, piece=8 * 1024)


@pytest.fixture
def server():
    with FaultServer() as running:
        yield running


def kept_library(root, mirror: Mirror, pubkey: str):
    with open_library(root, install_sample=False) as lib:
        add_source(lib, mirror.url, pubkey=pubkey)
        set_kept(lib, SOURCE, "big", True)
    return root


def words(label) -> str:
    """A label's text with English plurals settled, translated or not: "4 file(s)" is "4 files"."""
    return re.sub(r"\b1 (\w+)\(s\)", r"1 \1", label.text()).replace("(s)", "s")


def part_files(root) -> dict[str, int]:
    tmp = LibraryPaths(root).tmp
    return {p.name: p.stat().st_size for p in tmp.glob("*.part")} if tmp.exists() else {}


def answer_box(text: str, button: QMessageBox.StandardButton) -> QTimer:
    """Click `button` on the message box saying `text` once it shows (it runs its own loop)."""
    timer = QTimer()
    timer.setInterval(20)

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible() and text in widget.text():
                timer.stop()
                widget.button(button).click()
                return

    timer.timeout.connect(look)
    timer.start()
    return timer


def ready_page(qtbot, launcher):
    window = launcher.window
    qtbot.waitUntil(lambda: window.toolbar.isEnabled())
    window.screen_actions["get"].trigger()
    page = window.get_page
    qtbot.waitUntil(lambda: page.sync_button.isEnabled(), timeout=10000)
    return page


def test_a_sync_shows_its_progress_and_ends_with_the_files_present(qtbot, tmp_path, server, keypair):
    private, public = keypair
    mirror = Mirror(server, private, n_files=4, size=256 * 1024)
    root = kept_library(tmp_path / "lib", mirror, public)
    mirror.slow(rate=512 * 1024)
    with running_launcher(qtbot, root) as launcher:
        page = ready_page(qtbot, launcher)
        assert page.state_title.text() == "Ready to sync"
        assert "4 files" in words(page.plan_label)
        events = []
        page.session.sync_event.connect(lambda name, info: events.append(name))
        with qtbot.waitSignal(page.session.library_changed, timeout=30000):
            page.sync_button.click()
            assert page.cancel_button.isEnabled() and not page.sync_button.isEnabled()
            qtbot.waitUntil(lambda: page.overall_bar.value() > 0 and page.transfers.rowCount() > 0)
            assert page.transfers.rowCount() <= 2  # the files in flight, two at a time
            assert page.speed_label.text()
        assert words(page.state_title) == "Finished with 4 files fetched"
        assert page.overall_bar.value() == page.overall_bar.maximum()
        assert page.transfers.rowCount() == 0
        assert events.count("file_done") == 4 and events[-1] == "finished"
        qtbot.waitUntil(lambda: "already on this computer" in page.plan_label.text())
        assert words(page.state_title) == "Finished with 4 files fetched"  # the outcome stays in view
        assert not page.sync_button.isEnabled()
    paths = LibraryPaths(root)
    for data in mirror.media.values():
        assert paths.media_file(sha(data), "mp4").read_bytes() == data
    assert part_files(root) == {}


def test_cancel_keeps_the_partial_bytes_and_the_next_sync_resumes_them(qtbot, tmp_path, server, keypair):
    private, public = keypair
    mirror = Mirror(server, private, n_files=2, size=1024 * 1024)
    root = kept_library(tmp_path / "lib", mirror, public)
    mirror.slow(rate=64 * 1024)
    with running_launcher(qtbot, root) as launcher:
        page = ready_page(qtbot, launcher)
        page.sync_button.click()
        qtbot.waitUntil(lambda: page.overall_bar.value() > 0 and page.transfers.rowCount() == 2)
        qtbot.waitUntil(lambda: any(size > 16 * 1024 for size in part_files(root).values()))
        launcher.window.resize(1180, 720)

        with qtbot.waitSignal(page.run.finished, timeout=10000):
            page.cancel_button.click()
        assert page.state_title.text() == "Stopped"
        assert "kept" in page.state_detail.text()
        kept_parts = part_files(root)
        assert kept_parts and all(size > 0 for size in kept_parts.values())

        server.clear_faults()
        qtbot.waitUntil(lambda: page.sync_button.isEnabled())
        assert "resumes" in page.plan_label.text()
        with qtbot.waitSignal(page.run.finished, timeout=30000):
            page.sync_button.click()
        assert words(page.state_title) == "Finished with 2 files fetched"
    for path, data in mirror.media.items():
        name = f"{sha(data)}.mp4.part"
        if name in kept_parts:
            assert server.requests(path)[-1].range == f"bytes={kept_parts[name]}-"
        assert LibraryPaths(root).media_file(sha(data), "mp4").read_bytes() == data
    assert part_files(root) == {}


def test_pause_stops_the_transfers_and_resume_finishes_them(qtbot, tmp_path, server, keypair):
    private, public = keypair
    mirror = Mirror(server, private, n_files=2, size=512 * 1024)
    root = kept_library(tmp_path / "lib", mirror, public)
    mirror.slow(rate=128 * 1024)
    with running_launcher(qtbot, root) as launcher:
        page = ready_page(qtbot, launcher)
        names = []
        page.session.sync_event.connect(lambda name, info: names.append(name))
        page.sync_button.click()
        rows = page.transfers
        qtbot.waitUntil(
            lambda: (
                rows.rowCount() == 2
                and all(rows.index(n).data(ItemRole).done > 0 for n in range(rows.rowCount()))
            )
        )
        page.pause_button.click()
        qtbot.waitUntil(lambda: page.state_title.text() == "Paused")
        assert page.resume_button.isEnabled() and not page.pause_button.isEnabled()
        assert page.run.running
        requests_before = len(server.requests())
        server.clear_faults()
        with qtbot.waitSignal(page.run.finished, timeout=30000):
            page.resume_button.click()
        assert names.index("paused") < names.index("resumed") < names.index("finished")
        assert words(page.state_title) == "Finished with 2 files fetched"
        # The files continued from their part files rather than from zero.
        resumed = server.requests()[requests_before:]
        assert resumed and all(r.range and not r.range.startswith("bytes=0-") for r in resumed)
    for data in mirror.media.values():
        assert LibraryPaths(root).media_file(sha(data), "mp4").read_bytes() == data


def test_closing_mid_sync_asks_no_keeps_syncing_yes_stops_and_closes(qtbot, tmp_path, server, keypair):
    private, public = keypair
    mirror = Mirror(server, private, n_files=2, size=1024 * 1024)
    root = kept_library(tmp_path / "lib", mirror, public)
    mirror.slow(rate=96 * 1024)
    question = "A sync is running. Stop it and quit?"
    with running_launcher(qtbot, root) as launcher:
        window = launcher.window
        page = ready_page(qtbot, launcher)
        page.sync_button.click()
        qtbot.waitUntil(lambda: page.overall_bar.value() > 0)

        timer = answer_box(question, QMessageBox.StandardButton.No)
        assert not window.close()
        assert not timer.isActive()  # the question was shown and answered
        assert window.isVisible() and page.run.running
        shown = page.overall_bar.value()
        qtbot.waitUntil(lambda: page.overall_bar.value() > shown, timeout=10000)

        timer = answer_box(question, QMessageBox.StandardButton.Yes)
        assert window.close()
        assert not timer.isActive()
        assert not window.isVisible()
    parts = part_files(root)
    assert parts and all(size > 0 for size in parts.values())
    with open_library(root) as lib:  # the window's library lock and connections are gone
        assert list_sources(lib)


def test_a_source_with_a_bad_signature_is_refused_and_nothing_is_added(qtbot, tmp_path, server, keypair):
    private, public = keypair
    other = tmp_path / "other" / "publisher.key"
    other.parent.mkdir()
    signing.generate_keypair(other)
    mirror = Mirror(server, other, n_files=1, size=1000)  # signed by another key than `public`
    root = tmp_path / "lib"
    open_library(root, install_sample=False).close()
    with running_launcher(qtbot, root) as launcher:
        window = launcher.window
        page = window.get_page
        qtbot.waitUntil(lambda: page.state_title.text() == "No sources yet")
        assert page.sources_empty.isVisibleTo(page) and not page.sources_view.isVisibleTo(page)
        dialog = page.open_add_dialog(mirror.url)
        dialog.key.setPlainText(public)
        dialog.add_button.click()
        qtbot.waitUntil(lambda: bool(dialog.error), timeout=10000)
        assert dialog.error.startswith("The catalog's signature does not match the pinned key")
        assert dialog.isVisible() and dialog.add_button.isEnabled()

        dialog.location.setText(server.url("/nowhere/catalog.json"))
        dialog.add_button.click()
        qtbot.waitUntil(lambda: "answered HTTP 404" in dialog.error, timeout=10000)
        page.refresh()
        qtbot.waitUntil(lambda: page.state_title.text() == "No sources yet")
        assert page.sources_model.rowCount() == 0
    with open_library(root) as lib:
        assert list_sources(lib) == []
        assert not any(LibraryPaths(root).catalogs.iterdir())


def test_adding_a_source_asks_to_trust_the_key_by_its_fingerprint(qtbot, tmp_path, server, keypair):
    private, public = keypair
    mirror = Mirror(server, private, n_files=1, size=1000)
    root = tmp_path / "lib"
    open_library(root, install_sample=False).close()
    seen = []
    with running_launcher(qtbot, root) as launcher:
        page = launcher.window.get_page
        qtbot.waitUntil(lambda: page.state_title.text() == "No sources yet")
        dialog = page.open_add_dialog(mirror.url)
        dialog.key.setPlainText(public)

        timer = QTimer()
        timer.setInterval(20)

        def trust() -> None:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QMessageBox) and widget.isVisible():
                    timer.stop()
                    seen.append((widget.text(), widget.informativeText()))
                    widget.button(QMessageBox.StandardButton.Yes).click()

        timer.timeout.connect(trust)
        timer.start()
        with qtbot.waitSignal(dialog.added, timeout=10000):
            dialog.add_button.click()
        qtbot.waitUntil(lambda: page.sources_model.rowCount() == 1)
        fingerprint = key_fingerprint(public)
        assert page.sources_model.index(0, page.sources_model.KEY).data() == fingerprint
        qtbot.waitUntil(lambda: page.keep_model.rowCount() == 1)
        assert seen[0][0] == "Trust this publisher key?" and fingerprint in seen[0][1]

        # Keeping the series through its check box plans it.
        keep = page.keep_model.index(0, KeepModel.KEEP)
        assert keep.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
        assert "No series kept yet" in page.totals_label.text()
        with qtbot.waitSignal(page.keep_model.kept_changed):
            assert page.keep_model.setData(keep, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
        assert keep.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        qtbot.waitUntil(lambda: page.sync_button.isEnabled())
        assert "Keeping 1 series" in words(page.totals_label)
        assert "1 file" in words(page.plan_label)
        with qtbot.waitSignal(page.keep_model.kept_changed):
            page.keep_model.setData(keep, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
        qtbot.waitUntil(lambda: "No series kept yet" in page.totals_label.text())
        qtbot.waitUntil(
            lambda: not page.sync_button.isEnabled() and page.state_title.text() == "No series kept yet"
        )
    with open_library(root) as lib:
        assert [s.pubkey for s in list_sources(lib)] == [public]


def test_a_plan_bigger_than_the_free_space_is_refused(qtbot, tmp_path, server, keypair):
    private, public = keypair
    mirror = Mirror(server, private, n_files=1, size=1000)
    root = kept_library(tmp_path / "lib", mirror, public)
    with running_launcher(qtbot, root) as launcher:
        page = ready_page(qtbot, launcher)
        page.reserve_edit.setText("900TB")
        page.save_settings_button.click()
        qtbot.waitUntil(lambda: "does not fit" in page.plan_label.text())
        assert page.state_title.text() == "Not enough free space"
        assert not page.sync_button.isEnabled()


def test_settings_are_kept_in_the_library_and_bad_ones_change_nothing(qtbot, tmp_path, server, keypair):
    private, public = keypair
    mirror = Mirror(server, private, n_files=1, size=1000)
    root = kept_library(tmp_path / "lib", mirror, public)
    with running_launcher(qtbot, root) as launcher:
        page = ready_page(qtbot, launcher)
        page.rate_edit.setText("500K")
        page.window_edit.setText("22:00-06:00")
        page.reserve_edit.setText("1GB")
        page.save_settings_button.click()
        qtbot.waitUntil(lambda: page.settings_message.text().startswith("Saved"))
        page.window_edit.setText("late")
        page.save_settings_button.click()
        qtbot.waitUntil(lambda: "not a time window" in page.settings_message.text())
    with open_library(root) as lib:
        assert limits.max_rate(lib) == 500_000
        assert str(limits.window(lib)) == "22:00-06:00"
        assert preferences.reserve(lib) == 10**9
    with running_launcher(qtbot, root) as launcher:
        page = launcher.window.get_page
        qtbot.waitUntil(lambda: page.rate_edit.text() == "500K")
        assert page.window_edit.text() == "22:00-06:00" and page.reserve_edit.text() == "1GB"


def test_outside_the_window_the_sync_waits_and_says_until_when(qtbot, tmp_path, server, keypair):
    private, public = keypair
    mirror = Mirror(server, private, n_files=1, size=1000)
    root = kept_library(tmp_path / "lib", mirror, public)
    start = datetime.now() + timedelta(hours=2)
    with open_library(root) as lib:
        limits.set_window(lib, f"{start:%H:%M}-{start + timedelta(hours=1):%H:%M}")
    with running_launcher(qtbot, root) as launcher:
        page = ready_page(qtbot, launcher)
        page.sync_button.click()
        qtbot.waitUntil(lambda: page.state_title.text() == f"Waiting for the sync window, {start:%H:%M}")
        with qtbot.waitSignal(page.run.finished, timeout=10000):
            page.cancel_button.click()
        assert page.state_title.text() == "Stopped"
    assert not LibraryPaths(root).media_file(sha(next(iter(mirror.media.values()))), "mp4").exists()


def test_a_screen_asking_for_a_sync_starts_one(qtbot, tmp_path, server, keypair):
    private, public = keypair
    mirror = Mirror(server, private, n_files=1, size=1000)
    root = tmp_path / "lib"
    with open_library(root, install_sample=False) as lib:
        add_source(lib, mirror.url, pubkey=public)
        pk = queries.list_series(lib)[0].pk
    with running_launcher(qtbot, root) as launcher:
        window = launcher.window
        qtbot.waitUntil(lambda: window.toolbar.isEnabled())
        page = window.get_page
        with qtbot.waitSignal(page.session.library_changed, timeout=20000):
            page.session.sync_requested.emit([pk])
        qtbot.waitUntil(lambda: words(page.state_title) == "Finished with 1 file fetched")
    data = next(iter(mirror.media.values()))
    assert LibraryPaths(root).media_file(sha(data), "mp4").read_bytes() == data


def test_refreshing_the_catalogs_brings_new_lectures_into_the_plan(qtbot, tmp_path, server, keypair):
    private, public = keypair
    mirror = Mirror(server, private, n_files=1, size=1000)
    root = kept_library(tmp_path / "lib", mirror, public)
    with running_launcher(qtbot, root) as launcher:
        page = ready_page(qtbot, launcher)
        assert "1 file," in words(page.plan_label)
        # The publisher adds two lectures, as version 2 of the catalog.
        Mirror(server, private, n_files=3, size=1000)
        raw = json.loads(server.served("/catalog.json").data)
        raw["version"] = 2
        data = json.dumps(raw).encode()
        server.add_file("/catalog.json", data)
        server.add_file("/catalog.json.sig", signing.sign(data, signing.load_private_key(private)))
        page.refresh_button.click()
        assert not page.refresh_button.isEnabled()
        qtbot.waitUntil(lambda: page.state_title.text() == "The catalogs are up to date", timeout=10000)
        qtbot.waitUntil(lambda: "3 files" in words(page.plan_label))
        assert page.sources_model.index(0, page.sources_model.VERSION).data().startswith("version 2")


def test_a_usb_drive_with_a_catalog_is_offered_and_added_as_a_folder(qtbot, tmp_path, keypair):
    private, public = keypair
    media = tmp_path / "media" / "ming"
    write_mirror(media / "STICK" / "lectures", *base_catalog(), key_path=private)
    root = tmp_path / "lib"
    open_library(root, install_sample=False).close()
    with running_launcher(qtbot, root) as launcher:
        page = launcher.window.get_page
        qtbot.waitUntil(lambda: page.state_title.text() == "No sources yet")
        page.drive_roots = [media]
        page.add_drive_button.click()
        qtbot.waitUntil(lambda: page.add_dialog is not None and page.add_dialog.isVisible())
        dialog = page.add_dialog
        assert dialog.location.text() == str(media / "STICK" / "lectures")
        dialog.key.setPlainText(public)
        timer = answer_box("Trust this publisher key?", QMessageBox.StandardButton.Yes)
        with qtbot.waitSignal(dialog.added, timeout=10000):
            dialog.add_button.click()
        assert not timer.isActive()
        qtbot.waitUntil(lambda: page.sources_model.rowCount() == 1)
        assert page.sources_model.item(0).source.id == "org.example.physics"


def test_a_file_that_cannot_be_fetched_is_named_with_its_reason(qtbot, tmp_path, server, keypair):
    private, public = keypair
    mirror = Mirror(server, private, n_files=2, size=1000)
    root = kept_library(tmp_path / "lib", mirror, public)
    server.set_fault("/media/v1.mp4", "status", code=404)
    with running_launcher(qtbot, root) as launcher:
        page = ready_page(qtbot, launcher)
        with qtbot.waitSignal(page.run.finished, timeout=20000):
            page.sync_button.click()
        assert words(page.state_title) == "Finished with 1 file fetched, 1 failed"
        assert "media/v1.mp4" in page.state_detail.text() and "404" in page.state_detail.text()
        qtbot.waitUntil(lambda: page.sync_button.isEnabled())  # what failed is still to fetch
        assert "1 file," in words(page.plan_label)
