"""Checks of what callers give, before anything is read or written: each failure is a
``ValidationError`` naming the caller's field and the value."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Final

from commgov.errors import ValidationError
from commgov.kernel.values import check_text, shown
from commgov.votes.model.limits import AREA_MAX

ID_MAX: Final = 2**31 - 1


def text(field: str, value: object, most: int) -> str:
    """``value`` stripped, when it is text of 1 to ``most`` characters."""
    if not isinstance(value, str):
        raise ValidationError(field, value, "expected text")
    found = check_text(field, value.strip(), None)
    if not found:
        raise ValidationError(field, value, "must not be empty")
    if len(found) > most:
        raise ValidationError(field, shown(found), f"longer than {most} characters")
    return found


def entity_id(field: str, value: object) -> int:
    """A row id a caller gives: a whole number from 1."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= ID_MAX:
        raise ValidationError(field, value, f"expected an id from 1 to {ID_MAX}")
    return value


def optional_id(field: str, value: object) -> int | None:
    return None if value is None else entity_id(field, value)


def area(field: str, value: object) -> int:
    """A floor area in square metres (a number or text, at most two decimals, above 0) as
    hundredths of a square metre."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValidationError(field, value, "expected an area in square metres")
    try:
        found = Decimal(str(value).strip()) * 100
    except decimal.InvalidOperation:
        raise ValidationError(field, value, "expected an area in square metres") from None
    if not found.is_finite() or found != found.to_integral_value():
        raise ValidationError(field, value, "expected square metres with at most two decimals")
    hundredths = int(found)
    if not 0 < hundredths <= AREA_MAX:
        raise ValidationError(field, value, f"expected more than 0 and at most {AREA_MAX // 100}")
    return hundredths


def square_metres(hundredths: int) -> Decimal:
    """An area kept in hundredths of a m², in square metres."""
    return Decimal(hundredths) / 100
