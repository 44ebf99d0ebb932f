"""What an earlier build learnt about each source file, so a rebuild need not re-read it.

An entry is trusted while the file's path, size and modification time (in ns) are
unchanged, the same test rsync and make rely on. The cache also remembers which mirror
files the builds placed, so that a file dropped from the catalog can be removed
without touching anything else in the mirror folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from player import jsondepth
from player.errors import BadInput

CACHE_NAME = ".build-cache.json"
_FORMAT = "lecture-player-build-cache/1"


class HashCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._old: dict[str, dict[str, Any]] = {}
        self.placed: list[str] = []
        try:
            data = jsondepth.loads(path.read_bytes(), str(path))
            if isinstance(data, dict) and data.get("format") == _FORMAT:
                self._old = data.get("files") or {}
                self.placed = list(data.get("placed") or [])
        except (OSError, ValueError, BadInput):
            pass  # a missing or damaged cache only costs a full rehash
        self._new: dict[str, dict[str, Any]] = {}

    def lookup(self, key: str, st: os.stat_result) -> dict[str, Any] | None:
        entry = self._old.get(key)
        if entry and entry.get("size") == st.st_size and entry.get("mtime_ns") == st.st_mtime_ns:
            return entry
        return None

    def store(self, key: str, entry: dict[str, Any]) -> None:
        self._new[key] = entry

    def save(self, placed: list[str]) -> None:
        """Write the entries stored in this build only, so files no longer used drop out."""
        data = {"format": _FORMAT, "files": self._new, "placed": sorted(placed)}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, self.path)
