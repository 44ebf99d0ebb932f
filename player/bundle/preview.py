"""What a bundle holds, each catalog checked as an import would check it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from player import textutil
from player.bundle.importer import check_catalog
from player.bundle.layout import bundle_mirrors
from player.library.db import Library
from player.library.sources import key_fingerprint, list_sources


@dataclass(frozen=True)
class SourceInBundle:
    source_id: str
    title: textutil.Text
    series: list[textutil.Text]
    files: int
    bytes: int
    known: bool  # the library already follows this source
    fingerprint: str | None  # of the key its catalog was checked against; None: not checked


@dataclass
class BundlePreview:
    path: Path
    sources: list[SourceInBundle] = field(default_factory=list)

    @property
    def new_sources(self) -> list[SourceInBundle]:
        return [s for s in self.sources if not s.known]


def preview_bundle(lib: Library, path: Path) -> BundlePreview:
    """What the bundle holds, each catalog checked as the import will check it.

    A new source is checked against the key the bundle carries; the user decides whether
    to trust it. Raises the core's error for a bad signature or a symlink out of the bundle.
    """
    known = {s.id: s for s in list_sources(lib)}
    preview = BundlePreview(path)
    for item in bundle_mirrors(path):
        planned = check_catalog(item, known, None, True)
        tree = json.loads(planned.files.raw)
        titles = {s.get("id"): s.get("title") for s in tree.get("series", []) if isinstance(s, dict)}
        entry = item.entry
        held = planned.held.values()
        preview.sources.append(
            SourceInBundle(
                source_id=planned.source_id,
                title=tree.get("title") or planned.source_id,
                series=[titles.get(s) or s for s in planned.series],
                files=entry.files if entry else len(held),
                bytes=entry.bytes if entry else sum(h.size for h in held),
                known=planned.source_id in known,
                fingerprint=key_fingerprint(planned.key) if planned.key else None,
            )
        )
    return preview
