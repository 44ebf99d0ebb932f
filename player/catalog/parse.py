"""Turn catalog bytes into a checked catalog, or a `CatalogError` naming the JSON path.

msgspec decodes the catalog into typed structs in C, keeping each lecture as its exact
JSON bytes. A lecture whose bytes hash to a digest the library already holds passed
every check before and is left alone; the others are decoded and checked.

Duplicate and unknown keys are caught without a Python walk: JSON has ':' outside
strings only between a key and its value, so the colons in the input equal the colons
in the re-encoded structs exactly when no key was dropped (a duplicate, or an unknown
key). Only when the counts differ, or the input escapes a colon as \\u003a, does the
slow path run to find the offending key and its path.

Patterns (ids, hashes, language tags, dates, hrefs) are checked in bulk: one regex over
all values of a kind joined together, and value by value only when that fails.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from functools import cache, partial
from operator import methodcaller
from typing import Any

import msgspec

from player.catalog import DEFAULT_MAX_BYTES, hrefs
from player.catalog.model import (
    FORMAT,
    PATTERNS,
    UNSET,
    Catalog,
    File,
    Lecture,
    RawCatalog,
    Rendition,
    Series,
    Subtitle,
)
from player.errors import CatalogError, ExpiredError
from player.jsondepth import MAX_DEPTH, parse_int, too_deep
from player.resources import resource_path

_MAX_LISTED_PROBLEMS = 50


class ParsedCatalog:
    """A checked catalog. Lectures stay as their exact JSON bytes until asked for, so a
    new version of a large catalog only decodes the lectures that changed."""

    def __init__(
        self, shell: RawCatalog, raw: bytes, lecture_bytes: list[bytes], ids: list[str], digests: list[bytes]
    ) -> None:
        self.shell = shell
        self.raw = raw
        self.lecture_bytes = lecture_bytes
        # Catalog order; `series_index[i]` is the position in `shell.series` of lecture i.
        self.lecture_ids = ids
        self.series_index = [si for si, series in enumerate(shell.series) for _ in series.lectures]
        self.positions = [p for series in shell.series for p in range(len(series.lectures))]
        self.lecture_digests = dict(zip(ids, digests, strict=True))
        self._decoded: dict[int, Lecture] = {}
        self._catalog: Catalog | None = None

    @property
    def id(self) -> str:
        return self.shell.id

    def lecture(self, index: int) -> Lecture:
        found = self._decoded.get(index)
        if found is None:
            found = self._decoded[index] = _LECTURE.decode(self.lecture_bytes[index])
        return found

    @property
    def catalog(self) -> Catalog:
        """The whole catalog with every lecture decoded."""
        if self._catalog is None:
            lectures = iter([self.lecture(i) for i in range(len(self.lecture_bytes))])
            series = [
                Series(**{**msgspec.structs.asdict(s), "lectures": [next(lectures) for _ in s.lectures]})
                for s in self.shell.series
            ]
            self._catalog = Catalog(**{**msgspec.structs.asdict(self.shell), "series": series})
        return self._catalog


_LECTURE = msgspec.json.Decoder(Lecture)


def _digests(blobs: list[bytes]) -> Iterator[bytes]:
    # map() with C callables: a Python-level loop here costs more than the hashing.
    return map(methodcaller("digest"), map(partial(hashlib.blake2b, digest_size=16), blobs))


def parse_catalog(
    raw: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    now: datetime | None = None,
    allow_expired: bool = False,
    trusted: Callable[[str], Mapping[bytes, str]] | None = None,
) -> ParsedCatalog:
    """Parse and check a catalog. Raises CatalogError (or ExpiredError) on any problem.

    `trusted(source_id)` may give the digests of lecture bytes that passed every check
    before, with their ids: those lectures are neither decoded nor checked again.
    """
    if len(raw) > max_bytes:
        raise CatalogError(
            f"The catalog is {len(raw):,} bytes, over the limit of {max_bytes:,} bytes.",
            hint="Ask the publisher to split it, or raise the limit with --max-catalog-size.",
        )
    if too_deep(raw):
        # Before any decoder: both recurse per level and would crash, not refuse.
        raise CatalogError(
            f"The catalog (catalog.json) is nested more than {MAX_DEPTH} levels deep, deeper than "
            "any catalog needs, so it was not read.",
            problems=[("$", f"nested more than {MAX_DEPTH} levels deep")],
            hint="Check that the URL or file really is a catalog.json; get a clean copy from its publisher.",
        )
    shell = _decode_shell(raw)
    known = trusted(shell.id) if trusted else {}
    blobs = [bytes(r) for series in shell.series for r in series.lectures]
    digests = list(_digests(blobs))
    ids: list[str | None] = list(map(known.get, digests))
    fresh = [i for i, lecture_id in enumerate(ids) if lecture_id is None]
    decoded = _decode_lectures(raw, shell, blobs, fresh)
    for i, lecture in zip(fresh, decoded, strict=True):
        ids[i] = lecture.id
    parsed = ParsedCatalog(shell, raw, blobs, ids, digests)  # type: ignore[arg-type]
    parsed._decoded.update(zip(fresh, decoded, strict=True))
    _check_keys(raw, parsed, fresh)
    problems = semantic_problems(parsed, fresh)
    if problems:
        raise CatalogError(_summary(problems), problems=problems)
    _check_expiry(shell, now, allow_expired)
    return parsed


def _decode_shell(raw: bytes) -> RawCatalog:
    try:
        return msgspec.json.decode(raw, type=RawCatalog)
    except msgspec.ValidationError as exc:
        _reject_invalid(raw, str(exc))
    except msgspec.DecodeError as exc:
        _reject_not_a_catalog(raw, exc)
    raise AssertionError("unreachable")


def _decode_lectures(raw: bytes, shell: RawCatalog, blobs: list[bytes], fresh: list[int]) -> list[Lecture]:
    try:
        return list(map(_LECTURE.decode, [blobs[i] for i in fresh]))
    except msgspec.ValidationError:
        pass
    for i in fresh:
        try:
            _LECTURE.decode(blobs[i])
        except msgspec.ValidationError as exc:
            si = [s for s, series in enumerate(shell.series) for _ in series.lectures][i]
            li = i - sum(len(series.lectures) for series in shell.series[:si])
            message = str(exc).replace("at `$", f"at `$.series[{si}].lectures[{li}]", 1)
            _reject_invalid(raw, message)
    raise AssertionError("unreachable")


# Listing every schema problem walks the whole tree in Python: fine for a catalog of a few
# thousand lectures, far too slow for the largest; those report the first problem.
SCHEMA_LISTING_MAX_BYTES = 4 * 1024 * 1024


def _reject_invalid(raw: bytes, message: str) -> None:
    problems = schema_problems(raw) if len(raw) <= SCHEMA_LISTING_MAX_BYTES else []
    problems = problems or [_msgspec_problem(message)]
    raise CatalogError(_summary(problems), problems=problems) from None


def _reject_not_a_catalog(raw: bytes, exc: Exception) -> None:
    try:
        json.loads(raw)
    except (ValueError, UnicodeDecodeError) as json_exc:
        detail = json_exc.msg if isinstance(json_exc, json.JSONDecodeError) else str(json_exc)
        where = (
            f" (line {json_exc.lineno}, column {json_exc.colno})"
            if isinstance(json_exc, json.JSONDecodeError)
            else ""
        )
        raise CatalogError(
            f"The catalog is not valid JSON: {detail}{where}.",
            problems=[("$", f"not valid JSON: {detail}")],
            hint="Check that the URL or file really is a catalog.json.",
        ) from None
    raise CatalogError(f"The catalog could not be read: {exc}.", problems=[("$", str(exc))])


def _msgspec_problem(message: str) -> tuple[str, str]:
    text, sep, path = message.rpartition(" - at `")
    if sep:
        return path.rstrip("`"), text
    return "$", message


def _check_keys(raw: bytes, parsed: ParsedCatalog, fresh: list[int]) -> None:
    encode = msgspec.json.encode
    count = methodcaller("count", b":")
    shell = parsed.shell
    emptied = msgspec.structs.replace(
        shell, series=[msgspec.structs.replace(s, lectures=[]) for s in shell.series]
    )
    # Each emptied series still encodes its "lectures" key, whose colon the input has too.
    shell_ok = raw.count(b":") == encode(emptied).count(b":") + sum(map(count, parsed.lecture_bytes))
    blobs = parsed.lecture_bytes
    decoded = [parsed.lecture(i) for i in fresh]
    fresh_ok = sum(map(count, [blobs[i] for i in fresh])) == sum(map(count, map(encode, decoded)))
    escaped_colon = b"\\u003a" in raw or b"\\u003A" in raw
    if not (shell_ok and fresh_ok) or escaped_colon:
        _find_key_problems(raw)


def _find_key_problems(raw: bytes) -> None:
    """The slow path: name the duplicate or unknown key, or accept the catalog."""
    tree = json.loads(raw, object_pairs_hook=_PairsDict, parse_int=parse_int)
    problems: list[tuple[str, str]] = []
    _walk_keys(tree, "$", _schema_properties(), problems)
    if problems:
        raise CatalogError(_summary(problems), problems=problems[:_MAX_LISTED_PROBLEMS])


class _PairsDict(dict):
    """A dict that remembers keys given more than once."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.duplicates = [] if len(self) == len(pairs) else _repeated([k for k, _ in pairs])


def _repeated(keys: list[str]) -> list[str]:
    seen: set[str] = set()
    return [k for k in keys if k in seen or seen.add(k)]


def _walk_keys(node: Any, path: str, allowed: dict[str, Any] | None, out: list) -> None:
    if isinstance(node, _PairsDict):
        for key in node.duplicates:
            out.append((f"{path}.{key}", f"the key '{key}' appears more than once in one object"))
        for key, value in node.items():
            child_allowed = None
            if allowed is not None and "__props__" in allowed:
                props = allowed["__props__"]
                if key not in props and not key.startswith("x-"):
                    out.append((f"{path}.{key}", f"unknown key '{key}'"))
                child_allowed = props.get(key)
            _walk_keys(value, f"{path}.{key}", child_allowed, out)
    elif isinstance(node, list):
        item_allowed = allowed.get("__items__") if allowed else None
        for i, value in enumerate(node):
            _walk_keys(value, f"{path}[{i}]", item_allowed, out)


@cache
def _schema_properties() -> dict[str, Any]:
    """The schema's object shapes as nested {'__props__': …, '__items__': …} maps."""
    schema = json.loads(resource_path("schema", "lecture-catalog-1.schema.json").read_text())
    defs = schema["$defs"]

    def shape(node: dict) -> dict[str, Any] | None:
        if "$ref" in node:
            return shape(defs[node["$ref"].rsplit("/", 1)[1]])
        if node.get("type") == "object" and "properties" in node:
            return {"__props__": {k: shape(v) for k, v in node["properties"].items()}}
        if node.get("type") == "array" and "items" in node:
            return {"__items__": shape(node["items"])}
        return None  # text maps, scalars: no fixed keys

    return shape(schema)


@cache
def _validator():
    import jsonschema

    schema = json.loads(resource_path("schema", "lecture-catalog-1.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def schema_problems(raw: bytes, limit: int = _MAX_LISTED_PROBLEMS) -> list[tuple[str, str]]:
    """Every schema violation (up to `limit`) as (json_path, message), via the published schema."""
    try:
        tree = json.loads(raw, parse_int=parse_int)
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(tree, dict) or tree.get("format") != FORMAT:
        found = tree.get("format") if isinstance(tree, dict) else type(tree).__name__
        return [("$.format", f"expected format '{FORMAT}', found {found!r}")]
    problems = []
    for error in _validator().iter_errors(tree):
        problems.append((error.json_path, _schema_message(error)))
        if len(problems) >= limit:
            break
    return sorted(problems)


def _schema_message(error: Any) -> str:
    if error.validator == "oneOf" and error.json_path.endswith(("title", "description", "name")):
        return "must be a non-empty text or a map of language tag to text"
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing")
    return error.message if len(error.message) < 200 else error.message[:197] + "..."


def semantic_problems(parsed: ParsedCatalog, fresh: list[int]) -> list[tuple[str, str]]:
    """What the decoder did not check: patterns, unique ids, safe hrefs, sane chapters.

    Values are gathered per kind, with where they came from, and each kind is checked in
    bulk with one regex over the joined values; only a kind that fails is looked at value
    by value. This keeps a 100,000-lecture catalog at a fraction of a second.
    """
    if _quick_check(parsed, fresh):
        return []
    catalog = parsed.catalog
    fields = _Fields()
    fields.gather(catalog)
    problems: list[tuple[str, str]] = []
    for kind, (values, places) in fields.by_kind.items():
        for i in _failing(kind, values):
            problems.append((_path(places[i]), _pattern_message(kind, values[i])))
    for values, places, what in (
        (fields.series_ids, fields.series_places, "series"),
        (fields.lecture_ids, fields.lecture_places, "lecture"),
    ):
        if len(set(values)) != len(values):
            seen: dict[str, int] = {}
            for i, value in enumerate(values):
                if value in seen:
                    first = _path(places[seen[value]])
                    problems.append((_path(places[i]), f"duplicate {what} id '{value}' (first at {first})"))
                else:
                    seen[value] = i
    problems.extend(fields.other_problems)
    return problems[:_MAX_LISTED_PROBLEMS]


def _quick_check(parsed: ParsedCatalog, fresh: list[int]) -> bool:
    """True when every check below passes; gathers values with comprehensions only.
    Lectures not in `fresh` passed these checks before, byte for byte."""
    unset = UNSET
    catalog = parsed.shell
    series = catalog.series
    lectures = [parsed.lecture(i) for i in fresh]
    files = [v for lec in lectures for v in lec.video]
    subs = [t for lec in lectures if lec.subtitles is not unset for t in lec.subtitles]
    files += subs
    files += [lec.thumbnail for lec in lectures if lec.thumbnail is not unset]
    files += [s.poster for s in series if s.poster is not unset]
    speakers = [p for lec in lectures if lec.speakers is not unset for p in lec.speakers]
    chapters = [(c, lec.duration) for lec in lectures if lec.chapters is not unset for c in lec.chapters]
    texts = [catalog.title, catalog.description, catalog.publisher]
    texts += [s.title for s in series] + [s.description for s in series]
    texts += [lec.title for lec in lectures] + [lec.description for lec in lectures]
    texts += [p.name for p in speakers] + [p.affiliation for p in speakers]
    texts += [t.label for t in subs] + [c.title for c, _ in chapters]
    langs = {lang for t in texts if t.__class__ is dict for lang in t}
    langs.update(t.lang for t in subs)
    series_ids = [s.id for s in series]
    lecture_ids = parsed.lecture_ids
    checks = {
        "id": [catalog.id, *series_ids, *[lec.id for lec in lectures]],
        "lang": list(langs),
        "sha256": [f.sha256 for f in files],
        "mime": [f.type for f in files if f.type is not unset],
        "date": [lec.published for lec in lectures if lec.published is not unset],
        "href": [f.href for f in files],
    }
    if any(_failing(kind, values) for kind, values in checks.items()):
        return False
    if len(set(series_ids)) != len(series_ids) or len(set(lecture_ids)) != len(lecture_ids):
        return False
    if any(c.start > duration for c, duration in chapters):
        return False
    singles = [("datetime", catalog.published)]
    singles += [("datetime", catalog.expires)] if catalog.expires is not unset else []
    singles += [("http_url", catalog.homepage)] if catalog.homepage is not unset else []
    return all(not _failing(kind, [value]) for kind, value in singles)


_KIND_PATTERNS = {kind: re.compile(rf"(?:{pattern})") for kind, pattern in PATTERNS.items()}
_JOINED_PATTERNS = {kind: re.compile(rf"(?:(?:{pattern})\n)*") for kind, pattern in PATTERNS.items()}


def _failing(kind: str, values: list[str]) -> list[int]:
    """Indexes of the values that fail; one regex run over all of them joined by newlines
    when they all pass. A value holding a newline itself always takes the slow path."""
    joined = "\n".join(values)
    clean = joined.count("\n") == max(len(values) - 1, 0)
    if kind == "href":
        if clean and _ALL_PLAIN_HREFS.fullmatch(joined) and "/." not in joined and "//" not in joined:
            return []
        return [i for i, v in enumerate(values) if hrefs.href_problem(v)]
    pattern = _KIND_PATTERNS[kind]
    if clean and _JOINED_PATTERNS[kind].fullmatch(joined + "\n" if values else ""):
        if kind not in _TIMES:
            return []
        # The pattern allows a 30 February; each distinct date is parsed once.
        impossible = {v for v in set(values) if parse_time(v) is None}
        return [i for i, v in enumerate(values) if v in impossible] if impossible else []
    return [
        i
        for i, v in enumerate(values)
        if not pattern.fullmatch(v) or (kind in _TIMES and parse_time(v) is None)
    ]


_TIMES = frozenset({"date", "datetime"})


_ALL_PLAIN_HREFS = re.compile(r"(?:[A-Za-z0-9_~-][A-Za-z0-9._~/-]*\n)*[A-Za-z0-9_~-][A-Za-z0-9._~/-]*|")


def _pattern_message(kind: str, value: str) -> str:
    if kind == "href":
        return f"{value!r}: {hrefs.href_problem(value)}"
    if kind in _TIMES and _KIND_PATTERNS[kind].fullmatch(value):
        return f"{value!r} is not a real date and time: {_time_problem(value)}"
    what = {
        "id": "an id (letters, digits, '.', '_' and '-')",
        "lang": "a language tag such as 'zh' or 'en'",
        "sha256": "a sha256 in lowercase hex",
        "mime": "a MIME type such as 'video/mp4'",
        "datetime": "an RFC 3339 date and time with a time zone",
        "date": "a date (YYYY-MM-DD) or an RFC 3339 date and time",
        "http_url": "an http(s) URL",
    }[kind]
    return f"{value!r} is not {what}"


def _path(place: tuple) -> str:
    out = "$"
    for part in place:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


class _Fields:
    """Every value to check, grouped by kind, with its place in the catalog."""

    def __init__(self) -> None:
        kinds = ("id", "lang", "sha256", "mime", "date", "datetime", "http_url", "href")
        self.by_kind: dict[str, tuple[list[str], list[tuple]]] = {k: ([], []) for k in kinds}
        self.series_ids: list[str] = []
        self.series_places: list[tuple] = []
        self.lecture_ids: list[str] = []
        self.lecture_places: list[tuple] = []
        self.other_problems: list[tuple[str, str]] = []

    def add(self, kind: str, value: str, place: tuple) -> None:
        values, places = self.by_kind[kind]
        values.append(value)
        places.append(place)

    def text(self, value: object, place: tuple) -> None:
        if value.__class__ is dict:
            for lang in value:
                self.add("lang", lang, place)

    def file(self, file: File | Rendition | Subtitle, place: tuple) -> None:
        self.add("href", file.href, (*place, "href"))
        self.add("sha256", file.sha256, (*place, "sha256"))
        if file.type is not UNSET:
            self.add("mime", file.type, (*place, "type"))

    def gather(self, catalog: Catalog) -> None:
        self.add("id", catalog.id, ("id",))
        for name in ("title", "description", "publisher"):
            self.text(getattr(catalog, name), (name,))
        self.add("datetime", catalog.published, ("published",))
        if catalog.expires is not UNSET:
            self.add("datetime", catalog.expires, ("expires",))
        if catalog.homepage is not UNSET:
            self.add("http_url", catalog.homepage, ("homepage",))
        for si, series in enumerate(catalog.series):
            sp = ("series", si)
            self.series_ids.append(series.id)
            self.series_places.append((*sp, "id"))
            self.text(series.title, (*sp, "title"))
            self.text(series.description, (*sp, "description"))
            if series.poster is not UNSET:
                self.file(series.poster, (*sp, "poster"))
            for li, lecture in enumerate(series.lectures):
                self.lecture(lecture, (*sp, "lectures", li))
        for values, places in (
            (self.series_ids, self.series_places),
            (self.lecture_ids, self.lecture_places),
        ):
            ids, id_places = self.by_kind["id"]
            ids.extend(values)
            id_places.extend(places)

    def lecture(self, lecture: Lecture, lp: tuple) -> None:
        self.lecture_ids.append(lecture.id)
        self.lecture_places.append((*lp, "id"))
        self.text(lecture.title, (*lp, "title"))
        self.text(lecture.description, (*lp, "description"))
        if lecture.published is not UNSET:
            self.add("date", lecture.published, (*lp, "published"))
        if lecture.speakers is not UNSET:
            for i, speaker in enumerate(lecture.speakers):
                self.text(speaker.name, (*lp, "speakers", i, "name"))
                self.text(speaker.affiliation, (*lp, "speakers", i, "affiliation"))
        for i, video in enumerate(lecture.video):
            self.file(video, (*lp, "video", i))
        if lecture.subtitles is not UNSET:
            for i, sub in enumerate(lecture.subtitles):
                self.file(sub, (*lp, "subtitles", i))
                self.add("lang", sub.lang, (*lp, "subtitles", i, "lang"))
                self.text(sub.label, (*lp, "subtitles", i, "label"))
        if lecture.thumbnail is not UNSET:
            self.file(lecture.thumbnail, (*lp, "thumbnail"))
        if lecture.chapters is not UNSET:
            for i, chapter in enumerate(lecture.chapters):
                self.text(chapter.title, (*lp, "chapters", i, "title"))
                if chapter.start > lecture.duration:
                    self.other_problems.append(
                        (_path((*lp, "chapters", i, "start")), "a chapter starts after the lecture ends")
                    )


def parse_time(value: str) -> datetime | None:
    """The one place catalog dates are read: None for a date that does not exist."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _time_problem(value: str) -> str:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        return str(exc).split(", not ")[0]  # "day is out of range for month", "offset must be …"
    return "it cannot be read"


def _check_expiry(catalog: Catalog, now: datetime | None, allow_expired: bool) -> None:
    if catalog.expires is UNSET:
        return
    expires = parse_time(catalog.expires)
    now = now or datetime.now(UTC)
    if expires is not None and expires <= now and not allow_expired:
        raise ExpiredError(
            f"The catalog '{catalog.id}' expired on {catalog.expires}.",
            problems=[("$.expires", "the catalog has expired")],
            hint="Ask the publisher for a fresh catalog, or import it anyway with --allow-expired.",
        )


def is_expired(catalog: Catalog, now: datetime | None = None) -> bool:
    if catalog.expires is UNSET:
        return False
    expires = parse_time(catalog.expires)
    return expires is not None and expires <= (now or datetime.now(UTC))


def _summary(problems: list[tuple[str, str]]) -> str:
    path, message = problems[0]
    more = (
        f" ({len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
    )
    return f"The catalog is invalid at {path}: {message}{more}."
