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
from player.share.headers import byte_range, not_modified, number
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
_PROTOCOL_ERRORS = {
    HTTPStatus.BAD_REQUEST: "That is not a valid HTTP request.",
    HTTPStatus.REQUEST_URI_TOO_LONG: "That address is too long.",
    HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE: "The request's headers are too large.",
    HTTPStatus.HTTP_VERSION_NOT_SUPPORTED: "That HTTP version is not supported.",
}


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
    # Not HTTP/0.9, whose answers have no status line: a request line that does not parse
    # still gets one, with its 400.
    default_request_version = "HTTP/1.0"
    server_version = f"lecture-player/{PLAYER_VERSION}"
    sys_version = ""
    timeout = 120  # an idle keep-alive connection frees its thread after this

    server: ShareServer
    # Set only once the request line parses; a malformed or over-long one is answered
    # (and logged) without it.
    path = ""

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
        length = number(self.headers.get("Content-Length", ""))
        if length is not None and length <= _CHUNK:
            self.rfile.read(length)
        elif "Content-Length" in self.headers or self.headers.get("Transfer-Encoding"):
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def log_request(self, code: object = "-", size: object = "-") -> None:
        self.server.emit(
            {
                "event": "request",
                "client": self.client_address[0],
                "method": self.command or "-",
                "path": self.path,
                "status": int(code) if str(code).isdigit() else code,
            }
        )

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The answer to a request that could not be parsed (the request line, its length,
        the headers): the same JSON error as every other, and the connection closed."""
        status = HTTPStatus(code)
        self._error(status, _PROTOCOL_ERRORS.get(status, f"{status.phrase}."), close=True)
        self._discard_input()

    def _discard_input(self) -> None:
        # The rest of a refused request may still be arriving; closing a socket with unread
        # input sends a reset, which can destroy the answer before the client reads it.
        # So the sending side is closed first and what is left is read and dropped, briefly.
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(2)
            left = 1 << 20
            while left > 0 and (data := self.connection.recv(min(65536, left))):
                left -= len(data)

    def _error(
        self,
        status: HTTPStatus,
        message: str,
        *,
        extra: dict[str, str] | None = None,
        close: bool = False,
    ) -> None:
        body = json.dumps({"error": message}).encode() + b"\n"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if close or status == HTTPStatus.BAD_REQUEST:
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
            if not_modified(self.headers, etag, mtime):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            span = byte_range(self.headers, size, etag, mtime)
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


def _timeval(seconds: float) -> bytes:
    return struct.pack("ll", int(seconds), int((seconds % 1) * 1_000_000))


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
