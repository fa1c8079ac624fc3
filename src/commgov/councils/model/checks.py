"""Checks of what callers give, before anything is read or written: each failure is a
``ValidationError`` naming the caller's field and the value."""

from __future__ import annotations

import datetime as dt

from commgov.errors import ValidationError
from commgov.kernel.values import calendar_day, known_code, row_id, stripped_text

text = stripped_text
"""Text of 1 to ``most`` characters, stripped (``kernel.values.stripped_text``)."""
entity_id = row_id
"""A row id a caller gives (``kernel.values.row_id``)."""


def optional_text(field: str, value: object, most: int) -> str | None:
    return None if value is None else text(field, value, most)


def optional_id(field: str, value: object) -> int | None:
    return None if value is None else entity_id(field, value)


code = known_code
"""One of the ``known`` codes (``kernel.values.known_code``)."""
day = calendar_day
"""A calendar day (``kernel.values.calendar_day``)."""


def term(start: object, end: object) -> tuple[dt.date, dt.date]:
    """A term: two days, the end not before the start."""
    first, last = day("term_start", start), day("term_end", end)
    if last < first:
        raise ValidationError("term_end", last, f"is before term_start {first}")
    return first, last
