import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Qt must never need a display in the test suite.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def library(tmp_path):
    from player.library.db import open_library

    lib = open_library(tmp_path / "lib", install_sample=False)
    yield lib
    lib.close()


@pytest.fixture
def keypair(tmp_path):
    from player.catalog import signing

    private = tmp_path / "keys" / "publisher.key"
    private.parent.mkdir()
    public = signing.generate_keypair(private)
    return private, public.read_text().strip()


@pytest.fixture(autouse=True)
def user_preferences(tmp_path_factory, monkeypatch):
    """Every test gets its own empty app preferences, never the real user's config."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("LECTURE_PLAYER_CONFIG_DIR", str(folder))  # honoured by player.ui.preferences
    if "PySide6.QtCore" in sys.modules:  # any other QSettings, too (GUI tests only: the core has no Qt)
        from PySide6.QtCore import QSettings

        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    if "player.ui.preferences" in sys.modules:
        # Where this run's library came from is set by run_gui; a test that ran it must
        # not decide what the next test's settings page says.
        from player.ui import preferences

        monkeypatch.setattr(preferences, "library_origin", preferences.LibraryOrigin.DEFAULT)
    return folder


@pytest.fixture
def make_small_disk(tmp_path):
    """Mounts real small tmpfs disks (a full disk, a small USB drive); needs root and Linux,
    so the test is skipped elsewhere. Every disk is unmounted when the test ends."""
    mounted: list[Path] = []

    def mount(size: str = "8m") -> Path:
        if not sys.platform.startswith("linux") or shutil.which("mount") is None:
            pytest.skip("a small tmpfs can only be mounted on Linux")
        point = tmp_path / f"small{len(mounted) or ''}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip("mounting a tmpfs is not permitted here")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=True, timeout=60)


@pytest.fixture
def small_disk(make_small_disk) -> Path:
    """A real 8 MB tmpfs."""
    return make_small_disk("8m")
