"""Find bundled resources, from a source checkout or from an installed or frozen app.

Every lookup of a file under `resources/` goes through `resource_path`, so that the
packaging only has to change `resource_root`.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


@cache
def resource_root() -> Path:
    override = os.environ.get("LECTURE_PLAYER_RESOURCES")
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
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
