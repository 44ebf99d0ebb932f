"""`doctor`: find what is wrong with a library, and fix what can be fixed.

It looks at the database (SQLite's own check), the stored files against the index
(missing or damaged files, files no lecture names), and `tmp/` (part files no sync will
finish). Fixing never fetches anything: broken files are queued for the next sync, as
`verify --repair` does. A database that is missing or damaged is rebuilt (rebuild.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from player.library.db import Library
from player.library.rebuild import connection_problem, stored_candidates
from player.library.storecheck import mark_absent, present_files

STALE_AFTER = 24 * 3600  # seconds a part file may sit untouched before it counts as left over
_LIVE_JOBS = "SELECT sha256 FROM sync_queue WHERE state IN ('queued', 'partial')"


@dataclass(frozen=True)
class Finding:
    kind: str  # "missing", "corrupt", "orphan", "stale-part"
    path: Path
    size: int
    detail: str
    sha256: str | None = None


@dataclass
class DoctorReport:
    full: bool = False
    database_problem: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return self.database_problem is None and not self.findings

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


@dataclass
class FixResult:
    requeued: int = 0
    removed_orphans: int = 0
    removed_parts: int = 0
    kept_orphans: str | None = None  # why orphans were left alone


@dataclass(frozen=True)
class QuickReport:
    database_problem: str | None
    stale_parts: int

    @property
    def healthy(self) -> bool:
        return self.database_problem is None and not self.stale_parts


def quick_doctor(lib: Library, *, now: float | None = None) -> QuickReport:
    """The cheap checks for start-up: SQLite's quick_check and the left-over part files."""
    problem = connection_problem(lib)
    parts = 0 if problem else len(stale_parts(lib, now=now))
    return QuickReport(problem, parts)


def check_library(lib: Library, *, full: bool = False, now: float | None = None) -> DoctorReport:
    """Every check; `full` runs integrity_check and re-hashes stored files."""
    report = DoctorReport(full=full, database_problem=connection_problem(lib, full=full))
    if report.database_problem:
        return report
    report.findings += broken_files(lib, full=full)
    report.findings += orphan_files(lib)
    report.findings += stale_parts(lib, now=now)
    return report


def broken_files(lib: Library, *, full: bool = False) -> list[Finding]:
    """Files the index records as stored that are missing, or damaged: a wrong size, or
    with `full` a wrong sha256."""
    from player.sync.verify import file_sha256

    found = []
    for stored in present_files(lib):
        paths = [lib.paths.media_file(stored.sha256, ext) for ext in stored.exts]
        existing = [p for p in paths if p.is_file()]
        if not existing:
            found.append(Finding("missing", paths[0], stored.size, "missing", stored.sha256))
            continue
        for path in existing:
            size = path.stat().st_size
            if size != stored.size:
                detail = f"{size:,} bytes instead of {stored.size:,}"
            elif full and file_sha256(path) != stored.sha256:
                detail = "its sha256 does not match"
            else:
                continue
            found.append(Finding("corrupt", path, size, detail, stored.sha256))
    return found


def orphan_files(lib: Library) -> list[Finding]:
    """Files in media/ that no media row names (under that hash and extension)."""
    named = {f"{sha}.{ext}" for sha, ext in lib.db.execute("SELECT DISTINCT sha256, ext FROM media")}
    stored = {path for _, _, path in stored_candidates(lib.paths)}
    found = []
    for path in sorted(p for p in lib.paths.media.glob("**/*") if p.is_file()):
        if path in stored and path.name in named:
            continue
        detail = "no lecture names it" if path in stored else "not a stored file's name"
        found.append(Finding("orphan", path, path.stat().st_size, detail))
    return found


def stale_parts(lib: Library, *, now: float | None = None) -> list[Finding]:
    """Files in tmp/ that no queued sync job will finish, or untouched for over a day."""
    now = time.time() if now is None else now
    try:
        entries = [p for p in lib.paths.tmp.iterdir() if p.is_file()]
    except FileNotFoundError:
        return []
    live = {r[0] for r in lib.db.execute(_LIVE_JOBS)}
    stats = {path: path.stat() for path in entries}
    # A part file and its .meta note are judged together, by the newest of them: the note
    # is written once when a download starts, and must not go while its bytes still grow.
    touched: dict[str, float] = {}
    for path, stat in stats.items():
        sha = path.name.partition(".")[0]
        touched[sha] = max(touched.get(sha, 0.0), stat.st_mtime)
    found = []
    for path in sorted(entries):
        sha = path.name.partition(".")[0]
        idle = now - touched[sha]
        if sha not in live:
            detail = "no sync job needs it"
        elif idle > STALE_AFTER:
            detail = f"untouched for {int(idle // 3600)} hours"
        else:
            continue
        found.append(
            Finding("stale-part", path, stats[path].st_size, detail, sha if len(sha) == 64 else None)
        )
    return found


def fix_findings(lib: Library, report: DoctorReport, *, remove_orphans: bool = True) -> FixResult:
    """Queue broken files for the next sync, delete orphans and stale parts."""
    from player.sync.queue import requeue

    lib.require_writable()
    result = FixResult()
    broken = report.of_kind("missing") + report.of_kind("corrupt")
    if broken:
        hashes = list(dict.fromkeys(f.sha256 for f in broken if f.sha256))
        with lib.db.atomic():
            mark_absent(lib, hashes)
            result.requeued = requeue(lib, hashes)
        # A damaged copy of the right size would otherwise pass for the real file.
        for f in report.of_kind("corrupt"):
            f.path.unlink(missing_ok=True)
    if remove_orphans:
        for f in report.of_kind("orphan"):
            f.path.unlink(missing_ok=True)
            result.removed_orphans += 1
    elif report.of_kind("orphan"):
        result.kept_orphans = (
            "the index was just rebuilt, and they may be lectures withdrawn from their catalogs "
            "or files of a source that could not be rebuilt"
        )
    parts = report.of_kind("stale-part")
    for f in parts:
        f.path.unlink(missing_ok=True)
        result.removed_parts += 1
    # A job whose bytes were thrown away starts again from nothing.
    hashes = [(f.sha256,) for f in parts if f.sha256]
    if hashes:
        with lib.db.atomic():
            lib.db.conn.executemany(
                "UPDATE sync_queue SET state = 'queued' WHERE sha256 = ? AND state = 'partial'", hashes
            )
            lib.db.conn.executemany(
                "UPDATE media SET state = 'queued' WHERE sha256 = ? AND state = 'partial'", hashes
            )
    return result
