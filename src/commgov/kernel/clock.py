"""The clock every service reads: replaceable, always aware, always UTC by default."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from commgov.kernel.times import as_utc

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The real clock: now, in UTC."""
    return dt.datetime.now(dt.UTC)


def utc_clock(clock: Clock) -> Clock:
    """``clock`` read in UTC: it may answer in any zone; a naive or out-of-range answer is a
    ``ValidationError`` on the field ``clock``."""
    if clock is utc_now:
        return clock

    def now() -> dt.datetime:
        return as_utc("clock", clock())

    return now
