"""Checks of what callers give, before anything is read or written: each failure is a
``ValidationError`` naming the caller's field and the value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from commgov.errors import ValidationError
from commgov.kernel.values import row_id, stripped_text
from commgov.resources.model.limits import DAY_MINUTES, SLOT_MIN

text = stripped_text
"""Text of 1 to ``most`` characters, stripped (``kernel.values.stripped_text``)."""
entity_id = row_id
"""A row id a caller gives (``kernel.values.row_id``)."""
DAYS_MAX = 3660
"""The longest period a utilisation report covers, in days (ten years)."""


def code(field: str, value: object, known: Mapping[str, object]) -> str:
    """One of the ``known`` codes."""
    if not isinstance(value, str) or value not in known:
        raise ValidationError(field, value, f"expected one of {', '.join(sorted(known))}")
    return value


def count(field: str, value: object, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field, value, f"expected a whole number from {low} to {high}")
    return value


def flag(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, value, "expected True or False")
    return value


def slot_minutes(value: object) -> int:
    """A slot length in minutes that divides the day (5, 10, 15, 20, 30, 60, 120 …)."""
    minutes = count("slot_minutes", value, SLOT_MIN, DAY_MINUTES)
    if DAY_MINUTES % minutes:
        raise ValidationError(
            "slot_minutes", value, "slots must divide the day (5, 10, 15, 20, 30, 60, 120 …)"
        )
    return minutes


def day(field: str, value: object) -> dt.date:
    """A calendar day (a ``date``, not a ``datetime``)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(field, value, "expected a date (a day, not a moment)")
    return value


def days(start: object, end: object) -> tuple[dt.date, dt.date]:
    """Two days, the end not before the start, at most ``DAYS_MAX`` apart."""
    first, last = day("start", start), day("end", end)
    if last < first:
        raise ValidationError("end", last, f"is before start {first}")
    if (last - first).days >= DAYS_MAX:
        raise ValidationError("end", last, f"more than {DAYS_MAX} days after start {first}")
    return first, last
