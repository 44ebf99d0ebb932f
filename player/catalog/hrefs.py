"""Which `href` values a catalog may use.

An href is either a relative path that stays inside the mirror, or an absolute http(s)
URL. Anything else (`..` escapes, absolute filesystem paths, Windows drive letters,
backslashes, `file:`, `javascript:` or any other scheme) is rejected, in every catalog.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# The common case, checked with one regex: plain path characters, no leading slash.
_PLAIN_RELATIVE = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~/-]*")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HTTP = re.compile(r"^https?://", re.IGNORECASE)
# Characters a relative href may not carry even after percent-decoding.
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\\?#]")


def href_problem(href: str) -> str | None:
    """Why `href` is not allowed, or None when it is fine."""
    if _PLAIN_RELATIVE.fullmatch(href) and "/." not in href and "//" not in href:
        return None
    if _HTTP.match(href):
        parts = urlsplit(href)
        if not parts.hostname:
            return "an http(s) URL needs a host name"
        if any(c.isspace() for c in href):
            return "a URL may not contain white space"
        return None
    if re.match(r"^[A-Za-z]:([/\\]|$)", href):
        return "an absolute filesystem path is not allowed; use a path relative to the catalog"
    if _SCHEME.match(href):
        scheme = href.split(":", 1)[0]
        return f"the scheme '{scheme}:' is not allowed; use a relative path or an http(s) URL"
    if href.startswith("//"):
        return "a network-path reference ('//host/…') is not allowed; use an http(s) URL"
    path = unquote(href)
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "an absolute filesystem path is not allowed; use a path relative to the catalog"
    if _FORBIDDEN.search(path):
        return "a relative href may not contain backslashes, '?', '#' or control characters"
    segments = path.split("/")
    if ".." in segments:
        return "'..' would leave the mirror; use a path inside the catalog's folder"
    if any(s == "" for s in segments):
        return "a relative href may not contain empty path segments"
    return None


def is_remote(href: str) -> bool:
    return bool(_HTTP.match(href))


def local_parts(href: str) -> list[str]:
    """The path segments of an allowed relative href, percent-decoded, without '.'."""
    return [s for s in unquote(href).split("/") if s not in ("", ".")]
