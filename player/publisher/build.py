"""Build a mirror from a source folder: `catalog.json`, its signature, and `media/`.

The folder layout and metadata files are described in `player.publisher.folder`.
Media go to `OUT/media/<series id>/<file name>`, hard-linked when possible.

Versioning: when `OUT/catalog.json` exists and the new catalog differs from it only in
`version` and `published`, it is left alone byte for byte (and so is its signature);
otherwise the version becomes max(previous + 1, base_version or 1). A base_version
above the previous version counts as a change.

`progress(event, **info)`, if given, is called on the calling thread with:
  "scan"       series, lectures, files       what the source folder holds
  "hashed"     path, size                    a file was read and hashed (not in the cache)
  "file"       path, done, total             a file is in place
  "warning"    message                       something was ignored or dropped
  "written"    path, version                 catalog.json was written
  "unchanged"  path, version                 catalog.json was left as it was
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from player import jsondepth
from player.catalog.mirror import CATALOG_NAME, SIGNATURE_NAME
from player.catalog.model import FORMAT
from player.catalog.parse import parse_catalog
from player.catalog.signing import load_private_key, public_key_hex, sign, verify
from player.errors import BadInput, CatalogError, SignatureError
from player.publisher.folder import IMAGE_TYPES, SUBTITLE_TYPES, VIDEO_TYPES, SeriesPlan, scan_source
from player.publisher.hashcache import CACHE_NAME, HashCache
from player.publisher.metadata import chapters, extensions, speakers
from player.publisher.place import Placer
from player.publisher.probe import probe_video

Progress = Callable[..., None]
MAX_VERSION = 9007199254740991


@dataclass
class BuildResult:
    catalog_path: Path
    version: int
    changed: bool
    signed: bool
    series: int
    lectures: int
    files: int
    bytes: int
    hashed: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Item:
    src: Path
    rel: PurePosixPath  # where it goes, relative to the mirror root
    href: str
    type: str
    video: bool


def build_catalog(
    src: Path,
    out: Path,
    *,
    key_path: Path | None = None,
    base_version: int | None = None,
    progress: Progress | None = None,
    cache_path: Path | None = None,
) -> BuildResult:
    """Build or update the mirror `out` from the source folder `src`."""
    src, out = Path(src), Path(out)
    warnings: list[str] = []

    def notify(event: str, **info: Any) -> None:
        if event == "warning":
            warnings.append(info["message"])
        if progress is not None:
            progress(event, **info)

    if base_version is not None and not 1 <= base_version <= MAX_VERSION:
        raise BadInput(f"--base-version must be between 1 and {MAX_VERSION}.")
    _check_out(src, out)
    key = load_private_key(key_path) if key_path else None
    plan = scan_source(src)
    for message in plan.warnings:
        notify("warning", message=message)
    items = _items(plan.series)
    lectures = sum(len(s.lectures) for s in plan.series)
    notify("scan", series=len(plan.series), lectures=lectures, files=len(items))

    out.mkdir(parents=True, exist_ok=True)
    cache = HashCache(Path(cache_path) if cache_path else out / CACHE_NAME)
    facts, hashed = _place_all(items, out, cache, notify)
    tree = _catalog_tree(plan.meta, plan.series, items, facts)
    version, changed, signed = _write_catalog(out, tree, key, base_version, notify)
    new_rels = [str(item.rel) for item in items.values()]
    removed = _prune(out, cache.placed, new_rels)
    cache.save(new_rels)
    return BuildResult(
        catalog_path=out / CATALOG_NAME,
        version=version,
        changed=changed,
        signed=signed,
        series=len(plan.series),
        lectures=lectures,
        files=len(items),
        bytes=sum(f["size"] for f in facts.values()),
        hashed=hashed,
        removed=removed,
        warnings=warnings,
    )


def _check_out(src: Path, out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise BadInput(
            f"{out} is not a folder.", hint="Give a folder for the mirror (it is created if missing)."
        )
    real_src, real_out = src.resolve(), out.resolve()
    if real_out == real_src or real_src in real_out.parents:
        raise BadInput(
            f"The mirror {out} is inside the source folder {src}.",
            hint="Build the mirror into a folder outside the source folder.",
        )


def _items(series: list[SeriesPlan]) -> dict[Path, _Item]:
    items: dict[Path, _Item] = {}

    def add(path: Path, sid: str, types: dict[str, str], video: bool = False) -> None:
        if path not in items:
            items[path] = _Item(
                src=path,
                rel=PurePosixPath("media", sid, path.name),
                href=f"media/{sid}/{quote(path.name, safe='')}",
                type=types[path.suffix.lower()],
                video=video,
            )

    for s in series:
        if s.poster:
            add(s.poster, s.id, IMAGE_TYPES)
        for lecture in s.lectures:
            for video in lecture.videos:
                add(video, s.id, VIDEO_TYPES, video=True)
            for _, sub in lecture.subtitles:
                add(sub, s.id, SUBTITLE_TYPES)
            if lecture.thumbnail:
                add(lecture.thumbnail, s.id, IMAGE_TYPES)
    return items


def _place_all(
    items: dict[Path, _Item], out: Path, cache: HashCache, notify: Progress
) -> tuple[dict[Path, dict[str, Any]], list[Path]]:
    placer = Placer()
    facts: dict[Path, dict[str, Any]] = {}
    hashed: list[Path] = []

    def work(item: _Item) -> tuple[dict[str, Any], bool]:
        key = str(item.src.resolve())
        st = os.stat(item.src)
        known = cache.lookup(key, st)
        probe = known.get("probe") if known else None
        if item.video and not probe:
            probe = probe_video(item.src)  # first, so a broken video fails before it is copied
        digest = placer.place(item.src, out / item.rel, st, need_hash=known is None)
        entry = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest or known["sha256"]}
        if probe:
            entry["probe"] = probe
        cache.store(key, entry)
        return entry, known is None

    workers = min(4, os.cpu_count() or 1)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="catalog-build")
    try:
        futures = {pool.submit(work, item): item for item in items.values()}
        for done, future in enumerate(as_completed(futures), 1):
            item = futures[future]
            entry, was_hashed = future.result()
            facts[item.src] = entry
            if was_hashed:
                hashed.append(item.src)
                notify("hashed", path=item.src, size=entry["size"])
            notify("file", path=item.src, done=done, total=len(futures))
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    return facts, hashed


def _file(item: _Item, fact: dict[str, Any]) -> dict[str, Any]:
    return {"href": item.href, "sha256": fact["sha256"], "size": fact["size"], "type": item.type}


def _catalog_tree(
    meta: dict[str, Any],
    series: list[SeriesPlan],
    items: dict[Path, _Item],
    facts: dict[Path, dict[str, Any]],
) -> dict[str, Any]:
    tree: dict[str, Any] = {"format": FORMAT, "id": meta["id"], "title": meta["title"]}
    for name in ("description", "publisher", "homepage"):
        if name in meta:
            tree[name] = meta[name]
    tree["version"] = None  # placeholders keep the key order; set when written
    tree["published"] = None
    if "expires" in meta:
        tree["expires"] = meta["expires"]
    tree.update(extensions(meta))
    tree["series"] = [_series_tree(s, items, facts) for s in series]
    return tree


def _series_tree(
    s: SeriesPlan, items: dict[Path, _Item], facts: dict[Path, dict[str, Any]]
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": s.id, "title": s.meta["title"]}
    for name in ("description", "tags"):
        if name in s.meta:
            out[name] = s.meta[name]
    if s.poster:
        out["poster"] = _file(items[s.poster], facts[s.poster])
    out.update(extensions(s.meta))
    out["lectures"] = []
    for lecture in s.lectures:
        where = f"{s.folder / 'series.json'}: lectures.{lecture.name}"
        meta = lecture.meta
        renditions = []
        for path in lecture.videos:
            probe = facts[path]["probe"]
            video = _file(items[path], facts[path])
            video.update(height=probe["height"], width=probe["width"])
            renditions.append((probe, video))
        renditions.sort(key=lambda r: -r[0]["height"])
        entry: dict[str, Any] = {"id": meta["id"], "title": meta["title"]}
        if "speakers" in meta:
            entry["speakers"] = speakers(meta["speakers"], where)
        entry["duration"] = max(probe["duration"] for probe, _ in renditions)
        for name in ("published", "description"):
            if name in meta:
                entry[name] = meta[name]
        entry["video"] = [video for _, video in renditions]
        if lecture.subtitles:
            entry["subtitles"] = [
                {"lang": lang, **_file(items[path], facts[path])} for lang, path in lecture.subtitles
            ]
        if lecture.thumbnail:
            entry["thumbnail"] = _file(items[lecture.thumbnail], facts[lecture.thumbnail])
        if "chapters" in meta:
            entry["chapters"] = chapters(meta["chapters"], where)
        entry.update(extensions(meta))
        out["lectures"].append(entry)
    return out


def _write_catalog(
    out: Path, tree: dict[str, Any], key: Any, base_version: int | None, notify: Progress
) -> tuple[int, bool, bool]:
    path, sig_path = out / CATALOG_NAME, out / SIGNATURE_NAME
    old_raw, old = _read_existing(path, notify)
    previous = old.get("version") if isinstance(old, dict) else None
    previous = previous if isinstance(previous, int) and not isinstance(previous, bool) else 0
    if old is not None and _content(old) == _content(tree) and (base_version or 0) <= previous:
        signed = sig_path.exists()
        if key is not None and not _signature_matches(old_raw, sig_path, key):
            _write_atomic(sig_path, sign(old_raw, key))
            signed = True
        notify("unchanged", path=path, version=previous)
        return previous, False, signed

    version = max(previous + 1, base_version or 1)
    tree["version"] = version
    tree["published"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    raw = json.dumps(tree, ensure_ascii=False, indent=1).encode() + b"\n"
    try:
        parse_catalog(raw, allow_expired=True)
    except CatalogError as exc:
        # The metadata files are the only free-form input, so a failure points at them.
        raise CatalogError(
            f"The metadata would make an invalid catalog: {exc.message}",
            problems=exc.problems,
            hint="Fix source.json or series.json; the paths name the place in catalog.json.",
        ) from None
    _write_atomic(path, raw)
    if key is not None:
        _write_atomic(sig_path, sign(raw, key))
    elif sig_path.exists():
        sig_path.unlink()
        notify(
            "warning",
            message=f"Removed {sig_path}: it signed the previous catalog. Build with --key to sign.",
        )
    notify("written", path=path, version=version)
    return version, True, key is not None


def _read_existing(path: Path, notify: Progress) -> tuple[bytes, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return b"", None
    try:
        return raw, jsondepth.loads(raw, str(path))
    except (ValueError, BadInput):
        notify("warning", message=f"{path} was unreadable; its version is unknown, so numbering restarts.")
        return raw, None


def _content(tree: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in tree.items() if k not in ("version", "published")}


def _signature_matches(raw: bytes, sig_path: Path, key: Any) -> bool:
    try:
        verify(raw, sig_path.read_bytes(), public_key_hex(key.public_key()))
    except (OSError, SignatureError):
        return False
    return True


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _prune(out: Path, before: list[str], now: list[str]) -> list[str]:
    """Remove files an earlier build placed that the catalog no longer names."""
    keep = set(now)
    removed = []
    for rel in before:
        parts = PurePosixPath(rel).parts
        if rel in keep or len(parts) < 3 or parts[0] != "media" or ".." in parts:
            continue
        target = out.joinpath(*parts)
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        removed.append(rel)
        for parent in target.parents:
            if parent == out / "media" or parent == out:
                break
            try:
                parent.rmdir()
            except OSError:
                break
    return removed
