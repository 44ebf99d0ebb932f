"""Import a bundle: check every catalog's signature, import the catalogs as `sources add`
does, keep the bundle's series, and copy their media into the store.

Every check comes first, source by source: a source that is refused (a bad signature, no
key to check it against, a symlink out of the bundle) changes nothing, and the others are
imported all the same. Each file is verified by sha256 while it is copied into the
library's tmp/, and is recorded only once it is in the store; an interrupted import
continues from its part files. Nothing is written outside the library.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from player import jsondepth
from player.bundle.copying import Event, Meter, copy_verified, file_matches, part_size
from player.bundle.layout import BundleMirror, HeldFile, bundle_mirrors, file_entries, held_files
from player.catalog import hrefs, signing
from player.catalog.mirror import CatalogFiles
from player.errors import BadInput, PlayerError, RollbackError, SignatureError
from player.library.db import Library
from player.library.importer import ImportResult, import_catalog
from player.library.kept import keep_series
from player.library.plan_queries import series_lectures, series_posters
from player.library.queries import find_series
from player.library.sources import key_fingerprint, list_sources
from player.library.store import HashMismatch
from player.sync.errors import DiskFull
from player.sync.queue import mark_done_many, part_path

_COMMIT_FILES = 200
_COMMIT_SECONDS = 1.0


@dataclass
class _Planned:
    item: BundleMirror
    files: CatalogFiles
    source_id: str
    version: int | None
    key: str | None
    location: str
    series: list[str]
    held: dict[str, HeldFile]
    warnings: list[str] = field(default_factory=list)


@dataclass
class BundleImport:
    sources: list[ImportResult] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)
    copied: int = 0
    skipped: int = 0  # already in the library
    bytes_copied: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    missing: int = 0  # files bundle.json promises that the folder does not hold
    warnings: list[str] = field(default_factory=list)
    # Sources refused whole, each with the error that says why; the others were imported.
    refused: list[tuple[str, PlayerError]] = field(default_factory=list)


def import_bundle(
    lib: Library,
    src: Path,
    *,
    pubkey: str | None = None,
    trust_new_key: bool = False,
    allow_expired: bool = False,
    on_event: Event | None = None,
) -> BundleImport:
    emit = on_event or (lambda name, info: None)
    started = time.monotonic()
    lib.require_writable()
    offered = signing.parse_public_key(pubkey) if pubkey else None
    known = {s.id: s for s in list_sources(lib)}
    result = BundleImport()
    checked = []
    for item in bundle_mirrors(Path(src)):
        try:
            checked.append(check_catalog(item, known, offered, trust_new_key))
        except PlayerError as exc:  # unreadable, unsigned, a symlink out: this source only
            result.refused.append((item.entry.id if item.entry else item.mirror.location, exc))

    planned = []
    for p in checked:
        try:
            imported = _import_catalog(lib, p, known, allow_expired, result)
        except BadInput as exc:
            result.refused.append((p.source_id, exc))
            continue
        planned.append(p)
        result.warnings.extend(p.warnings)
        result.sources.append(imported)
        result.warnings.extend(f"{p.source_id}: {w}" for w in imported.warnings)
        emit("source", {"source_id": p.source_id, "version": imported.version, "unchanged": imported.unchanged,
                        "added": imported.added, "changed": imported.changed,
                        "withdrawn": imported.withdrawn})  # fmt: skip
        for series_id in p.series:
            if find_series(lib, series_id, p.source_id):
                keep_series(lib, p.source_id, series_id)
                result.kept.append((p.source_id, series_id))
    for source_id, exc in result.refused:
        emit("source", {"source_id": source_id, "error": str(exc)})
    if result.refused and not planned:
        raise result.refused[0][1]  # nothing in the bundle could be taken: as one error

    jobs = _jobs(lib, planned, result)
    emit("bundle", {"files": len(jobs), "bytes": sum(j[1].size for j in jobs), "missing": result.missing})
    _copy(lib, jobs, result, emit)
    emit("finished", {"files_done": result.copied, "files_skipped": result.skipped,
                      "files_failed": len(result.failed), "bytes": result.bytes_copied,
                      "seconds": round(time.monotonic() - started, 2), "cancelled": False})  # fmt: skip
    return result


def _import_catalog(
    lib: Library, p: _Planned, known: dict, allow_expired: bool, result: BundleImport
) -> ImportResult:
    try:
        return import_catalog(lib, p.files, location=p.location, pubkey=p.key, allow_expired=allow_expired)
    except RollbackError:
        if p.version is None or p.source_id not in known or p.version >= known[p.source_id].version:
            raise
        # The library already has a newer catalog: keep it, and take from the bundle
        # the files it still names (matched by sha256 below).
        result.warnings.append(
            f"{p.source_id}: the library has version {known[p.source_id].version}, newer than the "
            f"bundle's {p.version}; its catalog stays, and matching files are copied."
        )
        return ImportResult(source_id=p.source_id, version=known[p.source_id].version, unchanged=True)


def check_catalog(item: BundleMirror, known: dict, offered: str | None, trust_new_key: bool) -> _Planned:
    """Read one catalog and decide the key it must be signed by; raise if it is not."""
    mirror, entry = item.mirror, item.entry
    files = mirror.read_catalog()
    try:
        tree = jsondepth.loads(files.raw, f"The catalog in {mirror.location}")
        source_id, version = tree["id"], tree.get("version")
        if not isinstance(source_id, str):
            raise TypeError
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        raise BadInput(
            f"The catalog in {mirror.location} is not a lecture catalog.", hint="Export the bundle again."
        ) from None
    if entry is not None and entry.id != source_id:
        raise BadInput(
            f"bundle.json says {mirror.location} holds '{entry.id}', but its catalog is '{source_id}'.",
            hint="The bundle was changed after export; export it again.",
        )
    existing = known.get(source_id)
    bundle_key = entry.pubkey if entry else None
    warnings = []
    if existing is not None and existing.pubkey:
        # A pinned source is checked against its pinned key, whatever --pubkey says: one key
        # for a bundle of several sources must not refuse the ones pinned already.
        key, whose = existing.pubkey, "the key this library pinned for it"
        if offered and offered != key:
            warnings.append(
                f"{source_id}: pinned to another key than --pubkey; checked against its pinned key "
                f"{key_fingerprint(key)}."
            )
    elif offered:
        key, whose = offered, "the key given with --pubkey"
    elif trust_new_key and (bundle_key or existing is None):
        if not isinstance(bundle_key, str) or not bundle_key:
            raise SignatureError(
                f"The source '{source_id}' in {mirror.location} is new to this library, and the bundle "
                "carries no key for it, so there is no key to trust.",
                problems=[("$", "no key in bundle.json")],
                hint="Give the publisher's key with --pubkey KEY.",
            )
        try:
            key = signing.parse_public_key(bundle_key)
        except BadInput:
            raise SignatureError(
                f"The key bundle.json carries for '{source_id}' is not an Ed25519 key.",
                problems=[("$", "malformed key in bundle.json")],
                hint="Give the publisher's key with --pubkey KEY, or export the bundle again.",
            ) from None
        whose = "the key the bundle carries"
    elif existing is not None:
        key, whose = None, ""  # a source followed without a key: imported with the same warning as before
    else:
        carried = f" ({bundle_key[:16]}…)" if isinstance(bundle_key, str) and bundle_key else ""
        raise BadInput(
            f"The source '{source_id}' in {mirror.location} is new to this library, so there is no key "
            "to check its catalog against.",
            hint=f"Give the publisher's key with --pubkey KEY, or --trust-new-key to trust the key "
            f"the bundle carries{carried}.",
        )
    if key:
        try:
            signing.verify(files.raw, files.signature, key)
        except SignatureError as exc:
            raise SignatureError(
                f"{mirror.location}: {exc.message.rstrip('.')} (checked against {whose}, "
                f"{key_fingerprint(key)}).",
                problems=exc.problems,
                hint=exc.hint,
            ) from None
    series = (
        list(entry.series) if entry else [s.get("id") for s in tree.get("series", []) if isinstance(s, dict)]
    )
    # Before anything is imported: a symlink out of the bundle refuses the whole source.
    held = held_files(mirror, files.raw, set(series), strict=True)
    if existing is not None:
        location = existing.location  # a source followed from the publisher keeps its address
    elif entry is not None and entry.location and hrefs.is_remote(entry.location):
        location = entry.location
    else:
        location = mirror.location
    return _Planned(item, files, source_id, version if isinstance(version, int) else None, key, location,
                    series, held, warnings)  # fmt: skip


def _jobs(lib: Library, planned: list[_Planned], result: BundleImport) -> list[tuple[str, HeldFile, str]]:
    """(sha256, where the bundle holds it, ext) of each file the series need and the bundle has."""
    jobs: dict[str, tuple[str, HeldFile, str]] = {}
    present: set[str] = set()
    for p in planned:
        hrefs_held = {h.href for h in p.held.values()}
        promised = p.item.entry.files if p.item.entry else 0
        result.missing += max(0, promised - _count_hrefs(p, hrefs_held))
        for series_id in p.series:
            for found in find_series(lib, series_id, p.source_id):
                media = list(series_posters(lib, found.pk))
                for lecture in series_lectures(lib, found.pk):
                    media.extend(lecture.media)
                for m in media:
                    if m.state == "present":
                        present.add(m.sha256)
                    elif m.sha256 in p.held and m.sha256 not in jobs:
                        jobs[m.sha256] = (m.sha256, p.held[m.sha256], m.ext)
    result.skipped = len({sha for p in planned for sha in p.held} & present)
    return [j for sha, j in jobs.items() if sha not in present]


def _count_hrefs(p: _Planned, held_hrefs: set[str]) -> int:
    # Files with the same bytes are held once by sha256; count every href that exists.
    tree = json.loads(p.files.raw)
    seen: set[str] = set()
    for _, e in file_entries(tree, set(p.series)):
        href = e.get("href")
        if isinstance(href, str) and not hrefs.is_remote(href) and not hrefs.href_problem(href):
            try:
                if Path(p.item.mirror.resolve(href)).is_file():
                    seen.add(href)
            except BadInput:
                continue
    return len(seen | held_hrefs)


def _copy(lib: Library, jobs: list[tuple[str, HeldFile, str]], result: BundleImport, emit: Event) -> None:
    meter = Meter(emit, sum(h.size for _, h, _ in jobs))
    done: list[tuple[str, Path]] = []
    last_commit = time.monotonic()
    try:
        for sha, held, ext in jobs:
            final = lib.paths.media_file(sha, ext)
            part = part_path(lib, sha, ext)
            emit("file_started", {"sha256": sha, "name": held.href, "size": held.size,
                                  "have": min(part_size(part), held.size)})  # fmt: skip
            meter.start(sha, held.size)
            try:
                if not file_matches(final, sha, held.size):
                    # Not there, or renamed into place by a run killed before it recorded it.
                    copy_verified(held.path, part, final, sha256=sha, size=held.size, on_bytes=meter)
            except DiskFull as exc:
                raise DiskFull(
                    exc.message, hint="Free some space on the library's disk, then import again; it resumes."
                ) from exc
            except HashMismatch:
                reason = "the bundle's copy is damaged (wrong size or sha256); export it again"
            except PlayerError as exc:
                reason = str(exc)
            else:
                done.append((sha, final))
                result.copied += 1
                result.bytes_copied += held.size
                emit("file_done", {"sha256": sha, "name": held.href, "size": held.size})
                if len(done) >= _COMMIT_FILES or time.monotonic() - last_commit > _COMMIT_SECONDS:
                    mark_done_many(lib, done)
                    done, last_commit = [], time.monotonic()
                continue
            result.failed.append((held.href, reason))
            emit("file_failed", {"sha256": sha, "name": held.href, "reason": reason})
    finally:
        if done:
            mark_done_many(lib, done)
