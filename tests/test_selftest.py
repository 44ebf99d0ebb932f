"""`lecture-player --self-test`: passes on a good install, names what is broken on a bad one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from player.cli import opened_path

ROOT = Path(__file__).resolve().parent.parent


def self_test(env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    # A child process, as a study centre runs it: its own QApplication, its own exit code.
    env = {k: v for k, v in os.environ.items() if k != "LECTURE_PLAYER_RESOURCES"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must choose offscreen by itself
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "player", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.gui
def test_self_test_passes_headless_on_a_good_install():
    result = self_test()
    assert result.returncode == 0, result.stdout + result.stderr
    for check in (
        "library and sample import",
        "sample signature",
        "catalog schema",
        "translations",
        "playback",
    ):
        assert f"ok   {check}" in result.stdout
    assert "FAIL" not in result.stdout
    assert "all 5 checks passed" in result.stdout


@pytest.fixture
def broken_resources(tmp_path):
    copy = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", copy, ignore=shutil.ignore_patterns("*.ts", "*.png"))
    return copy


@pytest.mark.gui
def test_self_test_names_a_wrong_sample_key_and_missing_translations(broken_resources, keypair):
    _private, other_public = keypair
    (broken_resources / "sample.pub").write_text(other_public + "\n")
    for qm in (broken_resources / "translations").glob("*.qm"):
        qm.unlink()
    result = self_test({"LECTURE_PLAYER_RESOURCES": str(broken_resources)})
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    failed = [line for line in lines if line.startswith("FAIL")]
    assert [line.split(" (")[0] for line in failed] == [
        "FAIL library and sample import",  # the app refuses a sample its pinned key did not sign
        "FAIL sample signature",
        "FAIL translations",
        "FAIL playback",
    ]
    assert any("signature does not match" in line for line in lines)
    assert any("Chinese translation is missing" in line for line in lines)
    assert "Reinstall Lecture Player" in result.stdout
    assert "checks failed" in result.stdout
    assert "ok   catalog schema" in result.stdout


@pytest.mark.gui
def test_self_test_names_a_missing_sample_video(broken_resources):
    for video in (broken_resources / "sample" / "media").rglob("*.mp4"):
        video.unlink()
    result = self_test({"LECTURE_PLAYER_RESOURCES": str(broken_resources)})
    assert result.returncode == 1
    assert "FAIL playback" in result.stdout or "FAIL library and sample import" in result.stdout
    assert "none of its videos reached the library" in result.stdout


def test_a_catalog_or_bundle_path_opens_the_app(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "catalog.json").write_text("{}")
    bundle = tmp_path / "usb"
    bundle.mkdir()
    (bundle / "bundle.json").write_text("{}")
    assert opened_path([str(mirror / "catalog.json")]) == mirror / "catalog.json"
    assert opened_path([str(bundle)]) == bundle
    assert (
        opened_path(["--library", str(tmp_path / "lib"), str(bundle / "bundle.json")])
        == bundle / "bundle.json"
    )
    assert opened_path(["--debug", f"--library={tmp_path}", str(mirror)]) == mirror


def test_command_arguments_are_never_taken_for_an_opened_path(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "catalog.json").write_text("{}")
    assert opened_path(["catalog", "verify", str(mirror)]) is None
    assert opened_path(["import", str(mirror)]) is None
    assert opened_path(["sync"]) is None
    assert opened_path([str(tmp_path / "no-such" / "catalog.json")]) is None
    assert opened_path([str(tmp_path)]) is None  # a folder with neither file
    assert opened_path([]) is None
