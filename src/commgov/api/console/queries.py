"""A day or a whole number read from a page's query; a bad one is ``Refused``, naming the
field and the value."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from commgov.api.console.refusals import Problem, Refused

DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ID: Final = re.compile(r"[0-9]{1,9}")
ID_MOST: Final = 2**31 - 1
"""The largest row id the store takes."""


def query_day(field: str, given: str | None) -> dt.date | None:
    """The day ``YYYY-MM-DD`` given for ``field`` (``None`` when blank); else ``Refused``."""
    if given is None or not given.strip():
        return None
    text = given.strip()
    try:
        if DAY.fullmatch(text) is None:
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise Refused(Problem(field, given, "expected a day as YYYY-MM-DD")) from None
    if not 1900 <= day.year <= 8999:
        raise Refused(Problem(field, given, "expected a day from 1900 to 8999"))
    return day


def query_number(field: str, given: str | None, *, least: int, most: int) -> int | None:
    """The whole number given for ``field`` within ``least``–``most`` (``None`` when blank);
    else ``Refused``."""
    if given is None or not given.strip():
        return None
    text = given.strip()
    if ID.fullmatch(text) is None or not least <= int(text) <= most:
        args = (("least", str(least)), ("most", str(most)))
        raise Refused(Problem(field, given, "expected a whole number from {least} to {most}", args))
    return int(text)
