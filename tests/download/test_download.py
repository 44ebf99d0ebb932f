"""Downloading one file over real HTTP: resume, If-Range, cancel, restarts, memory."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from player.errors import FetchError
from player.sync.download import Status, download_file
from player.sync.errors import DownloadFailed, RestartLimit
from player.sync.retry import RestartBudget, RetryPolicy
from tests.download.case import FAST, Case

ROOT = Path(__file__).resolve().parents[2]


def test_download_lands_verified_file_and_reports_progress(case, client, server):
    reported: list[int] = []
    result = case.run(client, on_bytes=reported.append)
    case.assert_in_place(result)
    assert sum(reported) == case.size and all(n > 0 for n in reported)
    assert (result.transferred, result.requests, result.restarts) == (case.size, 1, 0)
    [request] = server.requests()
    assert request.range is None and request.headers["accept-encoding"] == "identity"


def test_resume_sends_range_and_transfers_only_the_rest(case, client, server):
    case.seed_part(client, 100_000)
    before = len(server.requests())
    reported: list[int] = []
    result = case.run(client, on_bytes=reported.append)
    case.assert_in_place(result)
    [resumed] = server.requests()[before:]
    assert resumed.range == "bytes=100000-" and resumed.status == 206
    assert resumed.sent == case.size - 100_000 == result.transferred
    assert reported[0] == 100_000  # the bytes already there count once, up front
    assert sum(reported) == case.size


def test_resume_after_process_kill_sends_if_range(case, client, server):
    # Fast for the first 50 kB, then too slow to finish before the process is killed.
    server.set_fault(case.path, "trickle", times=1, after=50_000, rate=1000, piece=100)
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        import httpx
        from player.sync.download import download_file
        with httpx.Client() as client:
            download_file(
                client, {case.url!r}, sha256={case.sha256!r}, size={case.size},
                part_path=Path({str(case.part)!r}), final_path=Path({str(case.final)!r}),
                on_bytes=lambda n: print(n, flush=True),
            )
        """
    )
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        received = 0
        while received < 50_000:
            line = child.stdout.readline()
            assert line, "the child exited before receiving any bytes"
            received += int(line)
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    assert server.requests()[0].status == 200
    kept = case.part.stat().st_size
    assert kept >= 50_000 and json.loads(case.meta.read_text())["etag"]

    result = case.run(client)
    case.assert_in_place(result)
    resumed = server.requests()[-1]
    assert resumed.range == f"bytes={kept}-"
    assert resumed.if_range == server.served(case.path).etag
    assert resumed.status == 206 and result.transferred == case.size - kept


def test_if_range_falls_back_to_last_modified(server, client, tmp_path):
    case = Case.serve(server, tmp_path, etag=False)
    case.seed_part(client, 10_000)
    case.assert_in_place(case.run(client))
    resumed = server.requests()[-1]
    assert resumed.if_range == server.served(case.path).last_modified
    assert resumed.if_range.endswith("GMT") and resumed.status == 206


def test_cancel_keeps_partial_bytes_and_later_resumes(case, client, server):
    server.set_fault(case.path, "trickle", times=1, after=30_000, rate=5000, piece=500)
    cancel = threading.Event()
    seen = [0]

    def progress(n: int) -> None:
        seen[0] += n
        if seen[0] >= 30_000:
            cancel.set()

    result = case.run(client, on_bytes=progress, cancel=cancel)
    assert result.status is Status.CANCELLED and result.path == case.part
    kept = case.part.read_bytes()
    assert 30_000 <= len(kept) < case.size and kept == case.data[: len(kept)]
    assert result.bytes_on_disk == len(kept) and case.meta.exists()
    case.assert_nothing_in_place()

    case.assert_in_place(case.run(client))
    assert server.requests()[-1].range == f"bytes={len(kept)}-"


def test_cancel_interrupts_a_long_retry_wait(case, client, server):
    server.set_fault(case.path, "status", code=503, retry_after=120)
    cancel = threading.Event()

    def cancel_once_asked() -> None:
        server.wait_for_requests(1)
        cancel.set()

    helper = threading.Thread(target=cancel_once_asked)
    helper.start()
    started = time.monotonic()
    policy = RetryPolicy(backoff_base=0.01, retry_after_cap=300.0)
    result = case.run(client, cancel=cancel, policy=policy)
    helper.join()
    assert result.status is Status.CANCELLED
    assert time.monotonic() - started < 10  # far less than the 120 s the server asked for
    assert len(server.requests()) == 1
    case.assert_nothing_in_place()


def test_restart_budget_stops_a_server_that_ignores_range(case, client, server):
    server.set_fault(case.path, "ignore_range")
    server.set_fault(case.path, "drop_mid_body", after=10_000)
    budget = RestartBudget(3)
    with pytest.raises(RestartLimit, match="restarted from zero 3 times") as caught:
        case.run(client, restarts=budget)
    assert caught.value.url == case.url and isinstance(caught.value, FetchError)
    requests = server.requests()
    # The first request, three restarts, and the fourth 200 that was refused.
    assert len(requests) == 5
    assert [r.range is not None for r in requests] == [False, True, True, True, True]
    assert budget.used(case.sha256) == 3
    case.assert_nothing_in_place()


def test_restart_budget_is_shared_by_the_whole_run(case, client, server):
    server.set_fault(case.path, "ignore_range")
    server.set_fault(case.path, "drop_mid_body", after=10_000)
    budget = RestartBudget(3)
    with pytest.raises(RestartLimit):
        case.run(client, restarts=budget)
    before = len(server.requests())
    with pytest.raises(RestartLimit):
        case.run(client, restarts=budget)  # the same file, queued again in the same run
    assert len(server.requests()) - before == 1
    case.assert_nothing_in_place()


def test_memory_stays_flat_for_a_large_file(server, client, tmp_path):
    case = Case.serve(server, tmp_path, size=16 * 1024 * 1024)
    tracemalloc.start()
    try:
        result = case.run(client)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    case.assert_in_place(result)
    assert peak < 2 * 1024 * 1024, f"peak {peak:,} bytes for a {case.size:,}-byte file"


def test_unreachable_server_fails_after_bounded_retries(tmp_path, client):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = b"x" * 10
    url = f"http://127.0.0.1:{port}/f.bin"
    with pytest.raises(DownloadFailed, match="gave up after 4 attempts") as caught:
        download_file(
            client,
            url,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            part_path=tmp_path / "f.part",
            final_path=tmp_path / "f.bin",
            policy=FAST,
        )
    assert url in str(caught.value)
    assert not (tmp_path / "f.bin").exists()
