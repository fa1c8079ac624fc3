"""The ledger's open work when a resident leaves (``commgov.kernel.handover``).

- ``resident_left`` (died, moved out): the time-bank services still waiting for confirmation
  where they serve or are served are voided, the departure's reason kept on each (``closed``).
  Their points and minutes stay where they are, readable in statements; the services refuse
  any new earning, redemption, gift or service for them from then on.
- ``resident_merged``: the duplicate's points and banked minutes move to the kept record's
  accounts (reason ``merge:<duplicate>:<kept>``, a client id of the library's own, so a second
  run moves nothing twice); each of its services waiting for confirmation is voided and
  recorded again for the kept record with the same times, minutes and kind (``handed_over``),
  unless the kept record is the other side of it (then it is only ``closed``).
- ``resident_moved``: their accounts move to their new unit (whose town's rules then apply);
  no open work is handed over. Staff: the ledger keeps no work tied to staff.
"""

from __future__ import annotations

from typing import Final

import attrs

from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.handover import Departure, HandedOver
from commgov.kernel.uow import UnitOfWork
from commgov.ledger.model import (
    ISSUANCE,
    LEDGERS,
    SYSTEM,
    AccountSpec,
    Service,
    TransferRequest,
    internal_id,
    merge_reason,
    resident_account,
    resident_code,
)
from commgov.ledger.model.bounds import NOTE_MAX
from commgov.ledger.repository import LedgerRepository, ResidentLookup, TimeBankRepository
from commgov.ledger.service.batch import LedgerBatch

TIME: Final = "time"
WORK: Final = "ledger"


@attrs.define
class _Merge:
    """What a merge did, for the report and the audit."""

    moved: dict[str, int] = attrs.Factory(dict)
    recorded_again: int = 0
    voided: int = 0


class LedgerOpenWork:
    """The ledger's ``OpenWork``: pending time-bank services and balances tied to a resident."""

    name = WORK

    def hand_over(
        self, ctx: Context, uow: UnitOfWork, actor: Actor, departure: Departure
    ) -> HandedOver:
        if departure.kind == "resident_left":
            return self._left(ctx, uow, actor, departure)
        if departure.kind == "resident_merged" and departure.successor_id is not None:
            return self._merged(ctx, uow, actor, departure, departure.successor_id)
        if departure.kind == "resident_moved":
            row = uow.repo(ResidentLookup).row(departure.person_id)
            if row is not None:
                uow.repo(LedgerRepository).rehome_resident(row.id, row.unit_id)
        return HandedOver(WORK)

    # -- a resident who died or moved out ----------------------------------------------------
    def _left(
        self, ctx: Context, uow: UnitOfWork, actor: Actor, departure: Departure
    ) -> HandedOver:
        pending = uow.repo(TimeBankRepository).pending_of(departure.person_id)
        if not pending:
            return HandedOver(WORK)
        note = _note(f"{departure.reason}: resident {departure.person_id} left")
        batch = LedgerBatch(
            uow.repo(LedgerRepository),
            actor.label(),
            ctx.clock(),
        )
        requests = _voids(uow, pending)
        _apply(batch, requests)
        _close(uow, pending, actor, note)
        ctx.audit(
            uow,
            actor,
            "timebank.void_pending",
            entity="resident",
            entity_id=departure.person_id,
            detail={"reason": departure.reason, "voided": len(pending)},
        )
        return HandedOver(WORK, closed=len(pending))

    # -- a duplicate merged into the kept record ---------------------------------------------
    def _merged(
        self, ctx: Context, uow: UnitOfWork, actor: Actor, departure: Departure, kept: int
    ) -> HandedOver:
        duplicate = departure.person_id
        kept_row = uow.repo(ResidentLookup).row(kept)
        if kept_row is None:  # the people service checks the kept record before it calls
            return HandedOver(WORK)
        kept_spec = resident_account(kept, kept_row.unit_id)
        done = _Merge()
        pending = uow.repo(TimeBankRepository).pending_of(duplicate)
        for ledger in LEDGERS:
            batch = LedgerBatch(
                uow.repo(LedgerRepository),
                actor.label(),
                ctx.clock(),
            )
            requests = _voids(uow, pending) if ledger == TIME else []
            amount = _movable(batch, ledger, duplicate)
            if amount:
                requests.append(
                    TransferRequest(
                        internal_id("merge", duplicate, kept),
                        ledger,
                        resident_code(duplicate),
                        resident_code(kept),
                        amount,
                        merge_reason(duplicate, kept),
                    )
                )
                done.moved[ledger] = amount
            again = [s for s in pending if kept not in (s.provider_id, s.recipient_id)]
            if ledger == TIME:
                requests += [_again(s, duplicate, kept) for s in again]
            if not requests:
                continue
            opening: dict[str, AccountSpec] = {}
            if amount or (ledger == TIME and any(s.provider_id == duplicate for s in again)):
                opening[resident_code(kept)] = kept_spec
            if ledger == TIME and again:
                opening[ISSUANCE] = SYSTEM
            batch.hold(ledger, opening=opening)
            written = _apply(batch, requests)
            if ledger == TIME:
                note = _note(f"merged: resident {duplicate} into {kept}")
                _close(uow, pending, actor, note)
                services = uow.repo(TimeBankRepository)
                recorded = written[len(written) - len(again) :]
                for service, transfer_id in zip(again, recorded, strict=True):
                    provider, recipient = _sides(service, duplicate, kept)
                    services.add_service(
                        provider_id=provider,
                        recipient_id=recipient,
                        kind=service.kind,
                        started_at=service.started_at,
                        ended_at=service.ended_at,
                        minutes=service.minutes,
                        transfer_id=transfer_id,
                    )
                done.recorded_again = len(again)
                done.voided = len(pending) - len(again)
        if done.moved or pending:
            ctx.audit(
                uow,
                actor,
                "ledger.merge",
                entity="resident",
                entity_id=duplicate,
                detail={
                    "into": kept,
                    "moved": done.moved,
                    "recorded_again": done.recorded_again,
                    "voided": done.voided,
                },
            )
        handed = len(done.moved) + done.recorded_again
        return HandedOver(WORK, handed_over=handed, closed=done.voided)


def _note(text: str) -> str:
    return text[:NOTE_MAX]


def _voids(uow: UnitOfWork, pending: list[Service]) -> list[TransferRequest]:
    """A void of each pending service's transfer (the id a dispute would use: a service is
    closed once)."""
    client_ids = uow.repo(LedgerRepository).client_ids_of(s.transfer_id for s in pending)
    return [
        TransferRequest(
            internal_id("service", s.id, "void"),
            TIME,
            "",
            "",
            0,
            "voided",
            kind="void",
            pending=client_ids[s.transfer_id],
        )
        for s in pending
    ]


def _movable(batch: LedgerBatch, ledger: str, duplicate: int) -> int:
    """What the duplicate's account on ``ledger`` can give (its posted balance less what
    pending transfers hold), read under its lock; 0 when it has no account."""
    code = resident_code(duplicate)
    account = batch.hold(ledger, [code]).get(code)
    return max(account.available, 0) if account is not None else 0


def _sides(service: Service, duplicate: int, kept: int) -> tuple[int, int]:
    """(provider, recipient) of ``service`` with the duplicate replaced by the kept record."""
    provider = kept if service.provider_id == duplicate else service.provider_id
    recipient = kept if service.recipient_id == duplicate else service.recipient_id
    return provider, recipient


def _again(service: Service, duplicate: int, kept: int) -> TransferRequest:
    """The pending transfer of ``service`` recorded again for the kept record."""
    provider, _ = _sides(service, duplicate, kept)
    return TransferRequest(
        internal_id("service", service.id, "merged", kept),
        TIME,
        ISSUANCE,
        resident_code(provider),
        service.minutes,
        f"service:{service.kind}"[:64],
        kind="pending",
    )


def _apply(batch: LedgerBatch, requests: list[TransferRequest]) -> list[int]:
    """Apply ``requests`` as one linked batch; the ids of the transfers, in order."""
    batch.prepare(requests)
    ids = [batch.apply(i, r)[0].id for i, r in enumerate(requests)]
    batch.write()
    return ids


def _close(uow: UnitOfWork, pending: list[Service], actor: Actor, note: str) -> None:
    services = uow.repo(TimeBankRepository)
    for s in pending:
        services.close_service(s.id, state="voided", closed_by=actor.label(), note=note)


__all__ = ["LedgerOpenWork"]
