"""The built-in sample library: imported on first start, with no network."""

from __future__ import annotations

import logging

from player.catalog.mirror import LocalMirror
from player.catalog.signing import parse_public_key
from player.errors import PlayerError
from player.library.db import Library
from player.library.importer import ImportResult, import_catalog
from player.library.kept import keep_all_series
from player.library.materialize import copy_kept_media
from player.resources import resource_path

log = logging.getLogger(__name__)

SAMPLE_LOCATION = "builtin:sample"


def sample_mirror() -> LocalMirror:
    return LocalMirror(resource_path("sample"))


def install_sample(lib: Library) -> ImportResult | None:
    """Add the sample as a source, keep its series, and copy its media into the store."""
    try:
        mirror = sample_mirror()
        key = parse_public_key(resource_path("sample.pub").read_text())
        result = import_catalog(
            lib, mirror.read_catalog(), location=SAMPLE_LOCATION, pubkey=key, builtin=True
        )
        keep_all_series(lib, result.source_id)
        copy_kept_media(lib, mirror, result.source_id)
        return result
    except (PlayerError, OSError) as exc:
        # A broken install must not stop the app from opening the user's library.
        log.warning("The sample library could not be installed: %s", exc)
        return None
