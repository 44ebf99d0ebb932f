"""Removing a source: the library stops following a publisher's catalog.

Progress and bookmarks are keyed by source and lecture id, not tied to the source's
rows, so they stay (adding the source again brings them back into view). Stored files
are deleted only when asked, and only those no kept series of another source uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from player.library.db import Library
from player.library.doctor import index_is_empty
from player.library.sources import get_source
from player.library.storecheck import StoredFile, files_only_in_source, mark_absent
from player.sync.queue import forget_unkept


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
    db = lib.db
    with db.atomic():
        only_here = files_only_in_source(lib, source.id)
        kept = db.execute("SELECT count(*) FROM kept WHERE source_id = ?", [source.id]).fetchone()[0]
        if delete_files:
            mark_absent(lib, [f.sha256 for f in only_here])
        # The search tables are not tied to the rows by foreign keys.
        db.execute(
            """DELETE FROM cues_fts WHERE rowid IN (
                   SELECT c.pk FROM cues c JOIN lectures l ON l.pk = c.lecture_pk WHERE l.source_id = ?)""",
            [source.id],
        )
        db.execute(
            "DELETE FROM lectures_fts WHERE rowid IN (SELECT pk FROM lectures WHERE source_id = ?)",
            [source.id],
        )
        # Series, lectures, media, cues and kept marks go with it (ON DELETE CASCADE).
        db.execute("DELETE FROM sources WHERE id = ?", [source.id])
        db.execute("DELETE FROM sync_series WHERE source_id = ?", [source.id])
        db.execute("DELETE FROM sync_lectures WHERE source_id = ?", [source.id])
        # Per-source settings are named `<what>:<source id>` (validators, quality, fallback).
        db.execute(
            "DELETE FROM settings WHERE substr(key, -length(?) - 1) = ':' || ?", [source.id, source.id]
        )
        dequeued = forget_unkept(lib)
    # After the commit: a crash in between leaves a stray file, never a row whose file is
    # gone. The cached catalog goes too, or a rebuild would follow the source again.
    for suffix in (".json", ".json.sig"):
        (lib.paths.catalogs / f"{source.id}{suffix}").unlink(missing_ok=True)
    deleted = freed = 0
    if delete_files:
        for stored in only_here:
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
    left = [] if delete_files else only_here
    return RemovedSource(
        source.id, kept, deleted, freed, sum(len(f.exts) for f in left), _bytes(left), index_is_empty(lib)
    )


def _bytes(files: list[StoredFile]) -> int:
    return sum(f.size * len(f.exts) for f in files)
