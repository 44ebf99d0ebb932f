"""Stopping keeping a series, and optionally freeing the store of its files."""

from __future__ import annotations

from dataclasses import dataclass

from player.library.db import Library
from player.library.kept import unkeep_series
from player.library.plan_queries import forget_history
from player.library.queries import find_series
from player.library.sizes import clear_wanted_renditions
from player.library.storecheck import StoredFile, files_only_in_series, mark_absent
from player.sync.queue import forget_unkept


@dataclass(frozen=True)
class Released:
    files_deleted: int
    bytes_freed: int
    dequeued: int  # files that were waiting to be fetched and no longer will be


def release_series(lib: Library, source_id: str, series_id: str, *, delete_files: bool = False) -> Released:
    """Stop keeping the series. With `delete_files`, also delete its stored files that no
    other kept series uses. Progress and bookmarks are keyed by lecture, and stay."""
    lib.require_writable()
    doomed = []
    with lib.db.atomic():
        unkeep_series(lib, source_id, series_id)
        forget_history(lib, source_id, series_id)
        for series in find_series(lib, series_id, source_id):
            clear_wanted_renditions(lib, series.pk)
        dequeued = forget_unkept(lib)
        if delete_files:
            doomed = files_only_in_series(lib, source_id, series_id)
            mark_absent(lib, [f.sha256 for f in doomed])
    # After the commit: a crash in between leaves a stray file, never a "present" row
    # whose file is gone.
    deleted, freed = delete_stored(lib, doomed, dequeued if delete_files else [])
    return Released(deleted, freed, len(dequeued))


def delete_stored(lib: Library, files: list[StoredFile], dequeued: list[str]) -> tuple[int, int]:
    """Delete the stored files, and the half-fetched files of what was dequeued (they are
    space too); (files deleted, bytes freed). A file already gone is not counted."""
    deleted = freed = 0
    for stored in files:
        for ext in stored.exts:
            path = lib.paths.media_file(stored.sha256, ext)
            try:
                size = path.stat().st_size
                path.unlink()
            except FileNotFoundError:
                continue
            deleted += 1
            freed += size
    for sha in dequeued:
        for part in lib.paths.tmp.glob(f"{sha}.*.part"):
            freed += part.stat().st_size
            part.unlink(missing_ok=True)
    return deleted, freed
