"""What a sync must do for the kept series, worked out before a byte is fetched.

Per series: the lectures new, changed and withdrawn since its last completed sync, and
the files to fetch (one video rendition per lecture, its subtitles and thumbnail, the
series poster). Across series: the files deduplicated by sha256, the bytes they need,
and whether that fits on the library's disk beside a reserve. A plan never deletes
anything: a withdrawn lecture keeps its files and is only reported.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field

from player import textutil
from player.errors import PlayerError
from player.library import plan_queries as q
from player.library.db import Library
from player.sizes import human_size
from player.sync import preferences
from player.sync.renditions import choose_rendition
from player.sync.select import resolve_series


class PlanTooBig(PlayerError):
    """The files a plan needs do not fit on the library's disk beside the reserve."""


@dataclass(frozen=True)
class FetchFile:
    sha256: str
    size: int
    ext: str
    sources: tuple[tuple[str, str], ...]  # (source id, href): every place the catalogs name it
    have: int = 0  # bytes already waiting in the part file from an interrupted sync

    @property
    def remaining(self) -> int:
        return self.size - self.have


@dataclass
class SeriesPlan:
    source_id: str
    series_id: str
    title: textutil.Text
    quality: int | None  # the preferred height in force; None for the default rule
    last_synced: str | None
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: int = 0
    files: list[str] = field(default_factory=list)  # sha256 of each file this series needs fetched
    fetch_bytes: int = 0  # what this series alone needs; files shared with others count here too
    # What the sync records once the series is complete, and the renditions it chose.
    snapshot: list[q.SyncedLecture] = field(default_factory=list, repr=False)
    choices: dict[int, int | None] = field(default_factory=dict, repr=False)


@dataclass
class Plan:
    series: list[SeriesPlan]
    files: list[FetchFile]  # deduplicated by sha256, in the order they should be fetched
    free_bytes: int
    reserve: int

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def fetch_bytes(self) -> int:
        """Bytes still to write: part files already on disk are not counted twice."""
        return sum(f.remaining for f in self.files)

    @property
    def available(self) -> int:
        return max(0, self.free_bytes - self.reserve)

    @property
    def fits(self) -> bool:
        return self.fetch_bytes <= self.available

    def check_fits(self) -> None:
        if not self.fits:
            raise PlanTooBig(
                f"The plan needs {human_size(self.fetch_bytes)} but only {human_size(self.available)} "
                f"is free (keeping a reserve of {human_size(self.reserve)}).",
                hint="Free some space, choose fewer series, or lower the reserve with --reserve.",
            )


def build_plan(
    lib: Library,
    series: Sequence[str] | None = None,
    *,
    source_id: str | None = None,
    reserve: int | None = None,
    free_bytes: int | None = None,
) -> Plan:
    """Plan a sync of the kept series, or of those named (`SERIES_ID` or `SOURCE_ID/SERIES_ID`).

    `reserve` defaults to the library's setting (500 MB unless changed); `free_bytes` to
    what the library's disk has free now.
    """
    wanted_keys = None
    if series:
        wanted_keys = {
            (s.source_id, s.id) for s in (resolve_series(lib, r, source_id, kept_only=True) for r in series)
        }
    present = q.present_hashes(lib)
    parts = _part_files(lib)
    files: dict[str, FetchFile] = {}
    plans = []
    source_quality: dict[str, int | None] = {}
    for kept in q.kept_series(lib):
        key = (kept.source_id, kept.id)
        if wanted_keys is not None and key not in wanted_keys:
            continue
        if source_id and kept.source_id != source_id:
            continue
        if kept.source_id not in source_quality:
            source_quality[kept.source_id] = preferences.source_quality(lib, kept.source_id)
        quality = kept.quality if kept.quality is not None else source_quality[kept.source_id]
        plan, fetch = _plan_series(lib, kept, quality, present)
        plans.append(plan)
        for sha, size, ext, origin in fetch:
            known = files.get(sha)
            if known is None:
                have = min(parts.get(f"{sha}.{ext}", 0), size)
                files[sha] = FetchFile(sha, size, ext, (origin,), have)
            elif origin not in known.sources:
                files[sha] = FetchFile(sha, size, known.ext, (*known.sources, origin), known.have)
    for plan in plans:
        plan.fetch_bytes = sum(files[sha].remaining for sha in plan.files)
    if free_bytes is None:
        free_bytes = shutil.disk_usage(lib.paths.root).free
    if reserve is None:
        reserve = preferences.reserve(lib)
    return Plan(plans, list(files.values()), free_bytes, reserve)


_Fetch = tuple[str, int, str, tuple[str, str]]  # sha256, size, ext, (source id, href)


def _plan_series(
    lib: Library, kept: q.KeptSeries, quality: int | None, present: set[str]
) -> tuple[SeriesPlan, list[_Fetch]]:
    history = q.series_history(lib, kept.source_id, kept.id)
    plan = SeriesPlan(kept.source_id, kept.id, kept.title, quality, history.synced_at)
    fetch: list[_Fetch] = []
    first_sync = history.synced_at is None

    def want(m: q.PlanMedia) -> None:
        if m.sha256 not in present:
            fetch.append((m.sha256, m.size, m.ext, (kept.source_id, m.href)))

    if not kept.withdrawn:
        for poster in q.series_posters(lib, kept.pk):
            want(poster)
    for lecture in q.series_lectures(lib, kept.pk):
        plan.snapshot.append(q.SyncedLecture(lecture.id, lecture.digest, lecture.withdrawn))
        before = history.lectures.get(lecture.id)
        if lecture.withdrawn:
            had_files = any(m.state == "present" for m in lecture.media)
            if (before is not None and not before.withdrawn) or (first_sync and had_files):
                plan.withdrawn.append(lecture.id)
            continue
        if before is None or before.withdrawn:
            plan.new.append(lecture.id)
        elif before.digest != lecture.digest:
            plan.changed.append(lecture.id)
        else:
            plan.unchanged += 1
        videos = [m for m in lecture.media if m.role == "video"]
        chosen = choose_rendition(videos, quality)
        plan.choices[lecture.pk] = chosen.pk if chosen else None
        # The video first: a learner can watch a lecture without its subtitles, not the reverse.
        for m in ([chosen] if chosen else []) + [m for m in lecture.media if m.role != "video"]:
            want(m)
    seen: set[str] = set()
    for sha, *_ in fetch:
        if sha not in seen:
            seen.add(sha)
            plan.files.append(sha)
    return plan, fetch


def _part_files(lib: Library) -> dict[str, int]:
    """Bytes already fetched per `<sha256>.<ext>`, from the part files in tmp/."""
    try:
        entries = list(lib.paths.tmp.iterdir())
    except FileNotFoundError:
        return {}
    out = {}
    for path in entries:
        if path.name.endswith(".part"):
            try:
                out[path.name[: -len(".part")]] = path.stat().st_size
            except FileNotFoundError:
                continue
    return out
