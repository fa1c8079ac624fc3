"""Points (积分制): earning by the town's table with caps, expiry, rewards, partners, honours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from commgov.errors import ConflictError, InsufficientFunds, NotFoundError, ValidationError
from commgov.kernel.access import LEDGER_WRITE, READ, WRITE, Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.outbox import OutboxRepository
from commgov.kernel.times import as_utc, day_start, local_date, month_start
from commgov.kernel.uow import UnitOfWork
from commgov.ledger import calls
from commgov.ledger.model import (
    EXPIRY,
    ISSUANCE,
    MAX_ID,
    POSTING_KINDS,
    REDEMPTION,
    SYSTEM,
    Account,
    AccountSpec,
    CapTally,
    EarnRequest,
    Period,
    Reward,
    Transfer,
    TransferRequest,
    as_earning,
    caller_client_id,
    cap_periods,
    choose_period,
    entity_id,
    expirable,
    fund_code,
    internal_id,
    partner_code,
    resident_account,
    resident_code,
    text,
    trimmed_by,
    whole,
)
from commgov.ledger.model.bounds import CODE_MAX
from commgov.ledger.model.rules import PointsRule
from commgov.ledger.model.words import cap_reached, no_such, short_of_points, sold_out
from commgov.ledger.repository import LedgerRepository, RewardRepository
from commgov.ledger.service import events
from commgov.ledger.service.leaderboard import honour_tier, leaderboard, lifetime_points
from commgov.ledger.service.ledger import LedgerService
from commgov.ledger.service.residents import ledger_resident, ledger_residents
from commgov.ledger.service.statements import account_statement
from commgov.ledger.views import (
    AccountStatement,
    AccountView,
    Earning,
    Leaderboard,
    RewardView,
    TransferView,
)
from commgov.people.model.residents import validate_name
from commgov.people.model.units import Unit, unit_target
from commgov.people.repository import UnitRepository
from commgov.people.service.grids import load_unit

LEDGER = "points"
MAX_BOARD = 1000
"""The most rows a leaderboard gives."""


class PointsService:
    def __init__(self, ctx: Context, ledger: LedgerService) -> None:
        self._ctx = ctx
        self._ledger = ledger

    def table(self, unit: str) -> dict[str, PointsRule]:
        """The points table that applies at ``unit`` (the town's plugin, else the default)."""
        with self._ctx.uow(readonly=True) as uow:
            path = load_unit(uow, unit).path
        return calls.points_table(self._ctx.plugins, path)

    # -- earning --------------------------------------------------------------------------
    def earn(
        self, actor: Actor, resident_id: int, activity: str, *, client_id: str, quantity: int = 1
    ) -> Earning:
        """Award the points the resident's town gives for ``activity`` (``quantity`` times, or
        hours for hourly activities), trimmed to the day's and month's caps. A retry with the
        same ``client_id`` returns what the first call granted."""
        request = EarnRequest(resident_id, activity, client_id, quantity)
        return self._earn(actor, [request])[0]

    def earn_many(
        self, actor: Actor, earnings: Sequence[EarnRequest | Mapping[str, Any]]
    ) -> list[Earning]:
        """Many earnings in one unit of work (a day's register, an import): each an
        ``EarnRequest`` or a mapping of its fields (``resident_id``, ``activity``,
        ``client_id``, optional ``quantity``). Caps apply in order, as if earned one after
        another; a bad item fails the whole batch."""
        return self._earn(actor, [as_earning(e) for e in earnings])

    def earn_internal(
        self, actor: Actor, resident_id: int, activity: str, *, key: Sequence[object], quantity: int
    ) -> Earning:
        """Not public API: ``earn`` for the library's own capabilities (a fulfilled wish pays its
        helper), under the reserved client id ``internal_id(*key)`` no caller can take."""
        request = EarnRequest(resident_id, activity, internal_id(*key), quantity)
        return self._earn(actor, [request], internal=True)[0]

    def earn_internal_many(
        self, actor: Actor, items: Sequence[tuple[int, str, Sequence[object], int]]
    ) -> list[Earning]:
        """Not public API: ``earn_internal`` for many earnings in one batch (an activity's
        attendance register), each ``(resident_id, activity, key, quantity)``."""
        requests = [EarnRequest(r, a, internal_id(*key), q) for r, a, key, q in items]
        return self._earn(actor, requests, internal=True) if requests else []

    def _earn(
        self, actor: Actor, items: Sequence[EarnRequest], *, internal: bool = False
    ) -> list[Earning]:
        """``earn`` and ``earn_many``: the accounts are locked before the caps are read, so two
        clerks entering the same resident's activity at once cannot both pass a cap."""
        for index, item in enumerate(items):
            try:
                (attrs.evolve(item, client_id="internal") if internal else item).check()
            except ValidationError as exc:
                raise exc.with_context(f"earning {index}") if len(items) > 1 else exc from None

        def work(uow: UnitOfWork) -> list[Earning]:
            people: dict[int, tuple[Any, Unit]] = {}
            tables: dict[str, dict[str, PointsRule]] = {}
            opening = {ISSUANCE: SYSTEM}
            wanted = {i.resident_id for i in items}
            found = (
                ledger_residents(self._ctx, uow, actor, wanted, LEDGER_WRITE, live=True)
                if len(wanted) > 1
                else {}
            )  # many in one read, locked in id order
            for resident_id in sorted(wanted):
                row, home = found.get(resident_id) or self._resident(
                    uow, actor, resident_id, LEDGER_WRITE, live=True
                )
                people[resident_id] = (row, home)
                opening[resident_code(resident_id)] = resident_account(resident_id, home.id)
                if home.path not in tables:
                    tables[home.path] = calls.points_table(self._ctx.plugins, home.path)
            rules = [_rule(tables[people[i.resident_id][1].path], i.activity) for i in items]
            asked = [item.asked(rule) for item, rule in zip(items, rules, strict=True)]
            batch = self._ledger.batch(uow, actor)
            held = batch.hold(LEDGER, opening=opening)  # the caps are read under the locks
            prior = batch.recall(LEDGER, [i.client_id for i in items])
            accounts = [held[resident_code(i.resident_id)].id for i in items]
            repo = uow.repo(LedgerRepository)
            tally = CapTally(
                repo.earned_since(
                    accounts, {i.reason for i in items}, *cap_periods(batch.now, self._ctx.zone)
                )
            )
            granted: list[int] = []
            caps: list[tuple[str, int] | None] = []
            for item, rule, points, account in zip(items, rules, asked, accounts, strict=True):
                earlier = prior.get(item.client_id)
                if earlier is not None:  # a retry: the first grant, its caps applied then
                    caps.append(
                        self._same_earning(
                            repo, item, rule=rule, asked=points, account=account, earlier=earlier
                        )
                    )
                    granted.append(earlier.amount)
                else:
                    key = (account, item.reason)
                    caps.append(trimmed_by(rule, points, *tally.earned.get(key, (0, 0))))
                    granted.append(tally.grant(key, rule, points))
            requests = [
                TransferRequest(
                    item.client_id,
                    LEDGER,
                    ISSUANCE,
                    resident_code(item.resident_id),
                    amount,
                    item.reason,
                )
                for item, amount in zip(items, granted, strict=True)
                if amount
            ]
            views = iter(self._ledger.apply(uow, actor, requests, batch=batch))
            out = []
            fresh = []  # outbox events of the points granted now (not of retries)
            for item, rule, points, amount, cap in zip(
                items, rules, asked, granted, caps, strict=True
            ):
                trimmed = cap if cap is not None and amount < points else None
                note = None
                if trimmed is not None:
                    note = cap_reached(
                        people[item.resident_id][0].name,
                        rule.label or item.activity,
                        cap=trimmed[1],
                        which=trimmed[0],
                        asked=points,
                        granted=amount,
                    )
                transfer = next(views) if amount else None
                if transfer is not None and not transfer.replayed:
                    unit = people[item.resident_id][1].code
                    fresh.append(events.earned(item, transfer, asked=points, unit=unit))
                out.append(
                    Earning(
                        activity=item.activity,
                        asked=points,
                        granted=amount,
                        transfer=transfer,
                        cap=trimmed[0] if trimmed else None,
                        note=note,
                    )
                )
            uow.repo(OutboxRepository).add(batch.now, fresh)
            return out

        return self._ledger.run(work, savepoint=not internal)

    def _same_earning(
        self,
        repo: LedgerRepository,
        item: EarnRequest,
        *,
        rule: PointsRule,
        asked: int,
        account: int,
        earlier: Transfer,
    ) -> tuple[str, int] | None:
        """A retried earning must be the first one: the same resident and activity, and a
        quantity that could have granted what the first call did under the rule in force (no
        more than asked, and less only when a cap of the day or month was reached then).
        Returns the cap that trimmed it, if one did."""
        different = []
        cap = None
        if earlier.credit_id != account:
            different.append("resident_id")
        if earlier.reason != item.reason:
            different.append("activity")
        elif earlier.amount > asked:
            different.append("quantity")
        elif earlier.amount < asked:
            cap = self._capped_at(repo, rule, earlier)
            if cap is None:
                different.append("quantity")
        if different:
            raise ConflictError(
                f"client_id={item.client_id!r} was used before for a different earning "
                f"(differs in {', '.join(different)})"
            )
        return cap

    def _capped_at(
        self, repo: LedgerRepository, rule: PointsRule, earlier: Transfer
    ) -> tuple[str, int] | None:
        """The cap of the day or the month (in the store's zone), ``("day", cap)`` or
        ``("month", cap)``, that the earnings of ``earlier``'s resident and activity had
        reached once ``earlier`` was written; ``None`` when neither."""
        zone, at = self._ctx.zone, earlier.created_at
        for which, cap, since in (
            ("day", rule.cap_per_day, day_start(local_date(at, zone), zone)),
            ("month", rule.cap_per_month, month_start(at, zone)),
        ):
            if cap is not None and repo.earned_by(earlier, since) >= cap:
                return which, cap
        return None

    # -- reading --------------------------------------------------------------------------
    def balance(self, actor: Actor, resident_id: int) -> AccountView | None:
        """The resident's points account (``None`` before they hold any), to an actor who may
        read their household; it stays readable after they leave."""
        with self._ctx.uow(readonly=True) as uow:
            self._resident(uow, actor, resident_id, READ)
            code = resident_code(resident_id)
            found = uow.repo(LedgerRepository).accounts_by_code(LEDGER, [code])
        return AccountView.of(found[code]) if found else None

    def honour(self, actor: Actor, resident_id: int) -> tuple[int, str | None]:
        """Lifetime points earned and the highest honour tier they reach (``None``: none yet).
        What a record merged into this one earned counts as theirs."""
        with self._ctx.uow(readonly=True) as uow:
            _row, home = self._resident(uow, actor, resident_id, READ)
            lifetime = lifetime_points(uow, [resident_id]).get(resident_id, 0)
        return lifetime, honour_tier(calls.honour_tiers(self._ctx.plugins, home.path), lifetime)

    def account_statement(
        self,
        actor: Actor,
        resident_id: int,
        *,
        month: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> AccountStatement:
        """The resident's points over a period: a ``month`` (``"2026-11"``), or ``start`` to
        ``end`` (days, both included; ``end`` defaults to today), or this month; days counted
        in the store's zone. The opening balance, every posting with its day, reason (in
        words too) and the balance after it, and the closing balance."""
        period = self._period(month=month, start=start, end=end)
        with self._ctx.uow(readonly=True) as uow:
            return account_statement(
                self._ctx, uow, actor, ledger=LEDGER, resident_id=resident_id, period=period
            )

    def leaderboard(
        self,
        actor: Actor,
        unit: str,
        *,
        month: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        limit: int = 20,
    ) -> Leaderboard:
        """The residents living under ``unit`` who earned most points in the period (as
        ``account_statement`` takes it), most first, at most ``limit``, each with lifetime
        points by the period's end and the honour tier those reach (hook
        ``commgov_honour_tiers``). Names are masked as the actor's rights require."""
        period = self._period(month=month, start=start, end=end)
        whole("limit", limit, most=MAX_BOARD)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            return leaderboard(self._ctx, uow, actor, top, period, limit=limit)

    def _period(self, *, month: str | None, start: dt.date | None, end: dt.date | None) -> Period:
        today = local_date(self._ctx.clock(), self._ctx.zone)
        return choose_period(month=month, start=start, end=end, today=today)

    # -- expiry ---------------------------------------------------------------------------
    def expire(self, actor: Actor, *, now: dt.datetime | None = None) -> int:
        """Expire points whose time has come by ``now`` (aware; the clock's time by default),
        oldest first (spending uses the oldest points first). Safe to run twice: a second run
        finds nothing left to expire."""
        moment = self._ctx.clock() if now is None else as_utc("now", now)

        def work(uow: UnitOfWork) -> int:
            repo = uow.repo(LedgerRepository)
            batch = self._ledger.batch(uow, actor)
            issuance = batch.ensure(LEDGER, {ISSUANCE: SYSTEM})[ISSUANCE]
            residents = repo.accounts_of_kind(LEDGER, "resident")
            # read under the locks
            held = batch.hold(LEDGER, [a.code for a in residents], opening={EXPIRY: SYSTEM})
            expiry = held[EXPIRY].id
            paths: dict[int, str] = {}  # the town's rule applies: by the account's unit
            requests = []
            for account in residents:
                unit_id = account.unit_id
                if unit_id is not None and unit_id not in paths:
                    paths[unit_id] = uow.repo(UnitRepository).get(unit_id).path
                path = paths[unit_id] if unit_id is not None else None
                expired = repo.posted_sum(debit_id=account.id, credit_id=expiry)
                due = expirable(
                    self._earned_expired(repo, account, issuance.id, path, moment),
                    spent=repo.posted_sum(debit_id=account.id, exclude_reason="expire"),
                    already_expired=expired,
                    # points held by a pending transfer stay; a later run takes them if released
                    available=held[account.code].available,
                )
                if due > 0:  # one id per account and total expired before: never used twice
                    requests.append(
                        TransferRequest(
                            internal_id("points-expired", account.id, expired),
                            LEDGER,
                            account.code,
                            EXPIRY,
                            due,
                            "expire",
                        )
                    )
            self._ledger.apply(uow, actor, requests, batch=batch)
            return sum(r.amount for r in requests)

        return self._ledger.run(work)

    def _earned_expired(
        self,
        repo: LedgerRepository,
        account: Account,
        issuance: int,
        unit_path: str | None,
        now: dt.datetime,
    ) -> int:
        """Points the account earned (from issuance) that have expired by ``now``. The town's
        rule is given each earning's time in the store's zone (so "the end of the year" is the
        local one)."""
        total = 0
        for t in repo.history(account.id):
            if t.kind in POSTING_KINDS and t.credit_id == account.id and t.debit_id == issuance:
                earned_at = t.created_at.astimezone(self._ctx.zone)
                expires = calls.points_expiry(self._ctx.plugins, unit_path, earned_at)
                if expires is not None and expires <= now:
                    total += t.amount
        return total

    # -- rewards and partners -------------------------------------------------------------
    def open_partner(self, actor: Actor, *, name: str, unit: str) -> AccountView:
        """A community partner (社区合伙人: a merchant, a property firm) that accepts points."""
        return self._ledger.open_account(
            actor, ledger=LEDGER, code=partner_code(validate_name(name)), kind="partner", unit=unit
        )

    def add_reward(
        self,
        actor: Actor,
        *,
        unit: str,
        name: str,
        price: int,
        stock: int,
        partner: str | None = None,
    ) -> RewardView:
        """A reward in the catalogue: its price in points and how many there are."""
        name = validate_name(name)
        whole("price", price)
        whole("stock", stock, least=0, most=MAX_ID)
        if partner is not None:
            text("partner", partner, CODE_MAX - len(partner_code("")))

        def work(uow: UnitOfWork) -> RewardView:
            home = load_unit(uow, unit, live=True)
            self._ctx.authorize(actor, LEDGER_WRITE, unit_target(home))
            partner_id = None
            if partner is not None:
                code = partner_code(partner)
                found = uow.repo(LedgerRepository).accounts_by_code(LEDGER, [code])
                if not found:
                    raise ValidationError("partner", partner, "no partner with this name")
                partner_id = found[code].id
            reward = uow.repo(RewardRepository).add(
                unit_id=home.id,
                name=name,
                price=price,
                stock=stock,
                partner_account_id=partner_id,
                now=self._ctx.clock(),
            )
            return RewardView(
                id=reward.id,
                unit_code=home.code,
                name=name,
                price=price,
                stock=stock,
                partner=partner,
            )

        return self._ledger.run(work)

    def reward(self, actor: Actor, reward_id: int) -> RewardView:
        """A reward of the catalogue, to an actor who may read its unit or a unit below it
        where it is offered (a grid worker reads the town's rewards, as ``rewards`` lists
        them)."""
        entity_id("reward_id", reward_id)
        with self._ctx.uow(readonly=True) as uow:
            reward = self._reward(uow, reward_id, lock=False)
            units = uow.repo(UnitRepository)
            home = units.get(reward.unit_id)
            below = [u for u in units.many(actor.units) if u.is_within(home.id)]
            if not any(self._ctx.allowed(actor, READ, unit_target(u)) for u in below):
                self._ctx.authorize(actor, READ, unit_target(home))
            return self._reward_views(uow, [reward])[0]

    def rewards(self, actor: Actor, unit: str) -> list[RewardView]:
        """The reward catalogue at ``unit``, to an actor who may read it: the rewards offered
        there, above it (a town's reward is offered in its communities) and below it, those
        above first, sold-out ones included (``stock`` 0)."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            units = uow.repo(UnitRepository)
            around = [*units.many(top.ancestor_ids), *units.subtree(top)]
            depth = {u.id: u.depth for u in around}
            found = uow.repo(RewardRepository).at_units(list(depth))
            found.sort(key=lambda r: (depth[r.unit_id], r.id))
            return self._reward_views(uow, found)

    def redeem(
        self, actor: Actor, resident_id: int, reward_id: int, *, client_id: str
    ) -> TransferView:
        """Spend points on a reward: the points and one item of stock go in one unit of work;
        a sold-out reward or too few points writes nothing, and says so in a clerk's words
        (``张** has 15 points; the reward needs 500 …``; the figures are the fields of the
        ``InsufficientFunds``). A retry with the same client id returns the first redemption
        (``replayed``) and takes no more stock; the same client id for another resident or
        reward is a ``ConflictError``."""
        entity_id("resident_id", resident_id)
        entity_id("reward_id", reward_id)
        caller_client_id(client_id)

        def work(uow: UnitOfWork) -> TransferView:
            row, home = self._resident(uow, actor, resident_id, LEDGER_WRITE, live=True)
            reward = self._reward(uow, reward_id, lock=True)  # redemptions of it queue here
            target = REDEMPTION
            if reward.partner_account_id is not None:
                target = uow.repo(LedgerRepository).code_of(reward.partner_account_id)
            batch = self._ledger.batch(uow, actor)
            code = resident_code(resident_id)
            held = batch.hold(
                LEDGER,
                [target],
                opening={REDEMPTION: SYSTEM, code: resident_account(resident_id, home.id)},
            )
            reason = f"redeem:{reward_id}"
            earlier = batch.recall(LEDGER, [client_id]).get(client_id)  # under the locks
            if earlier is not None:
                _same_redemption(client_id, earlier, held[code].id, reason)
            elif reward.stock <= 0:  # sold out is the answer before any shortfall of points
                raise _sold_out(reward)
            request = TransferRequest(client_id, LEDGER, code, target, reward.price, reason)
            try:
                (view,) = self._ledger.apply(uow, actor, [request], batch=batch)
            except InsufficientFunds as short:
                words = short_of_points(row.name, short.balance, short.amount)
                raise InsufficientFunds(
                    short.account, short.balance, short.amount, message=words
                ) from None
            # Stock goes with a new transfer only. A racing retry that missed the first one
            # fails on the unique client id when its transfer is written, and its stock with it.
            if not view.replayed and not uow.repo(RewardRepository).take_one(reward_id):
                raise _sold_out(reward)
            return view

        return self._ledger.run(work)

    def donate(
        self,
        actor: Actor,
        resident_id: int,
        *,
        fund: str,
        unit: str,
        amount: int,
        client_id: str,
    ) -> TransferView:
        """Give a resident's points to a fund (``fund:<fund>``, a project's funding, opened on
        demand in ``unit``): the resident themselves (``write`` on their household) or staff
        within reach. Too few points writes nothing and says so in a clerk's words; a retry
        with the same client id returns the first gift (``replayed``)."""
        entity_id("resident_id", resident_id)
        caller_client_id(client_id)
        code = fund_code(fund)

        def work(uow: UnitOfWork) -> TransferView:
            row, _home = self._resident(uow, actor, resident_id, WRITE, live=True)
            where = load_unit(uow, unit, live=True)
            batch = self._ledger.batch(uow, actor)
            giver = resident_code(resident_id)
            batch.hold(
                LEDGER,
                opening={code: AccountSpec("organisation", unit_id=where.id),
                         giver: resident_account(resident_id, row.unit_id)},
            )  # fmt: skip
            request = TransferRequest(client_id, LEDGER, giver, code, amount, f"donate:{fund}")
            try:
                (view,) = self._ledger.apply(uow, actor, [request], batch=batch)
            except InsufficientFunds as short:
                words = short_of_points(row.name, short.balance, short.amount)
                raise InsufficientFunds(
                    short.account, short.balance, short.amount, message=words
                ) from None
            return view

        return self._ledger.run(work)

    def settle_partner(
        self, actor: Actor, *, partner: str, amount: int, client_id: str
    ) -> TransferView:
        """Settle a partner's points (the town pays them off-ledger); the points are retired."""
        text("partner", partner, CODE_MAX - len(partner_code("")))
        caller_client_id(client_id)

        def work(uow: UnitOfWork) -> TransferView:
            code = partner_code(partner)
            batch = self._ledger.batch(uow, actor)
            held = batch.hold(LEDGER, [code], opening={REDEMPTION: SYSTEM})
            account = held.get(code)
            if account is not None and account.unit_id:
                home = uow.repo(UnitRepository).get(account.unit_id)
                self._ctx.authorize(actor, LEDGER_WRITE, unit_target(home))
            elif actor.role != "system":
                self._ctx.authorize(actor, LEDGER_WRITE, Target(f"partner {partner}"))
            request = TransferRequest(
                client_id, LEDGER, code, REDEMPTION, amount, "partner_settlement"
            )
            (view,) = self._ledger.apply(uow, actor, [request], batch=batch)
            return view

        return self._ledger.run(work)

    # -- helpers --------------------------------------------------------------------------
    def _resident(
        self, uow: UnitOfWork, actor: Actor, resident_id: int, action: str, *, live: bool = False
    ) -> tuple[Any, Unit]:
        return ledger_resident(self._ctx, uow, actor, resident_id, action, live=live)

    @staticmethod
    def _reward(uow: UnitOfWork, reward_id: int, *, lock: bool) -> Reward:
        reward = uow.repo(RewardRepository).get(reward_id, lock=lock)
        if reward is None:
            raise NotFoundError("reward", reward_id, message=no_such("reward", reward_id))
        return reward

    @staticmethod
    def _reward_views(uow: UnitOfWork, rewards: Sequence[Reward]) -> list[RewardView]:
        repo = uow.repo(LedgerRepository)
        codes = {u.id: u.code for u in uow.repo(UnitRepository).many({r.unit_id for r in rewards})}
        out = []
        for reward in rewards:
            partner = None
            if reward.partner_account_id is not None:
                partner = repo.code_of(reward.partner_account_id).split(":", 1)[1]
            out.append(
                RewardView(
                    id=reward.id,
                    unit_code=codes[reward.unit_id],
                    name=reward.name,
                    price=reward.price,
                    stock=reward.stock,
                    partner=partner,
                )
            )
        return out


def _sold_out(reward: Reward) -> ValidationError:
    return ValidationError(
        "stock",
        0,
        f"reward {reward.id} ({reward.name}) is sold out",
        message=sold_out(reward.id, reward.name),
    )


def _rule(table: Mapping[str, PointsRule], activity: str) -> PointsRule:
    rule = table.get(activity)
    if rule is None:
        known = ", ".join(sorted(table))
        raise ValidationError("activity", activity, f"not in this town's table: {known}")
    return rule


def _same_redemption(client_id: str, earlier: Transfer, account: int, reason: str) -> None:
    """A retried redemption must be the first one: the same resident and reward."""
    different = []
    if earlier.debit_id != account:
        different.append("resident_id")
    if earlier.reason != reason:
        different.append("reward_id")
    if different:
        raise ConflictError(
            f"client_id={client_id!r} was used before for a different transfer "
            f"(differs in {', '.join(different)})"
        )
