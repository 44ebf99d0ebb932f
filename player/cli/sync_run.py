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
    sync.add_argument(
        "--from",
        dest="from_dirs",
        action="append",
        metavar="DIR",
        help="copy what a bundle or mirror folder holds (checked by sha256) before using the network",
    )
    net = sync.add_argument_group("network (defaults suit slow and intermittent links)")
    net.add_argument(
        "--connect-timeout", type=float, default=15.0, metavar="S", help="seconds to connect (15)"
    )
    net.add_argument("--read-timeout", type=float, default=60.0, metavar="S", help="seconds of silence (60)")
    net.add_argument(
        "--low-speed-limit", type=_rate, default=1024, metavar="RATE", help="slower than this … (1K bytes/s)"
    )
    net.add_argument(
        "--low-speed-time",
        type=float,
        default=60.0,
        metavar="S",
        help="… for this long: reconnect and resume (60)",
    )
    net.add_argument(
        "--retries", type=int, default=8, metavar="N", help="failed attempts in a row per file (8)"
    )
    add_plan_options(sync)
    sync.set_defaults(func=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    from player.cli.library_cmds import open_from_args
    from player.cli.progress import Console, JsonLines
    from player.cli.sync_cmds import print_plan
    from player.sync import limits
    from player.sync.engine import SyncEngine, SyncOptions

    if args.jobs < 1:
        raise BadInput("--jobs must be 1 or more.")
    from player.sync.retry import RetryPolicy

    show = JsonLines() if args.json else Console()
    if min(args.connect_timeout, args.read_timeout, args.low_speed_time) <= 0 or args.retries < 1:
        raise BadInput("Timeouts must be positive and --retries at least 1.")
    policy = RetryPolicy(
        connect_timeout=args.connect_timeout,
        read_timeout=args.read_timeout,
        min_rate=args.low_speed_limit,
        low_speed_time=args.low_speed_time,
        max_attempts=args.retries,
    )
    options = SyncOptions(
        policy=policy,
        series=args.series,
        max_rate=args.max_rate,
        window=args.window,
        wait_for_window=args.wait,
        jobs=args.jobs,
        dry_run=args.dry_run,
        reserve=args.reserve,
        refresh=not args.no_refresh,
    )
    if args.from_dirs:
        from pathlib import Path

        from player.bundle.layout import local_files

        options.local_files = local_files([Path(d) for d in args.from_dirs])
    with open_from_args(args, write=True) as lib:
        # Without the options, the cap and the hours set in the app's Get lectures screen.
        if options.max_rate is None:
            options.max_rate = limits.max_rate(lib)
        if options.window is None:
            options.window = limits.window(lib)
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
