"""Checks of what callers give, before anything is read or written: each failure is a
``ValidationError`` naming the caller's field and the value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final

from commgov.errors import ValidationError
from commgov.kernel.values import check_text, shown

ID_MAX: Final = 2**31 - 1


def text(field: str, value: object, most: int, *, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, value, "expected text")
    found = check_text(field, value.strip(), None)
    if not found and not empty:
        raise ValidationError(field, value, "must not be empty")
    if len(found) > most:
        raise ValidationError(field, shown(found), f"longer than {most} characters")
    return found


def whole(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field, value, f"expected a whole number from {low} to {high}")
    return value


def entity_id(field: str, value: object) -> int:
    return whole(field, value, 1, ID_MAX)


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
