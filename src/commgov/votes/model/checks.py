"""Checks of what callers give, before anything is read or written: each failure is a
``ValidationError`` naming the caller's field and the value."""

from __future__ import annotations

import decimal
from decimal import Decimal

from commgov.errors import ValidationError
from commgov.kernel.values import row_id, stripped_text
from commgov.votes.model.limits import AREA_MAX

text = stripped_text
"""Text of 1 to ``most`` characters, stripped (``kernel.values.stripped_text``)."""
entity_id = row_id
"""A row id a caller gives (``kernel.values.row_id``)."""


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
