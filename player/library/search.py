"""Full-text search over lecture titles, speakers, descriptions and subtitle text."""

from __future__ import annotations

import json
from dataclasses import dataclass

from player import textutil
from player.library.db import Library

# FTS5's bm25 ranking reads the whole doclist of every query word, which for a common
# word is every lecture: 10-25 ms on a 100,000-lecture library. Instead, lectures whose
# title matches come first, then the rest, each in library order; both queries stop
# after `limit` rows.
_TITLE_FIRST = "{{title}} : ({query})"


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "lecture" or "subtitle"
    lecture_pk: int
    source_id: str
    lecture_id: str
    series_pk: int
    title: textutil.Text
    series_title: textutil.Text
    snippet: str
    start: float | None  # seconds into the lecture, for subtitle hits


def search(lib: Library, text: str, *, limit: int = 50) -> list[SearchHit]:
    """Lectures matching every word of `text`, best first, then subtitle lines."""
    query = textutil.fts_query(text)
    if query is None:
        return []
    hits: list[SearchHit] = []
    rowids: list[int] = []
    for match in (_TITLE_FIRST.format(query=query), query):
        found = lib.db.execute(
            "SELECT rowid FROM lectures_fts WHERE lectures_fts MATCH ? LIMIT ?", [match, limit + len(rowids)]
        ).fetchall()
        rowids += [r[0] for r in found if r[0] not in rowids][: limit - len(rowids)]
        if len(rowids) >= limit:
            break
    hits.extend(_lecture_hits(lib, rowids))
    if len(hits) < limit:
        hits.extend(_cue_hits(lib, query, limit - len(hits)))
    return hits


def _lecture_hits(lib: Library, rowids: list[int]) -> list[SearchHit]:
    if not rowids:
        return []
    marks = ",".join("?" * len(rowids))
    rows = {
        r[0]: r
        for r in lib.db.execute(
            f"""SELECT l.pk, l.source_id, l.id, l.series_pk, l.title, s.title, l.description
                FROM lectures l JOIN series s ON s.pk = l.series_pk
                WHERE l.pk IN ({marks}) AND l.withdrawn = 0""",
            rowids,
        )
    }
    hits = []
    for pk in rowids:
        r = rows.get(pk)
        if r:
            snippet = textutil.pick(textutil.load(r[6]))[:160]
            hits.append(
                SearchHit(
                    "lecture", r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5]), snippet, None
                )
            )
    return hits


def _cue_hits(lib: Library, query: str, limit: int) -> list[SearchHit]:
    rows = lib.db.execute(
        """SELECT l.pk, l.source_id, l.id, l.series_pk, l.title, s.title, c.text, c.start
           FROM (SELECT rowid FROM cues_fts WHERE cues_fts MATCH ? LIMIT ?) f
           JOIN cues c ON c.pk = f.rowid
           JOIN lectures l ON l.pk = c.lecture_pk AND l.withdrawn = 0
           JOIN series s ON s.pk = l.series_pk""",
        [query, limit],
    ).fetchall()
    return [
        SearchHit("subtitle", r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5]), r[6], r[7])
        for r in rows
    ]


def index_cues(lib: Library, lecture_pk: int, lang: str, cues: list) -> None:
    """Replace the indexed subtitle lines of one lecture and language."""
    db = lib.db
    with db.atomic():
        old = [
            (r[0],)
            for r in db.execute("SELECT pk FROM cues WHERE lecture_pk = ? AND lang = ?", [lecture_pk, lang])
        ]
        db.conn.executemany("DELETE FROM cues_fts WHERE rowid = ?", old)
        db.conn.executemany("DELETE FROM cues WHERE pk = ?", old)
        for cue in cues:
            cur = db.execute(
                "INSERT INTO cues (lecture_pk, lang, start, end, text) VALUES (?, ?, ?, ?, ?)",
                [lecture_pk, lang, cue.start, cue.end, cue.text],
            )
            db.execute(
                "INSERT INTO cues_fts (rowid, text) VALUES (?, ?)",
                [cur.lastrowid, textutil.for_index(cue.text)],
            )
