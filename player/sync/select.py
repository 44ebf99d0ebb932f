"""Naming a series on the command line: `SERIES_ID`, or `SOURCE_ID/SERIES_ID` when the id
is in more than one source."""

from __future__ import annotations

from player.errors import BadInput
from player.library.db import Library
from player.library.queries import SeriesSummary, find_series


class AmbiguousSeries(BadInput):
    """A series id names series in more than one source."""

    def __init__(self, series_id: str, candidates: list[SeriesSummary]) -> None:
        names = ", ".join(f"{c.source_id}/{c.id}" for c in candidates)
        super().__init__(
            f"The series id '{series_id}' is in more than one source: {names}.",
            hint="Write SOURCE_ID/SERIES_ID, or give --source SOURCE_ID.",
        )
        self.candidates = candidates


def resolve_series(
    lib: Library, ref: str, source_id: str | None = None, *, kept_only: bool = False
) -> SeriesSummary:
    """The one series `ref` names. With kept_only, only kept series count, so a series id
    that is kept in just one source needs no source."""
    if "/" in ref:
        source_id, _, ref = ref.rpartition("/")
    found = find_series(lib, ref, source_id)
    if kept_only:
        found = [s for s in found if s.kept]
    if not found:
        where = f" in '{source_id}'" if source_id else ""
        if kept_only:
            raise BadInput(
                f"No kept series is called '{ref}'{where}.",
                hint="See `lecture-player series list` for the series kept offline.",
            )
        raise BadInput(f"There is no series '{ref}'{where}.", hint="See `lecture-player series list`.")
    if len(found) > 1:
        raise AmbiguousSeries(ref, found)
    return found[0]
