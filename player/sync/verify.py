"""Checking the store against the database: every present file re-hashed.

Repair does not fetch anything: it records the bad files as absent, removes the
damaged copies (the store would otherwise take a same-sized file as good) and queues
them, so the next sync fetches them again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from player.library.db import Library
from player.library.storecheck import FileUser, StoredFile, mark_absent, present_files
from player.sync.queue import requeue


@dataclass(frozen=True)
class Problem:
    kind: str  # "missing" or "corrupt"
    sha256: str
    path: Path
    users: list[FileUser]


@dataclass
class VerifyReport:
    checked: int = 0
    checked_bytes: int = 0
    problems: list[Problem] = field(default_factory=list)
    requeued: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _check(lib: Library, stored: StoredFile) -> tuple[str | None, list[Path]]:
    """(problem kind or None, the damaged copies)."""
    paths = [lib.paths.media_file(stored.sha256, ext) for ext in stored.exts]
    existing = [p for p in paths if p.is_file()]
    if not existing:
        return "missing", []
    bad = [p for p in existing if p.stat().st_size != stored.size or file_sha256(p) != stored.sha256]
    return ("corrupt", bad) if bad else (None, [])


def verify_store(
    lib: Library, *, repair: bool = False, progress: Callable[[int, int], None] | None = None
) -> VerifyReport:
    """Re-hash every file the library says it has; with `repair`, queue the bad ones again.
    `progress(done, total)` is called after each file."""
    report = VerifyReport()
    files = present_files(lib)
    damaged: list[Path] = []
    for i, stored in enumerate(files, start=1):
        kind, bad = _check(lib, stored)
        report.checked += 1
        report.checked_bytes += stored.size
        if kind is not None:
            path = bad[0] if bad else lib.paths.media_file(stored.sha256, stored.exts[0])
            report.problems.append(Problem(kind, stored.sha256, path, stored.users))
            damaged.extend(bad)
        if progress:
            progress(i, len(files))
    if repair and report.problems:
        lib.require_writable()
        hashes = [p.sha256 for p in report.problems]
        with lib.db.atomic():
            mark_absent(lib, hashes)
            report.requeued = requeue(lib, hashes)
        for path in damaged:
            path.unlink(missing_ok=True)
    return report
