"""One resource lookup, from a source checkout, an override, or a frozen (PyInstaller) app."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from player import resources

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_root(monkeypatch):
    monkeypatch.delenv(resources.ENV_RESOURCES, raising=False)
    resources.resource_root.cache_clear()
    yield
    resources.resource_root.cache_clear()


def test_source_checkout_finds_the_resources_folder(fresh_root):
    assert resources.resource_root() == ROOT / "resources"
    assert resources.resource_path("schema", "lecture-catalog-1.schema.json").is_file()
    assert resources.resource_path("sample", "catalog.json").is_file()


def test_environment_override_wins(fresh_root, monkeypatch, tmp_path):
    monkeypatch.setenv(resources.ENV_RESOURCES, str(tmp_path))
    assert resources.resource_path("sample.pub") == tmp_path / "sample.pub"


def test_pyinstaller_bundle_uses_its_data_folder(fresh_root, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    assert resources.resource_path("icons", "lecture-player.svg") == (
        tmp_path / "_internal" / "resources" / "icons" / "lecture-player.svg"
    )


def test_other_frozen_apps_look_beside_the_program(fresh_root, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "lecture-player"))
    assert resources.resource_root() == tmp_path / "resources"


def test_no_module_finds_resources_by_its_own_path_arithmetic():
    # Everything under resources/ must come through player.resources, or a frozen app breaks.
    offenders = []
    for path in (ROOT / "player").rglob("*.py"):
        if path.name == "resources.py" and path.parent.name == "player":
            continue
        if re.search(r"\b__file__\b", path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
