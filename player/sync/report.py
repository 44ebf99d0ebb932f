"""A plan for people (`format_plan`) and for programs (`plan_to_json`)."""

from __future__ import annotations

from typing import Any

from player import textutil
from player.sizes import human_size
from player.sync.plan import Plan


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_plan(plan: Plan) -> str:
    lines = []
    for s in plan.series:
        quality = f"{s.quality}p" if s.quality else "default quality"
        since = f"since {s.last_synced}" if s.last_synced else "never synced"
        lines.append(f"{s.source_id}/{s.series_id}  {textutil.pick(s.title)}  ({quality}, {since})")
        lines.append(
            f"    {len(s.new)} new, {len(s.changed)} changed, {len(s.withdrawn)} withdrawn lectures; "
            f"{_count(len(s.files), 'file')}, {human_size(s.fetch_bytes)} to fetch"
        )
        if s.withdrawn:
            lines.append(f"    withdrawn from the catalog, files kept: {', '.join(s.withdrawn)}")
    if not plan.series:
        lines.append("No series is kept offline. Keep one with `lecture-player keep SERIES_ID`.")
    resumed = (
        f" ({human_size(plan.total_bytes - plan.fetch_bytes)} already fetched)"
        if plan.fetch_bytes != plan.total_bytes
        else ""
    )
    lines.append(
        f"Total: {_count(len(plan.files), 'file')}, {human_size(plan.fetch_bytes)} to fetch{resumed}; "
        f"{human_size(plan.free_bytes)} free, keeping a reserve of {human_size(plan.reserve)}."
    )
    if not plan.fits:
        lines.append(f"This does not fit: only {human_size(plan.available)} can be used.")
    return "\n".join(lines)


def plan_to_json(plan: Plan) -> dict[str, Any]:
    return {
        "series": [
            {
                "source_id": s.source_id,
                "series_id": s.series_id,
                "title": s.title,
                "quality": s.quality,
                "last_synced": s.last_synced,
                "new": s.new,
                "changed": s.changed,
                "withdrawn": s.withdrawn,
                "unchanged": s.unchanged,
                "files": len(s.files),
                "fetch_bytes": s.fetch_bytes,
            }
            for s in plan.series
        ],
        "files": [
            {
                "sha256": f.sha256,
                "size": f.size,
                "ext": f.ext,
                "have": f.have,
                "sources": [{"source_id": src, "href": href} for src, href in f.sources],
            }
            for f in plan.files
        ],
        "total_bytes": plan.total_bytes,
        "fetch_bytes": plan.fetch_bytes,
        "free_bytes": plan.free_bytes,
        "reserve": plan.reserve,
        "available": plan.available,
        "fits": plan.fits,
    }
