"""Run work off the GUI thread and hand the outcome back to it.

`run_task` uses Qt's global thread pool for work that needs no library. Everything
that touches the library goes through one `LibraryExecutor`: a pool of exactly one
thread that never expires, because an SQLite connection belongs to the thread that
opened it. Results and errors always arrive on the GUI thread, through a queued signal.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from shiboken6 import Shiboken

from player.errors import disk_full
from player.library.db import Library, open_library

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from any thread runs the call there."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        # Queued even from the GUI thread, so a callback never runs inside its caller.
        self.call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, thunk: Callable[[], None]) -> None:
        thunk()


_relay: _Relay | None = None


def _main_relay() -> _Relay:
    global _relay
    if _relay is None or not Shiboken.isValid(_relay):
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("Create the QApplication before starting tasks.")
        relay = _Relay()
        # Created on a worker thread it would run calls there; push it to the GUI thread.
        relay.moveToThread(app.thread())
        _relay = relay
    return _relay


def to_main(fn: Callable[..., Any], *args: Any, owner: QObject | None = None) -> None:
    """Call `fn(*args)` on the GUI thread, soon; skipped if `owner` has been deleted by then."""

    def thunk() -> None:
        if owner is not None and not Shiboken.isValid(owner):
            return
        fn(*args)

    _main_relay().call.emit(thunk)


def _log_error(exc: BaseException) -> None:
    log.error("A background task failed", exc_info=exc)


class _Task(QRunnable):
    def __init__(
        self,
        fn: Callable[[], Any],
        callback: Callback | None,
        on_error: ErrorCallback | None,
        owner: QObject | None,
    ) -> None:
        super().__init__()
        self._fn = fn
        self._callback = callback
        self._on_error = on_error or _log_error
        self._owner = owner

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:
            # A full disk reads the same in every view that shows the error.
            to_main(self._on_error, disk_full(exc) or exc, owner=self._owner)
            return
        if self._callback is not None:
            to_main(self._callback, result, owner=self._owner)


def run_task(
    fn: Callable[[], Any],
    callback: Callback | None = None,
    on_error: ErrorCallback | None = None,
    *,
    owner: QObject | None = None,
    pool: QThreadPool | None = None,
) -> None:
    """Run `fn()` on a worker thread; pass its result to `callback` (or its exception to
    `on_error`) on the GUI thread. Errors without a handler are logged."""
    _main_relay()  # created here, on the calling (GUI) thread, before any worker needs it
    (pool or QThreadPool.globalInstance()).start(_Task(fn, callback, on_error, owner))


class LibraryExecutor(QObject):
    """The one thread that owns the library connection; every query runs there.

    Jobs run in the order submitted, so queries sent before the library finishes
    opening simply wait for it.
    """

    opened = Signal()
    failed = Signal(object)  # the exception that stopped the library from opening

    def __init__(self, root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)  # the thread must outlive idle spells: it owns the connection
        self._lib: Library | None = None  # used only on the pool's thread (open_shared reads it)
        self._is_open = False
        self._closed = False

    @property
    def is_open(self) -> bool:
        return self._is_open

    def open(self, *, install_sample: bool = True) -> None:
        """Open (on first start: create, and install the sample into) the library."""

        def job() -> None:
            self._lib = open_library(self.root, install_sample=install_sample)

        run_task(job, self._on_opened, self._on_failed, owner=self, pool=self._pool)

    def submit(
        self,
        fn: Callable[[Library], Any],
        callback: Callback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run `fn(library)` on the library thread; deliver like `run_task`."""
        if self._closed:
            return

        def job() -> Any:
            if self._lib is None:
                raise RuntimeError("The library is not open.")
            try:
                return fn(self._lib)
            except (sqlite3.Error, OSError) as exc:
                full = disk_full(exc, self.root)  # here an I/O error can be told apart too
                if full is None:
                    raise
                raise full from exc

        run_task(job, callback, on_error, owner=owner, pool=self._pool)

    def open_shared(self) -> Library:
        """A connection of the calling (worker) thread's own, under this library's lock.

        For long writers such as a sync run, which would otherwise hold up every query.
        """
        if self._lib is None:
            raise RuntimeError("The library is not open.")
        return self._lib.open_shared()

    def shutdown(self) -> None:
        """Close the library on its own thread and wait for the thread to finish."""
        if self._closed:
            return
        self._closed = True

        def close() -> None:
            if self._lib is not None:
                self._lib.close()
                self._lib = None

        self._pool.start(_Task(close, None, None, None))
        self._pool.waitForDone()

    def _on_opened(self, _result: None) -> None:
        self._is_open = True
        self.opened.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.failed.emit(exc)
