"""The time bank (时间银行) as pure rules: a recorded service, how long one may last, and that
it happened already."""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from commgov.errors import ValidationError
from commgov.kernel.times import CLOCK_SKEW
from commgov.ledger.model.words import future_service

MAX_MINUTES: Final = 12 * 60
SERVICE_SKEW: Final = CLOCK_SKEW
"""How far past the store's clock a service may be dated (a phone's clock running fast)."""


def service_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes from ``start`` to ``end``: 1 to ``MAX_MINUTES``, else a ``ValidationError``
    on ``end``."""
    minutes = int((end - start).total_seconds() // 60)
    if minutes <= 0 or minutes > MAX_MINUTES:
        raise ValidationError("end", end.isoformat(), f"a service lasts 1 to {MAX_MINUTES} minutes")
    return minutes


def check_happened(start: dt.datetime, end: dt.datetime, now: dt.datetime, zone: dt.tzinfo) -> None:
    """A service is recorded once it has happened: neither ``start`` nor ``end`` may lie more
    than ``SERVICE_SKEW`` after ``now``; else a ``ValidationError`` naming the first that
    does, with the value."""
    for field, moment in (("start", start), ("end", end)):
        if moment > now + SERVICE_SKEW:
            raise ValidationError(
                field,
                moment.isoformat(),
                f"is in the future (now {now.isoformat()}; {SERVICE_SKEW} of clock skew allowed)",
                message=future_service(field, moment, now, zone),
            )


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
