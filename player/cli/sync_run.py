"""`lecture-player sync`: refresh the catalogs and fetch what the kept series need."""

from __future__ import annotations

import argparse
import signal
import sys

from player.errors import BadInput


def _rate(text: str) -> int:
    from player.sizes import parse_size

    try:
        return parse_size(text)
    except BadInput as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _window(text: str):
    from player.sync.window import SyncWindow

    try:
        return SyncWindow.parse(text)
    except BadInput as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_parser(sub: argparse._SubParsersAction) -> None:
    from player.cli.sync_cmds import add_plan_options

    sync = sub.add_parser(
        "sync",
        help="refresh the catalogs, then download what the kept series need",
        epilog="exit status: 0 everything is stored; 1 some files failed (each is listed) or the "
        "sync was cut short; 2 bad input.",
    )
    sync.add_argument("--series", nargs="+", metavar="ID", help="only these kept series")
    sync.add_argument(
        "--max-rate", type=_rate, metavar="RATE", help="total speed cap, such as 500K or 2M (bytes/s)"
    )
    sync.add_argument(
        "--window", type=_window, metavar="HH:MM-HH:MM", help="transfer only inside these hours"
    )
    sync.add_argument(
        "--wait", action="store_true", help="outside the window, wait for it instead of exiting"
    )
    sync.add_argument("--jobs", type=int, default=2, metavar="N", help="files fetched at once (default 2)")
    sync.add_argument("--json", action="store_true", help="print one JSON object per event and line")
    sync.add_argument("--dry-run", action="store_true", help="print the plan and stop")
    sync.add_argument("--no-refresh", action="store_true", help="use the catalogs already in the library")
    add_plan_options(sync)
    sync.set_defaults(func=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    from player.cli.library_cmds import open_from_args
    from player.cli.progress import Console, JsonLines
    from player.cli.sync_cmds import print_plan
    from player.sync.engine import SyncEngine, SyncOptions

    if args.jobs < 1:
        raise BadInput("--jobs must be 1 or more.")
    show = JsonLines() if args.json else Console()
    options = SyncOptions(
        series=args.series,
        max_rate=args.max_rate,
        window=args.window,
        wait_for_window=args.wait,
        jobs=args.jobs,
        dry_run=args.dry_run,
        reserve=args.reserve,
        refresh=not args.no_refresh,
    )
    with open_from_args(args, write=True) as lib:
        engine = SyncEngine(lib, options, show)
        # Ctrl-C and a service stop end the sync cleanly: partial bytes stay for next time.
        previous = {
            sig: signal.signal(sig, lambda *_: engine.cancel()) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            result = engine.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            show.close()
    if args.dry_run:
        if not args.json:
            print_plan(result.plan)
        return 0
    if result.outside_window:
        print(
            "lecture-player: the sync window closed; what is left will be fetched next time.", file=sys.stderr
        )
        return 1
    if result.cancelled:
        print("lecture-player: the sync was stopped; it resumes where it stopped next time.", file=sys.stderr)
        return 1
    if result.failed:
        print(f"lecture-player: {len(result.failed)} file(s) could not be fetched:", file=sys.stderr)
        for name, reason in result.failed:
            print(f"  {name}: {reason}", file=sys.stderr)
        return 1
    if not args.json:
        print(f"Sync complete: {result.files_done} file(s) fetched.")
    return 0
