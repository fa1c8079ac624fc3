"""The outbox events of votes (``docs/events.md``): opened, closed with its outcome, cancelled —
written while the vote's row is new or locked (``vote:<id>``). No ballot is an event: a secret
ballot must not be traceable to its voter, even by when it was cast."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commgov.kernel.outbox import Event, OutboxRepository
from commgov.kernel.uow import UnitOfWork
from commgov.votes.model.values import Vote


def emit(
    uow: UnitOfWork,
    kind: str,
    vote: Vote,
    *,
    unit: str,
    now: dt.datetime,
    outcome: str | None = None,
    ballots: int | None = None,
) -> None:
    payload: dict[str, Any] = {
        "vote_id": vote.id,
        "unit": unit,
        "council_id": vote.council_id,
        "kind": vote.kind,
        "electorate": vote.electorate,
        "rule": vote.rule,
        "secret": vote.secret,
        "state": vote.state,
        "closes_at": None if vote.closes_at is None else vote.closes_at.isoformat(),
        "roll_headcount": vote.roll_headcount,
        "outcome": outcome,
        "ballots": ballots,
    }
    uow.repo(OutboxRepository).add(now, [Event(kind, f"vote:{vote.id}", payload)])
