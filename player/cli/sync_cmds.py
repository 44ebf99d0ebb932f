"""`keep`, `unkeep` and `verify`: choosing what the library keeps offline, and checking it.

Also the pieces the `sync` command shares: `--reserve` and printing a plan (its dry run).
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from player import textutil
from player.cli.library_cmds import open_from_args
from player.errors import EXIT_INCOMPLETE, EXIT_OK, BadInput

if TYPE_CHECKING:
    from player.library.db import Library
    from player.sync.plan import Plan


def _height(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a video height; give pixels, such as 360")
    return int(text)


def _size(text: str) -> int:
    from player.sizes import parse_size

    try:
        return parse_size(text)
    except BadInput as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_parsers(sub: argparse._SubParsersAction) -> None:
    keep = sub.add_parser("keep", help="keep series offline: the next sync fetches them")
    keep.add_argument("series", nargs="+", metavar="SERIES_ID", help="a series id, or SOURCE_ID/SERIES_ID")
    keep.add_argument("--source", metavar="SOURCE_ID", help="the source, when the id is in several")
    keep.add_argument(
        "--quality",
        type=_height,
        metavar="HEIGHT",
        help="preferred video height, at most this (default: the smallest at or above 480)",
    )
    keep.set_defaults(func=run_keep)

    unkeep = sub.add_parser("unkeep", help="stop keeping a series offline")
    unkeep.add_argument("series", metavar="SERIES_ID", help="a series id, or SOURCE_ID/SERIES_ID")
    unkeep.add_argument("--source", metavar="SOURCE_ID", help="the source, when the id is in several")
    unkeep.add_argument(
        "--delete-files",
        action="store_true",
        help="also delete its files that no other kept series uses (progress stays)",
    )
    unkeep.set_defaults(func=run_unkeep)

    verify = sub.add_parser("verify", help="re-hash every stored file; report missing or damaged ones")
    verify.add_argument(
        "--repair", action="store_true", help="mark bad files absent and queue them for the next sync"
    )
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    verify.set_defaults(func=run_verify)


def add_plan_options(parser: argparse.ArgumentParser) -> None:
    """The options a command that plans a sync takes (for `sync`)."""
    parser.add_argument(
        "--reserve",
        type=_size,
        metavar="SIZE",
        help="space to leave free on the library's disk, such as 500MB or 2GB (default: the library's setting, else 500MB)",
    )


def plan_from_args(lib: Library, args: argparse.Namespace, series: list[str] | None = None) -> Plan:
    from player.sync.plan import build_plan

    return build_plan(
        lib, series or None, source_id=getattr(args, "source", None), reserve=getattr(args, "reserve", None)
    )


def print_plan(plan: Plan, *, as_json: bool = False) -> None:
    """Print a plan, as a dry run shows it."""
    from player.sync.report import format_plan, plan_to_json

    if as_json:
        print(json.dumps(plan_to_json(plan), ensure_ascii=False))
    else:
        print(format_plan(plan))


def run_keep(args: argparse.Namespace) -> int:
    from player.library.kept import keep_series
    from player.library.plan_queries import kept_series
    from player.library.sizes import set_wanted_renditions
    from player.sizes import human_size
    from player.sync.plan import build_plan
    from player.sync.select import resolve_series

    with open_from_args(args, write=True) as lib:
        # Every name is checked before anything changes: one bad name keeps nothing.
        chosen = [resolve_series(lib, ref, args.source) for ref in args.series]
        before = {(k.source_id, k.id): k.quality for k in kept_series(lib)}
        keys = list(dict.fromkeys((s.source_id, s.id) for s in chosen))
        with lib.db.atomic():
            for key in keys:
                quality = args.quality if args.quality is not None else before.get(key)
                keep_series(lib, *key, quality=quality)
            plan = build_plan(lib, [f"{src}/{sid}" for src, sid in keys], free_bytes=0)
            choices: dict[int, int | None] = {}
            for series in plan.series:
                choices.update(series.choices)
            # So `series list` shows what keeping takes at the chosen quality.
            set_wanted_renditions(lib, choices)
    for s in plan.series:
        quality = f"at most {s.quality}p" if s.quality else "default quality"
        print(
            f"Keeping {s.source_id}/{s.series_id} ({textutil.pick(s.title)}, {quality}): "
            f"{len(s.files)} {'file' if len(s.files) == 1 else 'files'}, "
            f"{human_size(s.fetch_bytes)} to fetch at the next sync."
        )
    return EXIT_OK


def run_unkeep(args: argparse.Namespace) -> int:
    from player.sizes import human_size
    from player.sync.release import release_series
    from player.sync.select import AmbiguousSeries, resolve_series

    with open_from_args(args, write=True) as lib:
        try:
            series = resolve_series(lib, args.series, args.source, kept_only=True)
        except AmbiguousSeries:
            raise
        except BadInput:
            if not args.delete_files:
                raise
            # Freeing the files of a series unkept earlier is still useful.
            series = resolve_series(lib, args.series, args.source)
        released = release_series(lib, series.source_id, series.id, delete_files=args.delete_files)
    name = f"{series.source_id}/{series.id}"
    print(f"No longer keeping {name}.")
    if args.delete_files:
        print(f"Deleted {released.files_deleted} files, freed {human_size(released.bytes_freed)}.")
    else:
        print("Its files stay in the library; `unkeep --delete-files` deletes them.")
    return EXIT_OK


def run_verify(args: argparse.Namespace) -> int:
    from player.sizes import human_size
    from player.sync.verify import verify_store

    with open_from_args(args, write=args.repair) as lib:
        report = verify_store(lib, repair=args.repair)
    if args.json:
        print(
            json.dumps(
                {
                    "checked": report.checked,
                    "checked_bytes": report.checked_bytes,
                    "problems": [
                        {
                            "kind": p.kind,
                            "sha256": p.sha256,
                            "path": str(p.path),
                            "used_by": [u.__dict__ for u in p.users],
                        }
                        for p in report.problems
                    ],
                    "requeued": report.requeued,
                },
                ensure_ascii=False,
            )
        )
        return EXIT_OK if report.ok else EXIT_INCOMPLETE
    for p in report.problems:
        used = ", ".join(
            f"{u.source_id}/{u.series_id}/{u.lecture_id} ({u.role})"
            if u.lecture_id
            else f"{u.source_id}/{u.series_id} ({u.role})"
            for u in p.users
        )
        print(f"{p.kind:8} {p.path}  {used}")
    summary = f"Checked {report.checked} files ({human_size(report.checked_bytes)})"
    if report.ok:
        print(f"{summary}: all good.")
        return EXIT_OK
    print(f"{summary}: {len(report.problems)} missing or damaged.")
    if args.repair:
        print(f"Queued {report.requeued} files again; the next sync fetches them.")
    else:
        print("Run `lecture-player verify --repair` to queue them for the next sync.")
    return EXIT_INCOMPLETE
