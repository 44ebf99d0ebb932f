"""Refresh every source's catalog before a sync."""

from __future__ import annotations

from collections.abc import Iterator

from player.catalog.mirror import open_mirror
from player.errors import PlayerError
from player.library.db import Library
from player.library.importer import import_catalog
from player.library.sources import list_sources


def refresh_sources(lib: Library) -> Iterator[tuple[str, dict]]:
    """Fetch and import each source's catalog; yield (source_id, what happened).

    A source that cannot be reached or whose catalog is refused is reported and skipped:
    the sync goes on with the catalog the library already has. The built-in sample has
    nothing to refresh.
    """
    for source in list_sources(lib):
        if source.builtin:
            continue
        try:
            mirror = open_mirror(source.location)
            result = import_catalog(lib, mirror.read_catalog(), location=mirror.location)
        except PlayerError as exc:
            yield source.id, {"error": str(exc)}
            continue
        info = {"version": result.version, "unchanged": result.unchanged}
        if not result.unchanged:
            info.update(added=result.added, changed=result.changed, withdrawn=result.withdrawn)
        if result.warnings:
            info["warnings"] = result.warnings
        yield source.id, info
