"""The outbox events of activities (``docs/events.md``): published, cancelled, attendance
taken — written while the activity's row is new or locked (``activity:<id>``). Ids, codes,
times and counts; not the title, nor who signed up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commgov.kernel.outbox import Event, OutboxRepository
from commgov.kernel.uow import UnitOfWork
from commgov.organisations.model.values import Activity


def emit(
    uow: UnitOfWork,
    kind: str,
    activity: Activity,
    *,
    unit: str,
    now: dt.datetime,
    counts: dict[str, int] | None = None,
) -> None:
    payload: dict[str, Any] = {
        "activity_id": activity.id,
        "organisation_id": activity.organisation_id,
        "kind": activity.kind,
        "unit": unit,
        "booking_id": activity.booking_id,
        "starts_at": activity.starts_at.isoformat(),
        "ends_at": activity.ends_at.isoformat(),
        "places": activity.places,
        "state": activity.state,
        **(counts or {}),
    }
    uow.repo(OutboxRepository).add(now, [Event(kind, f"activity:{activity.id}", payload)])
