"""Points (积分制): earning by the town's table with caps, expiry, rewards, partners, honours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import insert, select, update

from commgov.errors import NotFoundError, ValidationError
from commgov.kernel.access import LEDGER_WRITE, READ, Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.ledger.model import TransferRequest
from commgov.ledger.model.rules import PointsRule
from commgov.ledger.repository import LedgerRepository
from commgov.ledger.service.accounts import (
    EXPIRY,
    ISSUANCE,
    REDEMPTION,
    SYSTEM,
    ensure_accounts,
    partner_code,
    resident_account,
    resident_code,
)
from commgov.ledger.service.ledger import AccountView, LedgerService, TransferView, _account_view
from commgov.ledger.tables import reward_items
from commgov.people.model.residents import validate_name
from commgov.people.model.units import unit_target
from commgov.people.repository import UnitRepository
from commgov.people.service.grids import load_unit
from commgov.people.service.residents import authorized_resident

LEDGER = "points"


class Earning(BaseModel):
    """What an earning gave: ``granted`` may be less than asked when a cap was reached."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    activity: str
    asked: int
    granted: int
    transfer: TransferView | None = None


class RewardView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    unit_code: str
    name: str
    price: int
    stock: int
    partner: str | None = None


class PointsService:
    def __init__(self, ctx: Context, ledger: LedgerService) -> None:
        self._ctx = ctx
        self._ledger = ledger

    def table(self, unit: str) -> dict[str, PointsRule]:
        """The points table that applies at ``unit`` (the town's plugin, else the default)."""
        with self._ctx.uow(readonly=True) as uow:
            return dict(self._ctx.plugins.rules(load_unit(uow, unit).path).commgov_points_table())

    def earn(
        self, actor: Actor, resident_id: int, activity: str, *, client_id: str, quantity: int = 1
    ) -> Earning:
        """Award the points the resident's town gives for ``activity`` (``quantity`` times, or
        hours for hourly activities), trimmed to the day's and month's caps."""
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise ValidationError("quantity", quantity, "a positive whole number")

        def work(uow: UnitOfWork) -> Earning:
            _row, home = self._resident(uow, actor, resident_id, LEDGER_WRITE)
            table = self._ctx.plugins.rules(home.path).commgov_points_table()
            rule = table.get(activity)
            if rule is None:
                raise ValidationError(
                    "activity", activity, f"not in this town's table: {', '.join(sorted(table))}"
                )
            code = resident_code(resident_id)
            ids = ensure_accounts(
                uow,
                LEDGER,
                {ISSUANCE: SYSTEM, code: resident_account(resident_id, home.id)},
                self._ctx.clock(),
            )
            asked = rule.points * quantity
            repo = LedgerRepository(uow.conn)
            repo.lock(ids.values())  # the caps are read under the locks, in id order
            prior = repo.transfers_by_client(LEDGER, [client_id]).get(client_id)
            if prior is not None:  # a retry: the first submission's amount, caps already applied
                granted = int(prior.amount)
            else:
                granted = self._within_caps(uow, ids[code], activity, rule, asked)
            if granted == 0:
                return Earning(activity=activity, asked=asked, granted=0)
            request = TransferRequest(
                client_id, LEDGER, ISSUANCE, code, granted, f"earn:{activity}"
            )
            (view,) = self._ledger.apply(uow, actor, [request])
            return Earning(activity=activity, asked=asked, granted=granted, transfer=view)

        return self._ledger.run(work)

    def earn_many(self, actor: Actor, earnings: Sequence[Mapping[str, Any]]) -> list[Earning]:
        """Many earnings in one unit of work (a day's register, an import): each a mapping of
        ``resident_id``, ``activity``, ``client_id`` and optional ``quantity``. Caps apply in
        order, as if earned one after another; a bad item fails the whole batch."""
        items = [dict(e) for e in earnings]

        def work(uow: UnitOfWork) -> list[Earning]:
            now = self._ctx.clock()
            homes, tables, wanted = {}, {}, {ISSUANCE: SYSTEM}
            for item in items:
                rid = item["resident_id"]
                if rid not in homes:
                    _row, homes[rid] = self._resident(uow, actor, rid, LEDGER_WRITE)
                    wanted[resident_code(rid)] = resident_account(rid, homes[rid].id)
                path = homes[rid].path
                if path not in tables:
                    tables[path] = self._ctx.plugins.rules(path).commgov_points_table()
            ids = ensure_accounts(uow, LEDGER, wanted, now)
            repo = LedgerRepository(uow.conn)
            repo.lock(ids.values())  # the caps are read under the locks, in id order
            reasons = sorted({f"earn:{i['activity']}" for i in items})
            accounts = [ids[resident_code(i["resident_id"])] for i in items]
            day = now.replace(hour=0, minute=0, second=0, microsecond=0)
            today = repo.earned_since(accounts, reasons, day)
            month = repo.earned_since(accounts, reasons, day.replace(day=1))
            prior = repo.transfers_by_client(LEDGER, [i["client_id"] for i in items])
            out, requests = [], []
            for item in items:
                activity, quantity = item["activity"], item.get("quantity", 1)
                rule = tables[homes[item["resident_id"]].path].get(activity)
                if rule is None:
                    raise ValidationError("activity", activity, "not in this town's table")
                if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
                    raise ValidationError("quantity", quantity, "a positive whole number")
                key = (ids[resident_code(item["resident_id"])], f"earn:{activity}")
                asked = rule.points * quantity
                granted = asked
                for cap, spent in ((rule.cap_per_day, today), (rule.cap_per_month, month)):
                    if cap is not None:
                        granted = min(granted, max(cap - spent.get(key, 0), 0))
                if item["client_id"] in prior:
                    granted = int(prior[item["client_id"]].amount)
                today[key] = today.get(key, 0) + granted
                month[key] = month.get(key, 0) + granted
                if granted:
                    requests.append(
                        TransferRequest(
                            item["client_id"],
                            LEDGER,
                            ISSUANCE,
                            resident_code(item["resident_id"]),
                            granted,
                            f"earn:{activity}",
                        )
                    )
                out.append(Earning(activity=activity, asked=asked, granted=granted))
            self._ledger.apply(uow, actor, requests)
            return out

        return self._ledger.run(work)

    def _within_caps(
        self, uow: UnitOfWork, account_id: int, activity: str, rule: PointsRule, asked: int
    ) -> int:
        now = self._ctx.clock()
        repo = LedgerRepository(uow.conn)
        granted = asked
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        for cap, since in ((rule.cap_per_day, day), (rule.cap_per_month, day.replace(day=1))):
            if cap is not None:
                earned = repo.posted_sum(
                    credit_id=account_id, reason=f"earn:{activity}", since=since
                )
                granted = min(granted, max(cap - earned, 0))
        return granted

    def balance(self, actor: Actor, resident_id: int) -> AccountView | None:
        with self._ctx.uow(readonly=True) as uow:
            self._resident(uow, actor, resident_id, READ)
            repo = LedgerRepository(uow.conn)
            rows = repo.account_rows(LEDGER, [resident_code(resident_id)])
            if not rows:
                return None
            account_id = rows[resident_code(resident_id)].id
            return _account_view(repo.lock([account_id])[account_id])

    def honour(self, actor: Actor, resident_id: int) -> tuple[int, str | None]:
        """Lifetime points earned and the highest honour tier they reach (``None``: none yet)."""
        with self._ctx.uow(readonly=True) as uow:
            _row, home = self._resident(uow, actor, resident_id, READ)
            repo = LedgerRepository(uow.conn)
            rows = repo.account_rows(LEDGER, [resident_code(resident_id)])
            issuance = repo.account_rows(LEDGER, [ISSUANCE])
            lifetime = 0
            if rows and issuance:
                lifetime = repo.posted_sum(
                    credit_id=rows[resident_code(resident_id)].id, debit_id=issuance[ISSUANCE].id
                )
            tiers = self._ctx.plugins.rules(home.path).commgov_honour_tiers()
            reached = [
                t.name
                for t in sorted(tiers, key=lambda t: t.lifetime_points)
                if lifetime >= t.lifetime_points
            ]
            return lifetime, (reached[-1] if reached else None)

    # -- expiry ---------------------------------------------------------------------------
    def expire(self, actor: Actor, *, now: dt.datetime | None = None) -> int:
        """Expire points whose time has come, oldest first (spending uses the oldest points
        first). Safe to run twice: a second run finds nothing left to expire."""
        moment = now or self._ctx.clock()

        def work(uow: UnitOfWork) -> int:
            repo = LedgerRepository(uow.conn)
            ids = ensure_accounts(uow, LEDGER, {ISSUANCE: SYSTEM, EXPIRY: SYSTEM}, moment)
            rows = repo.accounts_of_kind(LEDGER, "resident")
            locked = repo.lock([r.id for r in rows] + [ids[EXPIRY]])  # read under the locks
            requests = []
            for account in rows:
                due = self._expired_amount(
                    uow=uow,
                    repo=repo,
                    account=account,
                    issuance=ids[ISSUANCE],
                    expiry=ids[EXPIRY],
                    now=moment,
                )
                # points held by a pending transfer stay; a later run takes them if released
                due = min(due, locked[account.id].available)
                if due > 0:
                    requests.append(
                        TransferRequest(
                            f"expire:{account.id}:{moment.date().isoformat()}",
                            LEDGER,
                            account.code,
                            EXPIRY,
                            due,
                            "expire",
                        )
                    )
            self._ledger.apply(uow, actor, requests)
            return sum(r.amount for r in requests)

        return self._ledger.run(work)

    def _expired_amount(
        self,
        *,
        uow: UnitOfWork,
        repo: LedgerRepository,
        account: Any,
        issuance: int,
        expiry: int,
        now: dt.datetime,
    ) -> int:
        home = uow.repo(UnitRepository).get(account.unit_id) if account.unit_id else None
        hooks = self._ctx.plugins.rules(home.path if home else None)
        earned_expired = 0
        for row in repo.history(account.id):
            if (
                row.kind in ("posted", "post")
                and row.credit_id == account.id
                and row.debit_id == issuance
            ):
                expires = hooks.commgov_points_expiry(earned_at=_aware(row.created_at))
                if expires is not None and _aware(expires) <= now:
                    earned_expired += int(row.amount)
        spent = repo.posted_sum(debit_id=account.id, exclude_reason="expire")
        already = repo.posted_sum(debit_id=account.id, credit_id=expiry)
        return max(0, earned_expired - spent - already)

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
        for field, value in (("price", price), ("stock", stock)):
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or value < (1 if field == "price" else 0)
            ):
                raise ValidationError(
                    field, value, "a whole number, price at least 1, stock at least 0"
                )

        def work(uow: UnitOfWork) -> RewardView:
            home = load_unit(uow, unit, live=True)
            self._ctx.authorize(actor, LEDGER_WRITE, unit_target(home))
            partner_id = None
            if partner is not None:
                rows = LedgerRepository(uow.conn).account_rows(LEDGER, [partner_code(partner)])
                if not rows:
                    raise ValidationError("partner", partner, "no partner with this name")
                partner_id = rows[partner_code(partner)].id
            values = {
                "unit_id": home.id,
                "name": name,
                "price": price,
                "stock": stock,
                "partner_account_id": partner_id,
                "created_at": self._ctx.clock(),
            }
            reward_id = int(
                uow.conn.execute(
                    insert(reward_items).returning(reward_items.c.id), values
                ).scalar_one()
            )
            return RewardView(
                id=reward_id,
                unit_code=home.code,
                name=name,
                price=price,
                stock=stock,
                partner=partner,
            )

        return self._ledger.run(work)

    def reward(self, reward_id: int) -> RewardView:
        with self._ctx.uow(readonly=True) as uow:
            row = self._reward_row(uow, reward_id, lock=False)
            return self._reward_view(uow, row)

    def redeem(
        self, actor: Actor, resident_id: int, reward_id: int, *, client_id: str
    ) -> TransferView:
        """Spend points on a reward: the points and one item of stock go in one unit of work;
        a sold-out reward or too few points writes nothing. A retry with the same client id
        returns the first redemption and takes no more stock."""

        def work(uow: UnitOfWork) -> TransferView:
            _row, home = self._resident(uow, actor, resident_id, LEDGER_WRITE)
            repo = LedgerRepository(uow.conn)
            prior = repo.transfers_by_client(LEDGER, [client_id]).get(client_id)
            reward = self._reward_row(uow, reward_id, lock=True)
            target = REDEMPTION
            if reward.partner_account_id is not None:
                target = repo.code_of(reward.partner_account_id)
            ensure_accounts(
                uow,
                LEDGER,
                {
                    REDEMPTION: SYSTEM,
                    resident_code(resident_id): resident_account(resident_id, home.id),
                },
                self._ctx.clock(),
            )
            request = TransferRequest(
                client_id,
                LEDGER,
                resident_code(resident_id),
                target,
                int(reward.price),
                f"redeem:{reward_id}",
            )
            if prior is None:
                taken = uow.conn.execute(
                    update(reward_items)
                    .where(reward_items.c.id == reward_id, reward_items.c.stock > 0)
                    .values(stock=reward_items.c.stock - 1)
                ).rowcount
                if taken != 1:
                    raise ValidationError(
                        "stock", 0, f"reward {reward_id} ({reward.name}) is sold out"
                    )
            (view,) = self._ledger.apply(uow, actor, [request])
            return view

        return self._ledger.run(work)

    def settle_partner(
        self, actor: Actor, *, partner: str, amount: int, client_id: str
    ) -> TransferView:
        """Settle a partner's points (the town pays them off-ledger); the points are retired."""

        def work(uow: UnitOfWork) -> TransferView:
            ensure_accounts(uow, LEDGER, {REDEMPTION: SYSTEM}, self._ctx.clock())
            request = TransferRequest(
                client_id, LEDGER, partner_code(partner), REDEMPTION, amount, "partner_settlement"
            )
            rows = LedgerRepository(uow.conn).account_rows(LEDGER, [partner_code(partner)])
            if rows and rows[partner_code(partner)].unit_id:
                home = uow.repo(UnitRepository).get(rows[partner_code(partner)].unit_id)
                self._ctx.authorize(actor, LEDGER_WRITE, unit_target(home))
            elif actor.role != "system":
                self._ctx.authorize(actor, LEDGER_WRITE, Target(f"partner {partner}"))
            (view,) = self._ledger.apply(uow, actor, [request])
            return view

        return self._ledger.run(work)

    # -- helpers --------------------------------------------------------------------------
    def _resident(
        self, uow: UnitOfWork, actor: Actor, resident_id: int, action: str
    ) -> tuple[Any, Any]:
        return authorized_resident(self._ctx, uow, actor, resident_id, action)

    def _reward_row(self, uow: UnitOfWork, reward_id: int, *, lock: bool) -> Any:
        query = select(reward_items).where(reward_items.c.id == reward_id)
        if lock and uow.conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = uow.conn.execute(query).one_or_none()
        if row is None:
            raise NotFoundError("reward", reward_id)
        return row

    def _reward_view(self, uow: UnitOfWork, row: Any) -> RewardView:
        partner = None
        if row.partner_account_id is not None:
            partner = LedgerRepository(uow.conn).code_of(row.partner_account_id).split(":", 1)[1]
        return RewardView(
            id=row.id,
            unit_code=uow.repo(UnitRepository).get(row.unit_id).code,
            name=row.name,
            price=row.price,
            stock=row.stock,
            partner=partner,
        )


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
