"""Checks of what callers give, before anything is read or written: each failure is a
``ValidationError`` naming the caller's field and the value (the shared checks of
``kernel.values``, and those of this capability)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from commgov.errors import ValidationError
from commgov.kernel.values import (
    calendar_day,
    flag,
    known_code,
    row_id,
    stripped_text,
    whole_number,
)

text = stripped_text
entity_id = row_id
code = known_code
whole = whole_number
day = calendar_day

__all__ = ["code", "day", "days", "entity_id", "flag", "ids", "optional_id", "text", "whole"]


def optional_id(field: str, value: object) -> int | None:
    return None if value is None else entity_id(field, value)


def ids(field: str, values: object, most: int) -> list[int]:
    """Distinct row ids, in the order given."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise ValidationError(field, values, "expected a list of ids")
    if len(values) > most:
        raise ValidationError(field, len(values), f"at most {most} at once")
    found = [entity_id(f"{field}[{i}]", v) for i, v in enumerate(values)]
    if len(set(found)) != len(found):
        twice = next(v for v in found if found.count(v) > 1)
        raise ValidationError(field, twice, "named twice")
    return found


def days(start: object, end: object) -> tuple[dt.date, dt.date]:
    """A period of days from ``start`` to ``end``, both counted (as the resources' reports
    count them); returned as the first day and the day after the last."""
    first, last = day("start", start), day("end", end)
    if last < first:
        raise ValidationError("end", last, f"is before start {first}")
    return first, last + dt.timedelta(days=1)
