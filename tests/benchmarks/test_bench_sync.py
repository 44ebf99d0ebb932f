"""`lecture-player sync` against nginx on 127.0.0.1, next to curl and aria2c.

Targets (issue: sync engine), each baseline measured in the same run:

- large files: 4 x 256 MB with `--jobs 2` within 1.15x of `curl -s -o` fetching them in turn;
- many files: 500 x 200 KB with `--jobs 4` within 1.2x of `aria2c -j 4`;
- resume waste: over 20 SIGKILLs and a final sync, nginx serves at most the catalog's
  bytes plus 1 MiB per interruption;
- throttle: `--max-rate 2M` holds 2,000,000 B/s within 10%;
- memory: peak RSS of a sync fetching 5 GB stays under 200 MB.

Every sync runs as its own process with a fresh library; only the `sync` command is timed.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import nginx
from tests.mirrors import one_series_catalog, write_mirror

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.skipif(not nginx.available(), reason="nginx is not installed (./dev.sh installs it)"),
]

ROOT = Path(__file__).resolve().parents[2]
MB = 1_000_000
MiB = 1 << 20


def write_catalog(www: Path, entries: list[tuple[str, str, int]]) -> None:
    """A one-series catalog ("big") naming files already under `www`: (href, sha256, size)."""
    catalog = one_series_catalog(entries, "org.example.bench")
    write_mirror(www, catalog)


def random_files(www: Path, n: int, size: int, prefix: str = "v") -> list[tuple[str, str, int]]:
    """`n` files of `size` random bytes under www/media, written in 1 MiB chunks."""
    (www / "media").mkdir(parents=True, exist_ok=True)
    entries = []
    for i in range(n):
        href = f"media/{prefix}{i}.mp4"
        digest = hashlib.sha256()
        with open(www / href, "wb") as f:
            left = size
            while left:
                chunk = os.urandom(min(MiB, left))
                digest.update(chunk)
                f.write(chunk)
                left -= len(chunk)
        entries.append((href, digest.hexdigest(), size))
    return entries


def cheap_files(www: Path, n: int, size: int) -> list[tuple[str, str, int]]:
    """`n` files of `size` bytes, distinct by content, from one random 1 MiB block.

    Each block starts with the file's and the block's index, so no two blocks (and no
    two files) are alike, while writing costs little more than the disk does.
    """
    (www / "media").mkdir(parents=True, exist_ok=True)
    block = bytearray(os.urandom(MiB))
    entries = []
    for i in range(n):
        href = f"media/m{i}.mp4"
        digest = hashlib.sha256()
        with open(www / href, "wb") as f:
            left, b = size, 0
            while left:
                block[:16] = i.to_bytes(8, "big") + b.to_bytes(8, "big")
                chunk = bytes(block[: min(MiB, left)])
                digest.update(chunk)
                f.write(chunk)
                left -= len(chunk)
                b += 1
        entries.append((href, digest.hexdigest(), size))
    return entries


def player(lib: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "player", "--library", str(lib), *args]


def prepare(lib: Path, url: str) -> None:
    shutil.rmtree(lib, ignore_errors=True)
    for args in (("sources", "add", url), ("keep", "big")):
        done = subprocess.run(player(lib, *args), capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr


def run_sync(lib: Path, *args: str) -> tuple[float, int]:
    """Run `sync` to completion; its wall time and its peak RSS in bytes (from wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        player(lib, "sync", *args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    assert proc.returncode == 0, err
    return elapsed, usage.ru_maxrss * 1024


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def verdict(ok: bool) -> str:
    return "pass" if ok else "short"


@pytest.fixture(scope="module")
def large_www(tmp_path_factory):
    www = tmp_path_factory.mktemp("large-www")
    entries = random_files(www, 4, 256 * MiB)
    write_catalog(www, entries)
    yield www, entries
    shutil.rmtree(www, ignore_errors=True)


def test_large_files_against_curl(large_www, tmp_path, record):
    www, entries = large_www
    lib, out = tmp_path / "lib", tmp_path / "curl"
    runs = 3
    with nginx.serve(www, tmp_path / "nginx") as server:
        curl_times, durable_times, sync_times = [], [], []
        for _ in range(runs):
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            start = time.perf_counter()
            for i, (href, _, _) in enumerate(entries):
                subprocess.run(["curl", "-s", "-o", str(out / f"{i}.mp4"), server.url + href], check=True)
            curl_times.append(time.perf_counter() - start)
            # What sync guarantees on top: every file hashed and flushed to the disk.
            names = [str(out / f"{i}.mp4") for i in range(len(entries))]
            subprocess.run(["sha256sum", *names], check=True, capture_output=True)
            subprocess.run(["sync", *names], check=True)
            durable_times.append(time.perf_counter() - start)
            shutil.rmtree(out)
            prepare(lib, server.url)
            sync_times.append(run_sync(lib, "--jobs", "2")[0])
            shutil.rmtree(lib)
    curl, sync = statistics.median(curl_times), statistics.median(sync_times)
    durable = statistics.median(durable_times)
    total = sum(size for _, _, size in entries)
    record(
        "sync_large_files",
        {
            "files": len(entries),
            "total_mb": round(total / MB),
            "runs": runs,
            "curl_s": round(curl, 2),
            "curl_sha256sum_fsync_s": round(durable, 2),
            "sync_vs_curl_sha256sum_fsync": round(sync / durable, 2),
            "sync_jobs2_s": round(sync, 2),
            "sync_vs_curl": round(sync / curl, 2),
            "target": "<= 1.15",
            "result": verdict(sync / curl <= 1.15),
        },
    )


def test_many_files_against_aria2c(tmp_path, record):
    www = tmp_path / "www"
    entries = random_files(www, 500, 200 * 1000)
    write_catalog(www, entries)
    lib, out = tmp_path / "lib", tmp_path / "aria2c"
    runs = 3
    with nginx.serve(www, tmp_path / "nginx") as server:
        urls = tmp_path / "urls.txt"
        urls.write_text("".join(server.url + href + "\n" for href, _, _ in entries))
        aria_times, sync_times = [], []
        for _ in range(runs):
            shutil.rmtree(out, ignore_errors=True)
            aria_times.append(timed(["aria2c", "-q", "-j", "4", "-i", str(urls), "-d", str(out)]))
            assert len(list(out.iterdir())) == len(entries)
            prepare(lib, server.url)
            sync_times.append(run_sync(lib, "--jobs", "4")[0])
    aria, sync = statistics.median(aria_times), statistics.median(sync_times)
    record(
        "sync_many_files",
        {
            "files": len(entries),
            "file_kb": 200,
            "runs": runs,
            "aria2c_s": round(aria, 2),
            "sync_jobs4_s": round(sync, 2),
            "sync_vs_aria2c": round(sync / aria, 2),
            "target": "<= 1.2",
            "result": verdict(sync / aria <= 1.2),
        },
    )


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_resume_waste_over_sigkills(tmp_path, record):
    """20 SIGKILLs mid-file, then a sync to the end; nginx's body bytes, summed.

    nginx counts bytes handed to the socket, so bytes sitting in socket buffers when the
    client dies count as served. To keep that slack small the sync uses a second listener
    with a 64 KiB send buffer, no sendfile and small output buffers, and nginx (not the
    client) sets the pace while the kills happen: the client then drains its receive
    buffer as fast as the bytes come, and what is left over is what sync itself lost.
    """
    www = tmp_path / "www"
    entries = random_files(www, 4, 64 * MiB)
    write_catalog(www, entries)
    catalog_bytes = sum(size for _, _, size in entries)
    lib = tmp_path / "lib"
    slow = tmp_path / "slow"  # while it exists, nginx sends at 8 MB/s per connection
    slow.touch()
    port = _free_port()
    extra = (
        f"listen 127.0.0.1:{port} sndbuf=64k;\n"
        "sendfile off; output_buffers 2 32k; send_lowat 0;\n"
        f"if (-f {slow}) {{ set $limit_rate 8m; }}"
    )
    rng = random.Random(11)
    interruptions = 0
    with nginx.serve(www, tmp_path / "nginx", extra=extra) as server:
        url = f"http://127.0.0.1:{port}/"
        prepare(lib, url)
        base = server.bytes_served()
        while interruptions < 20:
            proc = subprocess.Popen(
                player(lib, "sync", "--json"),
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                cwd=ROOT,
            )
            finished = True
            for line in proc.stdout:
                if json.loads(line)["event"] == "bytes":
                    time.sleep(rng.uniform(0.05, 0.6))  # a random moment once bytes flow
                    os.kill(proc.pid, signal.SIGKILL)
                    finished = False
                    break
            proc.wait(timeout=60)
            proc.stdout.close()
            assert not finished, "the catalog ran out before 20 kills; make it bigger"
            interruptions += 1
        slow.unlink()
        last = subprocess.run(player(lib, "sync"), capture_output=True, text=True, cwd=ROOT)
        assert last.returncode == 0, last.stderr
        media = [line for line in server.log_lines() if "/media/" in line.split()[1]]
        served = sum(int(line.split()[3]) for line in media)
        catalog_json = server.bytes_served() - base - served
    check = subprocess.run(player(lib, "verify"), capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 0, check.stdout + check.stderr
    waste = served - catalog_bytes
    limit = catalog_bytes + interruptions * MiB
    record(
        "sync_resume_waste",
        {
            "catalog_bytes": catalog_bytes,
            "interruptions": interruptions,
            "media_requests": len(media),
            "served_bytes": served,
            "waste_bytes": waste,
            "waste_per_interruption_kib": round(waste / interruptions / 1024, 1),
            "served_vs_limit": round(served / limit, 4),
            "non_media_bytes": catalog_json,
            "target": "served <= catalog + 1 MiB per interruption",
            "result": verdict(served <= limit),
        },
    )


def test_throttle_accuracy(tmp_path, record):
    www = tmp_path / "www"
    entries = random_files(www, 4, 10 * MB)
    write_catalog(www, entries)
    total = sum(size for _, _, size in entries)
    lib = tmp_path / "lib"
    runs = 3
    rates = []
    with nginx.serve(www, tmp_path / "nginx") as server:
        for _ in range(runs):
            prepare(lib, server.url)
            proc = subprocess.Popen(
                player(lib, "sync", "--json", "--max-rate", "2M"),
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                cwd=ROOT,
            )
            first = last = None
            received = 0
            for line in proc.stdout:
                event = json.loads(line)
                now = time.perf_counter()
                if event["event"] == "file_started" and first is None:
                    first = now
                elif event["event"] == "file_done":
                    last = now
                elif event["event"] == "finished":
                    received = event["bytes"]
            assert proc.wait(timeout=120) == 0
            proc.stdout.close()
            assert received == total
            rates.append(received / (last - first))
    rate = statistics.median(rates)
    record(
        "sync_throttle",
        {
            "total_mb": round(total / MB),
            "runs": runs,
            "cap_bps": 2 * MB,
            "measured_bps": round(rate),
            "measured_vs_cap": round(rate / (2 * MB), 3),
            "all_runs_bps": [round(r) for r in rates],
            "target": "0.90 .. 1.10",
            "result": verdict(0.9 <= rate / (2 * MB) <= 1.1),
        },
    )


def test_memory_while_fetching_5_gb(tmp_path, record):
    n, size = 20, 256 * MiB
    free = shutil.disk_usage(tmp_path).free
    if free < 12 * 10**9:
        pytest.skip(f"needs 12 GB free for a 5 GB mirror and its copy, has {free / 10**9:.1f} GB")
    www = tmp_path / "www"
    lib = tmp_path / "lib"
    try:
        entries = cheap_files(www, n, size)
        write_catalog(www, entries)
        with nginx.serve(www, tmp_path / "nginx") as server:
            prepare(lib, server.url)
            seconds, peak = run_sync(lib, "--jobs", "2")
    finally:
        shutil.rmtree(www, ignore_errors=True)
        shutil.rmtree(lib, ignore_errors=True)
    record(
        "sync_memory",
        {
            "files": n,
            "total_gb": round(n * size / 10**9, 2),
            "runs": 1,
            "sync_s": round(seconds, 1),
            "peak_rss_mb": round(peak / MB, 1),
            "target": "< 200 MB",
            "result": verdict(peak < 200 * MB),
        },
    )
