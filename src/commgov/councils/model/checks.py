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


def optional_text(field: str, value: object, most: int) -> str | None:
    return None if value is None else text(field, value, most)


def optional_id(field: str, value: object) -> int | None:
    return None if value is None else entity_id(field, value)


def code(field: str, value: object, known: Mapping[str, object]) -> str:
    """One of the ``known`` codes."""
    if not isinstance(value, str) or value not in known:
        raise ValidationError(field, value, f"expected one of {', '.join(sorted(known))}")
    return value


def day(field: str, value: object) -> dt.date:
    """A calendar day (a ``date``, not a ``datetime``)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(field, value, "expected a date (a day, not a moment)")
    return value


def term(start: object, end: object) -> tuple[dt.date, dt.date]:
    """A term: two days, the end not before the start."""
    first, last = day("term_start", start), day("term_end", end)
    if last < first:
        raise ValidationError("term_end", last, f"is before term_start {first}")
    return first, last
