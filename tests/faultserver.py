"""A real HTTP/1.1 server on 127.0.0.1 that misbehaves on request, for download tests.

Normal mode serves in-memory files with ETag, Last-Modified, Range, If-Range, 206 and 416.
Faults are armed per path, optionally for the first N requests only, and combine
(e.g. "change_etag" on every request plus "drop_mid_body" once):

    with FaultServer() as server:
        url = server.add_file("/f.bin", data)
        server.set_fault("/f.bin", "drop_mid_body", times=1, after=1000)
        ...
        server.requests("/f.bin")   # what the client asked for, and how many body bytes it got

Fault modes and their options:
    drop_mid_body  after=N      send N body bytes, then close the connection (FIN)
    short_body     missing=N    honest Content-Length, N bytes short, then close
    long_body      extra=N      honest Content-Length, then N junk bytes more
    reset          after=N      send N body bytes, then a TCP RST (SO_LINGER 0)
    trickle        after=N, rate=B/s, piece=N   fast for N bytes, then slow
    endless                     the file then junk, with no length, until the client hangs up
    ignore_range                always 200 with the whole file
    change_etag                 a new ETag and Last-Modified on every request (If-Range never matches)
    status         code=C, retry_after=S, body=B   answer status C (429, 503, 500, 404, 416, ...)
    redirect       to=PATH, code=C                 redirect (two redirects to each other loop)
    corrupt        offset=K     flip the byte at file offset K
    wrong_offset   shift=N      206 starting N bytes later than asked, saying so
    wrong_total    extra=N      206 whose Content-Range total is N bytes too big
    blackhole      hold=S       accept the request and never answer (until stop or S seconds)
    gzip           inflated=N   200 with Content-Encoding: gzip, a small body that inflates to N zeros
"""

from __future__ import annotations

import contextlib
import functools
import random
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAULT_MODES = frozenset(
    {
        "drop_mid_body",
        "short_body",
        "long_body",
        "reset",
        "trickle",
        "endless",
        "ignore_range",
        "change_etag",
        "status",
        "redirect",
        "corrupt",
        "wrong_offset",
        "wrong_total",
        "blackhole",
        "gzip",
    }
)
_PIECE = 64 * 1024
_ENDLESS_CAP = 256 * 1024 * 1024  # "endless" still ends, so a broken client cannot pin a thread
_HOLD_DEFAULT = 30.0


@dataclass
class Served:
    data: bytes
    etag: str | None
    last_modified: str | None


@dataclass
class Request:
    """One request as the server saw it, and what it answered."""

    method: str
    path: str
    range: str | None
    if_range: str | None
    at: float  # time.monotonic() when the request arrived
    headers: dict[str, str]  # names in lower case
    status: int | None = None
    sent: int = 0  # body bytes written to the socket
    # Bytes the client's kernel acknowledged on this connection by the time it ended
    # (headers included; Linux only, else None): what crossed the wire, unlike `sent`,
    # which counts bytes that may still wait in this server's send buffer.
    acked: int | None = None


@dataclass
class _Fault:
    mode: str
    times: int | None
    options: dict[str, Any] = field(default_factory=dict)


class FaultServer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, Served] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._requests: list[Request] = []
        self._counts: dict[str, int] = {}
        self._arrived = threading.Condition(self._lock)
        self.stopping = threading.Event()
        self._httpd = _Server(self)
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> FaultServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and wait for every connection thread; raises if one will not end."""
        self.stopping.set()
        self._httpd.shutdown()
        if self._thread is not None:
            self._thread.join()
        stuck = self._httpd.close_all(timeout=5.0)
        self._httpd.server_close()
        if stuck:
            raise RuntimeError(f"{stuck} fault server threads did not stop")

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- configuration ---------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def add_file(self, path: str, data: bytes, *, etag: bool = True, last_modified: bool = True) -> str:
        """Serve `data` at `path`; returns its URL."""
        tag = f'"{hash(data) & 0xFFFFFFFF:08x}-{len(data)}"' if etag else None
        stamp = formatdate(time.time() - 3600, usegmt=True) if last_modified else None
        with self._lock:
            self._files[path] = Served(data, tag, stamp)
        return self.url(path)

    def set_fault(self, path: str, mode: str, *, times: int | None = None, **options: Any) -> None:
        """Arm `mode` at `path` for the next `times` requests (None: all of them)."""
        if mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {mode!r}")
        with self._lock:
            self._faults.setdefault(path, []).append(_Fault(mode, times, options))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    # -- observations ----------------------------------------------------------------

    def served(self, path: str) -> Served:
        """The file at `path` with the validators the server sends for it."""
        with self._lock:
            return self._files[path]

    def requests(self, path: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self._requests if path is None or r.path == path]

    def bytes_sent(self, path: str | None = None) -> int:
        return sum(r.sent for r in self.requests(path))

    def wait_for_requests(self, count: int, path: str | None = None, timeout: float = 10.0) -> list[Request]:
        """Block until `count` requests (to `path`) have arrived; raises on timeout."""
        with self._arrived:
            done = self._arrived.wait_for(
                lambda: sum(path is None or r.path == path for r in self._requests) >= count, timeout
            )
        if not done:
            raise TimeoutError(f"fewer than {count} requests arrived within {timeout} s")
        return self.requests(path)

    def wait_for_idle(self, timeout: float = 10.0) -> None:
        """Block until every connection has ended (each client hung up); raises on timeout."""
        if self._httpd.join_all(timeout):
            raise TimeoutError(f"connections were still open after {timeout} s")

    # -- used by the handler ---------------------------------------------------------

    def _arrive(self, request: Request) -> tuple[int, dict[str, dict[str, Any]], Served | None]:
        with self._lock:
            self._requests.append(request)
            self._arrived.notify_all()
            count = self._counts[request.path] = self._counts.get(request.path, 0) + 1
            active: dict[str, dict[str, Any]] = {}
            for fault in self._faults.get(request.path, []):
                if fault.times is None or fault.times > 0:
                    if fault.times is not None:
                        fault.times -= 1
                    active.setdefault(fault.mode, fault.options)
            return count, active, self._files.get(request.path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # we join our own threads in close_all, with a bound

    def __init__(self, owner: FaultServer) -> None:
        self.owner = owner
        self._live: set[tuple[threading.Thread, socket.socket]] = set()
        self._live_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(target=self._serve, args=(request, client_address), daemon=True)
        with self._live_lock:
            self._live.add((thread, request))
        thread.start()

    def _serve(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._live_lock:
                self._live.discard((threading.current_thread(), request))

    def join_all(self, timeout: float) -> int:
        """Wait for every connection thread to end by itself; returns how many did not."""
        with self._live_lock:
            live = list(self._live)
        deadline = time.monotonic() + timeout
        for thread, _ in live:
            thread.join(max(0.0, deadline - time.monotonic()))
        return sum(thread.is_alive() for thread, _ in live)

    def close_all(self, timeout: float) -> int:
        """Wake every connection thread (idle keep-alive reads included) and join them."""
        with self._live_lock:
            live = list(self._live)
        for _, sock in live:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for thread, _ in live:
            thread.join(max(0.0, deadline - time.monotonic()))
        return sum(thread.is_alive() for thread, _ in live)


class _Gone(Exception):
    """The client hung up; stop writing."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # an idle keep-alive connection cannot hold a thread for long
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self._records: list[Request] = []

    def finish(self) -> None:
        # An answer may sit in the send buffer long after it was written: count at the end.
        acked = _bytes_acked(self.connection)
        for record in self._records:
            record.acked = acked
        with contextlib.suppress(OSError):
            super().finish()

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, *, body: bool) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        record = Request(
            method=self.command,
            path=path,
            range=self.headers.get("Range"),
            if_range=self.headers.get("If-Range"),
            at=time.monotonic(),
            headers={name.lower(): value for name, value in self.headers.items()},
        )
        count, faults, served = owner._arrive(record)
        self._records.append(record)
        try:
            self._respond(record, count, faults, served, body=body)
        except (_Gone, OSError):
            self.close_connection = True

    def _respond(
        self,
        record: Request,
        count: int,
        faults: dict[str, dict[str, Any]],
        served: Served | None,
        *,
        body: bool,
    ) -> None:
        if "blackhole" in faults:
            self.server.owner.stopping.wait(faults["blackhole"].get("hold", _HOLD_DEFAULT))
            self.close_connection = True
            return
        if "status" in faults:
            opts = faults["status"]
            extra = {"Retry-After": str(opts["retry_after"])} if "retry_after" in opts else {}
            self._simple(record, int(opts["code"]), opts.get("body", b"fault\n"), extra)
            return
        if "gzip" in faults:
            bomb = gzip_of_zeros(int(faults["gzip"].get("inflated", 1 << 30)))
            self._simple(record, 200, bomb, {"Content-Encoding": "gzip", "Content-Type": "video/mp4"})
            return
        if "redirect" in faults:
            opts = faults["redirect"]
            self._simple(record, int(opts.get("code", 302)), b"", {"Location": opts["to"]})
            return
        if served is None:
            self._simple(record, 404, b"not found\n", {})
            return

        data, etag, last_modified = served.data, served.etag, served.last_modified
        if "change_etag" in faults:
            etag = f'"changed-{count}"'
            last_modified = formatdate(time.time() - 3600 + count, usegmt=True)
        total = len(data)
        start, end, partial = 0, total - 1, False
        wanted = _parse_range(record.range) if "ignore_range" not in faults else None
        validator_ok = record.if_range is None or record.if_range in (etag, last_modified)
        if wanted is not None and validator_ok:
            start, end = wanted[0], min(wanted[1] if wanted[1] is not None else total - 1, total - 1)
            if start >= total:
                self._simple(record, 416, b"", {"Content-Range": f"bytes */{total}"})
                return
            partial = True
        if partial and "wrong_offset" in faults:
            start = min(start + int(faults["wrong_offset"].get("shift", 1)), end)
        declared_total = (
            total + int(faults["wrong_total"].get("extra", 1)) if "wrong_total" in faults else total
        )

        # A view, not a copy: tests measure the client's memory with the server in-process.
        payload: bytes | memoryview = memoryview(data)[start : end + 1]
        if "corrupt" in faults:
            at = int(faults["corrupt"].get("offset", 0)) - start
            if 0 <= at < len(payload):
                damaged = bytearray(payload)
                damaged[at] ^= 0xFF
                payload = bytes(damaged)

        endless = "endless" in faults
        record.status = 206 if partial else 200
        self.send_response(record.status)
        if not endless:
            self.send_header("Content-Length", str(len(payload)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        if partial:
            self.send_header("Content-Range", f"bytes {start}-{end}/{declared_total}")
        if etag:
            self.send_header("ETag", etag)
        if last_modified:
            self.send_header("Last-Modified", last_modified)
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if body:
            self._deliver(record, memoryview(payload), faults)

    def _deliver(self, record: Request, payload: memoryview, faults: dict[str, dict[str, Any]]) -> None:
        if "drop_mid_body" in faults:
            self._send(record, payload[: int(faults["drop_mid_body"].get("after", len(payload) // 2))])
            self._hang_up()
        elif "short_body" in faults:
            self._send(record, payload[: max(0, len(payload) - int(faults["short_body"].get("missing", 1)))])
            self._hang_up()
        elif "reset" in faults:
            self._send(record, payload[: int(faults["reset"].get("after", len(payload) // 2))])
            self._reset()
        elif "trickle" in faults:
            opts = faults["trickle"]
            after = int(opts.get("after", 0))
            self._send(record, payload[:after])
            self._trickle(record, payload[after:], float(opts.get("rate", 100)), int(opts.get("piece", 10)))
        elif "endless" in faults:
            self._send(record, payload)
            junk = b"\0" * _PIECE
            while record.sent < _ENDLESS_CAP and not self.server.owner.stopping.is_set():
                self._send(record, junk)
        else:
            self._send(record, payload)
            if "long_body" in faults:
                self._send(record, b"J" * int(faults["long_body"].get("extra", 100)))
                self.close_connection = True

    def _send(self, record: Request, data: bytes | memoryview) -> None:
        for i in range(0, len(data), _PIECE):
            piece = data[i : i + _PIECE]
            try:
                self.wfile.write(piece)
            except OSError as exc:
                raise _Gone from exc
            record.sent += len(piece)

    def _trickle(self, record: Request, data: memoryview, rate: float, piece: int) -> None:
        interval = piece / rate
        for i in range(0, len(data), piece):
            # The stop event doubles as the pacing clock, so stopping the server ends the trickle.
            if self.server.owner.stopping.wait(interval):
                raise _Gone
            self._send(record, data[i : i + piece])

    def _simple(self, record: Request, status: int, payload: bytes, headers: dict[str, str]) -> None:
        record.status = status
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self._send(record, payload)

    def _hang_up(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _reset(self) -> None:
        """Close with SO_LINGER 0: the kernel sends RST instead of FIN."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The socket only really closes once its reader is closed too.
        self.rfile.close()
        self.connection.close()


def _bytes_acked(sock: socket.socket) -> int | None:
    """tcp_info's tcpi_bytes_acked (Linux 4.1 and later), or None where it cannot be read."""
    with contextlib.suppress(OSError, AttributeError, struct.error):
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
        if len(info) >= 128:
            return struct.unpack_from("Q", info, 120)[0]
    return None


def _parse_range(value: str | None) -> tuple[int, int | None] | None:
    """`bytes=N-` or `bytes=N-M`; anything else is ignored, as a server may."""
    if not value or not value.startswith("bytes="):
        return None
    first, _, last = value[6:].strip().partition("-")
    if not first.isdigit() or (last and not last.isdigit()) or "," in value:
        return None
    return int(first), int(last) if last else None


def sample_bytes(size: int, seed: int = 0) -> bytes:
    """Reproducible bytes that do not compress, so no layer can shortcut them."""
    return random.Random(seed).randbytes(size)


@functools.cache
def gzip_of_zeros(size: int) -> bytes:
    """A gzip stream of `size` zero bytes: about a thousandth of that size."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    out = [packer.compress(block) for _ in range(size >> 20)]
    out.append(packer.compress(bytes(size & ((1 << 20) - 1))))
    out.append(packer.flush())
    return b"".join(out)
