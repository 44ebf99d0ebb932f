"""When and how long to wait before trying a download again, and how long to wait at all."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from player.httppolicy import HttpPolicy

# Statuses that mean "busy or briefly broken": worth waiting and asking again.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy(HttpPolicy):
    """Every timing knob of a download: the HTTP policy's timeouts and low-speed rule (a
    transfer under min_rate for low_speed_time is dropped and resumed), and the retries.
    Tests shrink these so fault cases run in milliseconds."""

    # Failed attempts in a row that made no progress; an attempt that wrote bytes resets the count,
    # so a flaky but moving server gets the file in the end.
    max_attempts: int = 8
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    # A server may ask for any wait in Retry-After; one asking for days must not stall a sync.
    retry_after_cap: float = 300.0
    # Restarts from zero per file in one sync run when a server ignores Range (see RestartBudget).
    max_restarts: int = 3

    def backoff(self, failures: int, rng: random.Random | None = None) -> float:
        """Seconds before attempt `failures + 1`: doubling, capped, with jitter so that
        many clients failing together do not come back together."""
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** max(failures - 1, 0))
        return ceiling * (rng or random).uniform(0.5, 1.0)

    def retry_after(self, value: str | None, now: datetime | None = None) -> float | None:
        """The wait a Retry-After header asks for, capped; None when absent or unreadable."""
        wanted = parse_retry_after(value, now)
        return None if wanted is None else min(wanted, self.retry_after_cap)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RestartBudget:
    """How often each file may restart from zero in one sync run; shared by all downloads.

    Counted per file (keyed by its sha256), so one server that ignores Range cannot make
    a file re-download forever, while a restart of one file costs the others nothing.
    """

    def __init__(self, limit: int = 3) -> None:
        self.limit = limit
        self._used: dict[str, int] = {}
        self._lock = threading.Lock()

    def spend(self, key: str) -> bool:
        """Take one restart for `key`; False when its budget is already used up."""
        with self._lock:
            used = self._used.get(key, 0)
            if used >= self.limit:
                return False
            self._used[key] = used + 1
            return True

    def used(self, key: str) -> int:
        with self._lock:
            return self._used.get(key, 0)
