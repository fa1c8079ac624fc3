"""Time across communities (跨社区通存通兑), for the time bank: a service across communities
is admitted or refused by the recipient's town, and settled when it is confirmed (in the same
transaction, once: its client id is derived from the service); staff move hours between
communities' pools; each community reads its exchanges with the others.

A community's exchanges go through two accounts on the time ledger: its pool
(``pool:<code>``, never below zero: what it may give) and its clearing account
(``clearing:<code>``, kind ``clearing``, free both ways). A service across communities is paid
by the clearing account of the recipient's community (or of the town, under ``town_pool``)
into the pool of the volunteer's community: the volunteer's community gains hours it may give,
the paying side records what it owes, and nobody's donated hours are taken without a
decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from commgov.errors import InsufficientFunds, NotFoundError, StateError, ValidationError
from commgov.kernel.access import LEDGER_WRITE, READ
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import local_date
from commgov.kernel.uow import UnitOfWork
from commgov.ledger import calls
from commgov.ledger.model import (
    CLEARING,
    AccountSpec,
    Transfer,
    TransferRequest,
    caller_client_id,
    choose_period,
    clearing_code,
    pool_code,
    text,
    whole,
)
from commgov.ledger.model.bounds import CODE_MAX, REASON_MAX
from commgov.ledger.model.exchange import (
    SETTLEMENT,
    TRANSFER,
    Fold,
    Posting,
    Route,
    exchange_label,
    fold_exchanges,
    pair_routes,
    route_candidates,
    settlement,
    settlement_id,
    sides,
    town_of,
    via_id,
)
from commgov.ledger.model.timebank import Service
from commgov.ledger.model.words import (
    NO_POOL_TRANSFERS,
    no_exchange,
    no_unit,
    place,
    pool_short,
    same_pool,
)
from commgov.ledger.repository import ExchangeRepository, LedgerRepository
from commgov.ledger.service.batch import LedgerBatch
from commgov.ledger.service.ledger import LedgerService
from commgov.ledger.views import ExchangeLine, ExchangeStatement, PoolTransfer, TransferView
from commgov.people.model.units import Unit, unit_target
from commgov.people.repository import ResidentRepository
from commgov.people.service.grids import load_unit

LEDGER = "time"
UNIT_CODE_MOST = CODE_MAX - len(clearing_code(""))
"""The longest unit code a caller may name: its clearing account's code must fit."""
WHY_MOST = REASON_MAX - len(TRANSFER)
"""The longest reason a move between pools keeps (after ``TRANSFER``)."""


def pool_account(unit: Unit) -> AccountSpec:
    return AccountSpec("organisation", unit_id=unit.id)


class Exchanges:
    def __init__(self, ctx: Context, ledger: LedgerService) -> None:
        self._ctx = ctx
        self._ledger = ledger

    # -- services across communities -------------------------------------------------------
    def admit(
        self, uow: UnitOfWork, *, provider_home: Unit, recipient_home: Unit, recipient_id: int
    ) -> None:
        """Refuse a new service whose volunteer and recipient, living in two units, stand for
        two communities, when the recipient's town takes no services across communities (a
        ``ValidationError`` on ``recipient_id`` naming both communities)."""
        if calls.timebank_policy(self._ctx.plugins, recipient_home.path).exchange != "none":
            return
        found = sides(*uow.repo(ExchangeRepository).lineages([provider_home, recipient_home]))
        if found is None:
            return
        mine, theirs = found[0][-1], found[1][-1]
        raise ValidationError(
            "recipient_id",
            recipient_id,
            f"lives in {theirs.code}, the volunteer in {mine.code}: the town's time bank takes "
            "no services across communities",
            message=no_exchange(place(theirs.code, theirs.name), place(mine.code, mine.name)),
        )

    def settle(
        self,
        uow: UnitOfWork,
        actor: Actor,
        batch: LedgerBatch,
        *,
        service: Service,
        recipient_home: Unit,
        client_ids: Sequence[str],
    ) -> list[TransferRequest]:
        """The settlement to book with the confirmation of ``service`` (none when both sides
        stand for one community or the recipient's town settles nothing), its accounts held in
        ``batch``. ``client_ids`` are the service's pending transfer's and its confirmation's:
        the first is read here and the rest with it, so a service within one home costs the
        confirmation no statement more."""
        pending = client_ids[0]
        held = batch.recall(LEDGER, [*client_ids, settlement_id(service.id)]).get(pending)
        if held is None:
            return []  # the confirmation says so in its turn
        batch.hold_ids((held.debit_id, held.credit_id))
        volunteer_unit = batch.accounts[held.credit_id].unit_id
        if volunteer_unit == recipient_home.id:  # one home, one community
            return []
        rule = calls.timebank_policy(self._ctx.plugins, recipient_home.path).exchange
        if rule == "none":
            return []
        volunteer = self._home(uow, service) if volunteer_unit is None else volunteer_unit
        homes = uow.repo(ExchangeRepository).lineages([volunteer, recipient_home])
        found = settlement(rule, *homes)
        if found is None:
            return []
        payer, payee = clearing_code(found.payer.code), pool_code(found.payee.code)
        opening = {
            payer: AccountSpec(CLEARING, unit_id=found.payer.id),
            payee: pool_account(found.payee),
        }
        batch.hold(LEDGER, opening=opening)
        self._ctx.audit(
            uow,
            actor,
            "timebank.exchange",
            entity="timebank_service",
            entity_id=service.id,
            detail={"payer": payer, "payee": payee, "minutes": service.minutes},
        )
        request = TransferRequest(
            settlement_id(service.id), LEDGER, payer, payee, service.minutes, SETTLEMENT
        )
        return [request]

    def _home(self, uow: UnitOfWork, service: Service) -> Unit:
        """Where the volunteer lives, for a time account of no unit."""
        found = uow.repo(ResidentRepository).at_home(service.provider_id)
        if found is None:  # pragma: no cover - a service's volunteer is always on file
            raise NotFoundError("resident", service.provider_id)
        return found[1]

    # -- moves between pools ---------------------------------------------------------------
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
        """Move ``minutes`` from ``from_community``'s pool to ``to_community``'s (see
        ``TimeBankService.transfer_between``)."""
        text("from_community", from_community, UNIT_CODE_MOST)
        text("to_community", to_community, UNIT_CODE_MOST)
        if from_community == to_community:
            raise ValidationError(
                "to_community",
                to_community,
                "the same as from_community",
                message=same_pool(to_community),
            )
        whole("minutes", minutes)
        caller_client_id(client_id)
        why = text("reason", reason, WHY_MOST).strip()
        if not why:
            raise ValidationError("reason", reason, "say why the hours move")

        def work(uow: UnitOfWork) -> PoolTransfer:
            giver = self._unit(uow, from_community, "from_community", live=True)
            taker = self._unit(uow, to_community, "to_community", live=True)
            if giver.id == taker.id:  # one of them a former code
                raise ValidationError(
                    "to_community",
                    to_community,
                    f"the same unit as from_community ({giver.code})",
                    message=same_pool(place(giver.code, giver.name)),
                )
            self._ctx.authorize(actor, LEDGER_WRITE, unit_target(giver))
            batch = self._ledger.batch(uow, actor)
            earlier = batch.recall(LEDGER, [client_id]).get(client_id)
            if earlier is not None:  # a retry: the way the move went the first time
                via = self._went_via(uow, batch, earlier)
            elif calls.timebank_policy(self._ctx.plugins, giver.path).pool_transfers == "none":
                raise StateError(NO_POOL_TRANSFERS)
            else:
                via = self._via(uow, giver, taker)
            stops = [pool_code(u.code) for u in (giver, via, taker) if u is not None]
            opening = {pool_code(u.code): pool_account(u) for u in (giver, via, taker) if u}
            batch.hold(LEDGER, opening=opening)

            def leg(cid: str, debit: str, credit: str) -> TransferRequest:
                return TransferRequest(cid, LEDGER, debit, credit, minutes, TRANSFER + why)

            legs = self._apply(uow, actor, [leg(client_id, stops[0], stops[1])], batch, giver)
            if via is not None:  # named by the first leg: a second batch, the same transaction
                legs += self._ledger.apply(uow, actor, [leg(via_id(legs[0].id), *stops[1:])])
            if not legs[0].replayed:
                self._ctx.audit(
                    uow,
                    actor,
                    "timebank.transfer_between",
                    entity="unit",
                    entity_id=giver.code,
                    detail={
                        "to": taker.code,
                        "via": via.code if via else None,
                        "minutes": minutes,
                        "transfers": [t.id for t in legs],
                    },
                )
            return _moved(legs, giver, taker, via, why)

        return self._ledger.run(work)

    def _via(self, uow: UnitOfWork, giver: Unit, taker: Unit) -> Unit | None:
        """The town whose pool a move goes through under ``via_town`` (``None``: straight,
        also when the town is one of the two or they share none)."""
        if calls.timebank_policy(self._ctx.plugins, giver.path).pool_transfers != "via_town":
            return None
        town = town_of(*uow.repo(ExchangeRepository).lineages([giver, taker]))
        return None if town is None or town.id in (giver.id, taker.id) else town

    def _went_via(self, uow: UnitOfWork, batch: LedgerBatch, earlier: Transfer) -> Unit | None:
        """The town whose pool the move of ``earlier`` (its first leg) went through, if it
        has a second leg; the legs asked again are then compared with both."""
        if not batch.recall(LEDGER, [via_id(earlier.id)]):
            return None
        batch.hold_ids([earlier.credit_id])
        unit_id = batch.accounts[earlier.credit_id].unit_id
        return None if unit_id is None else uow.repo(ExchangeRepository).units([unit_id])[unit_id]

    def _apply(
        self,
        uow: UnitOfWork,
        actor: Actor,
        requests: list[TransferRequest],
        batch: LedgerBatch,
        giver: Unit,
    ) -> list[TransferView]:
        """Apply ``requests``; the giving pool short of minutes says so in a clerk's words."""
        try:
            return self._ledger.apply(uow, actor, requests, batch=batch)
        except InsufficientFunds as short:
            if short.account != pool_code(giver.code):
                raise
            words = pool_short(place(giver.code, giver.name), short.balance, short.amount)
            raise InsufficientFunds(
                short.account, short.balance, short.amount, message=words
            ) from None

    # -- statements ------------------------------------------------------------------------
    def statement(
        self,
        actor: Actor,
        community: str,
        *,
        month: str | None,
        start: dt.date | None,
        end: dt.date | None,
    ) -> ExchangeStatement:
        """The community's exchanges over a period (see ``TimeBankService.exchanges``)."""
        text("community", community, UNIT_CODE_MOST)
        today = local_date(self._ctx.clock(), self._ctx.zone)
        period = choose_period(month=month, start=start, end=end, today=today)
        since, until = period.bounds(self._ctx.zone)
        with self._ctx.uow(readonly=True) as uow:
            unit = self._unit(uow, community, "community")
            self._ctx.authorize(actor, READ, unit_target(unit))
            codes = (pool_code(unit.code), clearing_code(unit.code))
            found = uow.repo(LedgerRepository).accounts_by_code(LEDGER, codes)
            ids = {code: account.id for code, account in found.items()}
            repo = uow.repo(ExchangeRepository)
            opening = repo.balances_before(ids.values(), since)
            postings = repo.postings(ids.values(), since, until)
            folded = fold_exchanges(postings, opening, _routes(repo, postings))
        pool, clearing = (folded.closing.get(ids.get(code, -1), 0) for code in codes)
        return ExchangeStatement(
            community=unit.code,
            name=unit.name,
            start=period.start,
            end=period.end,
            opening=folded.opening,
            lines=_lines(folded, self._ctx.zone),
            minutes_in=folded.minutes_in,
            minutes_out=folded.minutes_out,
            other=folded.other,
            closing=pool + clearing,
            pool=pool,
            clearing=clearing,
        )

    # -- helpers ---------------------------------------------------------------------------
    def _unit(self, uow: UnitOfWork, code: str, field: str, *, live: bool = False) -> Unit:
        """The unit a caller names by ``code``, the error naming ``field``."""
        try:
            return load_unit(uow, code, field=field, live=live)
        except NotFoundError:
            raise NotFoundError("unit", code, message=no_unit(field, code)) from None


def _moved(
    legs: Sequence[TransferView], giver: Unit, taker: Unit, via: Unit | None, why: str
) -> PoolTransfer:
    return PoolTransfer(
        client_id=legs[0].client_id,
        from_community=giver.code,
        to_community=taker.code,
        via=via.code if via else None,
        minutes=legs[0].amount,
        reason=why,
        transfer_ids=tuple(leg.id for leg in legs),
        at=legs[0].created_at,
        replayed=legs[0].replayed,
    )


def _routes(repo: ExchangeRepository, postings: Sequence[Posting]) -> dict[int, Route]:
    """The moves through a town's pool among ``postings``: their other legs read (at most
    two statements, none when no posting may be a leg), by both legs' transfer ids."""
    firsts, maybe = route_candidates(postings)
    if not firsts and not maybe:
        return {}
    others = repo.postings_by_id(firsts) + repo.postings_by_client(via_id(n) for n in maybe)
    return pair_routes([*postings, *others])


def _lines(folded: Fold, zone: dt.tzinfo) -> tuple[ExchangeLine, ...]:
    return tuple(
        ExchangeLine(
            at=e.posting.transfer.created_at,
            date=local_date(e.posting.transfer.created_at, zone),
            counterpart=e.counterpart,
            via=e.via,
            minutes_in=max(e.amount, 0),
            minutes_out=max(-e.amount, 0),
            reason=e.posting.transfer.reason,
            label=exchange_label(e.posting.transfer.reason),
            service_id=e.service_id,
            client_id=e.client_id,
            transfer_id=e.posting.transfer.id,
            balance=e.balance,
        )
        for e in folded.entries
    )
