"""Figures for the installable app: sizes, the self-test's time, cold start bundled vs source.

Needs the bundle and the .deb built (packaging/build.sh, packaging/build-deb.sh) and the
.deb installed; `.ci/package` does all three, then runs this. Run alone with
`pytest -m benchmark -s tests/benchmarks/test_bench_install.py`.

Cold start is measured two ways, each for the installed app and for the source checkout:
`--version` (the program starts, Python and the command line load, it exits) and the
window: under Xvfb, from the process start to the main window being mapped.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.benchmark

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
INSTALLED = Path("/opt/lecture-player")
LAUNCHER = Path("/usr/bin/lecture-player")
SOURCE = [sys.executable, "-m", "player"]
RUNS = 5
SELF_TEST_TARGET_S = 3.0
SIZE_TARGET_MB = 250.0


def _mb(n: int) -> float:
    return round(n / 1_000_000, 1)


def _tree_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.pop("LECTURE_PLAYER_RESOURCES", None)
    env.update(extra)
    return env


def _wall(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stdout + result.stderr
    return elapsed


def _median(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    return round(statistics.median(_wall(argv, cwd, env) for _ in range(RUNS)), 3)


@pytest.fixture(scope="module")
def installed():
    if not (LAUNCHER.is_file() and (INSTALLED / "lecture-player").is_file()):
        pytest.skip(
            "The .deb is not installed: run .ci/package, or build and `apt install ./dist/lecture-player_*.deb`."
        )
    return LAUNCHER


@pytest.fixture(scope="module")
def display():
    """An Xvfb display of our own, for the window's cold start."""
    if shutil.which("Xvfb") is None or shutil.which("xwininfo") is None:
        pytest.skip("Xvfb and xwininfo are needed for the window's cold start (Debian: xvfb x11-utils).")
    number = 97
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    name = f":{number}"
    deadline = time.monotonic() + 10
    while subprocess.run(["xwininfo", "-root", "-display", name], capture_output=True).returncode != 0:
        assert time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    yield name
    server.terminate()
    server.wait(timeout=10)


def _window_shown(display: str) -> bool:
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree", "-display", display], capture_output=True, text=True
    ).stdout
    return any(
        '"Lecture Player' in line and "x" in line for line in tree.splitlines() if "has no name" not in line
    )


def _window_cold_start(argv: list[str], cwd: Path, display: str, library: Path, config: Path) -> float:
    env = _env(DISPLAY=display, LECTURE_PLAYER_CONFIG_DIR=str(config), LECTURE_PLAYER_LANG="en")
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        app = subprocess.Popen(
            [*argv, "--library", str(library)],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while not _window_shown(display):
                assert app.poll() is None, f"the app exited with {app.returncode}"
                assert time.perf_counter() - start < 60, "no window within 60 s"
            times.append(time.perf_counter() - start)
        finally:
            app.terminate()
            app.wait(timeout=30)
    return round(statistics.median(times), 3)


def test_install_figures(installed, display, record, tmp_path):
    figures: dict[str, object] = {}
    tarballs = sorted(DIST.glob("lecture-player-*.tar.gz"))
    debs = sorted(DIST.glob("lecture-player_*.deb"))
    if tarballs:
        figures["tar_gz_mb"] = _mb(tarballs[-1].stat().st_size)
    if debs:
        figures["deb_mb"] = _mb(debs[-1].stat().st_size)
    figures["installed_mb"] = _mb(_tree_size(INSTALLED))
    figures["size_target_mb"] = SIZE_TARGET_MB

    # From "/", as a study centre runs it: nothing of the checkout may help the installed app.
    figures["self_test_installed_s"] = _median([str(installed), "--self-test"], Path("/"), _env())
    figures["self_test_source_s"] = _median([*SOURCE, "--self-test"], ROOT, _env())
    figures["self_test_target_s"] = SELF_TEST_TARGET_S
    figures["version_installed_s"] = _median([str(installed), "--version"], Path("/"), _env())
    figures["version_source_s"] = _median([*SOURCE, "--version"], ROOT, _env())

    library = tmp_path / "library"
    config = tmp_path / "config"
    config.mkdir()
    # A library with the sample in it already, so every measured start opens the same one.
    subprocess.run(
        [str(installed), "--library", str(library), "series", "list"], check=True, capture_output=True
    )
    figures["window_installed_s"] = _window_cold_start([str(installed)], Path("/"), display, library, config)
    figures["window_source_s"] = _window_cold_start(SOURCE, ROOT, display, library, config)
    record("install", figures)
    assert figures["self_test_installed_s"] < SELF_TEST_TARGET_S * 2  # a loaded machine, not a broken app
