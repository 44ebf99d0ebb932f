"""`export` and `import`: carrying kept series to other machines on a USB drive."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from player.cli.library_cmds import open_from_args
from player.errors import EXIT_INCOMPLETE, EXIT_OK, BadInput

_EXPORT_EPILOG = """\
DEST_DIR becomes a mirror of each source's signed catalog with only the chosen series'
media, plus bundle.json; several sources get one sub-folder each. Files already there
and verified are kept, so an interrupted export resumes.
exit status: 0 everything was written; 1 some files failed or there is not enough space;
2 bad input (no such series, a file too large for a FAT32 drive).
"""

_IMPORT_EPILOG = """\
A new source needs --pubkey (the publisher's key) or --trust-new-key (trust the key the
bundle carries; refused when it carries none). A source this library pinned is checked
against its pinned key. A refused source is skipped and the others are imported.
Imported series are kept offline. An interrupted import resumes.
exit status: 0 everything was imported; 1 some files failed or were missing from the
bundle; 2 bad input (a source refused for a bad signature, no key or a symlink out of
the bundle; not a bundle).
"""


def add_parsers(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser(
        "export",
        help="copy series to a folder (a USB drive) as a bundle other machines can import",
        epilog=_EXPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("dest", metavar="DEST_DIR", type=Path)
    export.add_argument("--series", nargs="+", metavar="ID", help="series ids, or SOURCE_ID/SERIES_ID")
    export.add_argument(
        "--all-kept",
        action="store_true",
        help="every series kept offline (the built-in sample: only with --series)",
    )
    export.add_argument("--json", action="store_true", help="print one JSON object per event and line")
    export.set_defaults(func=run_export)

    imp = sub.add_parser(
        "import",
        help="import a bundle: its catalogs, and its lectures into the library",
        epilog=_IMPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("src", metavar="SRC_DIR", type=Path)
    keys = imp.add_mutually_exclusive_group()
    keys.add_argument("--pubkey", metavar="KEY", help="the publisher's Ed25519 key (hex, PEM, or a file)")
    keys.add_argument(
        "--trust-new-key", action="store_true", help="pin the key the bundle carries for a new source"
    )
    imp.add_argument("--allow-expired", action="store_true", help="import a catalog past its expiry time")
    imp.add_argument("--json", action="store_true", help="print one JSON object per event and line")
    imp.set_defaults(func=run_import)


def _show(args: argparse.Namespace):
    from player.cli.progress import Console, JsonLines

    return JsonLines() if args.json else Console()


def run_export(args: argparse.Namespace) -> int:
    from player.bundle.export import export_bundle
    from player.library.plan_queries import kept_series
    from player.library.sources import list_sources
    from player.sizes import human_size
    from player.sync.select import resolve_series

    if not args.series and not args.all_kept:
        raise BadInput("Nothing to export.", hint="Choose series with --series ID …, or --all-kept.")
    show = _show(args)
    with open_from_args(args, write=False) as lib:
        chosen = [(s.source_id, s.id) for s in (resolve_series(lib, ref) for ref in args.series or [])]
        if args.all_kept:
            # Every app has the built-in sample already: it goes only when named with --series.
            builtin = {s.id for s in list_sources(lib) if s.builtin}
            chosen += [(k.source_id, k.id) for k in kept_series(lib) if k.source_id not in builtin]
            if not chosen:
                raise BadInput(
                    "No series is kept offline (apart from the built-in sample, which --all-kept leaves out).",
                    hint="Keep some with `lecture-player keep`, or use --series.",
                )
        try:
            result = export_bundle(lib, args.dest, list(dict.fromkeys(chosen)), on_event=show)
        finally:
            show.close()
    for name, reason in result.failed:
        print(f"lecture-player: could not export {name}: {reason}", file=sys.stderr)
    if not args.json:
        m = result.manifest
        print(
            f"Exported {len(m.sources)} source(s), {sum(len(s.series) for s in m.sources)} series: "
            f"{result.copied} file(s) copied ({human_size(result.bytes_copied)}), {result.skipped} already there; "
            f"the bundle holds {m.files} files, {human_size(m.bytes)}, in {result.dest}."
        )
        if result.not_stored:
            print(
                f"Note: {result.not_stored} file(s) of these series are not in this library "
                "(other qualities, or not synced yet) and are not in the bundle."
            )
    return EXIT_INCOMPLETE if result.failed else EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from player.bundle.importer import import_bundle
    from player.library.sources import key_fingerprint
    from player.sizes import human_size

    show = _show(args)
    with open_from_args(args, write=True) as lib:
        try:
            result = import_bundle(
                lib,
                args.src,
                pubkey=args.pubkey,
                trust_new_key=args.trust_new_key,
                allow_expired=args.allow_expired,
                on_event=show,
            )
        finally:
            show.close()
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for source_id, exc in result.refused:
        print(f"lecture-player: {source_id} was not imported: {exc}", file=sys.stderr)
    for name, reason in result.failed:
        print(f"lecture-player: could not import {name}: {reason}", file=sys.stderr)
    for imported in result.sources:
        if imported.pinned and not args.json:
            print(f"{imported.source_id}: pinned the publisher's key {key_fingerprint(imported.pinned)}.")
    if result.missing:
        print(
            f"lecture-player: {result.missing} file(s) that bundle.json lists are not in {args.src}; "
            "the export may have been cut short: export it again, then import again.",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps({"event": "summary", "kept": [f"{a}/{b}" for a, b in result.kept],
                          "missing": result.missing, "refused": [a for a, _ in result.refused],
                          "pinned": {s.source_id: key_fingerprint(s.pinned) for s in result.sources
                                     if s.pinned}}))  # fmt: skip
    else:
        print(
            f"Imported {len(result.sources)} catalog(s); keeping {len(result.kept)} series offline: "
            f"{result.copied} file(s) copied ({human_size(result.bytes_copied)}), "
            f"{result.skipped} already in the library."
        )
    if result.refused:
        return max(exc.exit_code for _, exc in result.refused)
    return EXIT_INCOMPLETE if result.failed or result.missing else EXIT_OK
