"""A source's fallback: where files come from when its own mirror lacks them.

A source added from a share on the local network has what that library stored; the
rest can come from the publisher's URL. The fallback is a second place to try for each
file, after the source's own location; the catalog and its signature stay the share's.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from player.errors import BadInput
from player.library.db import Library
from player.library.settings import get_setting, set_setting

_KEY = "source_fallback:"


def source_fallback(lib: Library, source_id: str) -> str | None:
    return get_setting(lib, _KEY + source_id)


def set_source_fallback(lib: Library, source_id: str, location: str | None) -> None:
    """Remember `location` (an http(s) URL or a folder) as the source's fallback; None forgets it."""
    if location is not None:
        parts = urlsplit(location)
        if parts.scheme.lower() in ("http", "https"):
            if not parts.hostname:
                raise BadInput(
                    f"'{location}' has no host name.",
                    hint="Give a URL such as https://example.org/lectures/.",
                )
        elif parts.scheme and len(parts.scheme) > 1:
            raise BadInput(
                f"'{location}' is neither a folder nor an http(s) URL.",
                hint="Give the publisher's http:// or https:// address, or a mirror folder.",
            )
    set_setting(lib, _KEY + source_id, location)
