"""Bilingual text: pick the right language for display, and prepare text for search.

Catalog text is a plain string or a map of language tag to text. SQLite's FTS5
tokenizer sees a run of Chinese characters as one word, so we index and query CJK
text one character at a time (a query becomes a phrase of characters).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

Text = str | dict[str, str]

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_SPLIT = re.compile(f"([{_CJK}])")
_QUERY_WORD = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")
_IS_CJK = re.compile(f"[{_CJK}]")

_preferred: list[str] = ["en", "zh"]


def set_preferred_languages(langs: Sequence[str]) -> None:
    """The UI language first; later entries are fallbacks."""
    _preferred[:] = [lang for lang in langs if lang]


def pick(text: Text | None, langs: Sequence[str] | None = None) -> str:
    """The best text for the preferred languages: exact tag, then primary subtag, then any."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for lang in langs or _preferred:
        if lang in text:
            return text[lang]
        primary = lang.split("-")[0].split("_")[0]
        for key, value in text.items():
            if key.split("-")[0] == primary:
                return value
    return next(iter(text.values()), "")


def load(value: str | None) -> Text | None:
    """Text as stored in the library (JSON), back to a str or a dict."""
    if value is None or value == "":
        return None
    return json.loads(value)


def all_variants(text: Text | None) -> Iterable[str]:
    if text is None:
        return ()
    return (text,) if isinstance(text, str) else text.values()


def for_index(*texts: Text | None) -> str:
    """Every language variant, with CJK characters spaced apart for the FTS5 tokenizer."""
    parts = []
    for t in texts:
        if t.__class__ is dict:
            parts.extend(t.values())
        elif t:
            parts.append(t)
    joined = " ".join(parts)
    # Splitting on a captured CJK character and re-joining spaces every such character
    # apart, in C; a regex substitution with a template is several times slower.
    return " ".join(_CJK_SPLIT.split(joined))


def fts_query(user_text: str) -> str | None:
    """A safe FTS5 query in which every word must match.

    A chunk with Chinese in it becomes one phrase, character by character, so "海啸第3讲"
    matches exactly that run. The last Latin word matches as a prefix, for search as
    you type, once it has two letters: a one-letter prefix would expand to thousands of
    terms.
    """
    terms = []
    chunks = user_text.split()
    for n, chunk in enumerate(chunks):
        words = _QUERY_WORD.findall(chunk)
        if not words:
            continue
        if _IS_CJK.search(chunk):
            terms.append('"' + " ".join(words) + '"')
            continue
        for w, word in enumerate(words):
            last = n == len(chunks) - 1 and w == len(words) - 1
            terms.append(f'"{word}"*' if last and len(word) >= 2 else f'"{word}"')
    return " AND ".join(terms) if terms else None
