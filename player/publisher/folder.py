"""A publisher's source folder, and the two optional metadata files that describe it.

Layout::

    SRC_DIR/
      source.json              optional: the catalog's own metadata
      <series folder>/         one per series
        series.json            optional: series and lecture metadata
        poster.jpg | .png      optional: the series poster
        NAME.mp4               a lecture (also .m4v, .mkv, .webm, .mov); several files
                               sharing NAME are renditions of one lecture
        NAME.LANG.srt | .vtt   its subtitles; LANG is a language tag: zh, en, zh-Hant
        NAME.jpg | .png        its thumbnail

`source.json`, every key optional::

    {"id": "org.example.lectures", "title": "...", "description": "...",
     "publisher": "...", "homepage": "https://...", "expires": "2030-01-01T00:00:00Z"}

`series.json`, every key optional::

    {"id": "physics",
     "title": {"zh": "生活中的物理", "en": "Physics in Everyday Life"},
     "description": "...", "tags": ["physics"], "poster": "cover.jpg", "order": 1,
     "lectures": {
       "NAME": {"id": "...", "title": "...", "description": "...",
                "published": "2024-03-01",
                "speakers": [{"name": "...", "affiliation": "..."}],
                "chapters": [{"start": 0, "title": "..."}, {"start": "1:30", "title": "..."}],
                "order": 1}}}

Texts (titles, descriptions, publisher, speaker names and affiliations, chapter
titles) are a string or a map of language tag to string, e.g. {"zh": "…", "en": "…"}.
A chapter start is in seconds, or "m:ss" / "h:mm:ss". Keys starting with "x-" are
copied into the catalog as extensions; any other unknown key is an error, so that
typos do not pass silently.

Defaults: the source id and title come from SRC_DIR's name, a series id and title
from its folder name, a lecture id is "<series id>.<NAME>" and its title is NAME.
Characters an id may not hold (anything but letters, digits, '.', '_' and '-') become
'-'. Series are ordered by "order", then by folder name; lectures by "order", then by
file name, with numbers in names compared as numbers. Hidden files are ignored.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from player import jsondepth
from player.errors import BadInput

VIDEO_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mkv": "video/x-matroska",
    ".webm": "video/webm",
    ".mov": "video/quicktime",
}
SUBTITLE_TYPES = {".srt": "application/x-subrip", ".vtt": "text/vtt"}
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}

SOURCE_FILE = "source.json"
SERIES_FILE = "series.json"
_SOURCE_KEYS = {"id", "title", "description", "publisher", "homepage", "expires"}
_SERIES_KEYS = {"id", "title", "description", "tags", "poster", "order", "lectures"}
_LECTURE_KEYS = {"id", "title", "speakers", "description", "published", "chapters", "order"}
_LANG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class LecturePlan:
    name: str  # the shared file stem, NAME
    meta: dict[str, Any]
    videos: list[Path]
    subtitles: list[tuple[str, Path]] = field(default_factory=list)  # (lang, file)
    thumbnail: Path | None = None


@dataclass
class SeriesPlan:
    id: str
    folder: Path
    meta: dict[str, Any]
    lectures: list[LecturePlan]
    poster: Path | None = None


@dataclass
class SourcePlan:
    meta: dict[str, Any]
    series: list[SeriesPlan]
    warnings: list[str]


def sanitise_id(name: str) -> str:
    """`name` turned into an id, stable from build to build.

    Dropping non-ASCII letters could make two names equal ("第1讲", "第1课" both give "1"),
    so such names get a short hash of the full name appended.
    """
    cleaned = _NOT_ID.sub("-", name).strip("._-")
    if name.isascii() and cleaned:
        return cleaned[:128].rstrip("._-")
    tag = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{cleaned[:119].rstrip('._-')}-{tag}" if cleaned else f"id-{tag}"


def natural_key(name: str) -> list[int | str]:
    # re.split with a group alternates text and digits, so the types line up when compared.
    return [int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", name.casefold()))]


def read_json_object(path: Path) -> dict[str, Any]:
    try:
        data = jsondepth.loads(path.read_bytes(), str(path))
    except json.JSONDecodeError as exc:
        raise BadInput(
            f"{path} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    except UnicodeDecodeError:
        raise BadInput(f"{path} is not UTF-8 text.") from None
    if not isinstance(data, dict):
        raise BadInput(f"{path} must hold a JSON object ({{...}}).")
    return data


def _check_keys(data: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in data:
        if key not in allowed and not key.startswith("x-"):
            raise BadInput(
                f"{where}: unknown key '{key}'.",
                hint=f"Allowed keys: {', '.join(sorted(allowed))}, or 'x-…' for extensions.",
            )


def scan_source(src: Path) -> SourcePlan:
    """Read SRC_DIR into a plan; raises BadInput when it cannot be used."""
    if not src.is_dir():
        raise BadInput(
            f"{src} does not exist or is not a folder.", hint="Give the folder that holds the series."
        )
    warnings: list[str] = []
    meta: dict[str, Any] = {}
    if (src / SOURCE_FILE).is_file():
        meta = read_json_object(src / SOURCE_FILE)
        _check_keys(meta, _SOURCE_KEYS, str(src / SOURCE_FILE))
    meta.setdefault("id", sanitise_id(src.resolve().name))
    _check_id(meta["id"], f"{src / SOURCE_FILE}: id")
    meta.setdefault("title", src.resolve().name or "Lectures")

    series: list[SeriesPlan] = []
    for entry in sorted(src.iterdir(), key=lambda p: natural_key(p.name)):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            plan = _scan_series(entry, warnings)
            if plan is None:
                warnings.append(f"{entry} holds no videos; it is not a series.")
            else:
                series.append(plan)
        elif entry.suffix.lower() in VIDEO_TYPES:
            warnings.append(f"{entry} is ignored: videos must be inside a series folder.")
    if not series:
        raise BadInput(
            f"No series found in {src}.",
            hint="Put each series in its own subfolder holding its videos (.mp4, .m4v, .mkv, .webm, .mov).",
        )
    series.sort(key=lambda s: (_order(s.meta, s.folder / SERIES_FILE), natural_key(s.folder.name)))
    _check_unique([(s.id, s.folder) for s in series], "series", 'set "id" in series.json')
    _check_unique(
        [(lec.meta["id"], s.folder / lec.name) for s in series for lec in s.lectures],
        "lecture",
        'set the lecture\'s "id" in series.json',
    )
    return SourcePlan(meta=meta, series=series, warnings=warnings)


def _check_id(value: object, where: str) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise BadInput(
            f"{where}: {value!r} is not an id.",
            hint="Use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit.",
        )


def _order(meta: dict[str, Any], where: Path) -> float:
    order = meta.get("order")
    if order is None:
        return float("inf")
    if isinstance(order, bool) or not isinstance(order, int | float):
        raise BadInput(f'{where}: "order" must be a number.')
    return float(order)


def _check_unique(items: list[tuple[str, Path]], what: str, hint: str) -> None:
    seen: dict[str, Path] = {}
    for item_id, where in items:
        if item_id in seen:
            raise BadInput(
                f"{seen[item_id]} and {where} both have the {what} id '{item_id}'.", hint=hint + "."
            )
        seen[item_id] = where


def _scan_series(folder: Path, warnings: list[str]) -> SeriesPlan | None:
    files = {p.name: p for p in folder.iterdir() if not p.name.startswith(".") and p.is_file()}
    videos: dict[str, list[Path]] = {}
    for path in files.values():
        if path.suffix.lower() in VIDEO_TYPES:
            videos.setdefault(path.stem, []).append(path)
    if not videos:
        return None
    meta: dict[str, Any] = {}
    meta_path = folder / SERIES_FILE
    if SERIES_FILE in files:
        meta = read_json_object(meta_path)
        _check_keys(meta, _SERIES_KEYS, str(meta_path))
    meta.setdefault("id", sanitise_id(folder.name))
    meta.setdefault("title", folder.name)
    series_id = meta["id"]
    # The series id names a folder in the mirror, so it must be checked before any file is placed.
    _check_id(series_id, f"{meta_path}: id")
    lecture_meta = meta.pop("lectures", {})
    if not isinstance(lecture_meta, dict):
        raise BadInput(
            f'{meta_path}: "lectures" must be an object keyed by video file name (without suffix).'
        )

    lectures = {}
    for name, paths in videos.items():
        given = lecture_meta.get(name) or {}
        if not isinstance(given, dict):
            raise BadInput(f"{meta_path}: lectures.{name} must be an object.")
        info = dict(given)
        _check_keys(info, _LECTURE_KEYS, f"{meta_path}: lectures.{name}")
        info.setdefault("id", f"{series_id}.{sanitise_id(name)}"[:128].rstrip("._-"))
        _check_id(info["id"], f"{meta_path}: lectures.{name}.id")
        info.setdefault("title", name.replace("_", " "))
        lectures[name] = LecturePlan(name=name, meta=info, videos=sorted(paths))
    for name in lecture_meta:
        if name not in lectures:
            warnings.append(f"{meta_path}: lectures.{name} matches no video file named {name}.*")

    poster_name = meta.pop("poster", None)
    poster = _find_poster(folder, files, poster_name, meta_path)
    for path in files.values():
        suffix = path.suffix.lower()
        if suffix in SUBTITLE_TYPES:
            _attach_subtitle(path, lectures, warnings)
        elif suffix in IMAGE_TYPES and path.stem in lectures:
            lectures[path.stem].thumbnail = path
    for lecture in lectures.values():
        lecture.subtitles.sort()

    ordered = sorted(lectures.values(), key=lambda lec: (_order(lec.meta, meta_path), natural_key(lec.name)))
    return SeriesPlan(id=series_id, folder=folder, meta=meta, lectures=ordered, poster=poster)


def _find_poster(folder: Path, files: dict[str, Path], name: object, meta_path: Path) -> Path | None:
    if name is not None:
        if not isinstance(name, str) or name not in files:
            raise BadInput(f"{meta_path}: the poster {name!r} is not a file in {folder}.")
        return files[name]
    for candidate in ("poster.jpg", "poster.jpeg", "poster.png"):
        if candidate in files:
            return files[candidate]
    return None


def _attach_subtitle(path: Path, lectures: dict[str, LecturePlan], warnings: list[str]) -> None:
    name, _, lang = path.stem.rpartition(".")
    if name in lectures and _LANG.fullmatch(lang):
        lectures[name].subtitles.append((lang, path))
    elif path.stem in lectures:
        warnings.append(
            f"{path} is ignored: name it {path.stem}.LANG{path.suffix} (e.g. .en) to give its language."
        )
    else:
        warnings.append(f"{path} is ignored: it matches no video (expected NAME.LANG{path.suffix}).")
