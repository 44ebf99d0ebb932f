"""What a share serves: each source's catalog as fetched, and the stored files its hrefs name.

The view is built once from a read-only library and kept in memory, so requests never
touch SQLite; `ViewKeeper` rebuilds it when the library changes on disk (a sync or an
import in another process), without blocking the requests that are being answered.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from player import textutil
from player.catalog import hrefs
from player.errors import BadInput
from player.library.db import Library, open_library
from player.library.paths import LibraryPaths

_SHA = re.compile(r"[0-9a-f]{64}")
_EXT = re.compile(r"[A-Za-z0-9]{1,8}")


@dataclass(frozen=True)
class SharedSource:
    id: str
    title: textutil.Text
    catalog: Path
    signature: Path | None


@dataclass(frozen=True)
class SharedFile:
    sha256: str
    ext: str
    size: int


@dataclass
class MirrorView:
    sources: dict[str, SharedSource] = field(default_factory=dict)
    # (source id, href percent-decoded) -> the stored file
    files: dict[tuple[str, str], SharedFile] = field(default_factory=dict)

    def index(self) -> dict:
        """The one listing a share gives: its sources and where their catalogs are."""
        counts = Counter(source_id for source_id, _ in self.files)
        return {
            "format": "lecture-player-share/1",
            "sources": [
                {
                    "id": s.id,
                    "title": s.title,
                    "path": f"/{s.id}/",
                    "files": counts[s.id],
                }
                for s in self.sources.values()
            ],
        }


def href_key(href: str) -> str:
    return "/".join(hrefs.local_parts(href))


def build_view(lib: Library, series: Iterable[str] | None = None) -> MirrorView:
    """The sources and present files of `lib`; with `series`, only those series' files,
    and only the sources they belong to."""
    from player.library.plan_queries import present_hashes, series_lectures, series_posters
    from player.library.queries import list_series
    from player.library.sources import list_sources
    from player.sync.select import resolve_series

    allowed: set[int] | None = None
    if series:
        allowed = {resolve_series(lib, ref).pk for ref in series}
    present = present_hashes(lib)
    by_source: dict[str, list[int]] = {}
    for s in list_series(lib):
        if allowed is None or s.pk in allowed:
            by_source.setdefault(s.source_id, []).append(s.pk)
    view = MirrorView()
    for source in list_sources(lib):
        catalog = lib.paths.catalogs / f"{source.id}.json"
        if not catalog.is_file() or (allowed is not None and source.id not in by_source):
            continue
        sig = catalog.with_name(f"{source.id}.json.sig")
        view.sources[source.id] = SharedSource(
            source.id, source.title, catalog, sig if sig.is_file() else None
        )
        # Only what the catalog names now: withdrawn series and lectures are left out.
        for series_pk in by_source.get(source.id, []):
            media = list(series_posters(lib, series_pk))
            for lecture in series_lectures(lib, series_pk):
                if not lecture.withdrawn:
                    media.extend(lecture.media)
            for m in media:
                if m.sha256 not in present or hrefs.is_remote(m.href) or hrefs.href_problem(m.href):
                    continue
                if _SHA.fullmatch(m.sha256) and _EXT.fullmatch(m.ext):
                    view.files[(source.id, href_key(m.href))] = SharedFile(m.sha256, m.ext, m.size)
    return view


def library_stamp(paths: LibraryPaths) -> tuple:
    """Changes whenever the library commits (WAL) or a catalog is replaced; a few stat calls."""
    stamp = []
    for path in (paths.db, paths.db.with_name("library.db-wal"), paths.catalogs):
        try:
            st = os.stat(path)
        except OSError:
            stamp.append(None)
            continue
        stamp.append((st.st_mtime_ns, st.st_size, st.st_ino))
    return tuple(stamp)


class ViewKeeper:
    """The current view, rebuilt on a library change at most every `interval` seconds.

    A rebuild opens its own read-only connection on the thread that asks (SQLite
    connections belong to a thread), and requests keep the old view meanwhile.
    """

    def __init__(self, root: Path, series: list[str] | None = None, *, interval: float = 2.0) -> None:
        self.paths = LibraryPaths(Path(root))
        if not self.paths.db.exists():
            raise BadInput(
                f"There is no library at {self.paths.root}.",
                hint="Give the library folder with --library, or create one by adding a source.",
            )
        self.series = list(series or [])
        self.interval = interval
        self._lock = threading.Lock()
        self._built_at = 0.0
        self._stamp: tuple = ()
        self.view = self._build()

    def _build(self) -> MirrorView:
        stamp = library_stamp(self.paths)
        with open_library(self.paths.root, write=False, install_sample=False) as lib:
            view = build_view(lib, self.series)
        self._stamp = stamp
        self._built_at = time.monotonic()
        return view

    def current(self) -> MirrorView:
        if time.monotonic() - self._built_at < self.interval or library_stamp(self.paths) == self._stamp:
            return self.view
        if self._lock.acquire(blocking=False):
            try:
                self.view = self._build()
            except Exception:
                # A library caught mid-migration: keep answering from the last good view.
                self._built_at = time.monotonic()
            finally:
                self._lock.release()
        return self.view
