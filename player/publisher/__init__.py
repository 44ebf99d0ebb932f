"""Publishing: build a signed mirror from a folder of videos, and verify a mirror.

`build_catalog` and `verify_mirror` are the entry points; the source folder's layout
and its `source.json` / `series.json` files are described in `player.publisher.folder`.
"""

from player.publisher.build import BuildResult, build_catalog
from player.publisher.verify import VerifyReport, check_mirror, verify_mirror

__all__ = ["BuildResult", "VerifyReport", "build_catalog", "check_mirror", "verify_mirror"]
