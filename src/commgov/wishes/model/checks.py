"""Checks of what callers give, before anything is read or written: each failure is a
``ValidationError`` naming the caller's field and the value."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Final, get_args

from commgov.errors import ValidationError
from commgov.kernel.values import row_id, stripped_text
from commgov.wishes.model.limits import (
    ADDRESS_MAX,
    QUANTITY_MAX,
    RATING_MAX,
    RATING_MIN,
    REF_MAX,
)
from commgov.wishes.model.rules import TIERS, WISH_KINDS, AuthorKind
from commgov.wishes.model.vocab import REFER_TO

AUTHOR_KINDS: Final[tuple[AuthorKind, ...]] = get_args(AuthorKind)
text = stripped_text
"""Text of 1 to ``most`` characters, stripped (``kernel.values.stripped_text``)."""
entity_id = row_id
"""A row id a caller gives (``kernel.values.row_id``)."""


def optional_text(field: str, value: object, most: int) -> str | None:
    return None if value is None else text(field, value, most)


def quantity(value: object, field: str = "quantity") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= QUANTITY_MAX:
        raise ValidationError(field, value, f"expected a whole number from 1 to {QUANTITY_MAX}")
    return value


def kind(value: object) -> str:
    if value not in WISH_KINDS:
        raise ValidationError("kind", value, f"expected one of {', '.join(WISH_KINDS)}")
    return str(value)


def author_kind(value: object) -> str:
    if value not in AUTHOR_KINDS:
        raise ValidationError("author_kind", value, f"expected one of {', '.join(AUTHOR_KINDS)}")
    return str(value)


def tier(value: object) -> str:
    if value not in TIERS:
        raise ValidationError("tier", value, f"expected one of {', '.join(TIERS)}")
    return str(value)


def refer_to(value: object) -> str:
    if value not in REFER_TO:
        raise ValidationError("to", value, f"expected one of {', '.join(REFER_TO)}")
    return str(value)


def rating(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("rating", value, "expected a whole number")
    if not RATING_MIN <= value <= RATING_MAX:
        raise ValidationError("rating", value, f"must be from {RATING_MIN} to {RATING_MAX}")
    return value


def day(field: str, value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(field, value, "expected a date")
    return value


def references(field: str, values: object, most: int) -> tuple[str, ...]:
    """Up to ``most`` references (photos, evidence) of 1 to ``REF_MAX`` characters each."""
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ValidationError(field, values, "expected a list of references")
    if len(values) > most:
        raise ValidationError(field, len(values), f"at most {most} references")
    return tuple(text(field, v, REF_MAX) for v in values)


def place(
    address: object, lat: object, lon: object
) -> tuple[str | None, float | None, float | None]:
    """An optional address and an optional point (both coordinates or neither, in range)."""
    found = optional_text("address", address, ADDRESS_MAX)
    if (lat is None) != (lon is None):
        raise ValidationError("lat/lon", (lat, lon), "give both or neither")
    if lat is None or lon is None:
        return found, None, None
    for field, value, most in (("lat", lat, 90), ("lon", lon, 180)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(field, value, "expected a number of degrees")
        if not math.isfinite(value) or not -most <= value <= most:
            raise ValidationError(field, value, f"must lie within -{most}..{most}")
    return found, float(lat), float(lon)  # type: ignore[arg-type]


__all__ = [
    "AUTHOR_KINDS",
    "author_kind",
    "day",
    "entity_id",
    "kind",
    "optional_text",
    "place",
    "quantity",
    "rating",
    "refer_to",
    "references",
    "text",
    "tier",
]
