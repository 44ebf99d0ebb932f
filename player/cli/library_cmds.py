"""`sources`, `series` and `search`: the library's command-line face."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from player import textutil
from player.catalog import DEFAULT_MAX_BYTES
from player.errors import BadInput, CatalogError
from player.sizes import human_size

if TYPE_CHECKING:
    from player.library.db import Library

# The library modules are imported inside each command: a command that only reads the
# library should not pay for the HTTP client and the catalog parser at start-up.


def open_from_args(args: argparse.Namespace, *, write: bool) -> Library:
    from player.library.db import open_library
    from player.library.paths import resolve_library_dir

    # The built-in sample is for people starting the app; a library made from the command
    # line (a server's, a script's) starts empty.
    return open_library(resolve_library_dir(args.library), write=write, install_sample=False)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    sources = sub.add_parser("sources", help="the catalogs this library follows")
    ssub = sources.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    add = ssub.add_parser("add", help="add a catalog by URL or folder, and import it")
    add.add_argument("location", metavar="URL_OR_PATH")
    add.add_argument("--pubkey", metavar="KEY", help="pin the publisher's Ed25519 key (hex, PEM, or a file)")
    add.add_argument("--allow-expired", action="store_true", help="import a catalog past its expiry time")
    add.add_argument(
        "--max-catalog-size",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="BYTES",
        help="refuse larger catalogs",
    )
    add.set_defaults(func=run_sources_add)
    settings = ssub.add_parser("set", help="change a source's settings")
    settings.add_argument("source_id", metavar="SOURCE_ID")
    settings.add_argument(
        "--quality",
        metavar="HEIGHT",
        help="the highest video height to fetch for its kept series, such as 360 ('default': smallest at or "
        "above 480p); a series' own --quality wins",
    )
    settings.set_defaults(func=run_sources_set)
    remove = ssub.add_parser(
        "remove", help="stop following a source; progress and bookmarks stay, files stay unless asked"
    )
    remove.add_argument("source_id", metavar="SOURCE_ID")
    remove.add_argument(
        "--delete-files",
        action="store_true",
        help="also delete its stored files that no kept series of another source uses",
    )
    remove.set_defaults(func=run_sources_remove)
    lst = ssub.add_parser("list", help="list the sources")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=run_sources_list)

    series = sub.add_parser("series", help="the series in the library")
    sersub = series.add_subparsers(dest="series_command", metavar="ACTION", required=True)
    slist = sersub.add_parser("list", help="list series with lecture counts, sizes and offline state")
    slist.add_argument("--json", action="store_true", help="print one JSON array")
    slist.set_defaults(func=run_series_list)

    find = sub.add_parser("search", help="search titles, speakers, descriptions and subtitles")
    find.add_argument("text")
    find.add_argument("--limit", type=int, default=20)
    find.add_argument("--json", action="store_true", help="print one JSON array")
    find.set_defaults(func=run_search)


def run_sources_add(args: argparse.Namespace) -> int:
    from player.bundle.sources import add_sources
    from player.library.sources import key_fingerprint

    with open_from_args(args, write=True) as lib:
        try:
            # A bundle folder of several sources adds each of them.
            results = add_sources(
                lib,
                args.location,
                pubkey=args.pubkey,
                allow_expired=args.allow_expired,
                max_bytes=args.max_catalog_size,
            )
        except CatalogError as exc:
            for path, message in exc.problems[1:]:
                print(f"  {path}: {message}", file=sys.stderr)
            raise
    for result in results:
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if result.unchanged:
            print(f"{result.source_id}: already up to date (version {result.version}).")
        else:
            print(
                f"{result.source_id}: imported version {result.version}: {result.added} new, "
                f"{result.changed} changed, {result.withdrawn} withdrawn lectures."
            )
        if result.pinned:
            print(f"{result.source_id}: pinned the publisher's key {key_fingerprint(result.pinned)}.")
    return 0


def run_sources_set(args: argparse.Namespace) -> int:
    from player.library.sources import get_source
    from player.sync.preferences import set_source_quality

    if args.quality is None:
        raise BadInput("Nothing to change.", hint="Give --quality HEIGHT (or --quality default).")
    if args.quality == "default":
        height = None
    elif args.quality.isdigit() and 0 < int(args.quality) <= 10000:
        height = int(args.quality)
    else:
        raise BadInput(
            f"'{args.quality}' is not a video height.", hint="Give a number such as 360, or 'default'."
        )
    with open_from_args(args, write=True) as lib:
        source = get_source(lib, args.source_id)
        set_source_quality(lib, source.id, height)
    shown = f"{height}p at most" if height else "the default (smallest at or above 480p)"
    print(f"{source.id}: video quality is now {shown}; the next sync fetches accordingly.")
    return 0


def run_sources_remove(args: argparse.Namespace) -> int:
    from player.sync.remove_source import remove_source

    with open_from_args(args, write=True) as lib:
        removed = remove_source(lib, args.source_id, delete_files=args.delete_files)
    kept = f"; {removed.series_unkept} kept series are no longer kept" if removed.series_unkept else ""
    print(f"Removed the source {removed.source_id}{kept}. Progress and bookmarks stay.")
    if args.delete_files:
        print(
            f"Deleted {removed.files_deleted} {'file' if removed.files_deleted == 1 else 'files'}, "
            f"freed {human_size(removed.bytes_freed)} ({removed.bytes_freed:,} bytes)."
        )
    elif removed.files_left:
        how = (
            # doctor never deletes from a library that stores nothing (a lost index looks so).
            "no other source's files are stored, so only deleting the folder media/ by hand frees them"
            if removed.nothing_stored
            else "`lecture-player doctor --delete-orphans` deletes them"
        )
        print(
            f"Its {removed.files_left} stored {'file' if removed.files_left == 1 else 'files'} "
            f"({human_size(removed.bytes_left)}) stay in the library; {how}."
        )
    return 0


def run_sources_list(args: argparse.Namespace) -> int:
    from player.library.sources import list_sources

    with open_from_args(args, write=False) as lib:
        sources = list_sources(lib)
    if args.json:
        print(json.dumps([asdict(s) for s in sources], ensure_ascii=False, indent=1))
        return 0
    if not sources:
        print("No sources. Add one with `lecture-player sources add URL_OR_PATH`.")
    for s in sources:
        signed = "key pinned" if s.pubkey else "no key pinned"
        print(f"{s.id}  v{s.version}  {s.series_count} series, {s.lecture_count} lectures  ({signed})")
        where = (
            s.location or "no location recorded: add it again with `lecture-player sources add URL_OR_PATH`"
        )
        print(f"    {textutil.pick(s.title)} — {where}")
    return 0


def run_series_list(args: argparse.Namespace) -> int:
    from player.library import queries

    with open_from_args(args, write=False) as lib:
        series = queries.list_series(lib)
    if args.json:
        print(json.dumps([asdict(s) for s in series], ensure_ascii=False))
        return 0
    if not series:
        print("No series yet. Add a source with `lecture-player sources add URL_OR_PATH`.")
    out = []
    for s in series:
        offline = "kept offline" if s.kept else "online only"
        out.append(
            f"{s.source_id}/{s.id}  {textutil.pick(s.title)}  "
            f"{s.lecture_count} lectures, {human_size(s.total_size)}, {offline}"
        )
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))
    return 0


def run_search(args: argparse.Namespace) -> int:
    from player.library.search import search

    with open_from_args(args, write=False) as lib:
        hits = search(lib, args.text, limit=args.limit)
    if args.json:
        print(json.dumps([asdict(h) for h in hits], ensure_ascii=False))
        return 0
    if not hits:
        print(f"Nothing matches '{args.text}'.")
    for h in hits:
        at = f" at {int(h.start // 60)}:{int(h.start % 60):02d}" if h.start is not None else ""
        print(
            f"{h.source_id}/{h.lecture_id}{at}  {textutil.pick(h.title)}  [{textutil.pick(h.series_title)}]"
        )
        if h.snippet:
            print(f"    {h.snippet}")
    return 0
