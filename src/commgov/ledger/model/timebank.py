"""The time bank (时间银行) as pure rules: a recorded service and how long one may last."""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from commgov.errors import ValidationError

MAX_MINUTES: Final = 12 * 60


def service_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes from ``start`` to ``end``: 1 to ``MAX_MINUTES``, else a ``ValidationError``
    on ``end``."""
    minutes = int((end - start).total_seconds() // 60)
    if minutes <= 0 or minutes > MAX_MINUTES:
        raise ValidationError("end", end.isoformat(), f"a service lasts 1 to {MAX_MINUTES} minutes")
    return minutes


@attrs.frozen
class Service:
    """A volunteer's recorded service; ``transfer_id`` is its pending time-ledger transfer."""

    id: int
    provider_id: int
    recipient_id: int
    kind: str
    started_at: dt.datetime
    ended_at: dt.datetime
    minutes: int
    state: str
    transfer_id: int
    closed_by: str | None = None
    note: str | None = None
