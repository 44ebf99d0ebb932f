"""The speed cap and the sync window a library keeps between syncs (set in the app)."""

from __future__ import annotations

from player.library.db import Library
from player.library.settings import get_setting, set_setting
from player.sizes import parse_size
from player.sync.window import SyncWindow

MAX_RATE_KEY = "sync.max_rate"
WINDOW_KEY = "sync.window"


def max_rate(lib: Library) -> int | None:
    """Bytes per second across all downloads; None for no cap."""
    value = get_setting(lib, MAX_RATE_KEY)
    return int(value) if value else None


def set_max_rate(lib: Library, text: str | None) -> int | None:
    """Store a cap written as `500K`, `2M`, …; empty or None removes it. Returns bytes/s."""
    rate = parse_size(text) if text and text.strip() else None
    if rate == 0:
        rate = None
    set_setting(lib, MAX_RATE_KEY, None if rate is None else str(rate))
    return rate


def window(lib: Library) -> SyncWindow | None:
    value = get_setting(lib, WINDOW_KEY)
    return SyncWindow.parse(value) if value else None


def set_window(lib: Library, text: str | None) -> SyncWindow | None:
    """Store hours written as `22:00-06:00`; empty or None means any time."""
    parsed = SyncWindow.parse(text) if text and text.strip() else None
    set_setting(lib, WINDOW_KEY, None if parsed is None else str(parsed))
    return parsed
