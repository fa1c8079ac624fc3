"""Weekly opening hours in the store's zone: for each weekday, the local intervals a resource
is open (08:00–12:00, 14:00–21:00), each starting and ending on the resource's slot
boundaries. Callers give them as ``{"mon-fri": ["08:00-12:00", "14:00-21:00"], "sat":
["09:00-17:00"]}``: a weekday (``mon`` … ``sun``), a range of weekdays (``mon-fri``) or
``daily``; a day not named is closed."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from commgov.errors import ValidationError
from commgov.resources.model.limits import DAY_MINUTES, INTERVALS_MAX
from commgov.resources.model.vocab import WEEKDAYS

Interval = tuple[int, int]
"""Minutes from local midnight: the first open minute, the first closed one (1440: midnight)."""


def clock(minutes: int) -> str:
    """``08:30`` (``24:00`` for the end of the day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@attrs.frozen
class WeeklyHours:
    """Opening intervals per weekday, Monday first; each day's sorted, apart from each other."""

    days: tuple[tuple[Interval, ...], ...]

    def intervals(self, weekday: int) -> tuple[Interval, ...]:
        return self.days[weekday]

    def covers(self, weekday: int, start: int, end: int) -> bool:
        """Is the local span ``[start, end)`` of the weekday (minutes) within one interval?"""
        return any(low <= start and end <= high for low, high in self.days[weekday])

    def words(self, weekday: int) -> str:
        """``08:00–12:00, 14:00–21:00``, or ``closed (不开放)``."""
        found = self.days[weekday]
        if not found:
            return "closed (不开放)"
        return ", ".join(f"{clock(low)}–{clock(high)}" for low, high in found)

    def shown(self) -> dict[str, list[str]]:
        """``{"mon": ["08:00-12:00"], …}``, the days open only."""
        return {
            WEEKDAYS[day]: [f"{clock(low)}-{clock(high)}" for low, high in spans]
            for day, spans in enumerate(self.days)
            if spans
        }

    def stored(self) -> dict[str, list[list[int]]]:
        """As the store keeps it: weekday number → ``[[start, end], …]`` in minutes."""
        return {
            str(day): [[low, high] for low, high in spans] for day, spans in enumerate(self.days)
        }

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> WeeklyHours:
        return cls(
            tuple(tuple((int(a), int(b)) for a, b in data.get(str(d), [])) for d in range(7))
        )

    @property
    def weekly_minutes(self) -> int:
        return sum(high - low for spans in self.days for low, high in spans)


def parse_hours(value: object, slot: int) -> WeeklyHours:
    """The caller's opening hours, checked: every interval on the slot boundaries of the local
    day, not empty, not overlapping another of the same day; a day named once."""
    if not isinstance(value, Mapping) or not value:
        raise ValidationError(
            "hours", value, 'expected days with their hours, e.g. {"mon-fri": ["08:00-12:00"]}'
        )
    days: dict[int, list[Interval]] = {}
    for key, spans in value.items():
        field = f"hours[{key!r}]"
        for day in _days(field, key):
            if day in days:
                raise ValidationError(field, key, f"names {WEEKDAYS[day]} a second time")
            days[day] = _intervals(field, spans, slot)
    return WeeklyHours(tuple(tuple(days.get(d, [])) for d in range(7)))


def _days(field: str, key: object) -> list[int]:
    if not isinstance(key, str):
        raise ValidationError(field, key, "expected a weekday such as mon, mon-fri or daily")
    name = key.strip().lower()
    if name == "daily":
        return list(range(7))
    first, sep, last = name.partition("-")
    if first in WEEKDAYS and (not sep or last in WEEKDAYS):
        low, high = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        if low <= high:
            return list(range(low, high + 1))
    raise ValidationError(
        field, key, f"expected daily, a weekday ({', '.join(WEEKDAYS)}) or a range such as mon-fri"
    )


def _intervals(field: str, spans: object, slot: int) -> list[Interval]:
    if isinstance(spans, str) or not isinstance(spans, Sequence):
        raise ValidationError(field, spans, 'expected a list of intervals such as "08:00-12:00"')
    if len(spans) > INTERVALS_MAX:
        raise ValidationError(field, len(spans), f"at most {INTERVALS_MAX} intervals a day")
    found = sorted(_interval(field, span, slot) for span in spans)
    for (_, end), (start, _) in itertools.pairwise(found):
        if start < end:
            raise ValidationError(
                field, spans, f"intervals overlap: one ends at {clock(end)}, after the next starts"
            )
    return found


def _interval(field: str, span: object, slot: int) -> Interval:
    text = span.strip() if isinstance(span, str) else None
    parts = text.replace("–", "-").split("-") if text else []
    if len(parts) != 2:
        raise ValidationError(field, span, 'expected an interval such as "08:00-12:00"')
    start, end = _minutes(field, span, parts[0]), _minutes(field, span, parts[1])
    if end <= start:
        raise ValidationError(field, span, "ends before it starts (an interval stays in one day)")
    for minute in (start, end):
        if minute % slot:
            raise ValidationError(
                field, span, f"{clock(minute)} is not on a {slot}-minute slot boundary"
            )
    return start, end


def _minutes(field: str, span: object, text: str) -> int:
    hours, sep, minutes = text.strip().partition(":")
    digits = (hours + minutes).isascii() and hours.isdigit() and minutes.isdigit()
    if sep and digits and len(hours) <= 2 and len(minutes) == 2:
        found = int(hours) * 60 + int(minutes)
        if int(minutes) < 60 and 0 <= found <= DAY_MINUTES:
            return found
    raise ValidationError(
        field, span, f"{text.strip()!r} is not a time of day (HH:MM, 00:00-24:00)"
    )
