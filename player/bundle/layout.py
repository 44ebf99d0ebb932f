"""The layout of a bundle on disk, and finding the files it holds.

    BUNDLE/
      bundle.json          which sources and series are inside, and how big they are
      catalog.json         one source: the bundle's top is its mirror
      catalog.json.sig
      media/…              at the hrefs the catalog names, for the chosen series only

or, with several sources, one sub-folder per source (named by its id), each a mirror.
`catalog.json` and its `.sig` are the publisher's bytes, exactly as signed.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from player import jsondepth
from player.catalog import hrefs
from player.catalog.localfile import FileOverLimit, read_regular_file
from player.catalog.mirror import CATALOG_NAME, LocalMirror
from player.errors import BadInput, PlayerError

BUNDLE_NAME = "bundle.json"
FORMAT = "lecture-bundle/1"
_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@dataclass
class BundleSource:
    id: str
    folder: str  # "." when the bundle's top is this source's mirror
    series: list[str]
    files: int = 0
    bytes: int = 0
    pubkey: str | None = None  # the key the exporting library pinned, for --trust-new-key
    location: str | None = None  # the publisher's http(s) address, for later syncs


@dataclass
class Manifest:
    sources: list[BundleSource] = field(default_factory=list)
    created: str | None = None

    @property
    def files(self) -> int:
        return sum(s.files for s in self.sources)

    @property
    def bytes(self) -> int:
        return sum(s.bytes for s in self.sources)

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "created": self.created,
            "files": self.files,
            "bytes": self.bytes,
            "sources": [asdict(s) for s in self.sources],
        }
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def folder_for(source_id: str, several: bool) -> str:
    return source_id if several else "."


def read_manifest(root: Path) -> Manifest | None:
    """The bundle's manifest, or None when the folder has no bundle.json (a plain mirror)."""
    path = root / BUNDLE_NAME
    try:
        raw = read_regular_file(path, 16 << 20)
        if raw is None:
            return None
        data = jsondepth.loads(raw, str(path))
    except FileOverLimit:
        raise _bad(path, "it is too large") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad(path, f"it is not JSON ({exc})") from None
    except OSError as exc:
        raise PlayerError(
            f"Cannot read {path}: {exc.strerror}.", hint="Check that the drive is connected."
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("sources"), list)
    ):
        raise _bad(path, f"it is not a {FORMAT} manifest")
    manifest = Manifest(created=data.get("created") if isinstance(data.get("created"), str) else None)
    for i, entry in enumerate(data["sources"]):
        try:
            source = BundleSource(**entry)
        except TypeError:
            raise _bad(path, f"sources[{i}] has unknown or missing keys") from None
        ok = (
            isinstance(source.id, str)
            and isinstance(source.folder, str)
            and (source.folder == "." or _FOLDER.fullmatch(source.folder))
            and isinstance(source.series, list)
            and all(isinstance(s, str) for s in source.series)
            and isinstance(source.files, int)
            and isinstance(source.bytes, int)
        )
        if not ok:
            # A folder like '../x' would lead outside the bundle: refused here.
            raise _bad(path, f"sources[{i}] is malformed")
        manifest.sources.append(source)
    return manifest


def _bad(path: Path, why: str) -> BadInput:
    return BadInput(
        f"{path} is damaged: {why}.",
        hint="Export the bundle again, or remove bundle.json to use it as a mirror.",
    )


@dataclass(frozen=True)
class BundleMirror:
    """One source's mirror inside a bundle (or a plain mirror folder)."""

    mirror: LocalMirror
    entry: BundleSource | None  # None for a plain mirror: no manifest says what is inside


def bundle_mirrors(root: Path) -> list[BundleMirror]:
    """The mirrors in a bundle folder, or the folder itself when it is a plain mirror."""
    root = Path(root).expanduser()
    if not root.is_dir():
        raise BadInput(f"{root} does not exist or is not a folder.", hint="Check the path to the bundle.")
    manifest = read_manifest(root)
    if manifest is None:
        if not (root / CATALOG_NAME).exists():
            raise BadInput(
                f"{root} is neither a bundle nor a mirror: it has no {BUNDLE_NAME} and no {CATALOG_NAME}.",
                hint="Point to the folder that `lecture-player export` wrote.",
            )
        return [BundleMirror(LocalMirror(root), None)]
    if not manifest.sources:
        raise BadInput(f"The bundle {root} holds no sources.", hint="Export it again with --series.")
    found = []
    top = LocalMirror(root)
    for source in manifest.sources:
        folder = top.root if source.folder == "." else top.resolve(source.folder)
        found.append(BundleMirror(LocalMirror(Path(folder)), source))
    return found


def source_folders(location: str) -> list[str] | None:
    """For a local bundle of several sources, the folders of its mirrors; else None."""
    path = Path(location).expanduser()
    if not path.is_dir() or (path / CATALOG_NAME).exists():
        return None
    mirrors = bundle_mirrors(path) if (path / BUNDLE_NAME).exists() else []
    return [m.mirror.location for m in mirrors] or None


@dataclass(frozen=True)
class HeldFile:
    href: str
    size: int
    path: Path


def file_entries(tree: object, series: set[str] | None = None):
    """(series id, file entry) for every file a parsed catalog JSON names."""
    listed = tree.get("series") if isinstance(tree, dict) else None
    for s in listed if isinstance(listed, list) else []:
        if not isinstance(s, dict) or (series is not None and s.get("id") not in series):
            continue
        if isinstance(s.get("poster"), dict):
            yield s.get("id"), s["poster"]
        lectures = s.get("lectures")
        for lecture in lectures if isinstance(lectures, list) else []:
            if not isinstance(lecture, dict):
                continue
            for name in ("video", "subtitles"):
                entries = lecture.get(name)
                for entry in entries if isinstance(entries, list) else []:
                    if isinstance(entry, dict):
                        yield s.get("id"), entry
            if isinstance(lecture.get("thumbnail"), dict):
                yield s.get("id"), lecture["thumbnail"]


def held_files(
    mirror: LocalMirror, raw: bytes, series: set[str] | None = None, *, strict: bool = True
) -> dict[str, HeldFile]:
    """The files of these series that the mirror holds, by sha256 (not verified yet).

    A href that leads outside the mirror through a symlink raises BadInput when `strict`,
    and is skipped otherwise: it is never opened either way.
    """
    try:
        tree = jsondepth.loads(raw, f"The catalog in {mirror.location}")
    except (ValueError, UnicodeDecodeError):
        raise BadInput(
            f"The catalog in {mirror.location} is not JSON.", hint="Export the bundle again."
        ) from None
    held: dict[str, HeldFile] = {}
    for _, entry in file_entries(tree, series):
        href, sha, size = entry.get("href"), entry.get("sha256"), entry.get("size")
        if not (isinstance(href, str) and isinstance(sha, str) and isinstance(size, int)):
            continue
        if hrefs.is_remote(href) or hrefs.href_problem(href) or sha in held:
            continue
        try:
            path = Path(mirror.resolve(href))
        except BadInput as exc:
            if strict:
                raise BadInput(
                    f"{href} in {mirror.location} points outside the bundle (through a symlink); "
                    "nothing was imported.",
                    hint="Do not use this copy: get a clean one, or export it again.",
                ) from exc
            continue
        if os.path.isfile(path):
            held[sha] = HeldFile(href, size, path)
    return held


def local_files(folders: list[Path]) -> dict[str, Path]:
    """sha256 → path of every file the bundles or mirrors in `folders` hold (for sync --from)."""
    found: dict[str, Path] = {}
    for folder in folders:
        for item in bundle_mirrors(folder):
            raw = item.mirror.read_catalog().raw
            series = set(item.entry.series) if item.entry else None
            for sha, held in held_files(item.mirror, raw, series, strict=False).items():
                found.setdefault(sha, held.path)
    return found
