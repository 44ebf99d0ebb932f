"""`lecture-player serve` handing large files to curl, next to nginx serving the same files.

nginx serves the library's own store (the same inodes), so both read the same bytes from
the page cache; each figure is the median of several runs, timed around curl, one file at
a time and four at once. Reported as a ratio to nginx; 1.25x is the bar it is held to.
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
from tests.benchmarks.test_bench_sync import MB, MiB, random_files, write_catalog
from tests.mirrors import sync_from_local_mirrors

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.skipif(not nginx.available(), reason="nginx is not installed (./dev.sh installs it)"),
    pytest.mark.skipif(not shutil.which("curl"), reason="curl is not installed"),
]

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "org.example.bench"


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


def fetch_all(urls: list[str], parallel: bool) -> float:
    start = time.perf_counter()
    cmds = [["curl", "-s", "-f", "-o", os.devnull, url] for url in urls]
    if parallel:
        procs = [subprocess.Popen(cmd) for cmd in cmds]
        assert all(p.wait() == 0 for p in procs)
    else:
        for cmd in cmds:
            subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def test_large_files_against_nginx(tmp_path, record):
    www = tmp_path / "www"
    entries = random_files(www, 4, 256 * MiB)
    write_catalog(www, entries)
    lib = tmp_path / "lib"
    with open_library(lib, install_sample=False) as opened:
        add_source(opened, str(www))
        keep_series(opened, SOURCE, "big")
        sync_from_local_mirrors(opened)
    shutil.rmtree(www)  # only the library's copy is left, for both servers
    runs = 9
    proc, url = serve_process(lib)
    try:
        with nginx.serve(lib / "media", tmp_path / "nginx") as server:
            share_urls = [f"{url}{SOURCE}/{href}" for href, _, _ in entries]
            nginx_urls = [f"{server.url}{digest[:2]}/{digest}.mp4" for _, digest, _ in entries]
            fetch_all(share_urls + nginx_urls, parallel=False)  # warm the page cache
            figures = {}
            for mode, parallel in (("serial", False), ("parallel4", True)):
                share_t, nginx_t = [], []
                for i in range(runs):
                    # Alternate who goes first, so a burst of load elsewhere hits both alike.
                    pair = [(share_t, share_urls), (nginx_t, nginx_urls)]
                    for times, urls in pair if i % 2 == 0 else pair[::-1]:
                        times.append(fetch_all(urls, parallel))
                s, n = statistics.median(share_t), statistics.median(nginx_t)
                figures[f"{mode}_share_s"] = round(s, 3)
                figures[f"{mode}_nginx_s"] = round(n, 3)
                figures[f"{mode}_share_vs_nginx"] = round(s / n, 2)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    total = sum(size for _, _, size in entries)
    ok = all(figures[f"{m}_share_vs_nginx"] <= 1.25 for m in ("serial", "parallel4"))
    record(
        "share_large_files",
        {
            "files": len(entries),
            "total_mb": round(total / MB),
            "runs": runs,
            **figures,
            "serial_share_mb_s": round(total / MB / figures["serial_share_s"]),
            "target": "<= 1.25",
            "result": "pass" if ok else "short",
        },
    )
