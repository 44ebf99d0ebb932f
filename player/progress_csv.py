"""Watching progress as CSV, one row per lecture and profile, for teachers' spreadsheets.

The command line (`progress export`) and the app's "Export progress…" write the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from player import textutil
from player.library.db import Library
from player.library.progress_store import ProgressRow, list_progress

CSV_HEADER = (
    "profile",
    "source",
    "series id",
    "series title",
    "lecture id",
    "lecture title",
    "duration (s)",
    "position (s)",
    "watched",
    "watch count",
    "watched minutes",
    "first watched",
    "last watched",
)


def progress_csv(rows: Iterable[ProgressRow]) -> bytes:
    """The CSV file's bytes: UTF-8 with a byte-order mark, a header, then `rows`."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow(
            (
                r.profile_name,
                r.source_id,
                r.series_id or "",
                textutil.pick(r.series_title),
                r.lecture_id,
                textutil.pick(r.lecture_title),
                "" if r.duration is None else round(r.duration),
                round(r.position),
                "yes" if r.watched else "no",
                r.watch_count,
                f"{r.watched_seconds / 60:.1f}",
                r.first_watched or "",
                r.last_watched or "",
            )
        )
    # The BOM is what makes spreadsheet apps read the file as UTF-8 rather than the
    # system code page, which would garble Chinese titles.
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def export_progress(lib: Library, profile_id: int | None = None) -> tuple[bytes, int]:
    """The CSV of one profile's progress (None: everyone's), and its number of rows."""
    rows = list_progress(lib, profile_id)
    return progress_csv(rows), len(rows)


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file, so a full disk or a pulled drive
    never leaves half a report where the old one was."""
    path = Path(path)
    if path.exists() and not path.is_file():  # a device or a pipe: write through it
        path.write_bytes(data)
        return
    part = path.with_name(path.name + ".part")
    try:
        with open(part, "wb") as f:
            f.write(data)
        part.replace(path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
