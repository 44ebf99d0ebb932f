"""Export chosen series to a bundle folder: signed catalogs byte for byte, and only the
media of those series, at the hrefs their catalogs name.

Resumable: a file already at the destination with the right size and sha256 is kept;
a part file left by an interrupted run is continued. Everything is written as a part
file, fsynced and renamed, and bundle.json is written last, so a drive pulled out
mid-export never holds a file that looks complete but is not.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from player import jsondepth
from player.bundle import fsinfo
from player.bundle.copying import Event, Meter, copy_verified, file_matches, part_size
from player.bundle.layout import BUNDLE_NAME, BundleSource, Manifest, folder_for, read_manifest
from player.catalog import DEFAULT_MAX_BYTES, hrefs
from player.catalog.localfile import FileOverLimit, read_regular_file
from player.catalog.mirror import CATALOG_NAME, SIGNATURE_NAME
from player.errors import BadInput, FetchError, PlayerError
from player.library.db import Library, now_iso
from player.library.plan_queries import series_lectures, series_posters
from player.library.queries import find_series
from player.library.sources import get_source
from player.library.store import HashMismatch, fsync_dir
from player.sizes import human_size
from player.sync.errors import DiskFull

# Room for catalogs, bundle.json and the folders themselves, on top of the media.
_SLACK = 1 << 20


class NotEnoughSpace(PlayerError):
    """The destination cannot hold what the export must write."""


class FileTooLarge(BadInput):
    """A file is larger than the destination's file system can hold (FAT32)."""


@dataclass(frozen=True)
class ExportFile:
    source_id: str
    href: str
    sha256: str
    size: int
    stored: Path  # the library's copy
    target: Path  # where it goes in the bundle


@dataclass
class ExportResult:
    dest: Path
    manifest: Manifest
    copied: int = 0
    skipped: int = 0
    bytes_copied: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    not_stored: int = 0  # files of the chosen series the library does not hold yet
    remote_only: int = 0  # stored files the catalog names by an http(s) URL: no place in a mirror


def export_bundle(
    lib: Library,
    dest: Path,
    series: list[tuple[str, str]],
    *,
    on_event: Event | None = None,
    fs_type: str | None = None,
    free_bytes: int | None = None,
) -> ExportResult:
    """Write the series (`(source_id, series_id)` pairs) to the bundle at `dest`.

    `fs_type` and `free_bytes` default to what the destination's disk says now.
    """
    emit = on_event or (lambda name, info: None)
    started = time.monotonic()
    dest = Path(dest).expanduser().absolute()
    if not series:
        raise BadInput("Nothing to export.", hint="Choose series with --series ID …, or --all-kept.")
    if dest.exists() and not dest.is_dir():
        raise BadInput(f"{dest} is a file, not a folder.", hint="Choose a folder (it is made if missing).")
    by_source: dict[str, list[str]] = {}
    for source_id, series_id in series:
        if series_id not in by_source.setdefault(source_id, []):
            by_source[source_id].append(series_id)
    several = len(by_source) > 1
    manifest = Manifest(created=now_iso())
    catalogs: list[tuple[Path, bytes, bytes | None]] = []
    files: list[ExportFile] = []
    result = ExportResult(dest=dest, manifest=manifest)
    for source_id, series_ids in by_source.items():
        source = get_source(lib, source_id)
        raw, sig = _stored_catalog(lib, source_id)
        folder = dest if not several else dest / folder_for(source_id, several)
        entry = BundleSource(
            id=source_id,
            folder=folder_for(source_id, several),
            series=series_ids,
            pubkey=source.pubkey,
            location=source.location if hrefs.is_remote(source.location) else None,
        )
        for item in _series_files(lib, source_id, series_ids, folder, result):
            files.append(item)
            entry.files += 1
            entry.bytes += item.size
        manifest.sources.append(entry)
        catalogs.append((folder, raw, sig))
    _check_destination(dest, manifest)
    _check_file_sizes(dest, files, fs_type)

    emit("bundle", {"dest": str(dest), "files": manifest.files, "bytes": manifest.bytes,
                    "not_stored": result.not_stored, "remote_only": result.remote_only})  # fmt: skip
    todo = [f for f in files if not file_matches(f.target, f.sha256, f.size)]
    result.skipped = len(files) - len(todo)
    _check_space(dest, todo, catalogs, free_bytes)

    meter = Meter(emit, sum(f.size for f in todo))
    try:
        for item in todo:
            part = item.target.with_name(item.target.name + ".part")
            emit("file_started", {"sha256": item.sha256, "name": _name(item, several), "size": item.size,
                                  "have": min(part_size(part), item.size)})  # fmt: skip
            meter.start(item.sha256, item.size)
            try:
                copy_verified(
                    item.stored, part, item.target, sha256=item.sha256, size=item.size, on_bytes=meter
                )
            except HashMismatch:
                reason = "the library's copy is damaged; run `lecture-player verify --repair`, then sync"
            except FetchError:
                reason = "the library's copy is missing; run `lecture-player verify --repair`, then sync"
            except DiskFull:
                raise
            except PlayerError as exc:
                reason = str(exc)
            else:
                result.copied += 1
                result.bytes_copied += item.size
                emit("file_done", {"sha256": item.sha256, "name": _name(item, several), "size": item.size})
                continue
            result.failed.append((_name(item, several), reason))
            emit("file_failed", {"sha256": item.sha256, "name": _name(item, several), "reason": reason})
        for folder, raw, sig in catalogs:
            _write_exact(folder / CATALOG_NAME, raw)
            if sig is None:
                (folder / SIGNATURE_NAME).unlink(missing_ok=True)
            else:
                _write_exact(folder / SIGNATURE_NAME, sig)
        # Last: a bundle.json says the export finished.
        _write_exact(dest / BUNDLE_NAME, manifest.to_json())
    except DiskFull as exc:
        raise DiskFull(
            exc.message,
            hint="Free some space on that drive, then export again; it resumes where it stopped.",
        ) from exc
    emit("finished", {"files_done": result.copied, "files_skipped": result.skipped,
                      "files_failed": len(result.failed), "bytes": result.bytes_copied,
                      "seconds": round(time.monotonic() - started, 2), "cancelled": False})  # fmt: skip
    return result


def _name(item: ExportFile, several: bool) -> str:
    return f"{item.source_id}/{item.href}" if several else item.href


def _stored_catalog(lib: Library, source_id: str) -> tuple[bytes, bytes | None]:
    """The catalog exactly as the publisher signed it, from the library's catalogs/."""
    path = lib.paths.catalogs / f"{source_id}.json"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(
            f"The library has no copy of the catalog of '{source_id}' ({path}).",
            hint="Refresh it with `lecture-player sync`, then export again.",
        ) from None
    sig_path = path.with_name(path.name + ".sig")
    return raw, sig_path.read_bytes() if sig_path.exists() else None


def _series_files(
    lib: Library, source_id: str, series_ids: list[str], folder: Path, result: ExportResult
) -> list[ExportFile]:
    out: dict[str, ExportFile] = {}
    for series_id in series_ids:
        found = find_series(lib, series_id, source_id)
        if not found:
            raise BadInput(f"There is no series '{series_id}' in '{source_id}'.",
                           hint="See `lecture-player series list`.")  # fmt: skip
        media = list(series_posters(lib, found[0].pk))
        for lecture in series_lectures(lib, found[0].pk):
            media.extend(lecture.media)
        for m in media:
            if m.href in out:
                continue
            if m.state != "present":
                result.not_stored += 1
                continue
            if hrefs.is_remote(m.href):
                result.remote_only += 1
                continue
            target = folder.joinpath(*hrefs.local_parts(m.href))
            out[m.href] = ExportFile(
                source_id, m.href, m.sha256, m.size, lib.paths.media_file(m.sha256, m.ext), target
            )
    return list(out.values())


def _check_destination(dest: Path, manifest: Manifest) -> None:
    """Refuse to mix this export into a folder that holds something else."""
    old = read_manifest(dest) if dest.is_dir() else None
    wanted = {s.id: s.folder for s in manifest.sources}
    if old is not None:
        had = {s.id: s.folder for s in old.sources}
        if any(wanted.get(i, f) != f for i, f in had.items()) or ("." in had.values()) != (
            "." in wanted.values()
        ):
            raise BadInput(
                f"{dest} already holds another bundle ({', '.join(had)}).",
                hint="Choose an empty folder, or export the same sources into it.",
            )
    for source in manifest.sources:
        catalog = dest / source.folder / CATALOG_NAME
        if catalog.exists():
            try:
                other = jsondepth.loads(
                    read_regular_file(catalog, DEFAULT_MAX_BYTES) or b"null", str(catalog)
                ).get("id")
            except (ValueError, UnicodeDecodeError, AttributeError, OSError, BadInput):
                other = None
            if other != source.id:
                raise BadInput(
                    f"{catalog} belongs to another catalog ({other or 'unreadable'}).",
                    hint="Choose an empty folder for the bundle.",
                )


def _check_file_sizes(dest: Path, files: list[ExportFile], fs_type: str | None) -> None:
    fstype = fs_type or fsinfo.filesystem_type(dest)
    limit = fsinfo.largest_file(fstype)
    if limit is None:
        return
    too_big = [f for f in files if f.size > limit]
    if too_big:
        first = too_big[0]
        more = f" and {len(too_big) - 1} more" if len(too_big) > 1 else ""
        raise FileTooLarge(
            f"{dest} is on a FAT32 ({fstype}) drive, which cannot hold files over 4 GiB − 1 byte, "
            f"but {first.href} is {first.size:,} bytes{more}; nothing was written.",
            hint="Format the drive as exFAT, NTFS or ext4, or leave that series out of --series.",
        )


def _check_space(
    dest: Path, todo: list[ExportFile], catalogs: list[tuple[Path, bytes, bytes | None]], free: int | None
) -> None:
    # Bytes already in part files are counted as written: they stay and are continued.
    needed = sum(f.size - min(part_size(f.target.with_name(f.target.name + ".part")), f.size) for f in todo)
    needed += sum(len(raw) + len(sig or b"") for _, raw, sig in catalogs) + _SLACK
    available = fsinfo.free_space(dest) if free is None else free
    if needed > available:
        raise NotEnoughSpace(
            f"Not enough free space on {fsinfo.existing_ancestor(dest)}: the export needs "
            f"{human_size(needed)} ({needed:,} bytes) and the drive has {human_size(available)} "
            f"({available:,} bytes) free; nothing was written.",
            hint="Use a larger drive, free some space, or export fewer series with --series.",
        )


def _write_exact(path: Path, data: bytes) -> None:
    """Write `data` to `path` durably, through a part file; skip it if already identical."""
    try:
        if read_regular_file(path, len(data)) == data:
            return
    except (OSError, FileOverLimit):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with open(part, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(part, path)
    fsync_dir(path.parent)
