"""Reading a request's headers for the share: conditional requests, ranges, numbers.

Every number a client sends goes through `number`, so no header can make the share
fail to answer (int() refuses thousands of digits; str.isdigit accepts '²').
"""

from __future__ import annotations

import email.utils
from email.message import Message

# A byte position longer than this is past the end of any file that exists.
_MAX_DIGITS = 18


def number(text: str) -> int | None:
    """A header's decimal number, or None when it is not one. Only ASCII digits count;
    more digits than any size has are read as a number past the end of any file."""
    text = text.strip()
    if not text or not (text.isascii() and text.isdigit()):
        return None
    return int(text) if len(text) <= _MAX_DIGITS else 10**_MAX_DIGITS


def parse_date(value: str | None) -> int | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return int(parsed.timestamp())


def not_modified(headers: Message, etag: str, mtime: int) -> bool:
    match = headers.get("If-None-Match")
    if match is not None:
        tags = [t.strip().removeprefix("W/") for t in match.split(",")]
        return "*" in tags or etag in tags
    since = parse_date(headers.get("If-Modified-Since"))
    return since is not None and mtime <= since


def byte_range(headers: Message, size: int, etag: str, mtime: int) -> tuple[int, int] | str | None:
    """(start, end) inclusive, "unsatisfiable", or None for the whole file."""
    header = headers.get("Range")
    if not header:
        return None
    if_range = headers.get("If-Range")
    if if_range is not None:
        if_range = if_range.strip()
        if if_range.startswith(('"', "W/")):
            if if_range != etag:  # If-Range needs a strong match
                return None
        elif parse_date(if_range) != mtime:
            return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None  # other units and several ranges: the whole file, as RFC 9110 allows
    first_text, dash, last_text = spec.partition("-")
    first, last = number(first_text), number(last_text)
    if not dash or (first is None and last is None):
        return None
    if (first is None and first_text.strip()) or (last is None and last_text.strip()):
        return None  # not numbers: the header is ignored
    if first is None:  # bytes=-N: the last N bytes
        if last == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - last), size - 1
    if first >= size:
        return "unsatisfiable"
    end = min(last, size - 1) if last is not None else size - 1
    if end < first:
        return None
    return first, end
