"""Which video rendition of a lecture a sync fetches: exactly one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

# Smaller than this is hard to read on a projector, so the default does not go below it
# when the publisher offers more.
DEFAULT_MIN_HEIGHT = 480


class Rendition(Protocol):
    @property
    def height(self) -> int | None: ...

    @property
    def size(self) -> int: ...

    @property
    def position(self) -> int: ...


R = TypeVar("R", bound=Rendition)


def choose_rendition(renditions: Sequence[R], preferred: int | None = None) -> R | None:
    """With no preference: the smallest rendition at or above 480p, else the largest below.
    With a preferred height: the largest at or below it, else the smallest there is. A stated
    preference is a ceiling, because a learner on a slow link must not fetch more than asked."""
    if not renditions:
        return None

    def height(r: R) -> int:
        return r.height or 0

    # Among equal heights the smaller file wins, then catalog order.
    def key(r: R) -> tuple[int, int, int]:
        return (height(r), r.size, r.position)

    if preferred is None:
        above = [r for r in renditions if height(r) >= DEFAULT_MIN_HEIGHT]
        if above:
            return min(above, key=key)
        top = max(height(r) for r in renditions)
        return min((r for r in renditions if height(r) == top), key=key)
    below = [r for r in renditions if height(r) <= preferred]
    if below:
        top = max(height(r) for r in below)
        return min((r for r in below if height(r) == top), key=key)
    return min(renditions, key=key)
