"""Checks on plain values that every boundary shares: text the store can keep, whole numbers
that fit in 64 bits, JSON data of bounded depth. No database here: models use them too."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Final

from commgov.errors import ValidationError

INT64: Final = 2**63 - 1
INT32: Final = 2**31 - 1
JSON_DEPTH: Final = 32
SHOWN: Final = 40  # characters of a refused text shown in the error


def check_text(field: str, value: object, limit: int | None = None) -> str:
    """``value`` if it is text of at most ``limit`` characters, without NUL or a lone
    surrogate; else ``ValidationError`` naming ``field``."""
    if not isinstance(value, str):
        raise ValidationError(field, value, "expected text")
    if limit is not None and len(value) > limit:
        raise ValidationError(
            field, shown(value), f"{len(value)} characters; at most {limit} allowed"
        )
    if "\x00" in value:
        raise ValidationError(field, shown(value), "contains a NUL character (\\x00)")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(
                field, shown(value), "contains a lone surrogate (not valid Unicode text)"
            ) from None
    return value


def check_int(field: str, value: object, top: int = INT64) -> int:
    """``value`` if it is a whole number within ±``top`` (64 bits by default); else
    ``ValidationError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, value, "expected a whole number")
    if not -top - 1 <= value <= top:
        raise ValidationError(field, value, f"out of the store's range (±{top:,})")
    return value


def check_json(field: str, value: object) -> object:
    """``value`` if it is JSON data the store keeps as given (see the module); else
    ``ValidationError``. Walks the value without recursion, so any depth is refused cleanly."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > JSON_DEPTH:
            raise ValidationError(field, "…", f"nested more than {JSON_DEPTH} levels deep")
        if isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str):
                    raise ValidationError(field, key, "object keys must be text")
                check_text(field, key)
                stack.append((inner, depth + 1))
        elif isinstance(item, list | tuple):
            stack.extend((inner, depth + 1) for inner in item)
        elif isinstance(item, str):
            check_text(field, item)
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise ValidationError(field, item, "numbers must be finite")
        elif isinstance(item, int) and not isinstance(item, bool):
            check_int(field, item)
        elif item is not None and not isinstance(item, bool):
            raise ValidationError(field, type(item).__name__, "not JSON data")
    return value


def stripped_text(field: str, value: object, most: int, *, empty: bool = False) -> str:
    """``value`` stripped, when it is text of 1 (0 with ``empty``) to ``most`` characters the
    store can keep; else ``ValidationError`` naming ``field``."""
    if not isinstance(value, str):
        raise ValidationError(field, value, "expected text")
    found = check_text(field, value.strip(), None)
    if not found and not empty:
        raise ValidationError(field, value, "must not be empty")
    if len(found) > most:
        raise ValidationError(field, shown(found), f"longer than {most} characters")
    return found


def row_id(field: str, value: object) -> int:
    """A row id a caller gives: a whole number from 1 that fits the store's 32-bit keys."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= INT32:
        raise ValidationError(field, value, f"expected an id from 1 to {INT32}")
    return value


def known_code(field: str, value: object, known: Mapping[str, object]) -> str:
    """One of the ``known`` codes; else ``ValidationError`` listing them."""
    if not isinstance(value, str) or value not in known:
        raise ValidationError(field, value, f"expected one of {', '.join(sorted(known))}")
    return value


def whole_number(field: str, value: object, low: int, high: int) -> int:
    """A whole number (not a bool) from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field, value, f"expected a whole number from {low} to {high}")
    return value


def flag(field: str, value: object) -> bool:
    """``True`` or ``False``, nothing that merely looks like one."""
    if not isinstance(value, bool):
        raise ValidationError(field, value, "expected True or False")
    return value


def calendar_day(field: str, value: object) -> dt.date:
    """A calendar day (a ``date``, not a ``datetime``)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(field, value, "expected a date (a day, not a moment)")
    return value


def shown(value: str) -> str:
    return value if len(value) <= SHOWN else value[:SHOWN] + "…"


__all__ = [
    "INT32",
    "INT64",
    "JSON_DEPTH",
    "calendar_day",
    "check_int",
    "check_json",
    "check_text",
    "flag",
    "known_code",
    "row_id",
    "shown",
    "stripped_text",
    "whole_number",
]
