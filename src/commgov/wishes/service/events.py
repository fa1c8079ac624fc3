"""The outbox events of micro-wishes (``docs/events.md``): written in the wish call's unit of
work while the wish's row is new or locked, so a wish's events are ordered (``wish:<id>``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from commgov.kernel.outbox import Event, OutboxRepository
from commgov.wishes.model.wish import Wish
from commgov.wishes.service.desk import WishDesk


def emit(desk: WishDesk, kind: str, wishes: Iterable[Wish]) -> None:
    """Write a ``kind`` event for each wish as it stands now: codes and ids, no text."""
    events = [Event(kind, f"wish:{w.id}", _payload(w)) for w in wishes]
    desk.uow.repo(OutboxRepository).add(desk.now, events)


def _payload(wish: Wish) -> dict[str, Any]:
    return {
        "wish_id": wish.id,
        "kind": wish.kind,
        "state": wish.state,
        "unit": wish.unit_code,
        "category": wish.category,
        "author_kind": wish.author_kind,
        "quantity": wish.quantity,
        "committed": wish.committed,
        "tier": wish.tier,
        "rating": wish.rating,
        "case_id": wish.case_id,
        "referred_to": wish.referred_to,
    }
