"""The library at scale: 1,000 series × 100 lectures.

Targets (issue: library core): import < 10 s, unchanged re-import < 1 s, a new version
with 1% of lectures changed < 2 s, search p95 < 20 ms, `series list` process < 1 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import pytest

from player.catalog.mirror import CatalogFiles
from player.library.db import open_library
from player.library.importer import import_catalog
from player.library.search import search
from tests.benchmarks import synth

pytestmark = pytest.mark.benchmark

QUERIES = [
    "quantum",
    "量子",
    "Wang Wei",
    "entropy part 7",
    "星系",
    "crystal",
    "海啸第3讲",
    "genome",
    "zhou",
    "lecture on plasma",
]


@pytest.fixture(scope="module")
def catalogs():
    return {
        "v1": synth.catalog_bytes(version=1),
        "v2": synth.catalog_bytes(version=2, changed_fraction=0.01),
    }


def test_library_at_scale(tmp_path_factory, catalogs, record):
    root = tmp_path_factory.mktemp("bench") / "lib"
    figures: dict[str, object] = {"catalog_mb": round(len(catalogs["v1"]) / 1e6, 1), "lectures": 100_000}
    with open_library(root, install_sample=False) as lib:
        start = time.perf_counter()
        result = import_catalog(lib, CatalogFiles(catalogs["v1"], None), location="bench")
        figures["import_s"] = round(time.perf_counter() - start, 2)
        assert result.added == 100_000

        times = []
        for _ in range(5):
            start = time.perf_counter()
            assert import_catalog(lib, CatalogFiles(catalogs["v1"], None), location="bench").unchanged
            times.append(time.perf_counter() - start)
        figures["reimport_unchanged_s"] = round(statistics.median(times), 3)

        start = time.perf_counter()
        result = import_catalog(lib, CatalogFiles(catalogs["v2"], None), location="bench")
        figures["import_1pct_changed_s"] = round(time.perf_counter() - start, 2)
        assert result.changed == 1000

        latencies = []
        for _ in range(10):
            for q in QUERIES:
                start = time.perf_counter()
                search(lib, q)
                latencies.append((time.perf_counter() - start) * 1000)
        latencies.sort()
        figures["search_p50_ms"] = round(latencies[len(latencies) // 2], 1)
        figures["search_p95_ms"] = round(latencies[int(len(latencies) * 0.95)], 1)

    env = {**os.environ, "LECTURE_PLAYER_LIBRARY": str(root)}
    times = []
    for _ in range(5):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "player", "series", "list"], env=env, capture_output=True)
        times.append(time.perf_counter() - start)
        assert out.returncode == 0 and out.stdout.count(b"\n") == 1000
    figures["series_list_process_s"] = round(statistics.median(times), 2)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    figures["bare_python_process_s"] = round(time.perf_counter() - start, 2)
    record("library", figures)
