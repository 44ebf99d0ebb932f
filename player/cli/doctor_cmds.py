"""`doctor`, `progress backup` and `progress restore`: a library that heals itself."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from player.errors import EXIT_INCOMPLETE, EXIT_OK, BadInput

if TYPE_CHECKING:
    from player.library.doctor import DoctorReport, FixResult, OrphanResult
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
        help="queue broken files for the next sync, delete stale part files, rebuild a missing or "
        "damaged database; never deletes orphans",
    )
    doctor.add_argument(
        "--delete-orphans",
        action="store_true",
        help="delete the files in media/ that no lecture and no cached catalog names, and say the "
        "space freed",
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
    from player.library.doctor import OrphanResult, check_library, delete_orphans, fix_findings
    from player.library.paths import LibraryPaths, resolve_library_dir
    from player.library.rebuild import database_problem, rebuild_library

    paths = LibraryPaths(resolve_library_dir(args.library))
    if not paths.db.exists() and not paths.holds_library_files():
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
    writing = args.fix or args.delete_orphans
    with open_library(paths.root, write=writing, install_sample=False) as lib:
        report = check_library(lib, full=args.full)
        fixed = orphans = None
        if args.fix and not report.database_problem:
            fixed = fix_findings(lib, report, rebuilt=rebuilt is not None)
        if args.delete_orphans:
            if rebuilt is not None:
                # An orphan may be the only copy of a lecture its catalog has since withdrawn
                # (the old index kept those): it is shown, and deleted only when asked again.
                orphans = OrphanResult(refused="the index was just rebuilt")
            else:
                orphans = delete_orphans(lib, report)
    return _print(args, report, fixed, rebuilt, problem, orphans)


def _print(
    args: argparse.Namespace,
    report: DoctorReport | None,
    fixed: FixResult | None,
    rebuilt: RebuildResult | None,
    db_problem: str | None,
    orphans: OrphanResult | None = None,
) -> int:
    from player.sizes import human_size

    findings = report.findings if report else []
    still_bad = (report is not None and report.database_problem) or (db_problem and not rebuilt)
    ran = fixed is not None or orphans is not None
    left = bool(still_bad) or (bool(findings) and not ran) or bool(_left(findings, fixed, orphans))
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
            "orphans_deleted": orphans.__dict__ if orphans else None,
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
            "catalogs, its stored files and the latest backup. Nothing was deleted."
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
    if fixed is None and orphans is None:
        print(
            f"Found {_plural(len(findings), 'problem')}. {_would(findings, empty_index=report.index_empty)}"
        )
        return code
    done = []
    if fixed is not None and fixed.requeued:
        done.append(f"queued {_plural(fixed.requeued, 'file')} for the next sync")
    if fixed is not None and fixed.removed_parts:
        done.append(f"deleted {_plural(fixed.removed_parts, 'stale part file')}")
    if orphans is not None and orphans.removed:
        done.append(
            f"deleted {_plural(orphans.removed, 'orphan file')}, freeing {human_size(orphans.freed_bytes)} "
            f"({orphans.freed_bytes:,} bytes)"
        )
    if done:
        print("Fixed: " + "; ".join(done) + ".")
    if fixed is not None and fixed.requeued:
        print("Run `lecture-player sync` to fetch the queued files again.")
    if fixed is not None and fixed.kept_files:
        print(f"Nothing was deleted: {fixed.kept_files}. Run `lecture-player doctor --fix` again later.")
    if orphans is not None and orphans.refused:
        print(f"No orphan file was deleted: {orphans.refused}.")
    for line in _left(findings, fixed, orphans):
        print(line)
    return code


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _would(findings: list, *, empty_index: bool = False) -> str:
    """What each step would do with what was found."""
    from player.sizes import human_size

    broken = sum(f.kind in ("missing", "corrupt") for f in findings)
    parts = sum(f.kind == "stale-part" for f in findings)
    orphans = [] if empty_index else [f for f in findings if f.kind == "orphan"]
    what = []
    if broken:
        what.append(f"queue {_plural(broken, 'missing or damaged file')} for the next sync")
    if parts:
        what.append(f"delete {_plural(parts, 'stale part file')}")
    out = f"`lecture-player doctor --fix` would: {', '.join(what)}." if what else ""
    if orphans:
        size = sum(f.size for f in orphans)
        out += (
            f"{' ' if out else ''}`lecture-player doctor --delete-orphans` would delete "
            f"{_plural(len(orphans), 'orphan file')} and free {human_size(size)}."
        )
    notes = (out, _unindexed_note(findings), _EMPTY_INDEX if empty_index and _any_orphan(findings) else "")
    return " ".join(part for part in notes if part)


_EMPTY_INDEX = (
    "The index counts no stored file, so `lecture-player doctor --delete-orphans` deletes no orphan: "
    "every file would look like one."
)


def _any_orphan(findings: list) -> bool:
    return any(f.kind == "orphan" for f in findings)


def _unindexed_note(findings: list) -> str:
    n = sum(f.kind == "unindexed" for f in findings)
    if not n:
        return ""
    return (
        f"{_plural(n, 'stored file')} named by a cached catalog but not by the index will never be "
        "deleted; add their source again with `lecture-player sources add`."
    )


def _left(findings: list, fixed: FixResult | None, orphans: OrphanResult | None) -> list[str]:
    """What the steps that ran left to do, one line each (nothing when all was done)."""
    from player.sizes import human_size

    if fixed is None and orphans is None:
        return []
    lines = []
    if fixed is None and any(f.kind in ("missing", "corrupt", "stale-part") for f in findings):
        lines.append("Run `lecture-player doctor --fix` to repair the rest.")
    if fixed is not None and fixed.kept_files and any(f.kind == "stale-part" for f in findings):
        lines.append("Stale part files were kept.")
    left_orphans = [f for f in findings if f.kind == "orphan"]
    if left_orphans and (orphans is None or orphans.refused):
        size = sum(f.size for f in left_orphans)
        lines.append(
            f"{_plural(len(left_orphans), 'orphan file')} ({human_size(size)}) "
            f"{'was' if len(left_orphans) == 1 else 'were'} kept; check them, then "
            "`lecture-player doctor --delete-orphans` deletes them."
        )
    if any(f.kind == "unindexed" for f in findings):
        lines.append(_unindexed_note(findings))
    return lines


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
            f"The location of the source {source_id} was in no backup; add it again with "
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
