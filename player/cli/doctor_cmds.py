"""`doctor`, `progress backup` and `progress restore`: a library that heals itself."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from player.errors import EXIT_INCOMPLETE, EXIT_OK, BadInput

if TYPE_CHECKING:
    from player.library.doctor import DoctorReport, FixResult
    from player.library.paths import LibraryPaths
    from player.library.rebuild import RebuildResult


def add_parsers(sub: argparse._SubParsersAction) -> None:
    doctor = sub.add_parser(
        "doctor",
        help="check the library (database, stored files, left-over downloads); --fix repairs it",
        description="Check the library. Exit status: 0 healthy (or, with --fix, everything found was fixed); "
        "1 problems were found (or left); 2 bad usage.",
    )
    doctor.add_argument(
        "--full", action="store_true", help="SQLite's full integrity_check, and re-hash every stored file"
    )
    doctor.add_argument(
        "--fix",
        action="store_true",
        help="queue broken files for the next sync, delete orphans and stale part files, "
        "rebuild a missing or damaged database",
    )
    doctor.add_argument("--json", action="store_true", help="print one JSON object")
    doctor.set_defaults(func=run_doctor)

    # `progress` and its sub-commands are defined in progress_cmds; these two join them.
    progress = sub.choices["progress"]
    actions = next(a for a in progress._actions if isinstance(a, argparse._SubParsersAction))
    backup = actions.add_parser("backup", help="back up profiles, progress, bookmarks and kept series now")
    backup.set_defaults(func=run_backup)
    restore = actions.add_parser("restore", help="put back profiles, progress and bookmarks from a backup")
    restore.add_argument("file", metavar="FILE", help="a backup file, such as backups/progress-….db")
    restore.set_defaults(func=run_restore)


def run_doctor(args: argparse.Namespace) -> int:
    from player.library.db import open_library
    from player.library.doctor import check_library, fix_findings
    from player.library.paths import LibraryPaths, resolve_library_dir
    from player.library.rebuild import database_problem, rebuild_library

    paths = LibraryPaths(resolve_library_dir(args.library))
    if not paths.db.exists() and not _has_library_files(paths):
        raise BadInput(
            f"There is no library at {paths.root}.",
            hint="Give the library's folder with --library, or start the app to create one.",
        )
    problem = database_problem(paths.db, full=args.full)
    rebuilt: RebuildResult | None = None
    if problem and args.fix:
        rebuilt = rebuild_library(paths.root, full=args.full)
    if problem and not args.fix:
        return _print(args, None, None, None, problem)
    with open_library(paths.root, write=args.fix, install_sample=False) as lib:
        report = check_library(lib, full=args.full)
        fixed = None
        if args.fix and not report.database_problem:
            # Right after a rebuild, an orphan may be the only copy of a lecture its catalog
            # has since withdrawn (the old index kept those): it is shown, not deleted.
            fixed = fix_findings(lib, report, remove_orphans=rebuilt is None)
    return _print(args, report, fixed, rebuilt, problem)


def _has_library_files(paths: LibraryPaths) -> bool:
    """A folder with cached catalogs or stored files is a library, even without its database."""
    if not paths.root.is_dir():
        return False
    return any(paths.catalogs.glob("*.json")) or any(paths.media.glob("*/*"))


def _print(
    args: argparse.Namespace,
    report: DoctorReport | None,
    fixed: FixResult | None,
    rebuilt: RebuildResult | None,
    db_problem: str | None,
) -> int:
    from player.sizes import human_size

    findings = report.findings if report else []
    still_bad = (report is not None and report.database_problem) or (db_problem and not rebuilt)
    left = bool(still_bad) or (bool(findings) and fixed is None)
    if fixed is not None and fixed.kept_orphans:
        left = True
    if rebuilt is not None and (rebuilt.failed_sources or rebuilt.lost_locations):
        left = True
    code = EXIT_INCOMPLETE if left else EXIT_OK
    if args.json:
        out = {
            "healthy": db_problem is None and not findings,
            "check": "integrity_check" if args.full else "quick_check",
            "database_problem": db_problem,
            "problems": [
                {"kind": f.kind, "path": str(f.path), "size": f.size, "detail": f.detail, "sha256": f.sha256}
                for f in findings
            ],
            "fixed": fixed.__dict__ if fixed else None,
            "rebuilt": _rebuilt_json(rebuilt),
        }
        print(json.dumps(out, ensure_ascii=False))
        return code
    check = "integrity_check" if args.full else "quick_check"
    if db_problem:
        print(f"The library database {'was' if rebuilt else 'is'} unusable: {db_problem}.")
    else:
        print(f"Database: SQLite's {check} found no problem.")
    if rebuilt is not None:
        _print_rebuild(rebuilt)
        if report is not None and not report.database_problem:
            print(f"The new database passes SQLite's {check}.")
    elif db_problem:
        print(
            "Run `lecture-player doctor --fix` to move it aside and rebuild the library from its cached "
            "catalogs, its stored files and the latest backup."
        )
        return code
    for f in findings:
        print(f"{f.kind:10} {f.path}  ({human_size(f.size)}, {f.detail})")
    if report is not None and report.database_problem:
        print(
            f"The library database is damaged: {report.database_problem}. Run `lecture-player doctor --fix`."
        )
        return code
    if not findings:
        print("All good." if args.full else "All good (sizes checked; --full also re-hashes every file).")
        return code
    counts = _counts(findings)
    if fixed is None:
        print(
            f"Found {len(findings)} {'problem' if len(findings) == 1 else 'problems'}. `lecture-player doctor --fix` would: {counts}."
        )
        return code
    done = []
    if fixed.requeued:
        done.append(f"queued {fixed.requeued} {'file' if fixed.requeued == 1 else 'files'} for the next sync")
    if fixed.removed_orphans:
        done.append(
            f"deleted {fixed.removed_orphans} orphan {'file' if fixed.removed_orphans == 1 else 'files'}"
        )
    if fixed.removed_parts:
        done.append(
            f"deleted {fixed.removed_parts} stale part {'file' if fixed.removed_parts == 1 else 'files'}"
        )
    if done:
        print("Fixed: " + "; ".join(done) + ".")
    if fixed.requeued:
        print("Run `lecture-player sync` to fetch the queued files again.")
    if fixed.kept_orphans:
        print(
            f"Orphan files were kept: {fixed.kept_orphans}. Check them, then run "
            "`lecture-player doctor --fix` again to delete them."
        )
    return code


def _counts(findings) -> str:
    broken = sum(f.kind in ("missing", "corrupt") for f in findings)
    orphans = sum(f.kind == "orphan" for f in findings)
    parts = sum(f.kind == "stale-part" for f in findings)
    what = []
    if broken:
        what.append(
            f"queue {broken} missing or damaged {'file' if broken == 1 else 'files'} for the next sync"
        )
    if orphans:
        what.append(f"delete {orphans} orphan {'file' if orphans == 1 else 'files'}")
    if parts:
        what.append(f"delete {parts} stale part {'file' if parts == 1 else 'files'}")
    return ", ".join(what)


def _print_rebuild(r: RebuildResult) -> None:
    if r.moved_aside:
        print(f"Moved the old database aside to {r.moved_aside}.")
    print(
        f"Rebuilt the index from {len(r.sources)} cached {'catalog' if len(r.sources) == 1 else 'catalogs'} "
        f"and {r.files_found} stored {'file' if r.files_found == 1 else 'files'}; "
        f"{r.kept} kept series."
    )
    if r.backup:
        restored = _restored(r.restored)
        print(f"Restored from {r.backup}: {restored}.")
    else:
        print(
            "No backup was found: profiles and progress start empty; kept series were guessed from stored files."
        )
    for source_id, reason in r.failed_sources:
        print(f"Could not rebuild the source {source_id}: {reason}")
    for source_id in r.lost_locations:
        print(
            f"The location of the source {source_id} was in no backup; remove it and add it again with "
            "`lecture-player sources add URL_OR_PATH` to sync it."
        )


def _restored(counts: dict[str, int]) -> str:
    """'2 profiles, progress for 1 lecture, 1 bookmark' from rows per table."""
    words = {"profiles": ("profile", "profiles"), "bookmarks": ("bookmark", "bookmarks")}
    parts = []
    for table, n in counts.items():
        if table == "progress":
            parts.append(f"progress for {n} {'lecture' if n == 1 else 'lectures'}")
        else:
            one, many = words.get(table, (table, table))
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def _rebuilt_json(r: RebuildResult | None) -> dict | None:
    if r is None:
        return None
    return {
        "moved_aside": str(r.moved_aside) if r.moved_aside else None,
        "backup": str(r.backup) if r.backup else None,
        "sources": r.sources,
        "failed_sources": [{"source_id": s, "reason": why} for s, why in r.failed_sources],
        "lost_locations": r.lost_locations,
        "files_found": r.files_found,
        "kept": r.kept,
        "restored": r.restored,
    }


def run_backup(args: argparse.Namespace) -> int:
    from player.cli.library_cmds import open_from_args
    from player.library.backups import backup_progress

    with open_from_args(args, write=True) as lib:
        path = backup_progress(lib)
    print(f"Backed up profiles, progress, bookmarks and kept series to {path}.")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from player.cli.library_cmds import open_from_args
    from player.library.backups import open_backup, restore_progress

    # Checked before the library is opened: a bad file should not even take the lock.
    open_backup(Path(args.file))
    with open_from_args(args, write=True) as lib:
        result = restore_progress(lib, Path(args.file))
    counts = _restored(result.counts)
    print(f"Restored {counts} from {result.backup}.")
    if result.saved_before:
        print(f"The progress as it was before is in {result.saved_before}.", file=sys.stderr)
    return EXIT_OK
