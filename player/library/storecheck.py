"""The stored files as the database sees them, for checking and freeing the store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from player.library.db import Library
from player.library.sizes import recompute_sizes_for_hashes


@dataclass(frozen=True)
class FileUser:
    """A place in the catalogs that names a stored file."""

    source_id: str
    series_id: str
    lecture_id: str | None  # None for a series poster
    role: str


@dataclass
class StoredFile:
    sha256: str
    size: int
    exts: list[str] = field(default_factory=list)  # the same bytes may be named .mp4 and .m4v
    users: list[FileUser] = field(default_factory=list)


_FILES = """SELECT m.sha256, m.size, m.ext, s.source_id, s.id, l.id, m.role FROM media m
    LEFT JOIN lectures l ON l.pk = m.lecture_pk
    JOIN series s ON s.pk = coalesce(l.series_pk, m.series_pk)"""


def _group(rows: Iterable[tuple]) -> list[StoredFile]:
    files: dict[str, StoredFile] = {}
    for sha, size, ext, source_id, series_id, lecture_id, role in rows:
        f = files.get(sha)
        if f is None:
            f = files[sha] = StoredFile(sha, size)
        if ext not in f.exts:
            f.exts.append(ext)
        user = FileUser(source_id, series_id, lecture_id, role)
        if user not in f.users:
            f.users.append(user)
    return list(files.values())


def present_files(lib: Library) -> list[StoredFile]:
    """Every file the database says is in the store, with who uses it."""
    return _group(lib.db.execute(f"{_FILES} WHERE m.state = 'present' ORDER BY m.sha256, m.pk"))


def files_only_in_series(lib: Library, source_id: str, series_id: str) -> list[StoredFile]:
    """The stored files of this series that no other kept series names."""
    rows = lib.db.execute(
        f"""{_FILES} WHERE m.state = 'present' AND s.source_id = ? AND s.id = ?
            AND NOT EXISTS (
                SELECT 1 FROM media o
                LEFT JOIN lectures ol ON ol.pk = o.lecture_pk
                JOIN series os ON os.pk = coalesce(ol.series_pk, o.series_pk)
                JOIN kept k ON k.source_id = os.source_id AND k.series_id = os.id
                WHERE o.sha256 = m.sha256 AND NOT (os.source_id = ? AND os.id = ?))
            ORDER BY m.sha256, m.pk""",
        [source_id, series_id, source_id, series_id],
    )
    return _group(rows)


def mark_absent(lib: Library, hashes: Iterable[str]) -> None:
    """Record that these files are no longer in the store, and recount the lectures using them."""
    lib.require_writable()
    hashes = list(dict.fromkeys(hashes))
    with lib.db.atomic():
        lib.db.conn.executemany(
            "UPDATE media SET state = 'absent' WHERE sha256 = ? AND state = 'present'", [(h,) for h in hashes]
        )
        recompute_sizes_for_hashes(lib, hashes)


def files_only_in_source(lib: Library, source_id: str) -> list[StoredFile]:
    """The stored files of this source that no kept series of another source names."""
    rows = lib.db.execute(
        f"""{_FILES} WHERE m.state = 'present' AND s.source_id = ?
            AND NOT EXISTS (
                SELECT 1 FROM media o
                LEFT JOIN lectures ol ON ol.pk = o.lecture_pk
                JOIN series os ON os.pk = coalesce(ol.series_pk, o.series_pk)
                JOIN kept k ON k.source_id = os.source_id AND k.series_id = os.id
                WHERE o.sha256 = m.sha256 AND os.source_id != ?)
            ORDER BY m.sha256, m.pk""",
        [source_id, source_id],
    )
    return _group(rows)
