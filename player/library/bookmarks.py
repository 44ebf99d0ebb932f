"""Bookmarks: points in a lecture a profile wants to come back to, with an optional note.

Keyed like progress, by profile, source id and lecture id (never a file path), so they
survive a lecture's file being replaced or the library being moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from player.library.db import Library

NOTE_LIMIT = 500  # characters; a note is a reminder, not an essay

_COLUMNS = "id, profile_id, source_id, lecture_id, position, note, created_at, updated_at"


@dataclass(frozen=True)
class Bookmark:
    id: int
    profile_id: int
    source_id: str
    lecture_id: str
    position: float  # seconds
    note: str | None
    created_at: str
    updated_at: str | None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(note: str | None) -> str | None:
    note = (note or "").strip()
    return note[:NOTE_LIMIT] or None


def add_bookmark(
    lib: Library, profile_id: int, source_id: str, lecture_id: str, position: float, note: str | None = None
) -> Bookmark:
    lib.require_writable()
    now = _now()
    with lib.db.atomic():
        cursor = lib.db.execute(
            "INSERT INTO bookmarks (profile_id, source_id, lecture_id, position, note, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [profile_id, source_id, lecture_id, max(0.0, position), _clean(note), now, now],
        )
        pk = cursor.lastrowid
    found = get_bookmark(lib, pk)
    assert found is not None
    return found


def get_bookmark(lib: Library, bookmark_id: int) -> Bookmark | None:
    row = lib.db.execute(f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", [bookmark_id]).fetchone()
    return Bookmark(*row) if row else None


def list_bookmarks(lib: Library, profile_id: int, source_id: str, lecture_id: str) -> list[Bookmark]:
    """The profile's bookmarks in one lecture, earliest point first."""
    rows = lib.db.execute(
        f"SELECT {_COLUMNS} FROM bookmarks WHERE profile_id = ? AND source_id = ? AND lecture_id = ?"
        " ORDER BY position, id",
        [profile_id, source_id, lecture_id],
    ).fetchall()
    return [Bookmark(*row) for row in rows]


def set_note(lib: Library, bookmark_id: int, note: str | None) -> Bookmark | None:
    """Replace the note (an empty one removes it); None if the bookmark is gone."""
    lib.require_writable()
    with lib.db.atomic():
        lib.db.execute(
            "UPDATE bookmarks SET note = ?, updated_at = ? WHERE id = ?", [_clean(note), _now(), bookmark_id]
        )
    return get_bookmark(lib, bookmark_id)


def delete_bookmark(lib: Library, bookmark_id: int) -> None:
    lib.require_writable()
    with lib.db.atomic():
        lib.db.execute("DELETE FROM bookmarks WHERE id = ?", [bookmark_id])
