"""`lecture-player catalog …`: the publisher's commands (keygen, build, verify)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from player.errors import EXIT_INCOMPLETE, EXIT_OK, BadInput

_BUILD_EPILOG = """\
SRC_DIR holds one subfolder per series, each with its videos (.mp4 .m4v .mkv .webm
.mov), subtitles NAME.LANG.srt / NAME.LANG.vtt and thumbnails NAME.jpg / NAME.png
beside each video NAME.*, and optionally poster.jpg and series.json. An optional
SRC_DIR/source.json names the catalog. The catalog's version goes up only when its
content changes; an unchanged folder leaves catalog.json untouched.
"""

_VERIFY_EPILOG = """\
exit status: 0 when the mirror is sound; 1 when problems were found (each printed as
PATH: message, PATH being the JSON path in catalog.json); 2 when the mirror or its
catalog.json cannot be read, catalog.json is not JSON, or the key is not a key.
"""


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "catalog",
        help="publish lectures: make keys, build and verify a catalog",
        description="Publish lectures: make a signing key, build a mirror from a folder, check a mirror.",
    )
    sub = parser.add_subparsers(dest="catalog_command", metavar="SUBCOMMAND", required=True)

    keygen = sub.add_parser(
        "keygen",
        help="make a signing key pair",
        description="Write an Ed25519 private key to KEYFILE (readable by you only) and its public key "
        "to KEYFILE.pub. Existing files are never overwritten.",
    )
    keygen.add_argument("keyfile", metavar="KEYFILE", type=Path)
    keygen.set_defaults(func=run_keygen)

    build = sub.add_parser(
        "build",
        help="build a mirror from a folder of videos",
        description="Build or update the mirror MIRROR_DIR (catalog.json, catalog.json.sig,\n"
        "media/) from the videos in SRC_DIR.",
        epilog=_BUILD_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("src", metavar="SRC_DIR", type=Path)
    build.add_argument("--out", metavar="MIRROR_DIR", type=Path, required=True, help="the mirror folder")
    build.add_argument("--key", metavar="KEYFILE", type=Path, help="sign the catalog with this private key")
    build.add_argument(
        "--base-version", metavar="N", type=int, help="the lowest version number to give the catalog"
    )
    build.set_defaults(func=run_build)

    verify = sub.add_parser(
        "verify",
        help="check a mirror's catalog, files and signature",
        description="Check MIRROR (a folder or an http(s) URL): the catalog against the schema,\n"
        "every file it names (present, size, sha256), and the signature.",
        epilog=_VERIFY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("mirror", metavar="MIRROR")
    verify.add_argument(
        "--pubkey",
        metavar="KEY",
        help="the publisher's public key (hex, PEM, or a file); requires a valid signature",
    )
    verify.set_defaults(func=run_verify)


def run_keygen(args: argparse.Namespace) -> int:
    from player.catalog.signing import generate_keypair

    keyfile: Path = args.keyfile
    if not keyfile.parent.is_dir():
        raise BadInput(f"The folder {keyfile.parent} does not exist.", hint="Create it first.")
    public = generate_keypair(keyfile)
    print(f"Private key: {keyfile} (keep it secret, keep a backup, never publish it)")
    print(f"Public key:  {public} (give it to your readers: {public.read_text().strip()})")
    return EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    from player.publisher.build import build_catalog

    live = sys.stderr.isatty()
    # On a terminal a counter is redrawn in place; a warning first returns to the line's start.
    lead = "\r" if live else ""

    def progress(event: str, **info: Any) -> None:
        if event == "warning":
            print(f"{lead}warning: {info['message']}", file=sys.stderr)
        elif event == "file" and live:
            print(f"\r{info['done']}/{info['total']} files", end="", file=sys.stderr, flush=True)

    result = build_catalog(
        args.src, args.out, key_path=args.key, base_version=args.base_version, progress=progress
    )
    if live:
        print(file=sys.stderr)
    what = (
        f"{result.series} series, {result.lectures} lectures, {result.files} files ({_size(result.bytes)}); "
        f"{len(result.hashed)} hashed"
    )
    if result.removed:
        what += f", {len(result.removed)} removed"
    state = "signed" if result.signed else "not signed"
    if result.changed:
        print(f"Wrote {result.catalog_path}, version {result.version}, {state}: {what}.")
    else:
        print(f"{result.catalog_path} is unchanged (version {result.version}, {state}): {what}.")
    return EXIT_OK


def run_verify(args: argparse.Namespace) -> int:
    from player.publisher.verify import check_mirror

    report = check_mirror(args.mirror, args.pubkey)
    for where, message in report.problems:
        print(f"{where}: {message}")
    note = {
        "valid": "signature valid",
        "unchecked": "catalog.json.sig present but not checked against a key (give --pubkey to check it)",
        "unsigned": "not signed",
        "invalid": "signature INVALID",
    }[report.signature]
    if report.problems:
        count = len(report.problems)
        print(f"{count} problem{'s' if count != 1 else ''} in {report.location}; {note}.")
        return EXIT_INCOMPLETE
    print(
        f"OK: {report.catalog_id} version {report.version}: {report.series} series, {report.lectures} lectures, "
        f"{report.files} files ({_size(report.bytes)}) match the catalog; {note}."
    )
    return EXIT_OK


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n} bytes"
