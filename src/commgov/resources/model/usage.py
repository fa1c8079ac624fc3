"""Utilisation, pure: the hours a resource was open over some days in the store's zone (its
opening intervals, day by day, minus its closed periods and any time before it was
published), and the place-hours its bookings used within those days.

For each resource::

    open_hours    = Σ over local days d in [start, end] of the opening intervals of d's
                    weekday, as real hours (a day the clocks change counts what it had),
                    less the closed periods and the time before the resource was published
    booked_hours  = Σ over approved and attended bookings of
                    party_size × (hours of the booking within the days) ÷ capacity
    no_show_hours = the same over bookings marked no-show
    utilisation   = booked_hours ÷ open_hours   (0 when it was never open)

A room booked whole (capacity 1) used two hours has two booked hours; a hall of 40 places
used by 20 people for two hours has one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from commgov.resources.model.hours import WeeklyHours

Span = tuple[dt.datetime, dt.datetime]
HOUR = 3600.0


def window(first: dt.date, last: dt.date, zone: dt.tzinfo) -> Span:
    """From the first instant of ``first`` to the first of the day after ``last`` (UTC)."""
    return (_local(first, 0, zone), _local(last + dt.timedelta(days=1), 0, zone))


def open_spans(hours: WeeklyHours, first: dt.date, last: dt.date, zone: dt.tzinfo) -> list[Span]:
    """Every opening interval of the days ``first`` to ``last``, in UTC."""
    found: list[Span] = []
    day = first
    while day <= last:
        for low, high in hours.intervals(day.weekday()):
            found.append((_local(day, low, zone), _local(day, high, zone)))
        day += dt.timedelta(days=1)
    return found


def _local(day: dt.date, minutes: int, zone: dt.tzinfo) -> dt.datetime:
    """The local wall time ``minutes`` after midnight of ``day`` (24:00 is the next midnight)."""
    wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    return wall.replace(tzinfo=zone).astimezone(dt.UTC)


def minus(spans: Iterable[Span], cuts: Iterable[Span]) -> list[Span]:
    """``spans`` with every part inside a ``cut`` taken out."""
    left = list(spans)
    for cut_start, cut_end in cuts:
        kept: list[Span] = []
        for start, end in left:
            if cut_end <= start or end <= cut_start:
                kept.append((start, end))
                continue
            if start < cut_start:
                kept.append((start, cut_start))
            if cut_end < end:
                kept.append((cut_end, end))
        left = kept
    return left


def span_hours(spans: Iterable[Span]) -> float:
    return sum((end - start).total_seconds() for start, end in spans) / HOUR


def overlap_hours(start: dt.datetime, end: dt.datetime, within: Span) -> float:
    """Hours of ``[start, end)`` inside ``within``."""
    low, high = max(start, within[0]), min(end, within[1])
    return max(0.0, (high - low).total_seconds() / HOUR)


def open_hours(
    hours: WeeklyHours,
    first: dt.date,
    last: dt.date,
    zone: dt.tzinfo,
    *,
    closed: Sequence[Span],
    published: dt.datetime,
) -> float:
    """Hours open over the days, less the closed periods and the time before ``published``."""
    earliest = window(first, last, zone)[0]
    before = [(min(earliest, published), published)] if published > earliest else []
    return span_hours(minus(open_spans(hours, first, last, zone), [*closed, *before]))
