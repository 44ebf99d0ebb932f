"""Refresh every source's catalog before a sync."""

from __future__ import annotations

import json
from collections.abc import Iterator

from player.catalog.mirror import open_mirror
from player.errors import PlayerError
from player.library.db import Library
from player.library.importer import import_catalog
from player.library.settings import get_setting, set_setting
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
        key = f"catalog-validators:{source.id}"
        try:
            mirror = open_mirror(source.location)
            # A conditional GET: an unchanged catalog costs one small request.
            files = mirror.read_catalog(validators=json.loads(get_setting(lib, key) or "null"))
            if files.not_modified:
                yield source.id, {"version": source.version, "unchanged": True}
                continue
            result = import_catalog(lib, files, location=mirror.location)
        except PlayerError as exc:
            yield source.id, {"error": str(exc)}
            continue
        set_setting(lib, key, json.dumps(files.validators) if files.validators else None)
        info = {"version": result.version, "unchanged": result.unchanged}
        if not result.unchanged:
            info.update(added=result.added, changed=result.changed, withdrawn=result.withdrawn)
        if result.warnings:
            info["warnings"] = result.warnings
        yield source.id, info
