"""The command line: a thin face over the core.

Each subcommand lives in its own module with `add_parser(subparsers)`, which sets
`func=run` where `run(args) -> int`. Errors are `PlayerError`s: printed as one
sentence on stderr, with the traceback only under --debug.
"""

from __future__ import annotations

import argparse
import sys
import traceback

from player.errors import EXIT_BAD_INPUT, EXIT_INCOMPLETE, PlayerError


def build_parser() -> argparse.ArgumentParser:
    from player.cli import catalog_cmd, library_cmds, progress_cmds, sync_cmds, sync_run
    from player.cli import bundle_cmds
    from player.cli import doctor_cmds
    from player.cli import share_cmds

    parser = argparse.ArgumentParser(
        prog="lecture-player",
        description="Sync public video lectures into an offline library and play them. "
        "With no command, the app opens.",
        epilog="exit status: 0 success; 1 a problem left the work incomplete; 2 bad usage or bad input.",
    )
    parser.add_argument(
        "--library",
        metavar="DIR",
        help="the library folder (default: $LECTURE_PLAYER_LIBRARY, else the user data folder)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    parser.add_argument("--version", action="version", version="%(prog)s 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    catalog_cmd.add_parser(sub)
    library_cmds.add_parsers(sub)
    sync_cmds.add_parsers(sub)
    sync_run.add_parser(sub)
    progress_cmds.add_parsers(sub)
    bundle_cmds.add_parsers(sub)
    doctor_cmds.add_parsers(sub)  # after progress_cmds: it adds `progress backup` and `restore`
    share_cmds.add_parsers(sub)  # after library_cmds: it adds `sources discover`
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        from player.ui.app import run_gui

        return run_gui(args)
    try:
        return int(args.func(args) or 0)
    except PlayerError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"lecture-player: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("lecture-player: interrupted.", file=sys.stderr)
        return EXIT_INCOMPLETE
    except OSError as exc:
        if args.debug:
            traceback.print_exc()
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"lecture-player: {exc.strerror or exc}{where}.", file=sys.stderr)
        return EXIT_INCOMPLETE if exc.errno else EXIT_BAD_INPUT
