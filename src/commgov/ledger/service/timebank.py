"""The time bank (时间银行): volunteers bank the minutes they serve; hours are pending until
the recipient, their household or their grid worker confirms; banked time buys care later,
can go to family, or to a community pool that grants time to elders who have none."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import insert, select, update

from commgov.errors import NotFoundError, PermissionDenied, StateError, ValidationError
from commgov.kernel.access import LEDGER_WRITE, READ, WRITE
from commgov.kernel.actors import RESIDENT, Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.ledger.model import TransferRequest
from commgov.ledger.repository import LedgerRepository, TimeBankRepository
from commgov.ledger.service.accounts import (
    CARE,
    ISSUANCE,
    SYSTEM,
    ensure_accounts,
    pool_code,
    resident_account,
    resident_code,
)
from commgov.ledger.service.ledger import LedgerService, TransferView
from commgov.ledger.tables import ledger_transfers, timebank_services
from commgov.people.model.residents import validate_name
from commgov.people.model.units import unit_target
from commgov.people.repository import ResidentRepository, UnitRepository
from commgov.people.service.grids import load_unit
from commgov.people.service.residents import authorized_resident

LEDGER = "time"
MAX_MINUTES = 12 * 60


class ServiceView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    provider_id: int
    recipient_id: int
    kind: str
    minutes: int
    state: str
    note: str | None = None


class StatementRow(BaseModel):
    """Minutes served (confirmed), received and held, for one resident."""

    model_config = ConfigDict(frozen=True)

    resident_id: int
    served: int
    received: int
    held: int


class OrganisationRow(BaseModel):
    """Minutes an organisation's account (a community pool, a volunteer team) took in, gave out
    and holds."""

    model_config = ConfigDict(frozen=True)

    code: str
    kind: str
    unit_code: str
    received: int
    given: int
    held: int


class TimeBankService:
    def __init__(self, ctx: Context, ledger: LedgerService) -> None:
        self._ctx = ctx
        self._ledger = ledger

    def record(
        self,
        actor: Actor,
        *,
        provider_id: int,
        recipient_id: int,
        kind: str,
        start: dt.datetime,
        end: dt.datetime,
        client_id: str,
    ) -> ServiceView:
        """A volunteer's service: its minutes are banked as pending until confirmed."""
        kind = validate_name(kind, "kind")
        minutes = int((end - start).total_seconds() // 60)
        if minutes <= 0 or minutes > MAX_MINUTES:
            raise ValidationError(
                "end", end.isoformat(), f"a service lasts 1 to {MAX_MINUTES} minutes"
            )
        if provider_id == recipient_id:
            raise ValidationError(
                "recipient_id", recipient_id, "a volunteer cannot serve themselves"
            )

        def work(uow: UnitOfWork) -> ServiceView:
            _provider, provider_home = self._resident(uow, actor, provider_id, WRITE)
            self._resident(uow, Actor.system(), recipient_id, READ)
            code = resident_code(provider_id)
            ensure_accounts(
                uow,
                LEDGER,
                {ISSUANCE: SYSTEM, code: resident_account(provider_id, provider_home.id)},
                self._ctx.clock(),
            )
            request = TransferRequest(
                client_id, LEDGER, ISSUANCE, code, minutes, f"service:{kind}"[:64], kind="pending"
            )
            (transfer,) = self._ledger.apply(uow, actor, [request])
            existing = uow.conn.execute(
                select(timebank_services).where(timebank_services.c.transfer_id == transfer.id)
            ).one_or_none()
            if existing is not None:  # a retried submission
                return _view(existing)
            values = {
                "provider_id": provider_id,
                "recipient_id": recipient_id,
                "kind": kind,
                "started_at": start,
                "ended_at": end,
                "minutes": minutes,
                "state": "pending",
                "transfer_id": transfer.id,
            }
            service_id = uow.conn.execute(
                insert(timebank_services).returning(timebank_services.c.id), values
            ).scalar_one()
            return ServiceView(
                id=service_id,
                provider_id=provider_id,
                recipient_id=recipient_id,
                kind=kind,
                minutes=minutes,
                state="pending",
            )

        return self._ledger.run(work)

    def confirm(self, actor: Actor, service_id: int) -> ServiceView:
        """The recipient, someone of their household or their grid worker confirms the service;
        its minutes are posted to the volunteer."""
        return self._close(actor, service_id, "post", "confirmed", None)

    def dispute(self, actor: Actor, service_id: int, *, reason: str) -> ServiceView:
        """The service is disputed: its pending minutes are voided, with the reason kept."""
        if not reason or not reason.strip():
            raise ValidationError("reason", reason, "say why the service is disputed")
        return self._close(actor, service_id, "void", "voided", reason.strip()[:200])

    def _close(
        self, actor: Actor, service_id: int, kind: str, state: str, note: str | None
    ) -> ServiceView:
        def work(uow: UnitOfWork) -> ServiceView:
            row = uow.conn.execute(
                select(timebank_services).where(timebank_services.c.id == service_id)
            ).one_or_none()
            if row is None:
                raise NotFoundError("time-bank service", service_id)
            self._resident(uow, actor, row.recipient_id, WRITE)
            if kind == "post" and self._own_household(uow, actor, row.provider_id):
                raise PermissionDenied(
                    actor.label(), "confirm", f"service {service_id}: the volunteer's own household"
                )
            if row.state != "pending":
                raise StateError(f"service {service_id} is already {row.state}; cannot {kind}")
            pending = uow.conn.execute(
                select(ledger_transfers.c.client_id).where(ledger_transfers.c.id == row.transfer_id)
            ).scalar_one()
            request = TransferRequest(
                f"{kind}:{pending}", LEDGER, "", "", 0, state, kind=kind, pending=pending
            )
            self._ledger.apply(uow, actor, [request])
            uow.conn.execute(
                update(timebank_services)
                .where(timebank_services.c.id == service_id)
                .values(state=state, closed_by=actor.label(), note=note)
            )
            return _view(
                uow.conn.execute(
                    select(timebank_services).where(timebank_services.c.id == service_id)
                ).one()
            )

        return self._ledger.run(work)

    def redeem_care(
        self, actor: Actor, resident_id: int, *, minutes: int, client_id: str
    ) -> TransferView:
        """Spend banked minutes on care received."""
        return self._move(
            actor=actor,
            resident_id=resident_id,
            target=CARE,
            minutes=minutes,
            client_id=client_id,
            reason="care",
            spec=SYSTEM,
        )

    def give(
        self, actor: Actor, giver_id: int, receiver_id: int, *, minutes: int, client_id: str
    ) -> TransferView:
        """Give banked minutes to someone of the same household, if the town allows it."""

        def check(uow: UnitOfWork, policy: Any) -> dict[str, Any]:
            giver = uow.repo(ResidentRepository).get(giver_id)
            receiver, home = self._resident(uow, Actor.system(), receiver_id, READ)
            if not policy.gifts_within_household:
                raise StateError("this town's time bank does not allow gifts")
            if giver.household_id != receiver.household_id:
                raise ValidationError("receiver_id", receiver_id, "not of the giver's household")
            return resident_account(receiver_id, home.id)

        return self._move(
            actor=actor,
            resident_id=giver_id,
            target=resident_code(receiver_id),
            minutes=minutes,
            client_id=client_id,
            reason="gift",
            spec=check,
        )

    def donate(
        self, actor: Actor, resident_id: int, *, minutes: int, community: str, client_id: str
    ) -> TransferView:
        """Donate banked minutes to a community's pool, if the town allows it."""

        def check(uow: UnitOfWork, policy: Any) -> dict[str, Any]:
            if not policy.pool_donations:
                raise StateError("this town's time bank does not take donations")
            unit = load_unit(uow, community, field="community", live=True)
            return {"kind": "organisation", "unit_id": unit.id}

        return self._move(
            actor=actor,
            resident_id=resident_id,
            target=pool_code(community),
            minutes=minutes,
            client_id=client_id,
            reason="donation",
            spec=check,
        )

    def grant(
        self, actor: Actor, *, community: str, elder_id: int, minutes: int, client_id: str
    ) -> TransferView:
        """From a community's pool to an elder who holds no time, if the town allows it."""

        def work(uow: UnitOfWork) -> TransferView:
            unit = load_unit(uow, community, field="community", live=True)
            self._ctx.authorize(actor, LEDGER_WRITE, unit_target(unit))
            elder, home = self._resident(uow, Actor.system(), elder_id, READ)
            policy = self._ctx.plugins.rules(home.path).commgov_timebank_policy()
            age = (self._ctx.clock().date() - elder.birth_date).days // 365
            if not policy.pool_grants:
                raise StateError("this town's time bank does not grant from pools")
            if age < policy.pool_grant_min_age:
                raise ValidationError(
                    "elder_id", elder_id, f"aged {age}; grants go to {policy.pool_grant_min_age}+"
                )
            ids = ensure_accounts(
                uow,
                LEDGER,
                {resident_code(elder_id): resident_account(elder_id, home.id)},
                self._ctx.clock(),
            )
            held = LedgerRepository(uow.conn).lock([ids[resident_code(elder_id)]])[
                ids[resident_code(elder_id)]
            ]
            if held.balance > 0 and not _is_replay(uow, client_id):
                raise ValidationError(
                    "elder_id",
                    elder_id,
                    f"holds {held.balance} minutes; grants go to elders with none",
                )
            request = TransferRequest(
                client_id,
                LEDGER,
                pool_code(community),
                resident_code(elder_id),
                minutes,
                "pool_grant",
            )
            (view,) = self._ledger.apply(uow, actor, [request])
            return view

        return self._ledger.run(work)

    def statement(self, actor: Actor, unit: str) -> list[StatementRow]:
        """Per resident living under ``unit`` who holds time or served or received it: minutes
        served (confirmed), received (confirmed) and held."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            units = [u.id for u in uow.repo(UnitRepository).subtree(top)]
            people = TimeBankRepository(uow.conn).people(units)
        return [_statement_row(rid, people[rid]) for rid in sorted(people)]

    def person(self, actor: Actor, resident_id: int) -> StatementRow:
        """One resident's minutes served, received and held (a resident may read their own)."""
        with self._ctx.uow(readonly=True) as uow:
            _row, home = self._resident(uow, actor, resident_id, READ)
            people = TimeBankRepository(uow.conn).people([home.id])
        return _statement_row(resident_id, people.get(resident_id, [0, 0, 0]))

    def organisations(self, actor: Actor, unit: str) -> list[OrganisationRow]:
        """Per organisation account at or under ``unit`` (community pools, teams, partners):
        minutes received, given out and held."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            units = [u.id for u in uow.repo(UnitRepository).subtree(top)]
            rows = TimeBankRepository(uow.conn).organisations(units)
        return [
            OrganisationRow(
                code=r.code,
                kind=r.kind,
                unit_code=r.unit_code,
                received=r.credits_posted,
                given=r.debits_posted,
                held=r.credits_posted - r.debits_posted,
            )
            for r in rows
        ]

    def totals(self, actor: Actor, unit: str) -> dict[str, int]:
        """Minutes served, received and held by residents under ``unit`` (a community, a
        town), and held in its organisations' accounts (``held_by_organisations``)."""
        rows = self.statement(actor, unit)
        out = {k: sum(getattr(r, k) for r in rows) for k in ("served", "received", "held")}
        out["held_by_organisations"] = sum(o.held for o in self.organisations(actor, unit))
        return out

    # -- helpers --------------------------------------------------------------------------
    def _move(
        self,
        *,
        actor: Actor,
        resident_id: int,
        target: str,
        minutes: int,
        client_id: str,
        reason: str,
        spec: Any,
    ) -> TransferView:
        def work(uow: UnitOfWork) -> TransferView:
            _row, home = self._resident(uow, actor, resident_id, WRITE)
            policy = self._ctx.plugins.rules(home.path).commgov_timebank_policy()
            target_spec = spec(uow, policy) if callable(spec) else spec
            ensure_accounts(
                uow,
                LEDGER,
                {
                    resident_code(resident_id): resident_account(resident_id, home.id),
                    target: target_spec,
                },
                self._ctx.clock(),
            )
            request = TransferRequest(
                client_id, LEDGER, resident_code(resident_id), target, minutes, reason
            )
            (view,) = self._ledger.apply(uow, actor, [request])
            return view

        return self._ledger.run(work)

    def _resident(
        self, uow: UnitOfWork, actor: Actor, resident_id: int, action: str
    ) -> tuple[Any, Any]:
        return authorized_resident(self._ctx, uow, actor, resident_id, action)

    def _own_household(self, uow: UnitOfWork, actor: Actor, resident_id: int) -> bool:
        """Is ``actor`` a resident of ``resident_id``'s household?"""
        spec = self._ctx.roles.get(actor.role)
        if spec is None or spec.acts_as != RESIDENT or actor.household_id is None:
            return False
        return bool(
            uow.repo(ResidentRepository).get(resident_id).household_id == actor.household_id
        )


def _is_replay(uow: UnitOfWork, client_id: str) -> bool:
    return bool(LedgerRepository(uow.conn).transfers_by_client(LEDGER, [client_id]))


def _statement_row(resident_id: int, minutes: list[int]) -> StatementRow:
    served, received, held = minutes
    return StatementRow(resident_id=resident_id, served=served, received=received, held=held)


def _view(row: Any) -> ServiceView:
    return ServiceView(
        id=row.id,
        provider_id=row.provider_id,
        recipient_id=row.recipient_id,
        kind=row.kind,
        minutes=row.minutes,
        state=row.state,
        note=row.note,
    )
