"""The `lecture-catalog/1` data model.

These structs mirror `resources/schema/lecture-catalog-1.schema.json`; a test keeps the
two in agreement. msgspec decodes and type-checks a catalog in C, which is what makes
a 100,000-lecture catalog importable in seconds. Optional fields default to UNSET so
that re-encoding a decoded catalog yields exactly the keys it had (see `parse.py`).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

FORMAT = "lecture-catalog/1"

# Patterns (ids, hashes, language tags, dates) are checked in bulk by `parse.py`:
# a per-string regex inside the decoder would triple the decode time of a large catalog.
Id = Annotated[str, Meta(min_length=1, max_length=128)]
Lang = Annotated[str, Meta(min_length=2, max_length=35)]
_Str = Annotated[str, Meta(min_length=1, max_length=100000)]
# Plain text, or a map of language tag to text.
Text = _Str | dict[Lang, _Str]
DateTime = Annotated[str, Meta(min_length=20, max_length=35)]
Date = Annotated[str, Meta(min_length=10, max_length=35)]
HttpUrl = Annotated[str, Meta(min_length=8, max_length=4096)]
Href = Annotated[str, Meta(min_length=1, max_length=4096)]
Sha256 = Annotated[str, Meta(min_length=64, max_length=64)]
Size = Annotated[int, Meta(ge=0, le=1 << 40)]
Mime = Annotated[str, Meta(min_length=3, max_length=255)]

# The patterns the JSON Schema states, applied by `parse.py`.
PATTERNS = {
    "id": r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}",
    "lang": r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*",
    "sha256": r"[0-9a-f]{64}",
    "mime": r"[a-z]+/[A-Za-z0-9.+-]+",
    # The shape only; `parse.py` also checks that the day exists (no 30 February).
    "datetime": r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])",
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]))?",
    "http_url": r"[hH][tT][tT][pP][sS]?://[^\s]+",
}


class _Base(Struct, kw_only=True, omit_defaults=True):
    pass


class File(_Base):
    href: Href
    sha256: Sha256
    size: Size
    type: Mime | UnsetType = UNSET


class Rendition(_Base):
    href: Href
    sha256: Sha256
    size: Size
    type: Mime
    height: Annotated[int, Meta(ge=1, le=10000)]
    width: Annotated[int, Meta(ge=1, le=20000)] | UnsetType = UNSET
    codecs: Annotated[str, Meta(max_length=200)] | UnsetType = UNSET


class Subtitle(_Base):
    href: Href
    sha256: Sha256
    size: Size
    lang: Lang
    type: Mime | UnsetType = UNSET
    label: Text | UnsetType = UNSET


class Speaker(_Base):
    name: Text
    affiliation: Text | UnsetType = UNSET


class Chapter(_Base):
    start: Annotated[float, Meta(ge=0)]
    title: Text


class Lecture(_Base):
    id: Id
    title: Text
    duration: Annotated[float, Meta(gt=0, le=604800)]
    video: Annotated[list[Rendition], Meta(min_length=1)]
    speakers: list[Speaker] | UnsetType = UNSET
    published: Date | UnsetType = UNSET
    description: Text | UnsetType = UNSET
    subtitles: list[Subtitle] | UnsetType = UNSET
    thumbnail: File | UnsetType = UNSET
    chapters: list[Chapter] | UnsetType = UNSET


class Series(_Base):
    id: Id
    title: Text
    lectures: list[Lecture]
    description: Text | UnsetType = UNSET
    tags: list[Annotated[str, Meta(min_length=1, max_length=100)]] | UnsetType = UNSET
    poster: File | UnsetType = UNSET


class Catalog(_Base):
    format: Literal["lecture-catalog/1"]
    id: Id
    title: Text
    version: Annotated[int, Meta(ge=1, le=9007199254740991)]
    published: DateTime
    series: list[Series]
    description: Text | UnsetType = UNSET
    publisher: Text | UnsetType = UNSET
    homepage: HttpUrl | UnsetType = UNSET
    expires: DateTime | UnsetType = UNSET


class RawSeries(Series, kw_only=True, omit_defaults=True):
    """A series whose lectures are left as their exact JSON bytes, decoded on demand."""

    lectures: list[msgspec.Raw]


class RawCatalog(Catalog, kw_only=True, omit_defaults=True):
    series: list[RawSeries]


def opt(value: object, default: object = None) -> object:
    """The value of an optional field, or `default` when it is UNSET."""
    return default if value is UNSET else value


encode = msgspec.json.encode
