"""Real clients against `serve`: curl resuming, aria2c splitting, another library syncing
from the share, and QMediaPlayer streaming a lecture over HTTP with seeking."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess

import pytest

# Imported before any test captures output: Console and JsonLines bind sys.stdout as a
# default argument when the module loads, and a test's capture is closed after it.
import player.cli.progress  # noqa: F401
from player.library.db import open_library
from player.library.kept import keep_series
from player.library.sources import add_source, list_sources
from player.library.storecheck import present_files
from player.share.server import RunningShare
from tests.httpserver import serve_folder
from tests.mirrors import one_series_catalog, run_cli, sha, sync_from_local_mirrors, write_mirror
from tests.test_share_server import SOURCE, make_shared_library

BIG_SOURCE = "org.example.big"
MiB = 1 << 20


@pytest.fixture
def big_share(tmp_path):
    """A share of one 6 MiB file, large enough for aria2c to split four ways."""
    data = os.urandom(6 * MiB)
    mirror = tmp_path / "mirror"
    (mirror / "media").mkdir(parents=True)
    (mirror / "media" / "big0.mp4").write_bytes(data)
    write_mirror(mirror, one_series_catalog([("media/big0.mp4", sha(data), len(data))], BIG_SOURCE))
    lib_dir = tmp_path / "lib"
    with open_library(lib_dir, install_sample=False) as lib:
        add_source(lib, str(mirror))
        keep_series(lib, BIG_SOURCE, "big")
        sync_from_local_mirrors(lib)
    events: list[dict] = []
    with RunningShare(lib_dir, port=0, on_event=events.append) as share:
        share.events = events
        share.data = data
        share.file_url = f"{share.url}{BIG_SOURCE}/media/big0.mp4"
        yield share


def statuses(share, path: str) -> list[int]:
    return [e["status"] for e in list(share.events) if e.get("event") == "request" and e["path"] == path]


@pytest.mark.skipif(not shutil.which("curl"), reason="curl is not installed")
def test_curl_resumes_a_partial_download(big_share, tmp_path):
    out = tmp_path / "part.mp4"
    out.write_bytes(big_share.data[: 2 * MiB + 123])
    subprocess.run(
        ["curl", "-sS", "-f", "-C", "-", "-o", str(out), big_share.file_url], check=True, timeout=120
    )
    assert out.read_bytes() == big_share.data
    assert statuses(big_share, f"/{BIG_SOURCE}/media/big0.mp4") == [206]


@pytest.mark.skipif(not shutil.which("aria2c"), reason="aria2 is not installed")
def test_aria2c_fetches_one_file_over_several_connections(big_share, tmp_path):
    subprocess.run(
        [
            "aria2c",
            "-x4",
            "-s4",
            "--min-split-size=1M",
            "--file-allocation=none",
            "--summary-interval=0",
            "--console-log-level=warn",
            "--allow-overwrite=true",
            "-d",
            str(tmp_path),
            "-o",
            "out.mp4",
            big_share.file_url,
        ],
        check=True,
        timeout=120,
        stdout=subprocess.DEVNULL,
    )
    digest = hashlib.sha256((tmp_path / "out.mp4").read_bytes()).hexdigest()
    assert digest == sha(big_share.data)
    # Several ranged requests: the file came in pieces, over more than one connection.
    assert statuses(big_share, f"/{BIG_SOURCE}/media/big0.mp4").count(206) >= 2


def test_another_library_syncs_from_the_share(tmp_path, keypair, capsys):
    private, public = keypair
    lib_dir, _, files = make_shared_library(tmp_path, private, public)
    events: list[dict] = []
    with RunningShare(lib_dir, port=0, on_event=events.append) as share:
        other = tmp_path / "other"
        # A share is added like any HTTP source, and the publisher's key still holds for it.
        code, out, err = run_cli(
            capsys, "--library", str(other), "sources", "add", f"{share.url}{SOURCE}/", "--pubkey", public
        )
        assert code == 0, err
        assert run_cli(capsys, "--library", str(other), "keep", "mechanics")[0] == 0
        code, out, err = run_cli(capsys, "--library", str(other), "sync", "--jobs", "2")
        assert code == 0, err + out
    with open_library(other, write=False) as lib:
        stored = {f.sha256 for f in present_files(lib)}
        location = next(s.location for s in list_sources(lib) if s.id == SOURCE)
    assert location.startswith(share.url)
    for href in ("media/gravity.mp4", "media/light.mp4", "media/gravity.en.vtt", "media/gravity.zh.vtt"):
        assert sha(files[href]) in stored, href
    assert sha(files["media/stars.mp4"]) not in stored  # astronomy is not kept here
    served = {e["path"] for e in events if e.get("event") == "request" and e["status"] in (200, 206)}
    assert f"/{SOURCE}/media/gravity.mp4" in served


@pytest.mark.gui
def test_qmediaplayer_streams_and_seeks_over_http(tmp_path, qtbot):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QMediaPlayer, QVideoSink

    lib_dir = tmp_path / "lib"
    open_library(lib_dir).close()  # a new library gets the built-in sample, stored
    events: list[dict] = []
    with RunningShare(lib_dir, port=0, on_event=events.append) as share:
        keys = sorted(k for k in share.keeper.view.files if k[1].endswith(".mp4"))
        assert keys, "the sample's lectures should be shared"
        source_id, href = keys[0]
        path = f"/{source_id}/{href}"
        player = QMediaPlayer()
        sink = QVideoSink()
        player.setVideoSink(sink)
        frames: list[bool] = []
        sink.videoFrameChanged.connect(lambda frame: frames.append(frame.isValid()))
        errors: list[str] = []
        player.errorOccurred.connect(lambda _e, text: errors.append(text))
        try:
            player.setSource(QUrl(f"{share.url.rstrip('/')}{path}"))
            player.play()
            qtbot.waitUntil(lambda: any(frames) or bool(errors), timeout=20000)
            if errors and not any(frames):
                pytest.skip(f"QtMultimedia cannot open http:// here: {errors[0]}")
            qtbot.waitUntil(lambda: player.position() > 200, timeout=10000)
            assert player.duration() > 5000
            player.setPosition(5000)
            qtbot.waitUntil(lambda: player.position() >= 5000, timeout=10000)
            seen = len(frames)
            qtbot.waitUntil(lambda: len(frames) > seen, timeout=10000)  # frames after the seek
        finally:
            player.stop()
            player.setSource(QUrl())
            player.deleteLater()
        assert not errors
        served = [e["status"] for e in events if e.get("event") == "request" and e["path"] == path]
        # FFmpeg reads over ranged requests, which is what lets a player seek in a stream.
        assert 206 in served


def test_files_the_share_lacks_come_from_the_publisher_fallback(tmp_path, keypair, capsys):
    private, public = keypair
    lib_dir, mirror, files = make_shared_library(tmp_path, private, public)
    other = tmp_path / "other"
    events: list[dict] = []
    with (
        RunningShare(lib_dir, port=0, series=["astronomy"], on_event=events.append) as share,
        serve_folder(mirror) as publisher,
    ):
        lan = f"{share.url}{SOURCE}/"
        assert run_cli(capsys, "--library", str(other), "sources", "add", lan, "--pubkey", public)[0] == 0
        assert run_cli(capsys, "--library", str(other), "keep", "mechanics", "astronomy")[0] == 0
        # The share has only astronomy: without a fallback, mechanics cannot be fetched.
        code, out, err = run_cli(capsys, "--library", str(other), "sync")
        assert code == 1 and "gravity.mp4" in err
        code, out, err = run_cli(
            capsys, "--library", str(other), "sources", "set", SOURCE, "--fallback", publisher
        )
        assert code == 0 and publisher in out
        code, out, err = run_cli(capsys, "--library", str(other), "sync")
        assert code == 0, err
    with open_library(other, write=False) as lib:
        stored = {f.sha256 for f in present_files(lib)}
        location = next(s.location for s in list_sources(lib) if s.id == SOURCE)
    assert location.startswith(lan)  # still the share's catalog, checked with the publisher's key
    for href in ("media/gravity.mp4", "media/light.mp4", "media/stars.mp4"):
        assert sha(files[href]) in stored, href
    served = {e["path"] for e in events if e.get("event") == "request" and e["status"] == 200}
    assert f"/{SOURCE}/media/stars.mp4" in served  # taken from the LAN
    assert f"/{SOURCE}/media/gravity.mp4" not in served  # taken from the publisher
