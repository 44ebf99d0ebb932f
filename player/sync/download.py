"""Download one file over HTTP into the library: resumable, verified, and distrustful.

The bytes go to a part file in the library's tmp/ and reach `final_path` only after
their size and sha256 match the catalog. A broken connection resumes with
`Range: bytes=N-` and `If-Range`; a server that ignores the range, or whose file
changed, restarts the file from zero (a bounded number of times per sync run).
Nothing a server says is taken on trust: a 206 must start where we asked and agree
with the catalog's size, and no more than the catalog's size is ever read.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import httpx

from player.httppolicy import SpeedWatch
from player.library.store import HashMismatch
from player.sizes import human_size
from player.sync.errors import DownloadFailed, FileGone, RedirectError, RestartLimit
from player.sync.partfile import PartFile
from player.sync.ratelimit import RateLimiter
from player.sync.retry import RETRY_STATUSES, RestartBudget, RetryPolicy

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


class Interrupter:
    """Unblocks transfers waiting on a silent server, from another thread.

    A cancel flag is only seen between reads; a stalled read would otherwise last until
    the read timeout. Shutting the socket down makes that read fail at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def discard(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def interrupt(self) -> None:
        with self._lock:
            for sock in self._sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _socket_of(response: httpx.Response) -> socket.socket | None:
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    return sock if isinstance(sock, socket.socket) else None


class Status(StrEnum):
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class DownloadResult:
    status: Status
    # final_path when done; the kept part file when cancelled.
    path: Path
    bytes_on_disk: int
    # Bytes received from the network in this call (resumed bytes are not counted).
    transferred: int
    requests: int
    restarts: int

    @property
    def done(self) -> bool:
        return self.status is Status.DONE


class _Retry(Exception):
    """A transient failure: wait (Retry-After, else backoff) and try again."""

    def __init__(self, reason: str, *, delay: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.delay = delay


class _Again(Exception):
    """The part file was reset; ask again at once."""


class _Cancelled(Exception):
    pass


def download_file(
    client: httpx.Client,
    url: str,
    *,
    sha256: str,
    size: int,
    part_path: Path,
    final_path: Path,
    limiter: RateLimiter | None = None,
    policy: RetryPolicy | None = None,
    on_bytes: Callable[[int], None] | None = None,
    cancel: threading.Event | None = None,
    restarts: RestartBudget | None = None,
    interrupter: Interrupter | None = None,
) -> DownloadResult:
    """Fetch `url` into `final_path`, resuming from `part_path` if it holds earlier bytes.

    `on_bytes(n)` is called so that the sum of all calls equals the part file's size:
    once with the bytes already there, per chunk written, and negative when the part
    is emptied to restart. `restarts` is the sync run's shared budget; None gives this
    call its own of `policy.max_restarts`. An `interrupter` lets whoever sets `cancel`
    also break off a read that is waiting on the network.

    Returns a DONE result, or CANCELLED (part file fsynced and kept) when `cancel` is set.
    Raises DownloadFailed (or FileGone, RedirectError, RestartLimit), HashMismatch after a
    second mismatch, or DiskFull (the part file kept). On any failure `final_path` is untouched.
    """
    policy = policy or RetryPolicy()
    budget = restarts or RestartBudget(policy.max_restarts)
    job = _Download(client, url, sha256, size, limiter, policy, on_bytes, cancel, budget, interrupter)
    return job.run(part_path, final_path)


class _Download:
    def __init__(
        self,
        client: httpx.Client,
        url: str,
        sha256: str,
        size: int,
        limiter: RateLimiter | None,
        policy: RetryPolicy,
        on_bytes: Callable[[int], None] | None,
        cancel: threading.Event | None,
        budget: RestartBudget,
        interrupter: Interrupter | None = None,
    ) -> None:
        self.client = client
        self.interrupter = interrupter
        self.url = url
        self.sha256 = sha256
        self.size = size
        self.limiter = limiter
        self.policy = policy
        self.on_bytes = on_bytes
        self.cancel = cancel
        self.budget = budget
        self.requests = 0
        self.restarts = 0
        self.transferred = 0
        self._end = size

    def run(self, part_path: Path, final_path: Path) -> DownloadResult:
        part = PartFile(part_path, sha256=self.sha256, size=self.size)
        try:
            self._report(part.offset)
            return self._loop(part, final_path)
        except (FileGone, HashMismatch):
            # Nothing worth resuming: the file is gone or wrong. A full disk keeps its bytes
            # (nothing kept is deleted unasked); the next sync resumes from them.
            part.discard()
            raise
        except BaseException:
            self._keep(part)
            raise

    def _loop(self, part: PartFile, final_path: Path) -> DownloadResult:
        failures = 0
        hash_retried = False
        while True:
            if self._cancelled():
                return self._cancel(part)
            before = self.transferred
            try:
                self._attempt(part)
            except _Again:
                continue
            except _Cancelled:
                return self._cancel(part)
            except _Retry as retry:
                failures = 0 if self.transferred > before else failures + 1
                if failures >= self.policy.max_attempts:
                    raise DownloadFailed(
                        f"Could not download {self.url}: {retry.reason} "
                        f"(gave up after {failures} attempts in a row).",
                        url=self.url,
                        hint="Check the network connection, then sync again; it resumes where it stopped.",
                    ) from None
                delay = retry.delay if retry.delay is not None else self.policy.backoff(max(failures, 1))
                if self._wait(delay):
                    return self._cancel(part)
                continue
            if part.offset < self.size:
                continue  # an honest but shorter range than asked for; ask for the rest
            if part.complete():  # publish() fsyncs before the rename
                part.publish(final_path)
                return self._result(Status.DONE, final_path, self.size)
            self._report(-part.truncate())
            if hash_retried:
                raise HashMismatch(
                    f"{self.url} does not match the catalog (expected {self.size:,} bytes with "
                    f"sha256 {self.sha256[:12]}…), twice in a row.",
                    hint="The server's copy differs from the catalog; the publisher needs to fix it.",
                )
            hash_retried = True

    def _attempt(self, part: PartFile) -> None:
        """One request. Returns when the part file holds `size` bytes; raises otherwise."""
        asked = part.offset
        headers = {"Accept-Encoding": "identity"}
        if asked:
            headers["Range"] = f"bytes={asked}-"
            if part.validator:
                headers["If-Range"] = part.validator
        try:
            with self._open(headers) as response:
                status = response.status_code
                if status in (200, 206):
                    self._refuse_encoded(response)
                if status == 206:
                    self._accept_partial(response, part, asked)
                elif status == 200:
                    self._accept_full(response, part, asked)
                elif status == 416:
                    self._unsatisfiable(part, asked)
                    return
                else:
                    self._refuse(response)
                self._stream(response, part)
        except httpx.UnsupportedProtocol as exc:
            raise DownloadFailed(f"Cannot download {self.url}: {exc}.", url=self.url) from None
        except httpx.TimeoutException as exc:
            raise _Retry(f"the server did not answer in time ({type(exc).__name__})") from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise _Retry(f"the connection failed ({type(exc).__name__}: {exc})") from None

    @contextmanager
    def _open(self, headers: dict[str, str]) -> Iterator[httpx.Response]:
        """Send the request, following a bounded number of redirects ourselves, so the
        limit comes from the policy rather than from however the shared client was built."""
        request = self.client.build_request("GET", self.url, headers=headers, timeout=self.policy.timeout())
        seen = {str(request.url)}
        for _ in range(self.policy.max_redirects + 1):
            self.requests += 1
            response = self.client.send(request, stream=True, follow_redirects=False)
            if not response.has_redirect_location or response.next_request is None:
                sock = _socket_of(response) if self.interrupter is not None else None
                if sock is not None:
                    self.interrupter.add(sock)
                try:
                    if self._cancelled():  # cancelled while the request was on its way
                        raise _Cancelled()
                    yield response
                finally:
                    if sock is not None:
                        self.interrupter.discard(sock)
                    response.close()
                return
            response.close()
            request = response.next_request
            target = str(request.url)
            if target in seen:
                raise RedirectError(
                    f"{self.url} redirects in a loop (back to {target}).",
                    url=self.url,
                    status=response.status_code,
                )
            seen.add(target)
        raise RedirectError(
            f"{self.url} redirects more than {self.policy.max_redirects} times.", url=self.url
        )

    def _accept_partial(self, response: httpx.Response, part: PartFile, asked: int) -> None:
        if not asked:
            raise _Retry("the server sent part of the file when the whole file was asked for")
        match = _CONTENT_RANGE.fullmatch(response.headers.get("content-range", "").strip())
        if not match:
            raise _Retry("the server's partial response has no usable Content-Range")
        start, end, total = (int(g) for g in match.groups())
        if start != asked:
            raise _Retry(f"the server resumed at byte {start:,} instead of {asked:,}")
        if total != self.size:
            raise _Retry(f"the server says the file has {total:,} bytes; the catalog says {self.size:,}")
        if end < start or end >= total:
            raise _Retry(f"the server sent an impossible range {start}-{end}/{total}")
        etag = response.headers.get("etag")
        if part.etag and etag and etag != part.etag:
            # The server ignored If-Range: these bytes belong to a different version.
            self._restart(part, "the file changed on the server")
            raise _Again
        self._end = end + 1

    def _accept_full(self, response: httpx.Response, part: PartFile, asked: int) -> None:
        length = response.headers.get("content-length")
        if length is not None and length.strip() != str(self.size):
            raise _Retry(f"the server sends {length} bytes; the catalog says {self.size:,}")
        if asked:
            # The range was ignored, or If-Range found a new version: start clean from zero.
            self._restart(part, "the server ignored the request to resume")
        part.remember(response.headers.get("etag"), response.headers.get("last-modified"))
        self._end = self.size

    def _refuse_encoded(self, response: httpx.Response) -> None:
        # Media are read as sent, never inflated: a small compressed answer could otherwise
        # grow without bound in memory, and its byte offsets could not be resumed.
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            raise DownloadFailed(
                f"{self.url} came compressed ({encoding}) although it was asked for as stored, "
                "so it was refused.",
                url=self.url,
                status=response.status_code,
                hint="The server must send media files as they are; the publisher needs to fix it.",
            )

    def _unsatisfiable(self, part: PartFile, asked: int) -> None:
        if asked and asked == self.size:
            return  # the part file already holds every byte; the caller verifies it
        if not asked:
            raise _Retry("the server refused the whole file with HTTP 416")
        self._restart(part, "the server cannot resume from the bytes we have")
        raise _Again

    def _refuse(self, response: httpx.Response) -> None:
        status = response.status_code
        if status in RETRY_STATUSES:
            raise _Retry(
                f"the server answered HTTP {status}",
                delay=self.policy.retry_after(response.headers.get("retry-after")),
            )
        if status in (404, 410):
            raise FileGone(
                f"{self.url} is not on the server (HTTP {status}).",
                url=self.url,
                status=status,
                hint="The publisher's catalog lists a file the server does not have.",
            )
        raise DownloadFailed(f"{self.url} answered HTTP {status}.", url=self.url, status=status)

    def _restart(self, part: PartFile, reason: str) -> None:
        if not self.budget.spend(self.sha256):
            raise RestartLimit(
                f"Could not download {self.url}: {reason}, and it restarted from zero "
                f"{self.budget.limit} times already.",
                url=self.url,
                hint="The server does not support resuming; try again later.",
            )
        self.restarts += 1
        self._report(-part.truncate())

    def _stream(self, response: httpx.Response, part: PartFile) -> None:
        watch = SpeedWatch(self.policy.min_rate, self.policy.low_speed_time)
        for chunk in response.iter_raw():
            room = self._end - part.offset
            if len(chunk) > room:
                self._write(part, chunk[:room])
                raise _Retry(f"the server sent more than the catalog's {self.size:,} bytes")
            self._write(part, chunk)
            if self._cancelled():
                raise _Cancelled
            if self.limiter is not None:
                started = time.monotonic()
                allowed = self.limiter.acquire(len(chunk), self.cancel)
                watch.exclude(time.monotonic() - started)
                if not allowed:
                    raise _Cancelled
            slow = watch.update(len(chunk))
            if slow is not None:
                raise _Retry(
                    f"the download slowed to {human_size(slow)}/s, under "
                    f"{human_size(self.policy.min_rate)}/s for {self.policy.low_speed_time:g} s"
                )
        if part.offset < self._end:
            raise _Retry("the connection ended before the whole file arrived")

    def _write(self, part: PartFile, data: bytes) -> None:
        if not data:
            return
        before = part.offset
        try:
            part.append(data)
        finally:
            self.transferred += part.offset - before
            self._report(part.offset - before)

    def _report(self, nbytes: int) -> None:
        if self.on_bytes is not None and nbytes:
            self.on_bytes(nbytes)

    def _cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def _wait(self, seconds: float) -> bool:
        """Sleep before a retry; True if cancelled meanwhile."""
        if self.cancel is not None:
            return self.cancel.wait(seconds)
        time.sleep(seconds)
        return False

    def _keep(self, part: PartFile) -> None:
        # Bytes that reached the file stay valid; make them durable for the next resume.
        with suppress(OSError):
            part.sync()
        part.close()

    def _cancel(self, part: PartFile) -> DownloadResult:
        offset = part.offset
        self._keep(part)
        return self._result(Status.CANCELLED, part.path, offset)

    def _result(self, status: Status, path: Path, on_disk: int) -> DownloadResult:
        return DownloadResult(status, path, on_disk, self.transferred, self.requests, self.restarts)
