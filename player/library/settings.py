"""Library-wide settings: a key/value table, so preferences travel with the library."""

from __future__ import annotations

from player.library.db import Library


def get_setting(lib: Library, key: str) -> str | None:
    row = lib.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_setting(lib: Library, key: str, value: str | None) -> None:
    """Store `value` under `key`; None removes the key (back to the default)."""
    lib.require_writable()
    with lib.db.atomic():
        if value is None:
            lib.db.execute("DELETE FROM settings WHERE key = ?", [key])
        else:
            lib.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
