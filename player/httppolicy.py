"""How every HTTP fetch of the app behaves: timeouts, the slowest speed accepted, a deadline.

Below every layer (the catalog layer fetches with it) and without Qt. Every httpx client
of the app is made here, so a server can hold none of them longer than this says:

- connecting and each read have a timeout, which only catches total silence;
- like curl's --speed-limit/--speed-time, a transfer averaging under `min_rate` bytes/s
  over `low_speed_time` seconds is given up: a server dripping a byte every few seconds
  never times out a read, yet would hold a fetch forever;
- a small document (a catalog, its signature) must arrive whole within `deadline`
  seconds, from the connection to the last byte, whatever the server does meanwhile;
- bodies are read as sent (`Accept-Encoding: identity`, no decoding): what is stored
  or hashed is what the server sent, and a small compressed answer cannot inflate in memory.

Media downloads use the same rule through `SpeedWatch`, and a client whose socket
receive buffer is sized to a rate cap (`media_client`).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import httpx

USER_AGENT = "lecture-player/0.1"
# The most a kill may throw away under a rate cap: bytes the kernel took in for us while
# the rate limiter held the reader back, which never reach the part file.
KILL_WASTE_BUDGET = 1 << 20
_MIN_RECEIVE_BUFFER = 16 * 1024


@dataclass(frozen=True)
class HttpPolicy:
    """The timing rules of one kind of fetch. Tests shrink them to run in milliseconds."""

    connect_timeout: float = 15.0
    read_timeout: float = 60.0
    # Below min_rate bytes/s, averaged over low_speed_time seconds, the transfer is given up.
    min_rate: float = 1024.0
    low_speed_time: float = 60.0
    # Seconds for the whole exchange, for small documents; None for media, which may be large.
    deadline: float | None = None
    max_redirects: int = 10

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.read_timeout,
            write=self.read_timeout,
            pool=self.connect_timeout,
        )


# Catalogs and signatures: small, so a slow server is given up on sooner than for media.
DOCUMENTS = HttpPolicy(
    connect_timeout=10.0, read_timeout=30.0, low_speed_time=10.0, deadline=300.0, max_redirects=5
)


class TooSlow(httpx.TimeoutException):
    """The server kept the connection alive but too slow to use, or past the deadline."""


def client(
    policy: HttpPolicy = DOCUMENTS,
    *,
    limits: httpx.Limits | None = None,
    socket_options: list[tuple[int, int, int]] | None = None,
) -> httpx.Client:
    """An httpx client with the policy's timeouts that follows at most its redirects."""
    transport = httpx.HTTPTransport(limits=limits or httpx.Limits(), socket_options=socket_options)
    return httpx.Client(
        timeout=policy.timeout(),
        follow_redirects=True,
        max_redirects=policy.max_redirects,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        transport=transport,
    )


def receive_buffer(max_rate: float | None, jobs: int) -> int | None:
    """Socket receive buffer for each of `jobs` transfers sharing a cap of `max_rate` bytes/s.

    Under a cap the reader sleeps and the kernel fills the buffer (several MB, autotuned);
    a kill throws all of it away. Half a second of each transfer's share keeps the cap's
    speed, and the buffers together stay within KILL_WASTE_BUDGET. Without a cap the
    reader drains the buffer at once, so the kernel's autotuning is kept (None).
    """
    if max_rate is None:
        return None
    jobs = max(1, jobs)
    # Linux doubles the value asked for, half of which holds data; so ask for half the room.
    wanted = max_rate / jobs * 0.5
    return int(max(_MIN_RECEIVE_BUFFER, min(wanted, KILL_WASTE_BUDGET / jobs / 2)))


def media_client(policy: HttpPolicy, *, max_rate: float | None, jobs: int) -> httpx.Client:
    """The client of a sync run: one pool for `jobs` parallel downloads under `max_rate`."""
    size = receive_buffer(max_rate, jobs)
    options = None if size is None else [(socket.SOL_SOCKET, socket.SO_RCVBUF, size)]
    return client(policy, limits=httpx.Limits(max_connections=max(2, jobs * 2)), socket_options=options)


class SpeedWatch:
    """Notices a transfer that still trickles bytes but too slowly to ever finish."""

    def __init__(self, min_rate: float, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.min_rate = min_rate
        self.window = window
        self._clock = clock
        self._restart(clock())

    def _restart(self, now: float) -> None:
        self._start = now
        self._bytes = 0
        self._excluded = 0.0

    def exclude(self, seconds: float) -> None:
        """Time we held the connection back ourselves (rate limiting) is not the server's fault."""
        self._excluded += seconds

    def update(self, nbytes: int) -> float | None:
        """Count `nbytes` received; returns the measured rate if it is below the limit."""
        if self.min_rate <= 0 or self.window <= 0:
            return None
        self._bytes += nbytes
        now = self._clock()
        elapsed = now - self._start - self._excluded
        if elapsed < self.window:
            return None
        rate = self._bytes / elapsed
        if rate < self.min_rate:
            return rate
        self._restart(now)
        return None


class _Watchdog:
    """Shuts the exchange's sockets down when the deadline passes, ending any blocked read."""

    def __init__(self, seconds: float | None) -> None:
        self.fired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._fire) if seconds else None
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()

    def trace(self, event: str, info: dict) -> None:
        # httpcore's trace extension: every new connection of the exchange, redirects included.
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self.watch(info.get("return_value"))

    def watch(self, stream: object) -> None:
        get = getattr(stream, "get_extra_info", None)
        sock = get("socket") if get is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class Exchange:
    """A streamed response read under the policy: raw bytes, minimum speed, deadline."""

    def __init__(self, response: httpx.Response, policy: HttpPolicy, watchdog: _Watchdog) -> None:
        self.response = response
        self.policy = policy
        self._watchdog = watchdog
        self._started = time.monotonic()

    def chunks(self) -> Iterator[bytes]:
        policy = self.policy
        watch = SpeedWatch(policy.min_rate, policy.low_speed_time)
        for chunk in self.response.iter_raw():
            yield chunk
            slow = watch.update(len(chunk))
            if slow is not None:
                raise TooSlow(
                    f"the server sent {slow:.0f} bytes/s, under {policy.min_rate:.0f} bytes/s "
                    f"for {policy.low_speed_time:g} s"
                )
            if policy.deadline and time.monotonic() - self._started > policy.deadline:
                raise _late(policy)


def _late(policy: HttpPolicy) -> TooSlow:
    return TooSlow(f"the answer did not arrive whole within {policy.deadline:g} s")


@contextmanager
def fetch(
    http: httpx.Client, url: str, *, policy: HttpPolicy = DOCUMENTS, headers: dict[str, str] | None = None
) -> Iterator[Exchange]:
    """GET `url` as a stream, the whole exchange bounded by `policy` (see the module's rules)."""
    watchdog = _Watchdog(policy.deadline)
    try:
        with http.stream(
            "GET",
            url,
            headers={"Accept-Encoding": "identity", **(headers or {})},
            timeout=policy.timeout(),
            extensions={"trace": watchdog.trace},
        ) as response:
            # A kept-alive connection was not seen connecting; watch it from here on.
            watchdog.watch(response.extensions.get("network_stream"))
            yield Exchange(response, policy, watchdog)
    except httpx.TransportError as exc:
        if watchdog.fired and not isinstance(exc, TooSlow):
            raise _late(policy) from None
        raise
    finally:
        watchdog.cancel()
