"""`doctor`: find what is wrong with a library, and fix what can be fixed.

It looks at the database (SQLite's own check), the stored files against the index
(missing or damaged files, files no lecture names), and `tmp/` (part files no sync will
finish). Fixing never fetches anything: broken files are queued for the next sync, as
`verify --repair` does. A database that is missing or damaged is rebuilt (rebuild.py).
Fixing never deletes a stored file no lecture names: that is `delete_orphans`, asked for
on its own, and it spares every file a cached catalog names.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from player.library.db import Library
from player.library.paths import LibraryPaths
from player.library.rebuild import connection_problem, stored_candidates
from player.library.storecheck import mark_absent, present_files

STALE_AFTER = 24 * 3600  # seconds a part file may sit untouched before it counts as left over
_LIVE_JOBS = "SELECT sha256 FROM sync_queue WHERE state IN ('queued', 'partial')"


@dataclass(frozen=True)
class Finding:
    kind: str  # "missing", "corrupt", "orphan", "unindexed", "stale-part"
    path: Path
    size: int
    detail: str
    sha256: str | None = None


@dataclass
class DoctorReport:
    full: bool = False
    database_problem: str | None = None
    findings: list[Finding] = field(default_factory=list)
    index_empty: bool = False  # it counts no stored file: no orphan may be deleted

    @property
    def healthy(self) -> bool:
        return self.database_problem is None and not self.findings

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


@dataclass
class FixResult:
    requeued: int = 0
    removed_parts: int = 0
    kept_files: str | None = None  # why nothing was deleted


@dataclass
class OrphanResult:
    removed: int = 0
    freed_bytes: int = 0
    refused: str | None = None  # why nothing was deleted


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
    report.index_empty = index_is_empty(lib)
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
    """Files in media/ that no media row names (under that hash and extension).

    Those whose hash a cached catalog names are `unindexed`, not orphans: the files of a
    source the index lost, which only a rebuild or `sources add` gives back.
    """
    named = {f"{sha}.{ext}" for sha, ext in lib.db.execute("SELECT DISTINCT sha256, ext FROM media")}
    stored = {path for _, _, path in stored_candidates(lib.paths)}
    in_catalogs: set[str] | None = None
    found = []
    for path in sorted(p for p in lib.paths.media.glob("**/*") if p.is_file()):
        if path in stored and path.name in named:
            continue
        if in_catalogs is None:
            in_catalogs = catalog_hashes(lib.paths)
        size, sha = path.stat().st_size, _hash_of(path)
        if sha in in_catalogs:
            found.append(
                Finding("unindexed", path, size, "a cached catalog names it, the index does not", sha)
            )
        elif path in stored:
            found.append(Finding("orphan", path, size, "no lecture names it", sha))
        else:
            found.append(Finding("orphan", path, size, "not a stored file's name"))
    return found


def _hash_of(path: Path) -> str:
    return path.name.partition(".")[0].lower()


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


def fix_findings(lib: Library, report: DoctorReport, *, rebuilt: bool = False) -> FixResult:
    """Queue broken files for the next sync, delete stale parts and damaged copies.

    Orphans are never deleted here (see `delete_orphans`). Right after a rebuild, or while
    the index counts no stored file, nothing at all is deleted: the index may not yet know
    everything the folder holds.
    """
    from player.sync.queue import requeue

    lib.require_writable()
    result = FixResult()
    if rebuilt:
        result.kept_files = "the index was just rebuilt"
    elif index_is_empty(lib):
        result.kept_files = "the index counts no stored file"
    deleting = result.kept_files is None
    broken = report.of_kind("missing") + report.of_kind("corrupt")
    if broken:
        hashes = list(dict.fromkeys(f.sha256 for f in broken if f.sha256))
        with lib.db.atomic():
            mark_absent(lib, hashes)
            result.requeued = requeue(lib, hashes)
        # A damaged copy of the right size would otherwise pass for the real file.
        for f in report.of_kind("corrupt") if deleting else []:
            f.path.unlink(missing_ok=True)
    parts = report.of_kind("stale-part") if deleting else []
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


def delete_orphans(lib: Library, report: DoctorReport) -> OrphanResult:
    """Delete the orphans the report found: the explicit step, never part of `--fix`.

    Refused while the index counts no stored file (every file would look orphaned). Files
    a cached catalog names are never orphans (`unindexed` findings), so never deleted.
    """
    lib.require_writable()
    if report.database_problem:
        return OrphanResult(refused="the library database is unusable")
    if index_is_empty(lib):
        return OrphanResult(refused="the index counts no stored file, so every file would look orphaned")
    result = OrphanResult()
    named = catalog_hashes(lib.paths)
    for f in report.of_kind("orphan"):
        if _hash_of(f.path) in named:
            continue  # looked again: a catalog cached since the check may name it
        try:
            size = f.path.stat().st_size
            f.path.unlink()
        except FileNotFoundError:
            continue
        result.removed += 1
        result.freed_bytes += size
    return result


def index_is_empty(lib: Library) -> bool:
    """Whether the index counts no stored file: new, or lost and started again empty."""
    return lib.db.execute("SELECT 1 FROM media WHERE state = 'present' LIMIT 1").fetchone() is None


_SHA256 = re.compile(rb'"([0-9a-fA-F]{64})"')


def catalog_hashes(paths: LibraryPaths) -> set[str]:
    """Every sha256 the cached catalogs under catalogs/ name, whether or not the index took
    them in (a catalog the rebuild could not import still protects its files).

    Read as text rather than parsed: a catalog that no longer passes every check must
    still protect its files, and any 64-hex-digit string counts (erring towards keeping).
    """
    found: set[str] = set()
    for cached in paths.catalogs.glob("*.json"):
        try:
            raw = cached.read_bytes()
        except OSError:
            continue
        found.update(m.decode().lower() for m in _SHA256.findall(raw))
    return found
