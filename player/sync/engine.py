"""A sync run: refresh the catalogs, plan, queue, fetch, record. No Qt here.

The library connection is used only by the thread that calls `run()`; the worker
threads fetch bytes and hand results back through a queue. Progress leaves as plain
events `(name, info)` through the `on_event` callback:

    source      {source_id, version, added, changed, withdrawn} or {source_id, error}
    plan        the plan as `plan_to_json` gives it
    waiting     {until}                         outside the sync window
    file_started {sha256, name, size, have}
    bytes       {done, total, rate, files: [{sha256, done, size}]}   at most ~10 a second
    file_done   {sha256, name, size}
    file_failed {sha256, name, reason}
    paused / resumed {}                          every transfer has stopped / starts again
    finished    {files_done, files_failed, bytes, seconds, cancelled}

`pause()`, `resume()` and `cancel()` may be called from any thread: pausing or
cancelling stops the transfers in flight and keeps their partial bytes.
"""

from __future__ import annotations

import hashlib
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx

from player import httppolicy
from player.catalog import hrefs
from player.errors import PlayerError
from player.library.db import Library
from player.library.store import put_file
from player.sync import queue as sync_queue
from player.sync.catalogs import refresh_sources
from player.sync.download import Interrupter, download_file
from player.sync.errors import DiskFull
from player.sync.history import finish_sync
from player.sync.plan import Plan, build_plan
from player.sync.ratelimit import RateLimiter
from player.sync.report import plan_to_json
from player.sync.retry import RestartBudget, RetryPolicy
from player.sync.window import SyncWindow

Event = Callable[[str, dict], None]
# Files marked present per database commit, at most; and at most this long between commits.
_COMMIT_FILES = 200
_COMMIT_SECONDS = 1.0
_BYTES_EVENT_INTERVAL = 0.1


@dataclass
class SyncOptions:
    series: list[str] | None = None
    max_rate: float | None = None  # bytes per second, across all jobs
    window: SyncWindow | None = None
    wait_for_window: bool = False
    jobs: int = 2
    dry_run: bool = False
    reserve: int | None = None
    refresh: bool = True  # fetch the catalogs first
    # sha256 -> a local copy to try before the candidates (`sync --from` a bundle or mirror).
    local_files: dict[str, Path] = field(default_factory=dict)
    policy: RetryPolicy = field(default_factory=RetryPolicy)


@dataclass
class SyncResult:
    plan: Plan | None = None
    files_done: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    source_errors: list[tuple[str, str]] = field(default_factory=list)
    bytes: int = 0
    cancelled: bool = False
    outside_window: bool = False


class OutsideWindow(PlayerError):
    """Syncing is limited to hours that are not now."""


@dataclass
class _Outcome:
    job: sync_queue.Job
    path: Path | None = None
    error: str | None = None
    cancelled: bool = False
    fatal: PlayerError | None = None  # stops the whole sync (a full disk)


class SyncEngine:
    def __init__(
        self, lib: Library, options: SyncOptions | None = None, on_event: Event | None = None
    ) -> None:
        self.lib = lib
        self.options = options or SyncOptions()
        self._emit = on_event or (lambda name, info: None)
        self._stop = threading.Event()  # set while paused or cancelled: transfers stop
        self._resumed = threading.Event()
        self._resumed.set()
        self._cancel_event = threading.Event()
        self._interrupter = Interrupter()
        self._limiter = RateLimiter(self.options.max_rate)
        self._progress_lock = threading.Lock()
        self._done_bytes = 0
        self._total_bytes = 0
        self._last_event = 0.0
        self._started = time.monotonic()
        self._rate = 0.0
        self._rate_mark = (self._started, 0)
        self._file_bytes: dict[str, int] = {}
        self._active: dict[str, int] = {}  # sha256 -> size, of the files being fetched

    @property
    def _cancelled(self) -> bool:
        return self._cancel_event.is_set()

    # Control, from any thread.
    def pause(self) -> None:
        self._resumed.clear()
        self._stop.set()
        self._interrupter.interrupt()

    def resume(self) -> None:
        if not self._cancelled:
            self._stop.clear()
            self._resumed.set()

    def cancel(self) -> None:
        self._cancel_event.set()
        self._stop.set()
        self._resumed.set()
        self._interrupter.interrupt()

    def set_max_rate(self, rate: float | None) -> None:
        self._limiter.set_rate(rate)

    def run(self) -> SyncResult:
        lib, options = self.lib, self.options
        result = SyncResult()
        if options.refresh:
            for source_id, info in refresh_sources(lib):
                self._emit("source", {"source_id": source_id, **info})
                if "error" in info:
                    result.source_errors.append((source_id, info["error"]))
        plan = build_plan(lib, options.series, reserve=options.reserve)
        result.plan = plan
        self._emit("plan", plan_to_json(plan))
        if options.dry_run:
            return result
        plan.check_fits()
        sync_queue.enqueue(lib, plan)
        jobs = sync_queue.next_batch(lib, 1_000_000)
        if jobs and not self._wait_for_window():
            result.outside_window = True
            return result
        # The bytes already in part files arrive through on_bytes as each file starts.
        self._total_bytes = sum(j.size for j in jobs)
        try:
            self._fetch(jobs, result)
        except sqlite3.OperationalError as exc:
            if "full" not in str(exc):
                raise
            # The failed transaction was rolled back: the library is as it was before it.
            raise DiskFull(
                f"The disk is full: the library database at {lib.paths.db} cannot record the sync.",
                hint="Free some space on that disk, then sync again; it resumes where it stopped.",
            ) from None
        finish_sync(lib, plan)
        result.cancelled = self._cancelled
        self._emit(
            "finished",
            {
                "files_done": result.files_done,
                "files_failed": len(result.failed),
                "bytes": result.bytes,
                "seconds": round(time.monotonic() - self._started, 2),
                "cancelled": result.cancelled,
            },
        )
        return result

    def _wait_for_window(self) -> bool:
        window = self.options.window
        if window is None or window.is_open():
            return True
        until = window.next_opening()
        if not self.options.wait_for_window:
            raise OutsideWindow(
                f"Syncing is limited to {window}, and it is outside those hours now.",
                hint=f"Run again after {until:%H:%M}, add --wait to wait for it, or leave out --window.",
            )
        self._emit("waiting", {"until": until.isoformat(timespec="minutes")})
        while not window.is_open():
            if self._cancel_event.wait(min(60.0, max(1.0, window.seconds_until_open()))):
                return False
        return True

    def _fetch(self, jobs: list[sync_queue.Job], result: SyncResult) -> None:
        _use_large_reads()
        outcomes: queue.Queue[_Outcome] = queue.Queue()
        budget = RestartBudget(self.options.policy.max_restarts)
        pending = list(jobs)
        running = 0
        finished: list[tuple[str, Path]] = []
        fatal: PlayerError | None = None
        last_commit = time.monotonic()
        with (
            httppolicy.media_client(
                self.options.policy, max_rate=self._limiter.rate, jobs=self.options.jobs
            ) as client,
            ThreadPoolExecutor(max_workers=max(1, self.options.jobs), thread_name_prefix="sync") as pool,
            self._halt_on_error(),
        ):
            while pending or running:
                if self._cancelled or fatal is not None:
                    # The run is ending: nothing new starts, and no stopped transfer comes back.
                    pending.clear()
                if not self._resumed.is_set() and not running:
                    # Every transfer has stopped and kept its bytes: wait for resume().
                    self._emit("paused", {})
                    self._resumed.wait()
                    if not self._cancelled:
                        self._emit("resumed", {})
                while pending and running < self.options.jobs and not self._stop.is_set():
                    if self.options.window and not self.options.window.is_open():
                        result.outside_window = True
                        pending.clear()
                        break
                    job = pending.pop(0)
                    self._emit(
                        "file_started",
                        {"sha256": job.sha256, "name": _name(job), "size": job.size, "have": job.have},
                    )
                    with self._progress_lock:
                        self._active[job.sha256] = job.size
                    pool.submit(self._fetch_one, client, job, budget, outcomes)
                    running += 1
                if self._cancelled:
                    pending.clear()
                if not running:
                    continue
                outcome = outcomes.get()
                running -= 1
                job = outcome.job
                with self._progress_lock:
                    self._active.pop(job.sha256, None)
                    self._file_bytes.pop(job.sha256, None)
                if outcome.path is not None:
                    finished.append((job.sha256, outcome.path))
                    result.files_done += 1
                    result.bytes += job.size
                    self._emit("file_done", {"sha256": job.sha256, "name": _name(job), "size": job.size})
                elif outcome.cancelled:
                    sync_queue.mark_partial(self.lib, job.sha256)
                    if not self._cancelled and fatal is None:
                        pending.insert(0, _refreshed(self.lib, job))  # paused: fetch it again on resume
                elif outcome.fatal is not None:
                    fatal = fatal or outcome.fatal
                    self._halt()  # the other transfers stop too, keeping their bytes
                    pending.clear()
                    sync_queue.mark_partial(self.lib, job.sha256)
                else:
                    sync_queue.mark_failed(self.lib, job.sha256, outcome.error or "failed")
                    result.failed.append((_name(job), outcome.error or "failed"))
                    self._emit(
                        "file_failed", {"sha256": job.sha256, "name": _name(job), "reason": outcome.error}
                    )
                if finished and (
                    len(finished) >= _COMMIT_FILES or time.monotonic() - last_commit > _COMMIT_SECONDS
                ):
                    sync_queue.mark_done_many(self.lib, finished)
                    finished, last_commit = [], time.monotonic()
        if finished:
            sync_queue.mark_done_many(self.lib, finished)
        if fatal is not None:
            raise fatal

    def _halt(self) -> None:
        """Stop every transfer now, even one waiting on a silent server; bytes are kept."""
        self._stop.set()
        self._interrupter.interrupt()

    @contextmanager
    def _halt_on_error(self) -> Iterator[None]:
        # Leaving the pool waits for its workers: an error in the scheduler (the database
        # cannot record a file) must not wait for transfers that go on streaming.
        try:
            yield
        except BaseException:
            self._halt()
            raise

    def _fetch_one(
        self, client: httpx.Client, job: sync_queue.Job, budget: RestartBudget, outcomes: queue.Queue
    ) -> None:
        final = self.lib.paths.media_file(job.sha256, job.ext)
        errors = []
        try:
            if _already_stored(final, job):
                # Renamed into place by a run that was killed before it could record it.
                outcomes.put(_Outcome(job, path=final))
                return
            local = self.options.local_files.get(job.sha256)
            if local is not None:
                try:
                    path = put_file(
                        self.lib.paths,
                        local,
                        job.sha256,
                        job.size,
                        job.ext,
                        on_bytes=partial(self._count, job),
                    )
                    outcomes.put(_Outcome(job, path=path))
                    return
                except PlayerError as exc:
                    # A damaged or vanished local copy: the network may still have it.
                    errors.append(str(exc))
            for candidate in job.candidates:
                where = candidate.location
                if where is None:
                    errors.append(
                        f"{candidate.href} is not available from its source now: the mirror cannot be "
                        "reached, or the file points outside it"
                    )
                    continue
                try:
                    if hrefs.is_remote(where):
                        got = download_file(
                            client,
                            where,
                            sha256=job.sha256,
                            size=job.size,
                            part_path=job.part,
                            final_path=final,
                            limiter=self._limiter,
                            policy=self.options.policy,
                            on_bytes=partial(self._count, job),
                            cancel=self._stop,
                            restarts=budget,
                            interrupter=self._interrupter,
                        )
                        if not got.done:
                            outcomes.put(_Outcome(job, cancelled=True))
                            return
                        path = got.path
                    else:
                        path = put_file(
                            self.lib.paths,
                            Path(where),
                            job.sha256,
                            job.size,
                            job.ext,
                            on_bytes=partial(self._count, job),
                        )
                    outcomes.put(_Outcome(job, path=path))
                    return
                except DiskFull as exc:
                    outcomes.put(_Outcome(job, error=str(exc), fatal=exc))
                    return
                except PlayerError as exc:
                    errors.append(str(exc))
            outcomes.put(_Outcome(job, error="; ".join(errors) or "no place to fetch it from"))
        except BaseException as exc:  # never lose a job: the scheduler waits for each outcome
            outcomes.put(_Outcome(job, error=f"{exc.__class__.__name__}: {exc}"))

    def _count(self, job: sync_queue.Job, nbytes: int) -> None:
        with self._progress_lock:
            self._done_bytes += nbytes
            self._file_bytes[job.sha256] = self._file_bytes.get(job.sha256, 0) + nbytes
            now = time.monotonic()
            if now - self._last_event < _BYTES_EVENT_INTERVAL:
                return
            self._last_event = now
            done, total = self._done_bytes, self._total_bytes
            mark_time, mark_done = self._rate_mark
            if now - mark_time >= 2.0:
                # Over the last couple of seconds, so resumed bytes do not inflate the speed.
                self._rate = (done - mark_done) / (now - mark_time)
                self._rate_mark = (now, done)
            rate = self._rate
            files = {sha: got for sha, got in self._file_bytes.items() if sha in self._active}
        self._emit(
            "bytes",
            {
                "done": done,
                "total": total,
                "rate": round(rate),
                "files": [
                    {"sha256": sha, "done": got, "size": self._active[sha]} for sha, got in files.items()
                ],
            },
        )


def _use_large_reads() -> None:
    """Read up to 1 MiB per socket call instead of httpcore's 64 KiB.

    Each read costs the same Python work in the HTTP stack whatever its size, and on two
    cores that work competed with hashing and writing: 4 files of 128 MB synced about
    25% faster. Only the read size changes; if a later httpcore drops the attribute, this
    does nothing.
    """
    try:
        from httpcore._sync.http11 import HTTP11Connection
    except ImportError:  # pragma: no cover - depends on httpcore's layout
        return
    if getattr(HTTP11Connection, "READ_NUM_BYTES", 0) < 1 << 20:
        HTTP11Connection.READ_NUM_BYTES = 1 << 20


def _already_stored(final: Path, job: sync_queue.Job) -> bool:
    try:
        if final.stat().st_size != job.size:
            return False
    except FileNotFoundError:
        return False
    digest = hashlib.sha256()
    with open(final, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    if digest.hexdigest() == job.sha256:
        return True
    final.unlink(missing_ok=True)
    return False


def _name(job: sync_queue.Job) -> str:
    return job.candidates[0].href if job.candidates else job.sha256[:12]


def _refreshed(lib: Library, job: sync_queue.Job) -> sync_queue.Job:
    have = job.part.stat().st_size if job.part.exists() else 0
    return sync_queue.Job(
        job.sha256, job.size, job.ext, job.candidates, "partial", job.attempts, job.part, have
    )
