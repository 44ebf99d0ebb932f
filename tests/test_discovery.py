"""Discovery: a running share announces itself with mDNS, and `browse` finds it on this machine."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import uuid

import pytest

from player import __version__
from player.share.discovery import MANUAL_HINT, Announcement, DiscoveryUnavailable, Share, browse
from player.share.server import RunningShare
from tests.mirrors import run_cli
from tests.test_share_server import ROOT, SOURCE, make_shared_library

NO_MULTICAST = "multicast DNS does not work on this machine's loopback (the VM drops or blocks it)"


@pytest.fixture
def share(tmp_path, keypair):
    lib_dir, _, _ = make_shared_library(tmp_path, *keypair)
    with RunningShare(lib_dir, port=0) as running:
        yield running


def _find(name: str, timeout: float = 10.0) -> Share | None:
    try:
        found = browse(timeout, until=lambda shares: any(s.name == name for s in shares))
    except DiscoveryUnavailable as exc:
        pytest.skip(f"{NO_MULTICAST}: {exc}")
    return next((s for s in found if s.name == name), None)


def test_announce_and_browse_on_this_machine(share):
    name = f"test-{uuid.uuid4().hex[:8]}"
    try:
        announcement = Announcement(name=name, bind="127.0.0.1", port=share.server.port, sources=[SOURCE])
    except DiscoveryUnavailable as exc:
        pytest.skip(f"{NO_MULTICAST}: {exc}")
    with announcement:
        found = _find(name)
        if found is None:
            pytest.skip(f"{NO_MULTICAST}: the announcement was made but browsing did not see it")
        assert found.port == share.server.port
        assert found.sources == [SOURCE]
        assert found.version == __version__
        assert "127.0.0.1" in found.addresses
        assert found.source_url(SOURCE) == f"http://127.0.0.1:{share.server.port}/{SOURCE}/"
        # What discovery gives is enough to reach the share.
        conn = http.client.HTTPConnection("127.0.0.1", found.port, timeout=10)
        conn.request("GET", "/")
        assert [s["id"] for s in json.loads(conn.getresponse().read())["sources"]] == [SOURCE]
        conn.close()
    # Withdrawn on close: a fresh look no longer finds it.
    assert _find(name, timeout=1.5) is None


def test_serve_announces_and_sources_discover_lists_it(tmp_path, keypair, capsys):
    lib_dir, _, _ = make_shared_library(tmp_path, *keypair)
    name = f"cli-{uuid.uuid4().hex[:8]}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "player", "--library", str(lib_dir), "serve", "--port", "0", "--json"]
        + ["--name", name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    try:
        started = json.loads(proc.stdout.readline())
        announced = json.loads(proc.stdout.readline())
        if announced["event"] == "not-announced":
            pytest.skip(f"{NO_MULTICAST}: {announced['reason']}")
        assert announced == {"event": "announced", "name": name}
        if _find(name) is None:
            pytest.skip(f"{NO_MULTICAST}: serve announced, but browsing did not see it")
        code, out, err = run_cli(capsys, "sources", "discover", "--json", "--timeout", "3")
        assert code == 0, err
        listed = {s["name"]: s for s in json.loads(out)}
        assert listed[name]["source_urls"] == [f"{started['url']}{SOURCE}/"]
        code, out, _ = run_cli(capsys, "sources", "discover", "--timeout", "3")
        assert f"lecture-player sources add {started['url']}{SOURCE}/" in out
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert proc.returncode == 0


def test_no_announce_stays_quiet(tmp_path, keypair):
    lib_dir, _, _ = make_shared_library(tmp_path, *keypair)
    proc = subprocess.Popen(
        [sys.executable, "-m", "player", "--library", str(lib_dir), "serve", "--port", "0", "--json"]
        + ["--no-announce"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    try:
        assert json.loads(proc.stdout.readline())["event"] == "started"
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert [json.loads(line)["event"] for line in out.splitlines()] == ["stopped"]


def test_the_manual_fallback_is_named_in_every_discovery_error():
    assert "sources add http://IP:PORT/<source-id>/" in MANUAL_HINT
    assert MANUAL_HINT in str(DiscoveryUnavailable("Multicast DNS is not available.", hint=MANUAL_HINT))
