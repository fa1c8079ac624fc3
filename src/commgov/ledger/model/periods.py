"""The period a statement or a leaderboard covers: whole days, counted in the store's zone."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

import attrs

from commgov.errors import ValidationError
from commgov.kernel.times import day_start

MONTH: Final = re.compile(r"(\d{4})-(\d{2})")
LONGEST_PERIOD: Final = dt.timedelta(days=3660)
"""The longest period a statement or a leaderboard covers (about ten years)."""


@attrs.frozen
class Period:
    """From the day ``start`` to the day ``end``, both included, in the store's zone."""

    start: dt.date
    end: dt.date

    def bounds(self, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        """The first instant of ``start`` and the first instant after ``end``, in UTC."""
        return day_start(self.start, zone), day_start(self.end + dt.timedelta(days=1), zone)

    @property
    def label(self) -> str:
        """``2026-11`` for a whole month, else ``2026-11-03 – 2026-11-20``."""
        first_of_next = _next_month(self.start)
        if self.start.day == 1 and self.end == first_of_next - dt.timedelta(days=1):
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_period(month: object) -> Period:
    """The month ``YYYY-MM`` as a period; else a ``ValidationError`` on ``month``."""
    found = MONTH.fullmatch(month) if isinstance(month, str) else None
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        raise ValidationError("month", month, "expected a month as YYYY-MM (e.g. 2026-11)")
    first = dt.date(int(found.group(1)), int(found.group(2)), 1)
    return Period(first, _next_month(first) - dt.timedelta(days=1))


def choose_period(*, month: object, start: object, end: object, today: dt.date) -> Period:
    """The period a caller asks for: a ``month`` (``YYYY-MM``), or ``start`` to ``end`` (dates,
    both included; ``end`` defaults to ``today``), or this month when neither is given."""
    if month is not None:
        if start is not None or end is not None:
            raise ValidationError("month", month, "give a month, or start and end, not both")
        return month_period(month)
    if start is None:
        if end is not None:
            raise ValidationError("start", None, "give the first day as well as the last")
        return month_period(f"{today:%Y-%m}")
    first, last = _day("start", start), _day("end", today if end is None else end)
    if last < first:
        raise ValidationError("end", last.isoformat(), f"is before start ({first.isoformat()})")
    if last - first > LONGEST_PERIOD:
        raise ValidationError("end", last.isoformat(), f"at most {LONGEST_PERIOD.days} days")
    return Period(first, last)


def _day(field: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(field, value, "expected a date (datetime.date)")
    if value.year < 1900 or value.year >= 9000:
        raise ValidationError(field, value.isoformat(), "outside 1900 to 8999")
    return value
