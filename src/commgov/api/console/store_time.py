"""Times as the console shows them: in the store's time zone."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from commgov.facade import Commgov

MINUTE: Final = "%Y-%m-%d %H:%M"
"""A moment to the minute, the console's usual shape."""


def local_time(cg: Commgov, moment: dt.datetime | None, shape: str = MINUTE) -> str:
    """``moment`` in the store's zone (empty for none)."""
    return "" if moment is None else moment.astimezone(cg.time_zone).strftime(shape)


def today(cg: Commgov) -> dt.date:
    """Today in the store's zone."""
    return cg.context.clock().astimezone(cg.time_zone).date()
