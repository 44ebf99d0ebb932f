"""The command line: a thin face over the core.

Each subcommand lives in its own module with `add_parser(subparsers)`, which sets
`func=run` where `run(args) -> int`. Errors are `PlayerError`s: printed as one
sentence on stderr, with the traceback only under --debug.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import traceback
from pathlib import Path

from player.errors import EXIT_BAD_INPUT, EXIT_INCOMPLETE, PlayerError, disk_full


def build_parser() -> argparse.ArgumentParser:
    from player.cli import (
        bundle_cmds,
        catalog_cmd,
        doctor_cmds,
        library_cmds,
        progress_cmds,
        share_cmds,
        sync_cmds,
        sync_run,
    )

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
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this install headless (a temporary library, the sample, playback, translations) and exit",
    )
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


OPENABLE = ("catalog.json", "bundle.json")  # the MIME types our .desktop file claims


def opened_path(argv: list[str]) -> Path | None:
    """The catalog or bundle a file manager opens with the app: `lecture-player [--library DIR] PATH`."""
    if not argv or argv[-1].startswith("-") or not (os.sep in argv[-1] or argv[-1].endswith(".json")):
        return None  # a command name, not a path
    rest = argv[:-1]
    while rest:  # only global options may come before it; a command's own paths are not ours
        if rest[0] == "--debug" or rest[0].startswith("--library="):
            rest = rest[1:]
        elif rest[0] == "--library" and len(rest) > 1:
            rest = rest[2:]
        else:
            return None
    path = Path(argv[-1])
    if path.is_file() and path.name in OPENABLE:
        return path
    if path.is_dir() and any((path / name).is_file() for name in OPENABLE):
        return path
    return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    open_path = opened_path(argv)
    if open_path is not None:
        argv = argv[:-1]
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if args.self_test:
        from player.selftest import main as self_test

        return self_test()  # it ends the process itself, with the self-test's exit status
    if not getattr(args, "func", None):
        from player.ui.app import run_gui

        args.open_path = open_path  # the app opens; acting on the path is the GUI's part
        return run_gui(args)
    try:
        try:
            return int(args.func(args) or 0)
        except (sqlite3.Error, OSError) as exc:
            from player.library.paths import resolve_library_dir

            # Whichever command ran out of room says so the same way.
            full = disk_full(exc, resolve_library_dir(args.library))
            if full is None:
                raise
            raise full from exc
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
