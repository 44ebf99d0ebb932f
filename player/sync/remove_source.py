"""Removing a source: the library stops following a publisher's catalog.

Progress and bookmarks are keyed by source and lecture id, not tied to the source's
rows, so they stay (adding the source again brings them back into view). Stored files
are deleted only when asked, and only those no kept series of another source uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from player.library.db import Library
from player.library.doctor import index_is_empty
from player.library.sources import delete_source_rows, get_source
from player.library.storecheck import StoredFile, files_only_in_source, mark_absent
from player.sync.queue import forget_unkept
from player.sync.release import delete_stored


@dataclass(frozen=True)
class RemovedSource:
    source_id: str
    series_unkept: int
    files_deleted: int
    bytes_freed: int
    files_left: int  # stored files only this source used, left in media/ (not asked to delete)
    bytes_left: int
    nothing_stored: bool  # the library now stores no file: doctor deletes no orphan in it


def removal_cost(lib: Library, source_id: str) -> tuple[int, int]:
    """(files, bytes) that removing the source with its files would free."""
    get_source(lib, source_id)
    files = files_only_in_source(lib, source_id)
    return len(files), _bytes(files)


def remove_source(lib: Library, source_id: str, *, delete_files: bool = False) -> RemovedSource:
    """Stop following the source: its catalog, series, lectures and kept marks go. With
    `delete_files`, its stored files that no other kept series uses are deleted too."""
    lib.require_writable()
    source = get_source(lib, source_id)
    with lib.db.atomic():
        only_here = files_only_in_source(lib, source.id)
        if delete_files:
            mark_absent(lib, [f.sha256 for f in only_here])
        kept = delete_source_rows(lib, source.id)
        dequeued = forget_unkept(lib)
    # After the commit: a crash in between leaves a stray file, never a row whose file is
    # gone. The cached catalog goes too, or a rebuild would follow the source again.
    for suffix in (".json", ".json.sig"):
        (lib.paths.catalogs / f"{source.id}{suffix}").unlink(missing_ok=True)
    deleted, freed = delete_stored(lib, only_here, dequeued) if delete_files else (0, 0)
    left = [] if delete_files else only_here
    return RemovedSource(
        source.id, kept, deleted, freed, sum(len(f.exts) for f in left), _bytes(left), index_is_empty(lib)
    )


def _bytes(files: list[StoredFile]) -> int:
    return sum(f.size * len(f.exts) for f in files)
