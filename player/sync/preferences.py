"""Sync preferences stored in the library: the disk reserve and each source's video height."""

from __future__ import annotations

from player.errors import BadInput
from player.library.db import Library
from player.library.settings import get_setting, set_setting

DEFAULT_RESERVE = 500 * 10**6
RESERVE_KEY = "sync.reserve"
_QUALITY_KEY = "sync.quality:"


def reserve(lib: Library) -> int:
    """Bytes a sync leaves free on the library's disk."""
    value = get_setting(lib, RESERVE_KEY)
    return int(value) if value is not None else DEFAULT_RESERVE


def set_reserve(lib: Library, n: int | None) -> None:
    if n is not None and n < 0:
        raise BadInput("The reserve cannot be negative.")
    set_setting(lib, RESERVE_KEY, None if n is None else str(n))


def source_quality(lib: Library, source_id: str) -> int | None:
    """The preferred video height for every kept series of a source (a series' own wins)."""
    value = get_setting(lib, _QUALITY_KEY + source_id)
    return int(value) if value is not None else None


def set_source_quality(lib: Library, source_id: str, height: int | None) -> None:
    if height is not None and height <= 0:
        raise BadInput(
            f"{height} is not a video height.", hint="Give a height in pixels, such as 360 or 720."
        )
    set_setting(lib, _QUALITY_KEY + source_id, None if height is None else str(height))
