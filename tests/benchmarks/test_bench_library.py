"""The library at scale: 1,000 series × 100 lectures (100,000 lectures, a 59 MB catalog).

Targets (issue: library core): import into an empty library < 10 s, unchanged re-import
< 1 s, a new version with 1% of lectures changed < 2 s, search p95 < 20 ms, the process
`lecture-player series list` < 1 s. Each figure is the median of several runs; each is
also given as a ratio of its target.
"""

from __future__ import annotations

import os
import shutil
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

RUNS = 3
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
TARGETS = {
    "import_s": 10.0,
    "reimport_unchanged_s": 1.0,
    "import_1pct_changed_s": 2.0,
    "search_p95_ms": 20.0,
    "series_list_process_s": 1.0,
}


@pytest.fixture(scope="module")
def catalogs():
    return {
        "v1": CatalogFiles(synth.catalog_bytes(version=1), None),
        # 1% of the lectures, spread over every series, get a new title and video.
        "v2": CatalogFiles(synth.catalog_bytes(version=2, changed_fraction=0.01), None),
    }


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_library_at_scale(tmp_path, catalogs, record):
    figures: dict[str, object] = {"lectures": 100_000, "catalog_mb": round(len(catalogs["v1"].raw) / 1e6, 1)}
    imports = []
    for run in range(RUNS):
        with open_library(tmp_path / f"lib{run}", install_sample=False) as lib:
            imports.append(timed(lambda lib=lib: import_catalog(lib, catalogs["v1"], location="bench")))
    figures["import_s"] = statistics.median(imports)
    root = tmp_path / "lib0"

    with open_library(root, install_sample=False) as lib:
        figures["reimport_unchanged_s"] = statistics.median(
            timed(lambda: import_catalog(lib, catalogs["v1"], location="bench")) for _ in range(5)
        )

    changed = []
    for run in range(RUNS):
        copy = tmp_path / f"update{run}"
        shutil.copytree(root, copy)
        with open_library(copy, install_sample=False) as lib:
            result = None

            def update(lib=lib):
                nonlocal result
                result = import_catalog(lib, catalogs["v2"], location="bench")

            changed.append(timed(update))
            assert result.changed == 1000
    figures["import_1pct_changed_s"] = statistics.median(changed)

    with open_library(root, install_sample=False) as lib:
        latencies = sorted(timed(lambda q=q: search(lib, q)) * 1000 for _ in range(10) for q in QUERIES)
    figures["search_p50_ms"] = latencies[len(latencies) // 2]
    figures["search_p95_ms"] = latencies[int(len(latencies) * 0.95)]

    env = {**os.environ, "LECTURE_PLAYER_LIBRARY": str(root)}
    cmd = [sys.executable, "-m", "player", "series", "list"]
    out = subprocess.run(cmd, env=env, capture_output=True, check=True)
    assert out.stdout.count(b"\n") == 1000
    figures["series_list_process_s"] = statistics.median(
        timed(lambda: subprocess.run(cmd, env=env, capture_output=True, check=True)) for _ in range(5)
    )
    figures["bare_python_process_s"] = statistics.median(
        timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True)) for _ in range(5)
    )
    figures = {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}
    for name, target in TARGETS.items():
        figures[f"{name}_vs_target"] = round(figures[name] / target, 2)
    record("library", figures)
