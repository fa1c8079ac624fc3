"""Checks of what callers give, before anything is read or written: each failure is a
``ValidationError`` naming the caller's field and the value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from commgov.errors import ValidationError
from commgov.kernel.values import row_id, stripped_text

text = stripped_text
"""Text of 1 to ``most`` characters, stripped (``kernel.values.stripped_text``)."""
entity_id = row_id
"""A row id a caller gives (``kernel.values.row_id``)."""


def whole(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field, value, f"expected a whole number from {low} to {high}")
    return value


def optional_id(field: str, value: object) -> int | None:
    return None if value is None else entity_id(field, value)


def code(field: str, value: object, known: Mapping[str, object]) -> str:
    if not isinstance(value, str) or value not in known:
        raise ValidationError(field, value, f"expected one of {', '.join(known)}")
    return value


def optional_day(field: str, value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(field, value, "expected a date (a day, not a moment)")
    return value
