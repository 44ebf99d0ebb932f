"""A classroom: 30 machines fetching lectures at once from `lecture-player serve`, next to
nginx serving the same files, measured in the same run.

Target (issue: offline distribution): 30 concurrent clients, each fetching its own 100 MB
file over loopback, are all served within 1.1x of nginx's time; the `serve` process's
peak RSS (VmHWM in /proc/PID/status) stays under 150 MB.

nginx serves the library's own store (the same inodes), so both servers read the same
bytes from the page cache, warmed before timing. The client is the same for both: 30
`curl -s -f -o /dev/null` processes started together, each fetching a distinct file; a
run is timed from the first start to the last exit. Runs alternate between the servers.
To explain a gap, each run also records the CPU time of the server (nginx: its worker) and
of the curls, and the connections dropped because a listen queue was full.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from player.library.db import open_library
from player.library.kept import keep_series
from player.library.sources import add_source
from tests import nginx
from tests.benchmarks.test_bench_sync import MB, cheap_files, verdict, write_catalog
from tests.mirrors import sync_from_local_mirrors

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.skipif(not nginx.available(), reason="nginx is not installed (./dev.sh installs it)"),
    pytest.mark.skipif(not shutil.which("curl"), reason="curl is not installed"),
]

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "org.example.bench"
CLIENTS, SIZE = 30, 100 * MB
RUNS = 11


def serve_process(lib: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "player", "--library", str(lib), "serve", "--port", "0", "--json"]
        + ["--no-announce"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    started = json.loads(proc.stdout.readline())
    assert started["event"] == "started", started
    return proc, started["url"]


def peak_rss(pid: int) -> int:
    """The process's peak resident set so far, in bytes (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmHWM for PID {pid}")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def nginx_worker(server: nginx.Nginx) -> int:
    master = int((server.prefix / "nginx.pid").read_text())
    return int(Path(f"/proc/{master}/task/{master}/children").read_text().split()[0])


def listen_overflows() -> int:
    """Connections this machine's TCP stack dropped because a listen queue was full."""
    lines = Path("/proc/net/netstat").read_text().splitlines()
    for names, values in zip(lines[::2], lines[1::2], strict=True):  # a line of names, then values
        if names.startswith("TcpExt:"):
            return int(dict(zip(names.split()[1:], values.split()[1:], strict=True))["ListenOverflows"])
    return 0


def fetch_all(urls: list[str]) -> tuple[float, float]:
    """Start one curl per URL at once: seconds until the last one has finished, and the
    CPU seconds the curls used together."""
    start = time.perf_counter()
    procs = [subprocess.Popen(["curl", "-s", "-f", "-o", os.devnull, url]) for url in urls]
    codes, cpu = [], 0.0
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        codes.append(proc.returncode)
        cpu += usage.ru_utime + usage.ru_stime
    elapsed = time.perf_counter() - start
    assert codes == [0] * len(urls), codes
    return elapsed, cpu


def test_classroom_against_nginx(tmp_path, record):
    free = shutil.disk_usage(tmp_path).free
    if free < 8 * 10**9:
        pytest.skip(f"needs 8 GB free for 30 x 100 MB and its copy; has {free / 10**9:.1f} GB")
    www = tmp_path / "www"
    entries = cheap_files(www, CLIENTS, SIZE)
    write_catalog(www, entries)
    lib = tmp_path / "lib"
    with open_library(lib, install_sample=False) as opened:
        add_source(opened, str(www))
        keep_series(opened, SOURCE, "big")
        sync_from_local_mirrors(opened)
    shutil.rmtree(www)  # only the library's copy is left, for both servers
    proc, url = serve_process(lib)
    try:
        with nginx.serve(lib / "media", tmp_path / "nginx") as server:
            share_urls = [f"{url}{SOURCE}/{href}" for href, _, _ in entries]
            nginx_urls = [f"{server.url}{digest[:2]}/{digest}.mp4" for _, digest, _ in entries]
            fetch_all(share_urls)  # warms the page cache, for both: nginx reads the same inodes
            fetch_all(nginx_urls)
            pids = {"share": proc.pid, "nginx": nginx_worker(server)}
            urls = {"share": share_urls, "nginx": nginx_urls}
            times: dict[str, list[float]] = {"share": [], "nginx": []}
            cpu = dict.fromkeys(pids, 0.0)
            client_cpu = dict.fromkeys(pids, 0.0)
            overflows = dict.fromkeys(pids, 0)
            for i in range(RUNS):
                # Alternate who goes first, so a burst of load elsewhere hits both alike.
                for who in ("share", "nginx") if i % 2 == 0 else ("nginx", "share"):
                    before, dropped = cpu_seconds(pids[who]), listen_overflows()
                    elapsed, curls = fetch_all(urls[who])
                    times[who].append(elapsed)
                    cpu[who] += cpu_seconds(pids[who]) - before
                    client_cpu[who] += curls
                    overflows[who] += listen_overflows() - dropped
            rss = peak_rss(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert proc.returncode == 0
    share, ngx = statistics.median(times["share"]), statistics.median(times["nginx"])
    total = CLIENTS * SIZE
    ok = share / ngx <= 1.1 and rss < 150 * MB
    record(
        "share_classroom",
        {
            "clients": CLIENTS,
            "file_mb": SIZE // MB,
            "distinct_files": True,
            "runs": RUNS,
            "page_cache": "warm",
            "share_s": round(share, 3),
            "nginx_s": round(ngx, 3),
            "share_vs_nginx": round(share / ngx, 2),
            "share_mb_s": round(total / MB / share),
            "nginx_mb_s": round(total / MB / ngx),
            "all_share_s": [round(t, 2) for t in times["share"]],
            "all_nginx_s": [round(t, 2) for t in times["nginx"]],
            # CPU time of the serving process per run (nginx: its one worker).
            "share_cpu_s_per_run": round(cpu["share"] / RUNS, 2),
            "nginx_cpu_s_per_run": round(cpu["nginx"] / RUNS, 2),
            "share_client_cpu_s_per_run": round(client_cpu["share"] / RUNS, 2),
            "nginx_client_cpu_s_per_run": round(client_cpu["nginx"] / RUNS, 2),
            # A full listen queue drops a connection; its client tries again a second later.
            "share_listen_overflows": overflows["share"],
            "nginx_listen_overflows": overflows["nginx"],
            "serve_peak_rss_mb": round(rss / MB, 1),
            "target": "<= 1.1 x nginx, peak RSS < 150 MB",
            "result": verdict(ok),
        },
    )
