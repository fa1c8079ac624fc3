"""The outbox events of points and the time bank, beside the transfer events every ledger
batch writes (``docs/events.md``): ids, codes, amounts and times, never names."""

from __future__ import annotations

from typing import Final

from commgov.kernel.outbox import Event
from commgov.ledger.model import EarnRequest, Service, transfer_aggregate
from commgov.ledger.views import TransferView

POINTS_EARNED: Final = "points.earned"
SERVICE_EVENTS: Final = {
    "pending": "timebank.service_recorded",
    "confirmed": "timebank.service_confirmed",
    "voided": "timebank.service_disputed",
}
"""The outbox kind of a time-bank service in each state it is written in."""


def earned(item: EarnRequest, transfer: TransferView, *, asked: int, unit: str) -> Event:
    """Points granted to a resident (``transfer`` paid them), in the transfer's aggregate, so
    it follows its ``transfer.posted`` event."""
    payload = {
        "resident_id": item.resident_id,
        "unit": unit,
        "activity": item.activity,
        "asked": asked,
        "granted": transfer.amount,
        "transfer_id": transfer.id,
        "client_id": transfer.client_id,
        "at": transfer.created_at.isoformat(),
    }
    aggregate = transfer_aggregate(transfer.debit_id, transfer.credit_id)
    return Event(POINTS_EARNED, aggregate, payload)


def service_event(service: Service) -> Event:
    """A time-bank service recorded, confirmed (its minutes banked) or disputed, in its own
    aggregate ``timebank_service:<id>`` (written while its row is new or locked)."""
    payload = {
        "service_id": service.id,
        "provider_id": service.provider_id,
        "recipient_id": service.recipient_id,
        "kind": service.kind,
        "minutes": service.minutes,
        "started_at": service.started_at.isoformat(),
        "ended_at": service.ended_at.isoformat(),
        "state": service.state,
        "transfer_id": service.transfer_id,
    }
    return Event(SERVICE_EVENTS[service.state], f"timebank_service:{service.id}", payload)
