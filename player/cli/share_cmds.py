"""`serve` and `sources discover`: sharing a library on the local network."""

from __future__ import annotations

import argparse
import functools
import json
import signal
import socket
import sys
import threading

from player.errors import BadInput


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return int(text)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    from player.share.server import DEFAULT_PORT

    serve = sub.add_parser(
        "serve",
        help="share this library read-only on the local network, as a mirror of its sources",
        epilog="Other machines add a source with `lecture-player sources add http://IP:PORT/SOURCE_ID/` "
        "or find it with `lecture-player sources discover`.",
    )
    serve.add_argument(
        "--bind",
        default="127.0.0.1",
        metavar="ADDR",
        help="the address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for the network)",
    )
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, metavar="N", help=f"the port (default {DEFAULT_PORT})"
    )
    serve.add_argument(
        "--series", nargs="+", metavar="ID", help="share only these series (SERIES_ID or SOURCE_ID/SERIES_ID)"
    )
    serve.add_argument("--name", metavar="TEXT", help="the name others see (default: this machine's name)")
    serve.add_argument("--no-announce", action="store_true", help="do not announce the share with mDNS")
    serve.add_argument("--json", action="store_true", help="print one JSON object per event and line")
    serve.set_defaults(func=run_serve)

    # `sources discover` joins the `sources` command that library_cmds builds.
    sources = sub.choices.get("sources")
    if sources is not None:
        actions = [a for a in sources._actions if isinstance(a, argparse._SubParsersAction)]
        discover = actions[0].add_parser("discover", help="find libraries shared on the local network")
        discover.add_argument(
            "--timeout", type=float, default=3.0, metavar="S", help="seconds to listen (default 3)"
        )
        discover.add_argument("--json", action="store_true", help="print one JSON array")
        discover.set_defaults(func=run_discover)
        # `sources set --fallback` wraps the existing `set`, which keeps its own options.
        settings = actions[0].choices.get("set")
        if settings is not None:
            settings.add_argument(
                "--fallback",
                metavar="URL",
                help="where files this source lacks come from (for a share on the LAN: the publisher's "
                "URL); 'none' to remove",
            )
            settings.set_defaults(
                func=functools.partial(run_sources_set_fallback, settings.get_default("func"))
            )


def _printer(as_json: bool):
    lock = threading.Lock()

    def show(event: dict) -> None:
        if not as_json and event.get("event") == "request":
            return
        with lock:
            if as_json:
                fields = {k: v for k, v in event.items() if k != "text"}
                sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(event["text"] + "\n")
            sys.stdout.flush()

    return show


def run_serve(args: argparse.Namespace) -> int:
    from player.library.paths import resolve_library_dir
    from player.share.discovery import Announcement, DiscoveryUnavailable
    from player.share.server import RunningShare

    show = _printer(args.json)
    share = RunningShare(
        resolve_library_dir(args.library), bind=args.bind, port=args.port, series=args.series, on_event=show
    )
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    announcement = None
    try:
        sources = list(share.keeper.view.sources)
        files = len(share.keeper.view.files)
        if not sources:
            raise BadInput(
                "There is nothing to share: the library has no sources"
                + (" with those series." if args.series else "."),
                hint="Add a source with `lecture-player sources add URL_OR_PATH`.",
            )
        share.start()
        url = share.url
        show(
            {
                "event": "started",
                "url": url,
                "sources": [f"{url}{s}/" for s in sources],
                "files": files,
                "text": f"Sharing {len(sources)} source(s) and {files} file(s) at {url}\n"
                + "\n".join(f"  lecture-player sources add {url}{s}/" for s in sources)
                + "\nPress Ctrl-C to stop.",
            }
        )
        if share.server.server_address[0].startswith("127.") and not args.json:
            show({"event": "note", "text": "Only this machine can connect; use --bind 0.0.0.0 to share."})
        if not args.no_announce:
            try:
                announcement = Announcement(
                    name=args.name or socket.gethostname().split(".")[0],
                    bind=args.bind,
                    port=share.server.port,
                    sources=sources,
                )
                show(
                    {
                        "event": "announced",
                        "name": announcement.name,
                        "text": f"Announced as '{announcement.name}'.",
                    }
                )
            except DiscoveryUnavailable as exc:
                show({"event": "not-announced", "reason": str(exc), "text": f"Not announced: {exc}"})
        while not stop.wait(1.0):  # signal handlers run between waits
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if announcement is not None:
            announcement.close()
        share.stop()
    show({"event": "stopped", "text": "Stopped sharing."})
    return 0


def run_sources_set_fallback(run_other, args: argparse.Namespace) -> int:
    from player.cli.library_cmds import open_from_args
    from player.library.sources import get_source
    from player.share.fallback import set_source_fallback

    if args.fallback is None:
        return run_other(args)
    fallback = None if args.fallback == "none" else args.fallback
    with open_from_args(args, write=True) as lib:
        source = get_source(lib, args.source_id)
        set_source_fallback(lib, source.id, fallback)
    if fallback:
        print(f"{source.id}: files missing from {source.location} now come from {fallback}.")
    else:
        print(f"{source.id}: no fallback; files come from {source.location} only.")
    if getattr(args, "quality", None) is not None:
        return run_other(args)
    return 0


def run_discover(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from player.share.discovery import browse

    if args.timeout <= 0:
        raise BadInput("--timeout must be a positive number of seconds.")
    shares = browse(args.timeout)
    if args.json:
        print(
            json.dumps(
                [
                    {**asdict(s), "url": s.url, "source_urls": [s.source_url(x) for x in s.sources]}
                    for s in shares
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    if not shares:
        print(
            "No shared libraries answered. Start `lecture-player serve --bind 0.0.0.0` on the other machine, "
            "or add it by hand: `lecture-player sources add http://IP:PORT/SOURCE_ID/`."
        )
        return 0
    for s in shares:
        print(f"{s.name} ({s.host}) at {s.url}  version {s.version or '?'}")
        for source_id in s.sources:
            print(f"  lecture-player sources add {s.source_url(source_id)}")
    return 0
