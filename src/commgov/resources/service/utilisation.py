"""Utilisation of the resources under a unit, per resource and per community, as pandas data
frames (the formula: ``commgov.resources.model.usage``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import attrs

from commgov.kernel.uow import UnitOfWork
from commgov.resources.model import usage
from commgov.resources.model.vocab import BOOKED
from commgov.resources.repository import ResourceRepository

if TYPE_CHECKING:
    import pandas as pd

COLUMNS: Final = (
    "resource_id", "resource", "kind", "community", "unit", "open_hours", "booked_hours",
    "no_show_hours", "utilisation",
)  # fmt: skip
BY_COMMUNITY: Final = (
    "community", "resources", "open_hours", "booked_hours", "no_show_hours", "utilisation",
)  # fmt: skip


@attrs.frozen
class Row:
    resource_id: int
    resource: str
    kind: str
    community: str
    unit: str
    open_hours: float
    booked_hours: float
    no_show_hours: float

    @property
    def utilisation(self) -> float:
        return ratio(self.booked_hours, self.open_hours)


def ratio(booked: float, open_: float) -> float:
    return booked / open_ if open_ > 0 else 0.0


def rows(uow: UnitOfWork, path: str, first: dt.date, last: dt.date, zone: dt.tzinfo) -> list[Row]:
    """A row for each resource owned at or under ``path``, over the days ``first`` to ``last``."""
    repo = uow.repo(ResourceRepository)
    placed = repo.under(path)
    ids = [p.resource.id for p in placed]
    window = usage.window(first, last, zone)
    closures = repo.closures(ids, *window)
    used = repo.used(ids, *window)
    found = []
    for resource, _owner, scope in placed:
        closed = [(c.starts_at, c.ends_at) for c in closures if c.resource_id == resource.id]
        open_hours = usage.open_hours(
            resource.hours, first, last, zone, closed=closed, published=resource.created_at
        )
        booked = missed = 0.0
        for booking in (b for b in used if b.resource_id == resource.id):
            place_hours = booking.party_size * usage.overlap_hours(
                booking.starts_at, booking.ends_at, window
            )
            if booking.state in BOOKED:
                booked += place_hours
            else:
                missed += place_hours
        found.append(
            Row(
                resource.id, resource.name, resource.kind, scope.code, _owner.code, open_hours,
                booked / resource.capacity, missed / resource.capacity,
            )
        )  # fmt: skip
    return found


def frame(found: Sequence[Row]) -> pd.DataFrame:
    import pandas as pd

    data = [[*attrs.astuple(row), row.utilisation] for row in found]
    return pd.DataFrame(data, columns=list(COLUMNS))


def by_community(found: Sequence[Row]) -> pd.DataFrame:
    import pandas as pd

    sums: dict[str, list[float]] = {}
    for row in found:
        total = sums.setdefault(row.community, [0, 0.0, 0.0, 0.0])
        total[0] += 1
        total[1] += row.open_hours
        total[2] += row.booked_hours
        total[3] += row.no_show_hours
    data = [
        [community, int(n), open_, booked, missed, ratio(booked, open_)]
        for community, (n, open_, booked, missed) in sorted(sums.items())
    ]
    return pd.DataFrame(data, columns=list(BY_COMMUNITY))
