"""The persistent sync queue: the files a sync must fetch, kept in the library.

A sync enqueues its plan, then takes batches, fetches them into `tmp/<sha256>.<ext>.part`
and marks them done. Whatever stops it, the next run finds the same queue and the part
files, and resumes from the bytes on disk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from player.catalog.mirror import Mirror, open_mirror
from player.errors import PlayerError
from player.library import queue_store as store
from player.library.db import Library
from player.library.materialize import mark_present
from player.library.plan_queries import record_planned
from player.library.queue_store import Candidate, QueueEntry
from player.library.sizes import recompute_sizes_for_hashes, set_wanted_renditions
from player.sync.plan import Plan


@dataclass(frozen=True)
class Job:
    """One file to fetch, and how much of it is already on disk."""

    sha256: str
    size: int
    ext: str
    candidates: list[Candidate]
    state: str
    attempts: int
    part: Path  # where the bytes go until the hash matches
    have: int  # bytes already in `part`: resume from here


def part_path(lib: Library, sha256: str, ext: str) -> Path:
    return lib.paths.tmp / f"{sha256}.{ext}.part"


class _Locations:
    """Resolves (source, href) to a path or URL, opening each source's mirror once."""

    def __init__(self, lib: Library) -> None:
        from player.share.fallback import source_fallback

        self._where = store.source_locations(lib)
        self._mirrors: dict[str, Mirror | None] = {}
        # A source's fallback (say the publisher, behind a share on the LAN) is tried second.
        self._fallbacks = {s: source_fallback(lib, s) for s in self._where}
        self._fallback_mirrors: dict[str, Mirror | None] = {}

    def _mirror(self, source_id: str) -> Mirror | None:
        if source_id not in self._mirrors:
            self._mirrors[source_id] = _open(self._where.get(source_id))
        return self._mirrors[source_id]

    def candidate(self, source_id: str, href: str) -> Candidate:
        mirror = self._mirror(source_id)
        location = None
        if mirror is not None:
            try:
                location = mirror.resolve(href)
            except PlayerError:
                location = None  # e.g. a symlink out of a local mirror: never fetch through it
        return Candidate(source_id, href, location)

    def candidates(self, source_id: str, href: str) -> list[Candidate]:
        """The source's own place for the file, then its fallback's, if it has one."""
        found = [self.candidate(source_id, href)]
        fallback = self._fallbacks.get(source_id)
        if fallback:
            if source_id not in self._fallback_mirrors:
                self._fallback_mirrors[source_id] = _open(fallback)
            mirror = self._fallback_mirrors[source_id]
            try:
                location = mirror.resolve(href) if mirror is not None else None
            except PlayerError:
                location = None
            found.append(Candidate(source_id, href, location))
        return found


def _open(location: str | None) -> Mirror | None:
    if location is None:
        return None
    from player.sample import SAMPLE_LOCATION, sample_mirror

    try:
        return sample_mirror() if location == SAMPLE_LOCATION else open_mirror(location)
    except PlayerError:
        # A USB drive that is not plugged in now may be later; the href stays in the queue.
        return None


def enqueue(lib: Library, plan: Plan) -> int:
    """Queue the plan's files, remember the renditions it chose; return how many are queued."""
    lib.require_writable()
    where = _Locations(lib)
    entries = [
        store.NewEntry(
            f.sha256, f.size, f.ext, [c for src, href in f.sources for c in where.candidates(src, href)]
        )
        for f in plan.files
    ]
    choices: dict[int, int | None] = {}
    for series in plan.series:
        choices.update(series.choices)
    with lib.db.atomic():
        store.add_entries(lib, entries)
        set_wanted_renditions(lib, choices)
        record_planned(lib, [(s.source_id, s.series_id) for s in plan.series])
    return len(entries)


def requeue(lib: Library, hashes: Iterable[str]) -> int:
    """Queue files again from wherever the catalogs name them (after a failed check)."""
    where = _Locations(lib)
    found: dict[str, store.NewEntry] = {}
    for row in store.hash_sources(lib, hashes):
        entry = found.setdefault(row.sha256, store.NewEntry(row.sha256, row.size, row.ext, []))
        entry.candidates.extend(where.candidates(row.source_id, row.href))
    store.add_entries(lib, list(found.values()))
    return len(found)


def resolve_candidates(lib: Library, candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates resolved again now: a mirror may have moved, or a drive come back,
    since the file was queued."""
    where = _Locations(lib)
    places = dict.fromkeys((c.source_id, c.href) for c in candidates)
    return [c for source_id, href in places for c in where.candidates(source_id, href)]


def next_batch(lib: Library, n: int) -> list[Job]:
    """Up to `n` files to fetch next, partly fetched ones first. Failed files wait for the
    next `enqueue`, so one run never loops on a file that keeps failing."""
    jobs = []
    for e in store.next_entries(lib, n):
        part = part_path(lib, e.sha256, e.ext)
        try:
            have = min(part.stat().st_size, e.size)
        except FileNotFoundError:
            have = 0
        jobs.append(Job(e.sha256, e.size, e.ext, e.candidates, e.state, e.attempts, part, have))
    return jobs


def mark_partial(lib: Library, sha256: str) -> None:
    store.set_partial(lib, sha256)


def mark_done(lib: Library, sha256: str, path: Path) -> None:
    mark_done_many(lib, [(sha256, path)])


def mark_done_many(lib: Library, done: Iterable[tuple[str, Path]]) -> None:
    """Record files that are in the store, all in one commit: a commit per file costs an
    fsync each, which dominates when thousands of small subtitles arrive."""
    lib.require_writable()
    done = list(done)
    with lib.db.atomic():
        for sha256, path in done:
            mark_present(lib, sha256, path)
        hashes = [sha for sha, _ in done]
        store.set_done(lib, hashes)
        # mark_present counts the catalog's first rendition; count the chosen one instead.
        recompute_sizes_for_hashes(lib, hashes)


def mark_failed(lib: Library, sha256: str, reason: str) -> None:
    store.set_failed(lib, sha256, reason)


def pending(lib: Library) -> list[QueueEntry]:
    """Files not fetched yet: queued, partly fetched, or failed."""
    return store.pending_entries(lib)


def forget_unkept(lib: Library) -> list[str]:
    """Drop the queued files no kept series needs any more (after `unkeep`)."""
    return store.drop_unkept(lib)
