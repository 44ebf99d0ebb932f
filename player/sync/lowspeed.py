"""Notices a connection that still trickles bytes but too slowly to ever finish.

A read timeout only catches total silence; a server sending a byte every few seconds
would hold a download forever. Like curl's --speed-limit/--speed-time, a connection
averaging under `min_rate` over a `window` is given up and resumed on a new one.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class SpeedWatch:
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
