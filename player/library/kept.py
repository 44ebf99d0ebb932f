"""Which series this library keeps offline."""

from __future__ import annotations

from player.errors import BadInput
from player.library.db import Library, now_iso
from player.library.storecheck import files_only_in_series


def keep_series(lib: Library, source_id: str, series_id: str, quality: int | None = None) -> None:
    lib.require_writable()
    exists = lib.db.execute(
        "SELECT 1 FROM series WHERE source_id = ? AND id = ?", [source_id, series_id]
    ).fetchone()
    if not exists:
        raise BadInput(
            f"There is no series '{series_id}' in '{source_id}'.", hint="See `lecture-player series list`."
        )
    with lib.db.atomic():
        lib.db.execute(
            """INSERT INTO kept (source_id, series_id, quality, kept_at) VALUES (?, ?, ?, ?)
               ON CONFLICT(source_id, series_id) DO UPDATE SET quality = excluded.quality""",
            [source_id, series_id, quality, now_iso()],
        )


def keep_all_series(lib: Library, source_id: str) -> None:
    """Keep every series of a source offline (the built-in sample comes whole)."""
    rows = lib.db.execute(
        "SELECT id FROM series WHERE source_id = ? ORDER BY position", [source_id]
    ).fetchall()
    for (series_id,) in rows:
        keep_series(lib, source_id, series_id)


def unkeep_series(lib: Library, source_id: str, series_id: str) -> None:
    lib.require_writable()
    with lib.db.atomic():
        lib.db.execute("DELETE FROM kept WHERE source_id = ? AND series_id = ?", [source_id, series_id])


def bytes_freed_by_removing(lib: Library, source_id: str, series_id: str) -> tuple[int, int]:
    """(files, bytes) that deleting the series' files would free: those no other kept
    series uses, as `release_series(..., delete_files=True)` deletes them."""
    files = files_only_in_series(lib, source_id, series_id)
    return len(files), sum(f.size * len(f.exts) for f in files)
