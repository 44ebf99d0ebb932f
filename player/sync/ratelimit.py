"""A token bucket shared by every parallel download, so their total stays under one cap."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Caps the total bytes/s of all downloads that share it. `rate=None` means unlimited.

    The HTTP stack hands us chunks of whatever size the socket had ready, so a chunk is
    taken first and paid for afterwards: the bucket may go into debt, and the caller sleeps
    the debt off. The stalled reader lets the TCP window fill, which slows the sender too.
    """

    def __init__(
        self,
        rate: float | None,
        *,
        burst_seconds: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._burst_seconds = burst_seconds
        self._rate: float | None = None
        self._tokens = 0.0
        self._stamp = clock()
        self.set_rate(rate)

    @property
    def rate(self) -> float | None:
        return self._rate

    def set_rate(self, rate: float | None) -> None:
        """Change the cap while downloads run (the user moved a slider)."""
        if rate is not None and rate <= 0:
            raise ValueError("rate must be positive, or None for unlimited")
        with self._lock:
            self._rate = rate
            # Start empty, so a transfer never begins with a burst above the cap; the
            # bucket may then hold up to half a second of credit, so that a reader delayed
            # by a busy machine catches up instead of falling below the cap.
            self._tokens = 0.0
            self._stamp = self._clock()

    @property
    def _burst(self) -> float:
        return 0.0 if self._rate is None else self._rate * self._burst_seconds

    def acquire(self, nbytes: int, cancel: threading.Event | None = None) -> bool:
        """Account for `nbytes` just received, waiting as long as the cap requires.

        Returns False if `cancel` was set during the wait.
        """
        with self._lock:
            if self._rate is None:
                return True
            now = self._clock()
            self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
            self._stamp = now
            self._tokens -= nbytes
            wait = -self._tokens / self._rate if self._tokens < 0 else 0.0
        if wait <= 0:
            return True
        if cancel is not None:
            return not cancel.wait(wait)
        time.sleep(wait)
        return True
