"""The per-lecture byte counts (`lectures.size`, `lectures.present_size`) and the
rendition each kept lecture wants.

A lecture counts its subtitles, its thumbnail and one video rendition: the one a sync
plan chose (`media.wanted`), else the catalog's first, as the importer assumes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from player.library.db import Library

COUNTED_MEDIA = """(m.role != 'video' OR CASE
    WHEN EXISTS (SELECT 1 FROM media w WHERE w.lecture_pk = m.lecture_pk AND w.role = 'video' AND w.wanted = 1)
    THEN m.wanted = 1 ELSE m.position = 0 END)"""

_RECOMPUTE = f"""UPDATE lectures SET
    size = (SELECT coalesce(sum(m.size), 0) FROM media m WHERE m.lecture_pk = lectures.pk AND {COUNTED_MEDIA}),
    present_size = (SELECT coalesce(sum(m.size), 0) FROM media m
                    WHERE m.lecture_pk = lectures.pk AND m.state = 'present' AND {COUNTED_MEDIA})
    WHERE pk = ?"""


def recompute_lecture_sizes(lib: Library, lecture_pks: Iterable[int]) -> None:
    lib.require_writable()
    with lib.db.atomic():
        lib.db.conn.executemany(_RECOMPUTE, [(pk,) for pk in sorted(set(lecture_pks))])


def recompute_sizes_for_hashes(lib: Library, hashes: Iterable[str]) -> None:
    """Recompute the lectures that use any of these files."""
    pks: set[int] = set()
    for sha in set(hashes):
        pks.update(
            r[0]
            for r in lib.db.execute(
                "SELECT DISTINCT lecture_pk FROM media WHERE sha256 = ? AND lecture_pk IS NOT NULL", [sha]
            )
        )
    recompute_lecture_sizes(lib, pks)


def set_wanted_renditions(lib: Library, chosen: Mapping[int, int | None]) -> None:
    """Mark, per lecture pk, the video media pk it wants (None: the default), and recompute sizes."""
    lib.require_writable()
    with lib.db.atomic():
        lib.db.conn.executemany(
            "UPDATE media SET wanted = (pk IS ?) WHERE lecture_pk = ? AND role = 'video'",
            [(media_pk, lecture_pk) for lecture_pk, media_pk in chosen.items()],
        )
        recompute_lecture_sizes(lib, chosen)


def clear_wanted_renditions(lib: Library, series_pk: int) -> None:
    pks = [r[0] for r in lib.db.execute("SELECT pk FROM lectures WHERE series_pk = ?", [series_pk])]
    set_wanted_renditions(lib, dict.fromkeys(pks))
