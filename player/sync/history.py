"""Recording a completed sync, so the next plan can tell what changed since."""

from __future__ import annotations

from player.library import plan_queries as q
from player.library.db import Library
from player.sync.plan import Plan


def finish_sync(lib: Library, plan: Plan) -> list[tuple[str, str]]:
    """Record each series of `plan` whose files are now all stored; return those recorded.

    A series with a file still missing stays as it was, so its next plan still reports
    its lectures as new or changed.
    """
    missing = q.missing_hashes(lib, (f.sha256 for f in plan.files))
    done = []
    for series in plan.series:
        if missing.isdisjoint(series.files):
            q.record_synced(lib, series.source_id, series.series_id, series.snapshot)
            done.append((series.source_id, series.series_id))
    return done
