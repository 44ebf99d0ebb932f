"""`catalog build` over 200 files against `sha256sum` over the same files.

Target (issue: library core): build time within 1.2x of sha256sum's, since hashing
should dominate. Both run as processes, on a warm page cache, in the same run.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys

import pytest

from tests.benchmarks.conftest import median_time
from tests.videos import make_video

pytestmark = pytest.mark.benchmark

FILES = 200
FILE_MB = 5


def free_box(payload: bytes) -> bytes:
    """An MP4 'free' box: players skip it, and it makes each copy's bytes unique."""
    return struct.pack(">I", 8 + len(payload)) + b"free" + payload


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    root = tmp_path_factory.mktemp("build-src")
    base = make_video(root / "base.mp4", seconds=2.0, width=320, height=180)
    video = base.read_bytes()
    base.unlink()
    pad = FILE_MB * 1_000_000 - len(video)
    for i in range(FILES):
        series = root / f"series{i % 10:02d}"
        series.mkdir(exist_ok=True)
        filler = (i.to_bytes(4, "big") * (pad // 4 + 1))[: pad - 8]
        (series / f"lecture{i:03d}.mp4").write_bytes(video + free_box(filler))
    return root


def test_build_against_sha256sum(source, tmp_path, record):
    files = sorted(str(p) for p in source.rglob("*.mp4"))
    out = tmp_path / "mirror"
    sha = median_time(lambda: subprocess.run(["sha256sum", *files], check=True, capture_output=True), runs=3)

    def clean():
        shutil.rmtree(out, ignore_errors=True)

    build = median_time(
        lambda: subprocess.run(
            [sys.executable, "-m", "player", "catalog", "build", str(source), "--out", str(out)],
            check=True,
            capture_output=True,
        ),
        runs=3,
        setup=clean,
    )
    rebuild = median_time(
        lambda: subprocess.run(
            [sys.executable, "-m", "player", "catalog", "build", str(source), "--out", str(out)],
            check=True,
            capture_output=True,
        ),
        runs=3,
    )
    record(
        "publisher",
        {
            "files": FILES,
            "total_mb": FILES * FILE_MB,
            "sha256sum_s": round(sha, 2),
            "build_s": round(build, 2),
            "build_vs_sha256sum": round(build / sha, 2),
            "rebuild_unchanged_s": round(rebuild, 2),
        },
    )
    assert build / sha <= 1.2
