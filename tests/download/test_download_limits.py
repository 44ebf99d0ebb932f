"""Limits around a download: the shared rate cap, a full disk, and the retry timings."""

from __future__ import annotations

import errno
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from player.errors import PlayerError
from player.sync.download import DownloadResult
from player.sync.errors import DiskFull
from player.sync.partfile import PartFile
from player.sync.ratelimit import RateLimiter
from player.sync.retry import RetryPolicy, parse_retry_after
from tests.download.case import Case

# -- rate limit --------------------------------------------------------------------------


def test_rate_limit_holds_one_download_to_the_cap(server, client, tmp_path):
    rate = 2_000_000
    case = Case.serve(server, tmp_path, size=2_000_000)
    limiter = RateLimiter(rate)
    started = time.monotonic()
    case.assert_in_place(case.run(client, limiter=limiter))
    measured = case.size / (time.monotonic() - started)
    assert 0.9 * rate <= measured <= 1.1 * rate, f"{measured:,.0f} bytes/s against a cap of {rate:,}"


def test_rate_limit_is_shared_by_parallel_downloads(server, client, tmp_path):
    rate = 2_000_000
    cases = [
        Case.serve(server, tmp_path / str(i), path=f"/{i}.bin", size=1_000_000, seed=i) for i in range(2)
    ]
    limiter = RateLimiter(rate)
    results: dict[int, DownloadResult] = {}

    def fetch(i: int) -> None:
        results[i] = cases[i].run(client, limiter=limiter)

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(len(cases))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    measured = sum(c.size for c in cases) / (time.monotonic() - started)
    for i, case in enumerate(cases):
        case.assert_in_place(results[i])
    assert 0.9 * rate <= measured <= 1.1 * rate, f"{measured:,.0f} bytes/s against a cap of {rate:,}"


def test_unlimited_rate_never_waits():
    limiter = RateLimiter(None)
    started = time.monotonic()
    assert all(limiter.acquire(1 << 30) for _ in range(100))
    assert time.monotonic() - started < 0.5


def test_rate_limiter_wait_is_cancellable():
    limiter = RateLimiter(1000)
    cancel = threading.Event()
    cancel.set()
    started = time.monotonic()
    assert limiter.acquire(1_000_000, cancel) is False  # would otherwise wait 1000 s
    assert time.monotonic() - started < 1


# -- disk full ---------------------------------------------------------------------------


@pytest.fixture
def small_disk(make_small_disk):
    """A real 128 KB tmpfs."""
    return make_small_disk("128k")


def assert_disk_full_cleanly(case: Case, caught: pytest.ExceptionInfo) -> None:
    assert isinstance(caught.value, PlayerError)
    message = str(caught.value)
    assert message.startswith("The disk is full:") and "free space" in message
    # The bytes that fit are kept for the next sync to resume from; nothing is in place.
    assert case.part.exists() and case.part.stat().st_size > 0
    case.assert_nothing_in_place()


def test_real_full_disk_fails_clearly_and_keeps_the_part(server, client, small_disk):
    case = Case.serve(server, small_disk, size=1_000_000)
    with pytest.raises(DiskFull) as caught:
        case.run(client)
    assert_disk_full_cleanly(case, caught)


def test_injected_full_disk_fails_clearly_and_keeps_the_part(server, client, tmp_path, monkeypatch):
    # Stands in for a full disk where no small filesystem can be mounted (no root).
    case = Case.serve(server, tmp_path, size=300_000)
    real_write = PartFile._write
    room = [100_000]

    def write_until_full(self: PartFile, data: memoryview) -> int:
        if room[0] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        written = real_write(self, data[: room[0]])
        room[0] -= written
        return written

    monkeypatch.setattr(PartFile, "_write", write_until_full)
    with pytest.raises(DiskFull) as caught:
        case.run(client)
    assert_disk_full_cleanly(case, caught)
    assert len(server.requests()) == 1  # a full disk is not retried


# -- retry timings -----------------------------------------------------------------------


def test_retry_after_forms():
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert parse_retry_after(format_datetime(now - timedelta(seconds=90), usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_retry_after_is_capped():
    assert RetryPolicy().retry_after("999999") == 300
    assert RetryPolicy(retry_after_cap=2.0).retry_after("999999") == 2.0
    assert RetryPolicy().retry_after("7") == 7


def test_backoff_doubles_with_jitter_up_to_the_cap():
    policy = RetryPolicy(backoff_base=1.0, backoff_max=10.0)
    rng = random.Random(5)
    for failures, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (30, 10.0)]:
        waits = [policy.backoff(failures, rng) for _ in range(50)]
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(set(waits)) > 1  # jittered, so clients that failed together spread out
