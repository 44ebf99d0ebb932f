"""Keeping a series offline or not, as one step: what `keep`/`unkeep` do, for the app too."""

from __future__ import annotations

from dataclasses import dataclass

from player.library import queries
from player.library.db import Library
from player.library.kept import keep_series
from player.library.plan_queries import kept_series
from player.library.sizes import set_wanted_renditions
from player.sync.plan import build_plan
from player.sync.release import release_series


@dataclass(frozen=True)
class KeptTotals:
    series: int
    total_size: int  # bytes the kept series take once stored
    present_size: int  # bytes of them already on this computer


def set_kept(lib: Library, source_id: str, series_id: str, keep: bool) -> None:
    """Keep (at its earlier quality, if any) or stop keeping one series; files stay either way."""
    if not keep:
        release_series(lib, source_id, series_id)
        return
    before = {(k.source_id, k.id): k.quality for k in kept_series(lib)}
    with lib.db.atomic():
        keep_series(lib, source_id, series_id, quality=before.get((source_id, series_id)))
        plan = build_plan(lib, [f"{source_id}/{series_id}"], free_bytes=0)
        choices: dict[int, int | None] = {}
        for series in plan.series:
            choices.update(series.choices)
        # So the sizes shown are those of the renditions a sync will fetch.
        set_wanted_renditions(lib, choices)


def kept_totals(lib: Library) -> KeptTotals:
    kept = [s for s in queries.list_series(lib, include_withdrawn=True) if s.kept]
    return KeptTotals(len(kept), sum(s.total_size for s in kept), sum(s.present_size for s in kept))
