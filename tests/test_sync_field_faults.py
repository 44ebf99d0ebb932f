"""`sync` as a subprocess against a real misbehaving server: full disk, gzip, kill under a cap.

Each test runs the real command line (`python -m player`) against the fault server in
this process, so the test can see both what the server sent and what reached the disk.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.disks import fill
from tests.faultserver import FaultServer, sample_bytes
from tests.mirrors import one_series_catalog, sha

ROOT = Path(__file__).resolve().parent.parent


def command(lib: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "player", "--library", str(lib), *args]


def cli(lib: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(command(lib, *args), capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def serve_series(server: FaultServer, sizes: list[int]) -> dict[str, bytes]:
    """One series of one-video lectures at `server`; returns path -> bytes."""
    files = {f"/media/v{i}.mp4": sample_bytes(size, seed=i) for i, size in enumerate(sizes)}
    catalog = one_series_catalog([(p[1:], sha(d), len(d)) for p, d in files.items()])
    server.add_file("/catalog.json", json.dumps(catalog).encode())
    for path, data in files.items():
        server.add_file(path, data)
    return files


def keep_all(lib: Path, server: FaultServer) -> None:
    added = cli(lib, "sources", "add", server.base_url)
    assert added.returncode == 0, added.stderr
    kept = cli(lib, "keep", "big", "--source", "org.example.big")
    assert kept.returncode == 0, kept.stderr


def present(lib: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(lib / "library.db") as db:
        return [
            href
            for (href,) in db.execute(
                "SELECT href FROM media WHERE state = 'present' AND href LIKE 'media/v%'"
            )
        ]


def parts(lib: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in (lib / "tmp").glob("*.part")}


# -- a full disk -------------------------------------------------------------------------


@pytest.fixture
def small_disk(make_small_disk):
    """A real 16 MB tmpfs for the library."""
    return make_small_disk("16m")


@pytest.mark.parametrize("jobs", [2, 4])
def test_a_disk_filling_up_mid_download_ends_the_sync_with_a_message(small_disk, jobs):
    """The disk fills while one file streams and the others wait on a silent server: the
    sync stops at once with one sentence, keeps every part file, and marks nothing present."""
    lib = small_disk / "lib"
    with FaultServer() as server:
        files = serve_series(server, [1_000_000] * jobs)
        keep_all(lib, server)
        first, *others = files
        # The first file keeps coming after the disk is full; the others went silent.
        server.set_fault(first, "trickle", after=100_000, rate=200_000, piece=16_384)
        for path in others:
            server.set_fault(path, "trickle", after=100_000, rate=1 / 3600, piece=1)
        sync = subprocess.Popen(
            command(lib, "sync", "--reserve", "0", "--jobs", str(jobs)),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            for path in files:
                server.wait_for_requests(1, path, timeout=30)
            deadline = time.monotonic() + 30
            while sum(parts(lib).values()) < 100_000 * jobs and time.monotonic() < deadline:
                time.sleep(0.05)  # polling the part files' size, not timing anything
            fill(small_disk, 0)
            out, err = sync.communicate(timeout=30)
        finally:
            if sync.poll() is None:
                sync.kill()
                sync.wait()
    assert sync.returncode == 1, (out, err)
    assert "The disk is full" in err
    assert present(lib) == []
    kept = parts(lib)
    assert len(kept) == jobs and all(size >= 100_000 for size in kept.values()), kept


# -- a compressed answer to a media request ------------------------------------------------


# Runs its arguments and prints the child's peak memory. A fresh small process, because a
# child's peak counts what it shared with its parent before exec: forked from pytest
# itself, the peak would include pytest's own memory.
_MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(usage.ru_maxrss * 1024)  # ru_maxrss is in KiB on Linux
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(argv: list[str], timeout: float) -> tuple[int, str, int]:
    """Run `argv` to its end; returns (exit code, stderr, peak resident memory in bytes)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *argv], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    return done.returncode, done.stderr, int(done.stdout.strip() or 0)


@pytest.mark.parametrize("jobs", [1, 4])
def test_a_gzip_answer_to_a_media_request_is_refused_without_inflating_it(tmp_path, jobs):
    lib = tmp_path / "lib"
    size = 5_000_000
    with FaultServer() as server:
        files = serve_series(server, [size] * jobs)
        keep_all(lib, server)
        for path in files:  # 1 MB on the wire, 1 GiB of zeros once inflated
            server.set_fault(path, "gzip", inflated=1 << 30)
        code, err, peak = run_measured(command(lib, "sync", "--jobs", str(jobs)), timeout=120)
    assert code == 1, err
    assert peak < 100 * 1024 * 1024, f"peak memory {peak / 2**20:.0f} MiB"
    for part in (lib / "tmp").glob("*.part"):
        assert part.stat().st_size == 0, "nothing of the compressed answer is stored"
    assert present(lib) == []
    assert err.count("came compressed (gzip)") == jobs, err


# -- a kill under a rate cap ------------------------------------------------------------


@pytest.mark.parametrize("rate", ["100K", "1M", "8M"])
def test_a_kill_under_a_rate_cap_wastes_at_most_one_mebibyte(tmp_path, rate):
    """Bytes the server sent but the part file never got are lost to a kill; under a cap
    the reader sleeps, so whatever the kernel buffers for it meanwhile is at stake."""
    lib = tmp_path / "lib"
    per_second = {"100K": 100 << 10, "1M": 1 << 20, "8M": 8 << 20}[rate]
    with FaultServer() as server:
        [path] = serve_series(server, [per_second * 6])  # two kills two seconds in, and more
        keep_all(lib, server)
        wasted = 0
        for kill in range(2):
            sync = subprocess.Popen(
                command(lib, "sync", "--max-rate", rate),
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                before = sum(parts(lib).values())
                deadline = time.monotonic() + 30
                # Polling the part file's size (not timing anything): two seconds' worth in.
                while sum(parts(lib).values()) < before + 2 * per_second and time.monotonic() < deadline:
                    time.sleep(0.05)
            finally:
                sync.send_signal(signal.SIGKILL)
                sync.wait(timeout=30)
            # The server's thread for this connection ends once it sees the client gone.
            server.wait_for_idle(timeout=30)
            kept = sum(parts(lib).values())
            assert kept > before, "the sync was killed mid-download"
            acked = [r.acked for r in server.requests(path)]
            if None in acked:
                pytest.skip("this system does not tell how many bytes a TCP peer acknowledged")
            waste = sum(acked) - kept - wasted
            assert waste <= 1 << 20, f"kill {kill}: {waste:,} bytes sent but not kept"
            wasted += waste
