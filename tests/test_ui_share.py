"""Sharing the library on the local network from the Get lectures screen, and finding shares."""

import http.client
import json
import os
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from player.share.discovery import Announcement, DiscoveryUnavailable  # noqa: E402
from player.share.server import RunningShare  # noqa: E402
from tests.test_share_server import make_shared_library  # noqa: E402
from tests.test_ui_get_lectures import answer_box  # noqa: E402
from tests.ui_helpers import make_library, running_launcher, ui_language  # noqa: E402

pytestmark = pytest.mark.gui

SOURCE = "org.example.physics"
NO_MULTICAST = "multicast DNS does not work on this machine (the VM drops or blocks it)"


@pytest.fixture(autouse=True)
def english(qapp):
    with ui_language(qapp, "en"):
        yield


def get_page(qtbot, launcher):
    window = launcher.window
    qtbot.waitUntil(lambda: window.toolbar.isEnabled())
    window.screen_actions["get"].trigger()
    return window.get_page


def fetch(host: str, port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_the_switch_shares_the_library_and_stops_it(qtbot, tmp_path, keypair):
    lib_dir, mirror, _ = make_shared_library(tmp_path, *keypair)
    with running_launcher(qtbot, lib_dir) as launcher:
        page = get_page(qtbot, launcher)
        panel = page.share_panel
        panel.port = 0  # any free port: other tests may be sharing at the same time
        assert panel.running is None and "Not shared" in panel.share_status.text()
        with qtbot.waitSignal(panel.share_changed, timeout=30000) as changed:
            panel.share_switch.click()
        assert changed.args == [True]
        server = panel.running.share.server
        port = server.port
        assert server.server_address[0] == "0.0.0.0"  # the LAN, only while switched on
        urls = panel.running.urls
        assert urls and all(u.endswith(f":{port}/{SOURCE}/") for u in urls)
        for url in urls:
            assert url in panel.share_status.text()

        status, body = fetch("127.0.0.1", port, "/index.json")
        assert status == 200
        assert [s["id"] for s in json.loads(body)["sources"]] == [SOURCE]
        # The address shown to others leads to the same share.
        host = urls[0].split("//")[1].split(":")[0]
        status, body = fetch(host, port, f"/{SOURCE}/catalog.json")
        assert status == 200 and body == (mirror / "catalog.json").read_bytes()
        status, _ = fetch(host, port, f"/{SOURCE}/catalog.json.sig")
        assert status == 200
        # Its own share is not offered as a source nearby (the second look began after it started).
        for _ in range(2):
            with qtbot.waitSignal(panel.browsed, timeout=20000):
                if panel.refresh_button.isEnabled():
                    panel.refresh_button.click()
        nearby = panel.nearby_model
        assert all(nearby.item(r).share.port != port for r in range(nearby.rowCount()))
        launcher.window.resize(1180, 900)
        QApplication.processEvents()  # the layout takes in the longer status before the picture

        with qtbot.waitSignal(panel.share_changed, timeout=30000) as changed:
            panel.share_switch.click()
        assert changed.args == [False]
        assert panel.running is None and "Not shared" in panel.share_status.text()
        with pytest.raises(ConnectionRefusedError):
            fetch("127.0.0.1", port, "/index.json")


def test_closing_the_window_stops_the_share(qtbot, tmp_path, keypair):
    lib_dir, _, _ = make_shared_library(tmp_path, *keypair)
    with running_launcher(qtbot, lib_dir) as launcher:
        page = get_page(qtbot, launcher)
        panel = page.share_panel
        panel.port = 0
        with qtbot.waitSignal(panel.share_changed, timeout=30000):
            panel.share_switch.click()
        port = panel.running.share.server.port
        assert fetch("127.0.0.1", port, "/index.json")[0] == 200
        launcher.window.close()
        with pytest.raises(ConnectionRefusedError):
            fetch("127.0.0.1", port, "/index.json")


def test_a_share_nearby_is_listed_and_added_as_a_source(qtbot, tmp_path, keypair):
    private, public = keypair
    lib_dir, _, _ = make_shared_library(tmp_path / "other", private, public)
    name = f"test-{uuid.uuid4().hex[:8]}"
    fresh = make_library(tmp_path / "fresh", 0)
    with RunningShare(lib_dir, port=0) as share:
        try:
            announcement = Announcement(name=name, bind="127.0.0.1", port=share.server.port, sources=[SOURCE])
        except DiscoveryUnavailable as exc:
            pytest.skip(f"{NO_MULTICAST}: {exc}")
        with announcement, running_launcher(qtbot, fresh) as launcher:
            page = get_page(qtbot, launcher)
            panel = page.share_panel
            model = panel.nearby_model

            def row_of_ours() -> int | None:
                rows = [r for r in range(model.rowCount()) if model.item(r).share.name == name]
                return rows[0] if rows else None

            # The screen looks by itself when shown; Refresh looks again at once.
            for _ in range(4):
                if row_of_ours() is not None:
                    break
                with qtbot.waitSignal(panel.browsed, timeout=20000):
                    if panel.refresh_button.isEnabled():
                        panel.refresh_button.click()
                if "multicast does not get through" in panel.nearby_status.text():
                    pytest.skip(f"{NO_MULTICAST}: {panel.nearby_status.text()}")
            row = row_of_ours()
            assert row is not None, panel.nearby_status.text()
            url = f"http://127.0.0.1:{share.server.port}/{SOURCE}/"
            assert url in model.index(row).data()
            assert "found" in panel.nearby_status.text()

            panel.nearby_view.setCurrentIndex(model.index(row))
            assert panel.add_button.isEnabled()
            panel.add_button.click()
            dialog = page.add_dialog
            assert dialog is not None and dialog.location.text() == url
            dialog.key.setPlainText(public)
            answer = answer_box("Trust this publisher key?", QMessageBox.StandardButton.Yes)
            with qtbot.waitSignal(dialog.added, timeout=30000) as added:
                dialog.add_button.click()
            answer.stop()
            assert added.args == [SOURCE]
            qtbot.waitUntil(lambda: page.sources_model.rowCount() == 1)
            assert page.sources_model.item(0).source.location.startswith(url)


def test_a_share_typed_by_address_is_asked_for_its_sources(qtbot, tmp_path, keypair):
    lib_dir, _, _ = make_shared_library(tmp_path / "other", *keypair)
    fresh = make_library(tmp_path / "fresh", 0)
    with RunningShare(lib_dir, port=0) as share, running_launcher(qtbot, fresh) as launcher:
        page = get_page(qtbot, launcher)
        panel = page.share_panel
        panel.manual_edit.setText(f"127.0.0.1:{share.server.port}")
        with qtbot.waitSignal(panel.add_requested, timeout=20000) as asked:
            panel.manual_button.click()
        url = f"http://127.0.0.1:{share.server.port}/{SOURCE}/"
        assert asked.args == [url]
        assert page.add_dialog.location.text() == url
        page.add_dialog.reject()

        panel.manual_edit.setText("127.0.0.1:1")  # nothing listens there
        panel.manual_button.click()
        qtbot.waitUntil(lambda: "did not answer" in panel.nearby_status.text(), timeout=20000)


def test_a_share_whose_index_is_nested_too_deep_is_refused_with_a_sentence(tmp_path):
    from player.errors import FetchError
    from player.ui.share_panel import share_source_urls
    from tests.httpserver import serve_folder

    (tmp_path / "index.json").write_bytes(b'{"sources": ' + b"[" * 5000 + b"]" * 5000 + b"}")
    with serve_folder(tmp_path) as base, pytest.raises(FetchError) as info:
        share_source_urls(base.rstrip("/"))
    assert "did not answer as a Lecture Player share" in str(info.value)
    assert "nested more than 64 levels deep" in str(info.value)
