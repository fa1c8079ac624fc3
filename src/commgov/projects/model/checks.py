"""Checks of what callers give, before anything is read or written: each failure is a
``ValidationError`` naming the caller's field and the value."""

from __future__ import annotations

import datetime as dt

from commgov.kernel.values import calendar_day, known_code, row_id, stripped_text, whole_number

text = stripped_text
"""Text of 1 to ``most`` characters, stripped (``kernel.values.stripped_text``)."""
entity_id = row_id
"""A row id a caller gives (``kernel.values.row_id``)."""


whole = whole_number
"""A whole number from ``low`` to ``high`` (``kernel.values.whole_number``)."""


def optional_id(field: str, value: object) -> int | None:
    return None if value is None else entity_id(field, value)


code = known_code
"""One of the ``known`` codes (``kernel.values.known_code``)."""


def optional_day(field: str, value: object) -> dt.date | None:
    return None if value is None else calendar_day(field, value)
