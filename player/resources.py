"""Find bundled resources, from a source checkout or from an installed or frozen app.

Every lookup of a file under `resources/` goes through `resource_path`, so that the
packaging only has to change `resource_root`. The places, first found wins:

- $LECTURE_PLAYER_RESOURCES, for tests and for trying another set of resources;
- a frozen app (PyInstaller): `resources/` in its data folder, `sys._MEIPASS`
  (`_internal/` beside the program in a one-folder build), else beside the program;
- a source checkout: `resources/` beside the `player` package;
- an installed package: `<prefix>/share/lecture-player/`.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

ENV_RESOURCES = "LECTURE_PLAYER_RESOURCES"


def _frozen_root() -> Path | None:
    if not getattr(sys, "frozen", False) and not hasattr(sys, "_MEIPASS"):
        return None
    data = getattr(sys, "_MEIPASS", None)
    base = Path(data) if data else Path(sys.executable).resolve().parent
    return base / "resources"


@cache
def resource_root() -> Path:
    override = os.environ.get(ENV_RESOURCES)
    if override:
        return Path(override)
    frozen = _frozen_root()
    if frozen is not None:
        return frozen
    here = Path(__file__).resolve().parent
    for candidate in (
        here.parent / "resources",
        here / "resources",
        Path(sys.prefix) / "share" / "lecture-player",
    ):
        if (candidate / "schema").is_dir():
            return candidate
    return here.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)
