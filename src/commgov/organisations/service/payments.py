"""What attendance pays, through the ledgers: the town's points for the activity's entry in
its points table and the activity's minutes in the time bank, each under a key of its round,
so attending once pays once; a corrected attendance reverses the round's payments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs

from commgov.errors import InsufficientFunds, StateError
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.ledger import calls as ledger_calls
from commgov.ledger.model import (
    ISSUANCE,
    SYSTEM,
    TransferRequest,
    internal_id,
    resident_account,
    resident_code,
)
from commgov.ledger.repository import ResidentLookup
from commgov.ledger.service.ledger import LedgerService
from commgov.ledger.service.points import LEDGER as POINTS
from commgov.ledger.service.points import PointsService
from commgov.ledger.service.timebank import LEDGER as TIME
from commgov.organisations.model.rewards import points_quantity, round_key
from commgov.organisations.model.values import Activity, Signup

PAYER: Final = "organisations"
"""The ledgers record attendance payments as made by ``system:organisations``."""


class Payer:
    """Pays and reverses attendance inside the caller's unit of work."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.ledger = LedgerService(ctx)
        self.points = PointsService(ctx, self.ledger)

    def pay(
        self, uow: UnitOfWork, activity: Activity, unit_path: str, found: Sequence[Signup]
    ) -> list[Signup]:
        """Pay a new round to each of ``found`` (marked present); the sign-ups come back with
        what was paid."""
        if not found:
            return []
        payer = Actor.system(PAYER)
        rounds = [s.paid_round + 1 for s in found]
        granted = [0] * len(found)
        if activity.points_activity is not None:
            rule = ledger_calls.points_table(self._ctx.plugins, unit_path).get(
                activity.points_activity
            )
            if rule is not None:
                quantity = points_quantity(activity.minutes, rule.per)
                earnings = self.points.earn_internal_many(
                    payer,
                    [
                        (s.resident_id, activity.points_activity,
                         round_key(activity.id, s.resident_id, r, "points"), quantity)
                        for s, r in zip(found, rounds, strict=True)
                    ],
                )  # fmt: skip
                granted = [e.granted for e in earnings]
        minutes = activity.minutes if activity.bank_time else 0
        if minutes:
            homes = uow.repo(ResidentLookup).rows(s.resident_id for s in found)
            opening = {ISSUANCE: SYSTEM} | {
                resident_code(s.resident_id): resident_account(
                    s.resident_id, homes[s.resident_id].unit_id
                )
                for s in found
            }
            batch = self.ledger.batch(uow, payer)
            batch.hold(TIME, opening=opening)
            requests = [
                TransferRequest(
                    internal_id(*round_key(activity.id, s.resident_id, r, "time")), TIME,
                    ISSUANCE, resident_code(s.resident_id), minutes, f"activity:{activity.id}",
                )
                for s, r in zip(found, rounds, strict=True)
            ]  # fmt: skip
            self.ledger.apply(uow, payer, requests, batch=batch)
        return [
            attrs.evolve(s, attended=True, points=p, minutes=minutes, paid_round=r)
            for s, p, r in zip(found, granted, rounds, strict=True)
        ]

    def reverse(self, uow: UnitOfWork, activity: Activity, found: Sequence[Signup]) -> list[Signup]:
        """Take back the current round's payments of ``found`` (marked absent after all)."""
        payer = Actor.system(PAYER)
        requests = []
        for s in found:
            for ledger, amount, what in ((POINTS, s.points, "points"), (TIME, s.minutes, "time")):
                if amount:
                    original = round_key(activity.id, s.resident_id, s.paid_round, what)
                    undo = round_key(activity.id, s.resident_id, s.paid_round, f"undo-{what}")
                    requests.append(
                        TransferRequest(
                            internal_id(*undo), ledger, resident_code(s.resident_id), ISSUANCE,
                            amount, f"activity_correction:{activity.id}",
                            reverses=internal_id(*original),
                        )
                    )  # fmt: skip
        if requests:
            try:
                self.ledger.apply(uow, payer, requests)
            except InsufficientFunds as short:
                raise StateError(
                    f"cannot correct the attendance of activity {activity.id}: "
                    f"{short.account} has spent what it was paid (holds {short.balance}, "
                    f"the correction takes back {short.amount}) (已使用所得积分或时长，无法更正)"
                ) from None
        return [attrs.evolve(s, attended=False, points=0, minutes=0) for s in found]
