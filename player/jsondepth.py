"""Limits for JSON that comes from outside: nesting checked before any decoder runs, and
integers too long to convert.

Python's json and msgspec both recurse once per level of nesting, and give up with a
RecursionError somewhere near a thousand levels, depending on how deep the caller's own
stack already is. A hostile catalog or bundle.json nested that deep must end in a plain
error instead, so every such document is scanned first: a few passes in C over its
brackets outside strings, fast enough for a 64 MiB catalog.
"""

from __future__ import annotations

import json
from typing import Any

from player.errors import BadInput

# No lecture catalog or bundle.json needs more than about ten levels; this leaves room
# for publishers' x- extensions and stays far below any recursion limit.
MAX_DEPTH = 64

_NOT_STRUCTURE = bytes(range(256)).translate(None, b'[]{}"')
_AS_PARENS = bytes.maketrans(b"[{]}", b"(())")


def too_deep(raw: bytes | str, limit: int = MAX_DEPTH) -> bool:
    """True when `raw`, read as JSON, nests arrays and objects more than `limit` deep.

    Meant for text the decoder will then read: on malformed JSON it may answer either
    way, but it never lets through nesting deeper than `limit` before the first error.
    """
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else bytes(raw)
    if b"\\" in data:
        # Escaped backslashes first, then escaped quotes: what is left of '"' delimits strings.
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    marks = data.translate(None, _NOT_STRUCTURE)
    # Two quotes side by side are the end of one string and the start of the next (or an
    # empty string): dropping them keeps every other quote paired as it was.
    marks = marks.replace(b'""', b"")
    if b'"' in marks:
        marks = b"".join(marks.split(b'"')[::2])  # brackets inside strings are text
    parens = marks.translate(_AS_PARENS)
    run = b"(" * (limit + 1)
    # Each pass removes the innermost pairs: balanced nesting of depth d is gone after d
    # passes. Hostile nesting shows itself sooner, as a run of more than `limit` openers.
    for _ in range(limit):
        if run in parens:
            return True
        inner = parens.replace(b"()", b"")
        if not inner:
            return False
        if len(inner) == len(parens):
            break
        parens = inner
    return _exceeds(marks.translate(_AS_PARENS), limit)


def _exceeds(parens: bytes, limit: int) -> bool:
    # Only for unbalanced input (a truncated file) or deep nesting: a step per bracket.
    depth = 0
    for c in parens:
        depth += 1 if c == 40 else -1
        if depth > limit:
            return True
        if depth < 0:
            return False  # a closer with nothing open: the decoder stops there
    return False


def check_depth(raw: bytes | str, what: str, limit: int = MAX_DEPTH) -> None:
    """Raise BadInput naming `what` (a file name or path) when `raw` nests too deep."""
    if too_deep(raw, limit):
        raise BadInput(
            f"{what} is nested more than {limit} levels deep, deeper than any catalog or bundle "
            "needs, so it was not read.",
            hint="Check that it really is what it claims to be; get a clean copy from its publisher.",
        )


def parse_int(text: str) -> int | float:
    """For json's `parse_int`: an integer too long for Python to convert (over 4300 digits)
    becomes ±inf, which no check accepts, instead of a ValueError from deep in the decoder."""
    return int(text) if len(text) <= 4300 else float(text)


def loads(raw: bytes | str, what: str, **kwargs: Any) -> Any:
    """json.loads for untrusted text: the nesting limit first, then the decoder."""
    check_depth(raw, what)
    return json.loads(raw, parse_int=parse_int, **kwargs)
