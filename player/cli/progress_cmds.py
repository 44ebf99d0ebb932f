"""`progress export` and `profiles`: watching progress for teachers and households."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from player.cli.library_cmds import open_from_args
from player.errors import BadInput


def add_parsers(sub: argparse._SubParsersAction) -> None:
    progress = sub.add_parser("progress", help="watching progress")
    psub = progress.add_subparsers(dest="progress_command", metavar="ACTION", required=True)
    export = psub.add_parser("export", help="write everyone's (or one profile's) progress as CSV")
    export.add_argument("--profile", metavar="NAME", help="only this profile")
    export.add_argument("--csv", required=True, metavar="FILE", help="the CSV file to write ('-': stdout)")
    export.set_defaults(func=run_export)

    profiles = sub.add_parser("profiles", help="the people who watch with this library")
    prsub = profiles.add_subparsers(dest="profiles_command", metavar="ACTION", required=True)
    plist = prsub.add_parser("list", help="list the profiles")
    plist.set_defaults(func=run_profiles_list)
    padd = prsub.add_parser("add", help="add a profile")
    padd.add_argument("name", metavar="NAME")
    padd.set_defaults(func=run_profiles_add)


def run_export(args: argparse.Namespace) -> int:
    from player.library.progress_store import find_profile, list_progress
    from player.progress_csv import progress_csv, write_file

    with open_from_args(args, write=False) as lib:
        profile_id = None
        if args.profile is not None:
            profile = find_profile(lib, args.profile)
            if profile is None:
                raise BadInput(
                    f"There is no profile named '{args.profile}'.", hint="See `lecture-player profiles list`."
                )
            profile_id = profile.id
        rows = list_progress(lib, profile_id)
    data = progress_csv(rows)
    if args.csv == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_file(Path(args.csv), data)
        print(f"Wrote the progress of {len(rows)} lectures to {args.csv}.", file=sys.stderr)
    return 0


def run_profiles_list(args: argparse.Namespace) -> int:
    from player.library.progress_store import default_profile_id, list_profiles

    with open_from_args(args, write=False) as lib:
        profiles = list_profiles(lib)
        default = default_profile_id(lib) if profiles else None
    for p in profiles:
        mark = "  (default)" if p.id == default else ""
        print(f"{p.name}{mark}")
    return 0


def run_profiles_add(args: argparse.Namespace) -> int:
    from player.library.progress_store import add_profile

    with open_from_args(args, write=True) as lib:
        profile = add_profile(lib, args.name)
    print(f"Added the profile '{profile.name}'.")
    return 0
