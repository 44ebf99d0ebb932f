"""Copy the media of kept series from a local mirror into the store.

This is the local-folder case of sync: every file is verified by sha256 while it is
copied, and marked present only once it is in place. Subtitle text is indexed for
search as each subtitle arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from player.catalog.mirror import Mirror
from player.errors import PlayerError
from player.library.db import Library
from player.library.search import index_cues
from player.library.store import put_file
from player.subtitles import read_cues


@dataclass
class CopyResult:
    copied: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (href, reason)


def copy_kept_media(
    lib: Library, mirror: Mirror, source_id: str, *, progress: Callable[[str, dict], None] | None = None
) -> CopyResult:
    """Copy every absent file of the kept series of `source_id` from `mirror`."""
    lib.require_writable()
    rows = lib.db.execute(
        """SELECT DISTINCT m.sha256, m.size, m.ext, m.href FROM media m
           LEFT JOIN lectures l ON l.pk = m.lecture_pk
           JOIN series s ON s.pk = coalesce(l.series_pk, m.series_pk)
           JOIN kept k ON k.source_id = s.source_id AND k.series_id = s.id
           WHERE s.source_id = ? AND m.state != 'present'
             AND (m.role != 'video' OR m.position = 0)""",
        [source_id],
    ).fetchall()
    result = CopyResult()
    done: set[str] = set()
    for sha, size, ext, href in rows:
        if sha in done:
            continue
        try:
            path = put_file(lib.paths, Path(mirror.resolve(href)), sha, size, ext)
        except PlayerError as exc:
            result.failed.append((href, str(exc)))
            if progress:
                progress("file_failed", {"href": href, "reason": str(exc)})
            continue
        mark_present(lib, sha, path)
        done.add(sha)
        result.copied += 1
        if progress:
            progress("file_done", {"href": href, "size": size})
    return result


def mark_present(lib: Library, sha256: str, path: Path) -> None:
    """Record that the file with this hash is in the store, and index it if it is a subtitle."""
    db = lib.db
    with db.atomic():
        db.execute("UPDATE media SET state = 'present' WHERE sha256 = ?", [sha256])
        db.execute(
            """UPDATE lectures SET present_size = (
                   SELECT coalesce(sum(m.size), 0) FROM media m
                   WHERE m.lecture_pk = lectures.pk AND m.state = 'present' AND (m.role != 'video' OR m.position = 0))
               WHERE pk IN (SELECT lecture_pk FROM media WHERE sha256 = ?)""",
            [sha256],
        )
    subs = db.execute(
        "SELECT DISTINCT lecture_pk, lang FROM media WHERE sha256 = ? AND role = 'subtitle'", [sha256]
    ).fetchall()
    if subs:
        cues = read_cues(path)
        for lecture_pk, lang in subs:
            index_cues(lib, lecture_pk, lang, cues)
