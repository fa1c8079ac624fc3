"""The time bank (时间银行): volunteers bank the minutes they serve; hours are pending until
the recipient, their household or their grid worker confirms; banked time buys care later,
can go to family, or to a community pool that grants time to elders who have none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from commgov.errors import (
    ConflictError,
    InsufficientFunds,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from commgov.kernel.access import LEDGER_WRITE, READ, WRITE
from commgov.kernel.actors import RESIDENT, Actor
from commgov.kernel.context import Context
from commgov.kernel.outbox import OutboxRepository
from commgov.kernel.times import as_utc, local_date
from commgov.kernel.uow import UnitOfWork
from commgov.ledger import calls
from commgov.ledger.model import (
    CARE,
    ISSUANCE,
    SYSTEM,
    AccountSpec,
    Service,
    TransferRequest,
    caller_client_id,
    check_happened,
    choose_period,
    entity_id,
    internal_id,
    pool_code,
    resident_account,
    resident_code,
    service_minutes,
    text,
    whole,
)
from commgov.ledger.model.bounds import CODE_MAX, NOTE_MAX
from commgov.ledger.model.rules import TimeBankPolicy
from commgov.ledger.model.words import (
    grant_holder,
    grant_too_young,
    no_such,
    not_of_household,
    service_closed,
    short_of_minutes,
)
from commgov.ledger.repository import LedgerRepository, ResidentLookup, TimeBankRepository
from commgov.ledger.service import events
from commgov.ledger.service.exchange import Exchanges
from commgov.ledger.service.ledger import LedgerService
from commgov.ledger.service.residents import ledger_resident, shown_name
from commgov.ledger.service.statements import account_statement
from commgov.ledger.views import (
    AccountStatement,
    ExchangeStatement,
    OrganisationRow,
    PendingService,
    PoolTransfer,
    ServiceView,
    StatementRow,
    TransferView,
)
from commgov.people.model.residents import validate_name
from commgov.people.model.units import Unit, unit_target
from commgov.people.repository import UnitRepository
from commgov.people.service.grids import load_unit

LEDGER = "time"
MAX_LIST = 5000
"""The most services a list of those waiting gives."""

TargetAccount = Callable[[UnitOfWork, Any, TimeBankPolicy], AccountSpec]
"""What a move's receiving account is, decided for the giver (their resident row) under the
town's policy (which may refuse)."""


class TimeBankService:
    def __init__(self, ctx: Context, ledger: LedgerService) -> None:
        self._ctx = ctx
        self._ledger = ledger
        self._exchanges = Exchanges(ctx, ledger)

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
        """A volunteer's service: its minutes are banked as pending until confirmed. ``start``
        and ``end`` are aware datetimes. A retry with the same ``client_id`` returns the
        service recorded the first time; the same id for another service is a
        ``ConflictError``. When the two live in different communities and the recipient's
        town takes no services across communities (``TimeBankPolicy.exchange == "none"``), it
        is a ``ValidationError`` on ``recipient_id`` naming both communities."""
        entity_id("provider_id", provider_id)
        entity_id("recipient_id", recipient_id)
        kind = validate_name(text("kind", kind, 64), "kind")
        caller_client_id(client_id)
        start, end = as_utc("start", start), as_utc("end", end)
        minutes = service_minutes(start, end)
        check_happened(start, end, self._ctx.clock(), self._ctx.zone)
        if provider_id == recipient_id:
            raise ValidationError(
                "recipient_id", recipient_id, "a volunteer cannot serve themselves"
            )

        def work(uow: UnitOfWork) -> ServiceView:
            homes: dict[int, Unit] = {}
            for rid in sorted((provider_id, recipient_id)):  # locked in id order
                who, action = (actor, WRITE) if rid == provider_id else (Actor.system(), READ)
                field = "provider_id" if rid == provider_id else "recipient_id"
                homes[rid] = self._resident(uow, who, rid, action, field=field, live=True)[1]
            provider_home, recipient_home = homes[provider_id], homes[recipient_id]
            code = resident_code(provider_id)
            batch = self._ledger.batch(uow, actor)
            if provider_home.id != recipient_home.id and not batch.recall(LEDGER, [client_id]):
                self._exchanges.admit(
                    uow,
                    provider_home=provider_home,
                    recipient_home=recipient_home,
                    recipient_id=recipient_id,
                )
            batch.hold(
                LEDGER,
                opening={ISSUANCE: SYSTEM, code: resident_account(provider_id, provider_home.id)},
            )
            request = TransferRequest(
                client_id, LEDGER, ISSUANCE, code, minutes, f"service:{kind}"[:64], kind="pending"
            )
            (transfer,) = self._ledger.apply(uow, actor, [request], batch=batch)
            services = uow.repo(TimeBankRepository)
            existing = services.service_of_transfer(transfer.id)
            if existing is not None:  # a retried submission
                _same_service(client_id, existing, recipient_id, start, end)
                return ServiceView.of(existing)
            service = services.add_service(
                provider_id=provider_id,
                recipient_id=recipient_id,
                kind=kind,
                started_at=start,
                ended_at=end,
                minutes=minutes,
                transfer_id=transfer.id,
            )
            uow.repo(OutboxRepository).add(batch.now, [events.service_event(service)])
            return ServiceView.of(service)

        return self._ledger.run(work)

    def confirm(self, actor: Actor, service_id: int) -> ServiceView:
        """The recipient, someone of their household or their grid worker confirms the service;
        its minutes are posted to the volunteer. Confirming a service that is confirmed already
        returns it as it is (paid once, whoever confirmed first); a disputed one is a
        ``StateError``. A service across communities is settled in the same transaction, under
        the recipient's town's rule (``TimeBankPolicy.exchange``): the clearing account of the
        recipient's community (``community_pool``) or of the town (``town_pool``) pays the
        volunteer's community's pool the service's minutes, once."""
        return self._close(actor, service_id, "post", "confirmed", None)

    def dispute(self, actor: Actor, service_id: int, *, reason: str) -> ServiceView:
        """The service is disputed: its pending minutes are voided, with the reason kept.
        Disputing a service that is disputed already returns it as it is (with the first
        reason); a confirmed one is a ``StateError``."""
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", reason, "say why the service is disputed")
        return self._close(
            actor, service_id, "void", "voided", text("reason", reason.strip(), NOTE_MAX)
        )

    def _close(
        self, actor: Actor, service_id: int, kind: str, state: str, note: str | None
    ) -> ServiceView:
        entity_id("service_id", service_id)

        def work(uow: UnitOfWork) -> ServiceView:
            services = uow.repo(TimeBankRepository)
            service = services.service(service_id, lock=True)  # a racing close waits here
            if service is None:
                raise NotFoundError(
                    "time-bank service", service_id, message=no_such("service", service_id)
                )
            _row, home = self._resident(uow, actor, service.recipient_id, WRITE)
            if kind == "post" and self._own_household(uow, actor, service.provider_id):
                raise PermissionDenied(
                    actor.label(), "confirm", f"service {service_id}: the volunteer's own household"
                )
            if service.state == state:  # closed the same way already: the same answer
                return ServiceView.of(service)
            if service.state != "pending":
                raise StateError(
                    service_closed(
                        service_id,
                        service.state,
                        by=service.closed_by,
                        note=service.note,
                        asked=kind,
                    )
                )
            pending = uow.repo(LedgerRepository).client_id_of(service.transfer_id)
            request = TransferRequest(
                internal_id("service", service_id, kind),
                LEDGER,
                "",
                "",
                0,
                state,
                kind=kind,
                pending=pending,
            )
            batch = self._ledger.batch(uow, actor)
            requests = [request]
            if kind == "post":
                requests += self._exchanges.settle(
                    uow,
                    actor,
                    batch,
                    service=service,
                    recipient_home=home,
                    client_ids=(pending, request.client_id),
                )
            self._ledger.apply(uow, actor, requests, batch=batch)
            closed_by = actor.label()
            services.close_service(service_id, state=state, closed_by=closed_by, note=note)
            closed = attrs.evolve(service, state=state, closed_by=closed_by, note=note)
            uow.repo(OutboxRepository).add(batch.now, [events.service_event(closed)])
            return ServiceView.of(closed)

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
        entity_id("receiver_id", receiver_id)

        def check(uow: UnitOfWork, giver: Any, policy: TimeBankPolicy) -> AccountSpec:
            receiver, home = self._resident(
                uow, Actor.system(), receiver_id, READ, field="receiver_id", live=True
            )
            if not policy.gifts_within_household:
                raise StateError(
                    "this town's time bank does not allow gifts (本地时间银行不允许赠与)"
                )
            if giver.household_id != receiver.household_id:
                raise ValidationError(
                    "receiver_id",
                    receiver_id,
                    "not of the giver's household",
                    message=not_of_household(giver.name, receiver.name),
                )
            return resident_account(receiver_id, home.id)

        return self._move(
            actor=actor,
            resident_id=giver_id,
            target=resident_code(receiver_id),
            minutes=minutes,
            client_id=client_id,
            reason="gift",
            spec=check,
            field="giver_id",
        )

    def donate(
        self, actor: Actor, resident_id: int, *, minutes: int, community: str, client_id: str
    ) -> TransferView:
        """Donate banked minutes to a community's pool, if the town allows it."""
        text("community", community, CODE_MAX - len(pool_code("")))

        def check(uow: UnitOfWork, _giver: Any, policy: TimeBankPolicy) -> AccountSpec:
            if not policy.pool_donations:
                raise StateError(
                    "this town's time bank does not take donations (本地时间银行不接受捐赠)"
                )
            unit = load_unit(uow, community, field="community", live=True)
            return AccountSpec("organisation", unit_id=unit.id)

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
        text("community", community, CODE_MAX - len(pool_code("")))
        entity_id("elder_id", elder_id)
        whole("minutes", minutes)
        caller_client_id(client_id)

        def work(uow: UnitOfWork) -> TransferView:
            unit = load_unit(uow, community, field="community", live=True)
            self._ctx.authorize(actor, LEDGER_WRITE, unit_target(unit))
            elder, home = self._resident(
                uow, Actor.system(), elder_id, READ, field="elder_id", live=True
            )
            policy = calls.timebank_policy(self._ctx.plugins, home.path)
            today = local_date(self._ctx.clock(), self._ctx.zone)
            age = (today - elder.birth_date).days // 365
            if not policy.pool_grants:
                raise StateError(
                    "this town's time bank does not grant from pools (本地时间银行不做社区划拨)"
                )
            least = policy.pool_grant_min_age
            if age < least:
                raise ValidationError(
                    "elder_id",
                    elder_id,
                    f"aged {age}; grants go to {least}+",
                    message=grant_too_young(elder.name, age, least),
                )
            code, pool = resident_code(elder_id), pool_code(community)
            batch = self._ledger.batch(uow, actor)
            held = batch.hold(LEDGER, [pool], opening={code: resident_account(elder_id, home.id)})
            replay = bool(batch.recall(LEDGER, [client_id]))
            if held[code].balance > 0 and not replay:
                raise ValidationError(
                    "elder_id",
                    elder_id,
                    f"holds {held[code].balance} minutes; grants go to elders with none",
                    message=grant_holder(elder.name, held[code].balance),
                )
            request = TransferRequest(client_id, LEDGER, pool, code, minutes, "pool_grant")
            (view,) = self._ledger.apply(uow, actor, [request], batch=batch)
            return view

        return self._ledger.run(work)

    # -- across communities (跨社区通存通兑) ----------------------------------------------------
    def transfer_between(
        self,
        actor: Actor,
        *,
        from_community: str,
        to_community: str,
        minutes: int,
        client_id: str,
        reason: str,
    ) -> PoolTransfer:
        """Move ``minutes`` from one community's pool to another's, for ``reason`` (kept on the
        postings, at most 55 characters). Staff of the giving community or of a unit above it
        may. The giving town's rule (``TimeBankPolicy.pool_transfers``) says how: ``direct``,
        ``via_town`` (two linked postings through the pool of the town above both, all or
        nothing) or ``none`` (a ``StateError``). A retry with the same ``client_id`` returns
        the first move (``replayed``), whatever the rule says now; the same id for another move
        is a ``ConflictError``. A pool short of minutes is an ``InsufficientFunds`` in a
        clerk's words; an unknown community a ``NotFoundError`` naming the field."""
        return self._exchanges.transfer_between(
            actor,
            from_community=from_community,
            to_community=to_community,
            minutes=minutes,
            client_id=client_id,
            reason=reason,
        )

    def exchanges(
        self,
        actor: Actor,
        community: str,
        *,
        month: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> ExchangeStatement:
        """The community's exchanges with other communities over a period (a ``month``
        ``YYYY-MM``, or ``start`` to ``end``; this month by default): each service across
        communities settled and each move between pools, with the counterpart, minutes in and
        out and the running balance; to staff of the community or above."""
        return self._exchanges.statement(actor, community, month=month, start=start, end=end)

    # -- statements -----------------------------------------------------------------------
    def statement(self, actor: Actor, unit: str) -> list[StatementRow]:
        """Per resident living under ``unit`` who holds time or served or received it: minutes
        served (confirmed), received (confirmed) and held."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            units = [u.id for u in uow.repo(UnitRepository).subtree(top)]
            people = uow.repo(TimeBankRepository).people(units)
        return [_statement_row(rid, people[rid]) for rid in sorted(people)]

    def person(self, actor: Actor, resident_id: int) -> StatementRow:
        """One resident's minutes served, received and held (a resident may read their own)."""
        entity_id("resident_id", resident_id)
        with self._ctx.uow(readonly=True) as uow:
            _row, home = self._resident(uow, actor, resident_id, READ)
            people = uow.repo(TimeBankRepository).people([home.id])
        return _statement_row(resident_id, people.get(resident_id, (0, 0, 0)))

    def organisations(self, actor: Actor, unit: str) -> list[OrganisationRow]:
        """Per organisation account at or under ``unit`` (community pools, teams, partners):
        minutes received, given out and held."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            units = [u.id for u in uow.repo(UnitRepository).subtree(top)]
            found = uow.repo(TimeBankRepository).organisations(units)
        return [
            OrganisationRow(
                code=account.code,
                kind=account.kind,
                unit_code=unit_code,
                received=account.credits_posted,
                given=account.debits_posted,
                held=account.balance,
            )
            for account, unit_code in found
        ]

    def totals(self, actor: Actor, unit: str) -> dict[str, int]:
        """Minutes served, received and held by residents under ``unit`` (a community, a
        town), and held in its organisations' accounts (``held_by_organisations``)."""
        rows = self.statement(actor, unit)
        out = {k: sum(getattr(r, k) for r in rows) for k in ("served", "received", "held")}
        out["held_by_organisations"] = sum(o.held for o in self.organisations(actor, unit))
        return out

    def pending(self, actor: Actor, unit: str, *, limit: int = 500) -> list[PendingService]:
        """Services waiting for confirmation whose recipient or volunteer lives under ``unit``
        (a grid worker's list), oldest service first, at most ``limit``; the names masked as
        the actor's rights require."""
        whole("limit", limit, most=MAX_LIST)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            units = [u.id for u in uow.repo(UnitRepository).subtree(top)]
            found = uow.repo(TimeBankRepository).pending_under(units, limit=limit)
            people = uow.repo(ResidentLookup).rows(
                rid for s, _ in found for rid in (s.provider_id, s.recipient_id)
            )
            homes = {
                u.id: u for u in uow.repo(UnitRepository).many({p.unit_id for p in people.values()})
            }

            def name(rid: int) -> str:
                row = people[rid]
                return shown_name(self._ctx, actor, row, homes[row.unit_id])

            return [
                PendingService(
                    id=service.id,
                    provider_id=service.provider_id,
                    provider_name=name(service.provider_id),
                    recipient_id=service.recipient_id,
                    recipient_name=name(service.recipient_id),
                    unit_code=homes[people[service.recipient_id].unit_id].code,
                    kind=service.kind,
                    started_at=service.started_at,
                    ended_at=service.ended_at,
                    minutes=service.minutes,
                    recorded_at=recorded_at,
                )
                for service, recorded_at in found
            ]

    def account_statement(
        self,
        actor: Actor,
        resident_id: int,
        *,
        month: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> AccountStatement:
        """The resident's banked minutes over a period, as ``points.account_statement``:
        opening balance, each posting (a confirmed service, care, a gift …) with its day,
        reason and running balance, closing balance, and ``waiting``: minutes recorded for
        them that wait for confirmation now."""
        today = local_date(self._ctx.clock(), self._ctx.zone)
        period = choose_period(month=month, start=start, end=end, today=today)
        with self._ctx.uow(readonly=True) as uow:
            return account_statement(
                self._ctx, uow, actor, ledger=LEDGER, resident_id=resident_id, period=period
            )

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
        spec: AccountSpec | TargetAccount,
        field: str = "resident_id",
    ) -> TransferView:
        """Minutes from the resident's account to ``target``, opened as ``spec`` says if it
        does not exist (``spec`` may first check the town's policy for the resident);
        ``field`` is the caller's name for the resident."""
        entity_id(field, resident_id)
        whole("minutes", minutes)
        caller_client_id(client_id)

        def work(uow: UnitOfWork) -> TransferView:
            row, home = self._resident(uow, actor, resident_id, WRITE, field=field, live=True)
            if isinstance(spec, AccountSpec):
                target_spec = spec
            else:
                target_spec = spec(uow, row, calls.timebank_policy(self._ctx.plugins, home.path))
            code = resident_code(resident_id)
            batch = self._ledger.batch(uow, actor)
            batch.hold(
                LEDGER,
                opening={code: resident_account(resident_id, home.id), target: target_spec},
            )
            request = TransferRequest(client_id, LEDGER, code, target, minutes, reason)
            try:
                (view,) = self._ledger.apply(uow, actor, [request], batch=batch)
            except InsufficientFunds as short:
                if short.account != code:
                    raise
                words = short_of_minutes(row.name, short.balance, short.amount)
                raise InsufficientFunds(
                    short.account, short.balance, short.amount, message=words
                ) from None
            return view

        return self._ledger.run(work)

    def _resident(
        self,
        uow: UnitOfWork,
        actor: Actor,
        resident_id: int,
        action: str,
        *,
        field: str = "resident_id",
        live: bool = False,
    ) -> tuple[Any, Unit]:
        return ledger_resident(self._ctx, uow, actor, resident_id, action, field=field, live=live)

    def _own_household(self, uow: UnitOfWork, actor: Actor, resident_id: int) -> bool:
        """Is ``actor`` a resident of ``resident_id``'s household?"""
        spec = self._ctx.roles.get(actor.role)
        if spec is None or spec.acts_as != RESIDENT or actor.household_id is None:
            return False
        row = uow.repo(ResidentLookup).row(resident_id)
        return row is not None and bool(row.household_id == actor.household_id)


def _statement_row(resident_id: int, minutes: tuple[int, int, int]) -> StatementRow:
    served, received, held = minutes
    return StatementRow(resident_id=resident_id, served=served, received=received, held=held)


def _same_service(
    client_id: str, service: Service, recipient_id: int, start: dt.datetime, end: dt.datetime
) -> None:
    """A retried recording must be the first one (its provider, kind and minutes are checked
    with its transfer): the same recipient, start and end."""
    asked = {"recipient_id": recipient_id, "start": start, "end": end}
    found = {
        "recipient_id": service.recipient_id,
        "start": service.started_at,
        "end": service.ended_at,
    }
    different = sorted(k for k in asked if asked[k] != found[k])
    if different:
        raise ConflictError(
            f"client_id={client_id!r} was used before for a different service "
            f"(differs in {', '.join(different)})"
        )
