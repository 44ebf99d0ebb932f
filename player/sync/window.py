"""`--window 22:00-06:00`: the hours in which a sync may transfer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as Time

from player.errors import BadInput

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class SyncWindow:
    start: Time
    end: Time

    @classmethod
    def parse(cls, text: str) -> SyncWindow:
        match = _WINDOW.match(text)
        if not match:
            raise BadInput(
                f"'{text}' is not a time window.", hint="Write it as HH:MM-HH:MM, such as 22:00-06:00."
            )
        h1, m1, h2, m2 = map(int, match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) == (h2, m2):
            raise BadInput(
                f"'{text}' is not a time window.", hint="Write it as HH:MM-HH:MM, such as 22:00-06:00."
            )
        return cls(Time(h1, m1), Time(h2, m2))

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def is_open(self, now: datetime | None = None) -> bool:
        t = (now or datetime.now()).time()
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end  # the window spans midnight

    def next_opening(self, now: datetime | None = None) -> datetime:
        now = now or datetime.now()
        opening = now.replace(hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0)
        return opening if opening > now else opening + timedelta(days=1)

    def seconds_until_open(self, now: datetime | None = None) -> float:
        now = now or datetime.now()
        return 0.0 if self.is_open(now) else (self.next_opening(now) - now).total_seconds()
