"""The one HTTP policy: a slow, silent or dripping server cannot hold a catalog fetch."""

from __future__ import annotations

import json
import time

import pytest

from player.catalog.mirror import HttpMirror
from player.errors import FetchError
from player.httppolicy import HttpPolicy, receive_buffer
from tests.faultserver import FaultServer
from tests.mirrors import one_series_catalog, sha
from tests.test_sync_field_faults import cli, present


def serve_catalog(server: FaultServer, source_id: str) -> None:
    data = f"the lecture of {source_id} ".encode() * 1000
    server.add_file("/media/v0.mp4", data)
    catalog = one_series_catalog([("media/v0.mp4", sha(data), len(data))], source_id=source_id)
    server.add_file("/catalog.json", json.dumps(catalog).encode())


def test_sources_add_on_a_dripping_server_ends_with_a_clear_error(tmp_path):
    with FaultServer() as server:
        serve_catalog(server, "org.example.slow")
        server.set_fault("/catalog.json", "trickle", after=0, rate=0.5, piece=1)  # a byte every 2 s
        started = time.monotonic()
        added = cli(tmp_path / "lib", "sources", "add", server.base_url, timeout=60)
        took = time.monotonic() - started
    assert added.returncode == 1, added.stderr
    [line] = added.stderr.strip().splitlines()
    assert "too slow to use" in line and "catalog.json" in line
    assert took < 30  # the low-speed window for documents is 10 s


def test_a_source_that_cannot_be_refreshed_is_reported_and_the_sync_goes_on(tmp_path):
    lib = tmp_path / "lib"
    with FaultServer() as slow, FaultServer() as good:
        serve_catalog(slow, "org.example.slow")
        serve_catalog(good, "org.example.good")
        for server, source in ((slow, "org.example.slow"), (good, "org.example.good")):
            assert cli(lib, "sources", "add", server.base_url).returncode == 0
            assert cli(lib, "keep", "big", "--source", source).returncode == 0
        slow.clear_faults()
        slow.set_fault("/catalog.json", "trickle", after=0, rate=0.5, piece=1)
        run = cli(lib, "sync", timeout=90)
    assert run.returncode == 0, run.stderr  # with the catalog the library already had
    refused = [line for line in run.stdout.splitlines() if "catalog not refreshed" in line]
    assert len(refused) == 1 and refused[0].startswith("org.example.slow:") and "too slow" in refused[0]
    assert present(lib) == ["media/v0.mp4"] * 2  # both sources' files, fetched all the same


def test_the_deadline_ends_a_fetch_that_is_slow_but_above_the_minimum_speed():
    policy = HttpPolicy(min_rate=10, low_speed_time=60, deadline=1.0)
    with FaultServer() as server:
        serve_catalog(server, "org.example.slow")
        server.set_fault("/catalog.json", "trickle", after=0, rate=200, piece=20)
        started = time.monotonic()
        with pytest.raises(FetchError, match="did not arrive whole within 1 s"):
            HttpMirror(server.url("/catalog.json"), policy=policy).read_catalog()
    assert time.monotonic() - started < 10


def test_the_deadline_ends_a_server_that_never_answers():
    # Accepts the request and sends nothing at all, not even headers: the read timeout is
    # long, so only the deadline's watchdog can end this.
    policy = HttpPolicy(read_timeout=600, deadline=1.0)
    with FaultServer() as server:
        serve_catalog(server, "org.example.silent")
        server.set_fault("/catalog.json", "blackhole", hold=60)
        started = time.monotonic()
        with pytest.raises(FetchError, match="did not arrive whole within 1 s"):
            HttpMirror(server.url("/catalog.json"), policy=policy).read_catalog()
    assert time.monotonic() - started < 10


def test_the_receive_buffer_follows_the_rate_cap():
    assert receive_buffer(None, 2) is None  # no cap: the kernel's autotuning
    small = receive_buffer(50_000, 1)
    assert small is not None and small < 64 * 1024
    for jobs in (1, 2, 4):
        assert receive_buffer(1e9, jobs) * jobs * 2 <= 1 << 20  # all buffers within 1 MiB


def test_the_media_client_sizes_each_socket_to_the_rate_cap():
    import socket

    from player.httppolicy import media_client

    with FaultServer() as server:
        url = server.add_file("/f.bin", b"x" * 1000)
        with media_client(HttpPolicy(), max_rate=100_000, jobs=1) as http, http.stream("GET", url) as r:
            sock = r.extensions["network_stream"].get_extra_info("socket")
            asked = receive_buffer(100_000, 1)
            # Linux reports twice the size asked for (the kernel's bookkeeping); others as asked.
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) in (asked, 2 * asked)
            assert r.request.headers["accept-encoding"] == "identity"
