"""Source, plan and sync work on threads of their own, each with its own library connection.

The library executor's thread must stay free for the queries that fill the screens, so
none of this runs there. Each job opens a connection with `executor.open_shared()` on
the thread that uses it, and closes it before the job ends: once `wait()` returns, no
connection of ours is left open and the executor may close the library.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from player.library.db import Library
from player.sync import limits
from player.sync.engine import SyncEngine, SyncOptions, SyncResult
from player.ui.tasks import Callback, ErrorCallback, LibraryExecutor, run_task, to_main


def _one_thread(parent: QObject) -> QThreadPool:
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(1)
    return pool


class BackgroundJobs(QObject):
    """Adding and refreshing sources, and planning: one job at a time, in order."""

    def __init__(self, executor: LibraryExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._pool = _one_thread(self)

    def submit(
        self,
        fn: Callable[[Library], Any],
        callback: Callback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run `fn(library)` on a connection of this job's own; deliver like `run_task`."""
        executor = self._executor

        def job() -> Any:
            lib = executor.open_shared()
            try:
                return fn(lib)
            finally:
                lib.close()

        run_task(job, callback, on_error, owner=owner, pool=self._pool)

    def run(
        self,
        fn: Callable[[], Any],
        callback: Callback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run `fn()`, which needs no library (reading a catalog, looking at drives)."""
        run_task(fn, callback, on_error, owner=owner, pool=self._pool)

    def wait(self) -> None:
        self._pool.waitForDone()


class SyncRun(QObject):
    """One sync at a time, on its own thread; its events arrive on the GUI thread.

    Pause, resume, cancel and the speed cap go straight to the engine, which accepts
    them from any thread.
    """

    event = Signal(str, object)  # every engine event, (name, info)
    finished = Signal(object)  # the SyncResult
    failed = Signal(object)  # the exception that stopped the sync

    def __init__(self, executor: LibraryExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._pool = _one_thread(self)
        self._lock = threading.Lock()
        self._engine: SyncEngine | None = None
        self._cancel_asked = False
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def start(self, series: list[str] | None = None, *, refresh: bool = True) -> None:
        """Sync the kept series (or those named `SOURCE_ID/SERIES_ID`), with the speed cap
        and hours stored in the library at this moment."""
        if self._running:
            return
        self._running = True
        self._cancel_asked = False
        run_task(self._job(series, refresh), self._on_finished, self._on_failed, owner=self, pool=self._pool)

    def _job(self, series: list[str] | None, refresh: bool) -> Callable[[], SyncResult]:
        executor = self._executor

        def forward(name: str, info: dict) -> None:
            to_main(self.event.emit, name, info, owner=self)

        def job() -> SyncResult:
            lib = executor.open_shared()
            try:
                options = SyncOptions(
                    series=series,
                    max_rate=limits.max_rate(lib),
                    window=limits.window(lib),
                    wait_for_window=True,
                    refresh=refresh,
                )
                engine = SyncEngine(lib, options, forward)
                with self._lock:
                    self._engine = engine
                    if self._cancel_asked:
                        engine.cancel()
                return engine.run()
            finally:
                with self._lock:
                    self._engine = None
                lib.close()

        return job

    def _control(self, action: Callable[[SyncEngine], None]) -> None:
        with self._lock:
            if self._engine is not None:
                action(self._engine)

    def pause(self) -> None:
        self._control(SyncEngine.pause)

    def resume(self) -> None:
        self._control(SyncEngine.resume)

    def cancel(self) -> None:
        with self._lock:
            self._cancel_asked = True
            if self._engine is not None:
                self._engine.cancel()

    def set_max_rate(self, rate: float | None) -> None:
        self._control(lambda engine: engine.set_max_rate(rate))

    def wait(self) -> None:
        """Block until the sync thread has ended and closed its connection."""
        self._pool.waitForDone()

    def _on_finished(self, result: SyncResult) -> None:
        self._running = False
        self.finished.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._running = False
        self.failed.emit(exc)
