"""Writing bookings: every occurrence checked against the resource's rules of time and its
closed periods, then every slot held at once (the store refuses a slot that would overflow),
then the bookings written. A recurring booking is all or nothing: the first
occurrence that fails names itself and its date, and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from commgov.errors import CommgovError, ConflictError, ValidationError
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.resources.model import words
from commgov.resources.model.limits import SLOTS_MAX
from commgov.resources.model.slots import Span, first_overlap, plan
from commgov.resources.model.values import Booking
from commgov.resources.repository import Placed, ResourceRepository
from commgov.resources.service.access import Party


@attrs.frozen
class Series:
    """How a recurring booking repeats: ``repeat`` (weekly, daily) for ``count`` occurrences."""

    repeat: str
    count: int

    def context(self, index: int, start: dt.datetime, zone: dt.tzinfo) -> str:
        return f"occurrence {index + 1} of {self.count} on {start.astimezone(zone).date()}"


def write(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    placed: Placed,
    *,
    party: Party,
    spans: Sequence[Span],
    size: int,
    purpose: str,
    given: tuple[object, object],
    series: Series | None = None,
    closed: bool = True,
) -> list[Booking]:
    """Check and hold every span, then write a booking for each (``series``: sharing a
    series id). Raises before anything is written when one span fails. ``closed``: whether a
    closed period may overlap the spans (``False``: the caller knows none does)."""
    resource, zone, now = placed.resource, ctx.zone, ctx.clock()
    if size > resource.capacity:
        raise ValidationError(
            "party_size", size, f"{resource.name} has {resource.capacity} place(s)"
        )

    def failed(exc: CommgovError, index: int) -> CommgovError:
        return (
            exc
            if series is None
            else exc.with_context(series.context(index, spans[index][0], zone))
        )

    repo = uow.repo(ResourceRepository)
    closures = repo.closures([resource.id], spans[0][0], spans[-1][1]) if closed else []
    starts: list[dt.datetime] = []
    ends: list[int] = []  # the number of slots up to the end of each span
    for index, (start, end) in enumerate(spans):
        try:
            starts += plan(resource, start, end, now=now, zone=zone, given=given)
        except ValidationError as exc:
            raise failed(exc, index) from None
        closure = first_overlap(closures, start, end)
        if closure is not None:
            error = ValidationError(
                "starts_at", given[0], "overlaps a closed period",
                message=words.closed(resource.name, closure, zone),
            )  # fmt: skip
            raise failed(error, index)
        ends.append(len(starts))
    if len(starts) > SLOTS_MAX:
        raise ValidationError(
            "occurrences" if series else "ends_at", series.count if series else given[1],
            f"{len(starts)} slots in one call; at most {SLOTS_MAX}",
        )  # fmt: skip
    full = repo.hold(resource.id, resource.capacity, starts, size)
    if full is not None:
        index = next(i for i, top in enumerate(ends) if starts.index(full.starts_at) < top)
        said = words.full(resource.name, full.starts_at, full.used, full.capacity, zone)
        raise failed(ConflictError(said), index)
    series_id = None
    if series is not None:
        series_id = repo.add_series(
            {"resource_id": resource.id, "repeat": series.repeat, "occurrences": series.count,
             "created_at": now, "created_by": actor.label()}
        )  # fmt: skip
    state = "pending" if resource.approval else "approved"
    rows: list[dict[str, Any]] = [
        {"resource_id": resource.id, "series_id": series_id, "starts_at": start, "ends_at": end,
         "party_size": size, "state": state, "booked_by": actor.label(),
         "resident_id": party.resident_id, "household_id": party.household_id,
         "staff_id": party.staff_id, "unit_id": party.unit.id, "purpose": purpose,
         "created_at": now}
        for start, end in spans
    ]  # fmt: skip
    ids = repo.add_bookings(rows) if len(rows) > 1 else [repo.add_booking(rows[0])]
    return [Booking(id=i, **row) for i, row in zip(ids, rows, strict=True)]
