"""`lecture-player serve`: the library as a read-only HTTP mirror for the local network.

Each source appears at `/<source-id>/` exactly as its publisher signed it: the catalog
and signature byte for byte, and the files its relative hrefs name, taken from the
content-addressed store. Paths are looked up in a map, never joined onto the disk, so
nothing else in the library (or outside it) can be reached.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import os
import socket
import stat
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from player import __version__ as PLAYER_VERSION
from player.catalog.mirror import CATALOG_NAME, SIGNATURE_NAME
from player.errors import BadInput
from player.share.mirror_view import MirrorView, ViewKeeper

DEFAULT_PORT = 8765
_TYPES = {
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "mkv": "video/x-matroska",
    "mov": "video/quicktime",
    "vtt": "text/vtt; charset=utf-8",
    "srt": "application/x-subrip",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
_CHUNK = 1 << 20


class _BadPath(Exception):
    pass


def clean_path(raw: str) -> list[str]:
    """The decoded segments of a request path; `_BadPath` for anything that tries to
    climb out or smuggle a separator (`..`, `%2e%2e`, backslashes, NUL, `//`)."""
    path = urlsplit(raw).path
    if not path.startswith("/") or raw.startswith("//"):
        raise _BadPath(raw)
    segments = path.split("/")[1:]
    decoded = []
    for i, seg in enumerate(segments):
        text = unquote(seg, errors="strict") if "%" in seg else seg
        last = i == len(segments) - 1
        if text in (".", "..") or (text == "" and not last):
            raise _BadPath(raw)
        if any(c in text for c in "\\/\x00") or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
            raise _BadPath(raw)
        if ":" in text and i == 0 and len(text) == 2:  # a drive letter, C:
            raise _BadPath(raw)
        decoded.append(text)
    if decoded and decoded[-1] == "":
        decoded.pop()
    return decoded


@dataclass(frozen=True)
class _Target:
    path: Path
    etag: str | None  # strong, from the sha256; None: derived from the file's stat
    ctype: str


class ShareHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every answer carries Content-Length
    server_version = f"lecture-player/{PLAYER_VERSION}"
    sys_version = ""
    timeout = 120  # an idle keep-alive connection frees its thread after this

    server: ShareServer

    # Every other method answers 405, through __getattr__ below.
    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def __getattr__(self, name: str):
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        self._drain_body()
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "This share is read-only.", extra={"Allow": "GET, HEAD"})

    def _drain_body(self) -> None:
        # A request body we do not read would be taken for the next request.
        length = self.headers.get("Content-Length", "")
        if length.isdigit() and int(length) <= _CHUNK:
            self.rfile.read(int(length))
        elif length or self.headers.get("Transfer-Encoding"):
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def log_request(self, code: object = "-", size: object = "-") -> None:
        self.server.emit(
            {
                "event": "request",
                "client": self.client_address[0],
                "method": self.command,
                "path": self.path,
                "status": int(code) if str(code).isdigit() else code,
            }
        )

    def _error(self, status: HTTPStatus, message: str, *, extra: dict[str, str] | None = None) -> None:
        body = json.dumps({"error": message}).encode() + b"\n"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if status == HTTPStatus.BAD_REQUEST:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _answer(self, *, body: bool) -> None:
        try:
            segments = clean_path(self.path)
        except (_BadPath, UnicodeDecodeError):
            self._error(HTTPStatus.BAD_REQUEST, "That path is not allowed.")
            return
        view = self.server.keeper.current()
        if segments in ([], ["index.json"]):
            data = json.dumps(view.index(), ensure_ascii=False, indent=1).encode() + b"\n"
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if body:
                self.wfile.write(data)
            return
        target = self._find(view, segments)
        if target is None:
            self._error(HTTPStatus.NOT_FOUND, "Not in this share.")
            return
        self._send_file(target, body=body)

    def _find(self, view: MirrorView, segments: list[str]) -> _Target | None:
        if len(segments) < 2:
            return None
        source = view.sources.get(segments[0])
        if source is None:
            return None
        rest = "/".join(segments[1:])
        if rest == CATALOG_NAME:
            return _Target(source.catalog, None, "application/json")
        if rest == SIGNATURE_NAME:
            return _Target(source.signature, None, "application/octet-stream") if source.signature else None
        found = view.files.get((source.id, rest))
        if found is None:
            return None
        path = self.server.store / found.sha256[:2] / f"{found.sha256}.{found.ext}"
        return _Target(path, f'"{found.sha256}"', _TYPES.get(found.ext.lower(), "application/octet-stream"))

    def _open(self, path: Path) -> int | None:
        # The store's real folder is fixed at start; a file reached through a symlink
        # that leads elsewhere is not served.
        real = os.path.realpath(path)
        if not any(real.startswith(root + os.sep) for root in self.server.roots):
            return None
        try:
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        return fd

    def _send_file(self, target: _Target, *, body: bool) -> None:
        fd = self._open(target.path)
        if fd is None:
            self._error(HTTPStatus.NOT_FOUND, "Not in this share.")
            return
        with os.fdopen(fd, "rb", buffering=0) as f:
            st = os.fstat(f.fileno())
            size = st.st_size
            mtime = int(st.st_mtime)
            etag = target.etag or f'"{st.st_mtime_ns:x}-{size:x}"'
            modified = email.utils.formatdate(mtime, usegmt=True)
            if self._not_modified(etag, mtime):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            span = self._range(size, etag, mtime)
            if span == "unsatisfiable":
                self._error(
                    HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    "That range is outside the file.",
                    extra={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"},
                )
                return
            start, end = span if span else (0, size - 1)
            length = end - start + 1 if size else 0
            self.send_response(HTTPStatus.PARTIAL_CONTENT if span else HTTPStatus.OK)
            self.send_header("Content-Type", target.ctype)
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            if span:
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            # Corked, the headers leave in the same packet as the first bytes of the file,
            # as nginx's tcp_nopush does, rather than alone and waiting for an ACK.
            self._cork(True)
            try:
                self.end_headers()
                if body and length:
                    self._copy(f, start, length)
            finally:
                self._cork(False)

    def _cork(self, on: bool) -> None:
        if hasattr(socket, "TCP_CORK"):
            with contextlib.suppress(OSError):  # a client already gone
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, int(on))

    def _copy(self, f, offset: int, count: int) -> None:
        try:
            if hasattr(os, "sendfile"):
                self._sendfile(f.fileno(), offset, count)
            else:
                self._copy_loop(f, offset, count)
        except OSError:  # the client went away, or stalled past the timeout
            self.close_connection = True

    def _sendfile(self, fd: int, offset: int, count: int) -> None:
        # A blocking socket lets each os.sendfile call move as much as the kernel will,
        # with no Python in between; SO_SNDTIMEO still frees the thread from a stalled client.
        sock = self.connection
        sock.settimeout(None)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, _timeval(self.timeout))
        try:
            while count > 0:
                sent = os.sendfile(sock.fileno(), fd, offset, count)
                if sent == 0:
                    raise ConnectionResetError("the file ended early or the client left")
                offset += sent
                count -= sent
        finally:
            sock.settimeout(self.timeout)

    def _copy_loop(self, f, offset: int, count: int) -> None:
        f.seek(offset)
        while count > 0:
            chunk = f.read(min(_CHUNK, count))
            if not chunk:
                raise ConnectionResetError("the file ended early")
            self.wfile.write(chunk)
            count -= len(chunk)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            tags = [t.strip().removeprefix("W/") for t in match.split(",")]
            return "*" in tags or etag in tags
        since = _parse_date(self.headers.get("If-Modified-Since"))
        return since is not None and mtime <= since

    def _range(self, size: int, etag: str, mtime: int) -> tuple[int, int] | str | None:
        """(start, end) inclusive, "unsatisfiable", or None for the whole file."""
        header = self.headers.get("Range")
        if not header:
            return None
        if_range = self.headers.get("If-Range")
        if if_range is not None:
            if_range = if_range.strip()
            if if_range.startswith(('"', "W/")):
                if if_range != etag:  # If-Range needs a strong match
                    return None
            elif _parse_date(if_range) != mtime:
                return None
        unit, _, spec = header.partition("=")
        if unit.strip().lower() != "bytes" or "," in spec:
            return None  # other units and several ranges: the whole file, as RFC 9110 allows
        first, dash, last = spec.strip().partition("-")
        first, last = first.strip(), last.strip()
        if not dash or not (first.isdigit() or last.isdigit()) or (first and not first.isdigit()):
            return None
        if last and not last.isdigit():
            return None
        if not first:  # bytes=-N: the last N bytes
            n = int(last)
            if n == 0 or size == 0:
                return "unsatisfiable"
            return max(0, size - n), size - 1
        start = int(first)
        if start >= size:
            return "unsatisfiable"
        end = min(int(last), size - 1) if last else size - 1
        if end < start:
            return None
        return start, end


def _timeval(seconds: float) -> bytes:
    return struct.pack("ll", int(seconds), int((seconds % 1) * 1_000_000))


def _parse_date(value: str | None) -> int | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return int(parsed.timestamp())


class ShareServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # A classroom connects at once; Python's default backlog of 5 drops the rest, and
    # their clients wait a second before trying again.
    request_queue_size = 128

    def __init__(
        self,
        keeper: ViewKeeper,
        bind: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        on_event: Callable[[dict], None] | None = None,
    ) -> None:
        self.keeper = keeper
        self.store = keeper.paths.media
        self.on_event = on_event
        real_store = os.path.realpath(self.store)
        self.roots = (real_store, os.path.realpath(keeper.paths.catalogs))
        if ":" in bind:
            self.address_family = socket.AF_INET6
        try:
            super().__init__((bind, port), ShareHandler)
        except OSError as exc:
            raise BadInput(
                f"Cannot listen on {bind} port {port}: {exc.strerror}.",
                hint="Choose another port with --port, or another address with --bind.",
            ) from None

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        host = self.server_address[0]
        if host in ("0.0.0.0", "::"):
            host = _lan_address() or "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    def emit(self, event: dict) -> None:
        if self.on_event is not None:
            self.on_event(event)


def _lan_address() -> str | None:
    """This machine's address on its default route, without sending anything."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: connect() on UDP only picks a route
            return s.getsockname()[0]
        except OSError:
            return None


class RunningShare:
    """A share serving on a background thread: `with RunningShare(...) as share: share.url`."""

    def __init__(
        self,
        library: Path,
        *,
        bind: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        series: list[str] | None = None,
        on_event: Callable[[dict], None] | None = None,
    ) -> None:
        self.keeper = ViewKeeper(library, series)
        self.server = ShareServer(self.keeper, bind, port, on_event)
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, name="share", daemon=True
        )

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> RunningShare:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self.server.shutdown()
            self._thread.join()
        self.server.server_close()

    def __enter__(self) -> RunningShare:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
