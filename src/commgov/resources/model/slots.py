"""When a booking may be: on the resource's slots, within its opening hours, not in the past,
not beyond its horizon, not longer than its longest booking; and how a recurring booking
expands into occurrences. Pure rules: times in, slot starts (UTC) out, or a
``ValidationError`` naming the caller's field and value, with local times in the store's zone.

A booking's slots are the steps of the slot length from its start: ``[start, start + slot)``,
``[start + slot, start + 2 slot)`` … up to its end. Each must start on a slot boundary of its
local day (00:00, 00:30, 01:00 … for 30-minute slots) and lie within one opening interval of
its local weekday."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from commgov.errors import ValidationError
from commgov.resources.model.hours import clock
from commgov.resources.model.values import Closure, Resource
from commgov.resources.model.vocab import WEEKDAYS

Span = tuple[dt.datetime, dt.datetime]


def local(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """``2026-12-05 19:00``, in the zone."""
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"


def span_words(start: dt.datetime, end: dt.datetime, zone: dt.tzinfo) -> str:
    """``2026-12-05 19:00–21:00`` (the end's day too when it is another)."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    tail = f"{last:%H:%M}" if first.date() == last.date() else f"{last:%Y-%m-%d %H:%M}"
    return f"{first:%Y-%m-%d %H:%M}–{tail}"


def slot_starts(start: dt.datetime, end: dt.datetime, slot: dt.timedelta) -> list[dt.datetime]:
    """The starts of the slots from ``start`` to ``end`` (a whole number of slots)."""
    return [start + i * slot for i in range((end - start) // slot)]


def minute_of_day(moment: dt.datetime, zone: dt.tzinfo) -> int | None:
    """The local minute of the day, or ``None`` when the moment is not on a whole minute."""
    found = moment.astimezone(zone)
    if found.second or found.microsecond:
        return None
    return found.hour * 60 + found.minute


def plan(
    resource: Resource,
    start: dt.datetime,
    end: dt.datetime,
    *,
    now: dt.datetime,
    zone: dt.tzinfo,
    given: tuple[object, object] | None = None,
) -> list[dt.datetime]:
    """The slots a booking of ``resource`` from ``start`` to ``end`` (aware, UTC) covers, once
    every rule of time holds; ``given`` is what the caller passed as ``starts_at`` and
    ``ends_at`` (named in the errors)."""
    said_start, said_end = given or (start, end)
    slot = resource.slot
    if end <= start:
        raise ValidationError("ends_at", said_end, f"is not after starts_at ({local(start, zone)})")
    if start < now:
        raise ValidationError("starts_at", said_start, f"is in the past (now {local(now, zone)})")
    first = minute_of_day(start, zone)
    if first is None or first % resource.slot_minutes:
        raise ValidationError(
            "starts_at", said_start,
            f"starts at {local(start, zone)}: bookings start on the {resource.slot_minutes}-minute"
            " slots of the day (00:00 and every slot after)",
        )  # fmt: skip
    if (end - start) % slot:
        raise ValidationError(
            "ends_at", said_end,
            f"ends at {local(end, zone)}: bookings last a whole number of "
            f"{resource.slot_minutes}-minute slots",
        )  # fmt: skip
    minutes = (end - start) // dt.timedelta(minutes=1)
    if minutes > resource.longest_minutes:
        raise ValidationError(
            "ends_at", said_end,
            f"a booking of {minutes} minutes; {resource.name} takes at most "
            f"{resource.longest_minutes}",
        )  # fmt: skip
    last_day = now.astimezone(zone).date() + dt.timedelta(days=resource.horizon_days)
    if start.astimezone(zone).date() > last_day:
        raise ValidationError(
            "starts_at", said_start,
            f"{local(start, zone)} is beyond the booking horizon: {resource.name} takes bookings "
            f"{resource.horizon_days} days ahead (until {last_day})",
        )  # fmt: skip
    starts = slot_starts(start, end, slot)
    for index, at in enumerate(starts):
        _check_open(
            resource, at, zone, ("starts_at", said_start) if index == 0 else ("ends_at", said_end)
        )
    return starts


def _check_open(
    resource: Resource, at: dt.datetime, zone: dt.tzinfo, field: tuple[str, object]
) -> None:
    minute = minute_of_day(at, zone)
    day = at.astimezone(zone).weekday()
    length = resource.slot_minutes
    if (
        minute is not None
        and minute % length == 0
        and resource.hours.covers(day, minute, minute + length)
    ):
        return
    shown = f"{local(at, zone)}–{clock((minute or 0) + length)}"
    raise ValidationError(
        field[0], field[1],
        f"outside opening hours: {WEEKDAYS[day]} {shown} is not within "
        f"{resource.hours.words(day)}",
    )  # fmt: skip


def occurrences(
    start: dt.datetime, end: dt.datetime, *, every_days: int, count: int, zone: dt.tzinfo
) -> list[Span]:
    """``count`` occurrences of ``[start, end)`` every ``every_days`` days, keeping the local
    wall time in ``zone`` (across a change of the clocks the UTC times move, the local ones
    do not). A local time the zone skips is a ``ValidationError`` naming the occurrence."""
    first, last = (
        start.astimezone(zone).replace(tzinfo=None),
        end.astimezone(zone).replace(tzinfo=None),
    )
    found: list[Span] = []
    for index in range(count):
        step = dt.timedelta(days=index * every_days)
        found.append(
            (
                _wall(first + step, zone, "starts_at", index),
                _wall(last + step, zone, "ends_at", index),
            )
        )
    return found


def _wall(naive: dt.datetime, zone: dt.tzinfo, field: str, index: int) -> dt.datetime:
    moment = naive.replace(tzinfo=zone).astimezone(dt.UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != naive:
        raise ValidationError(
            field, naive.isoformat(),
            f"occurrence {index + 1} on {naive.date()}: {naive:%H:%M} does not exist that day "
            f"in {zone} (the clocks change)",
        )  # fmt: skip
    return moment


def first_overlap(
    closures: Sequence[Closure], start: dt.datetime, end: dt.datetime
) -> Closure | None:
    """The first closed period that overlaps ``[start, end)``."""
    for closure in sorted(closures, key=lambda c: c.starts_at):
        if closure.starts_at < end and start < closure.ends_at:
            return closure
    return None


def released_from(
    start: dt.datetime, end: dt.datetime, slot: dt.timedelta, now: dt.datetime
) -> dt.datetime:
    """Where a no-show marked at ``now`` gives its places back: the first of its slots that has
    not started (its end when every slot has)."""
    if now <= start:
        return start
    passed = -((start - now) // slot)  # slots begun by now, rounded up
    return min(end, start + passed * slot)
