"""Benchmarks: run with `./dev.sh test tests/benchmarks -m benchmark -s`.

Each benchmark records its figures in tests/benchmarks/results/<name>.json and prints a
line; the README's table is copied from those files.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest

RESULTS = Path(__file__).parent / "results"


def median_time(fn: Callable[[], object], runs: int = 5, setup: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@pytest.fixture(scope="session")
def record():
    RESULTS.mkdir(exist_ok=True)

    def write(name: str, figures: dict) -> None:
        figures = {"machine": f"{platform.machine()}, {platform.python_version()}", **figures}
        (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=1) + "\n")
        print(f"\n[{name}] " + ", ".join(f"{k}={v}" for k, v in figures.items()))

    return write
