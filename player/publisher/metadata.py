"""Turn the friendlier shapes `series.json` accepts into the catalog's own."""

from __future__ import annotations

import re
from typing import Any

from player.errors import BadInput

_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)")


def extensions(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in meta.items() if k.startswith("x-")}


def speakers(value: Any, where: str) -> list[Any]:
    """A list of {"name", "affiliation"}; a bare string is taken as a name."""
    if not isinstance(value, list):
        raise BadInput(f'{where}: "speakers" must be a list.')
    return [{"name": s} if isinstance(s, str) else s for s in value]


def chapters(value: Any, where: str) -> list[Any]:
    """A list of {"start", "title"}, with "m:ss" or "h:mm:ss" starts turned into seconds."""
    if not isinstance(value, list):
        raise BadInput(f'{where}: "chapters" must be a list.')
    out = []
    for i, chapter in enumerate(value):
        if isinstance(chapter, dict) and isinstance(chapter.get("start"), str):
            chapter = {**chapter, "start": _seconds(chapter["start"], f"{where}.chapters[{i}].start")}
        out.append(chapter)
    return out


def _seconds(text: str, where: str) -> float | int:
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        raise BadInput(f'{where}: {text!r} is not a time; use seconds, "m:ss" or "h:mm:ss".')
    hours, minutes, seconds = match.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return int(total) if total.is_integer() else total
