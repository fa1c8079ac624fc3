"""The rewards catalogue (积分兑换) beside the points ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, update

from commgov.kernel.repository import Repository
from commgov.ledger.model import Reward
from commgov.ledger.tables import reward_items


def _reward(row: Any) -> Reward:
    return Reward(
        id=row.id,
        unit_id=row.unit_id,
        name=row.name,
        price=row.price,
        stock=row.stock,
        partner_account_id=row.partner_account_id,
    )


class RewardRepository(Repository):
    def add(
        self,
        *,
        unit_id: int,
        name: str,
        price: int,
        stock: int,
        partner_account_id: int | None,
        now: dt.datetime,
    ) -> Reward:
        values = {
            "unit_id": unit_id,
            "name": name,
            "price": price,
            "stock": stock,
            "partner_account_id": partner_account_id,
            "created_at": now,
        }
        stmt = insert(reward_items).returning(reward_items.c.id)
        reward_id = int(self.conn.execute(stmt, values).scalar_one())
        return Reward(reward_id, unit_id, name, price, stock, partner_account_id)

    def get(self, reward_id: int, *, lock: bool = False) -> Reward | None:
        """The reward, locked for update (on PostgreSQL) with ``lock``."""
        query = select(reward_items).where(reward_items.c.id == reward_id)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        row = self.conn.execute(query).one_or_none()
        return None if row is None else _reward(row)

    def at_units(self, unit_ids: Sequence[int]) -> list[Reward]:
        """The rewards offered at these units, by id."""
        query = (
            select(reward_items)
            .where(reward_items.c.unit_id.in_(sorted(set(unit_ids))))
            .order_by(reward_items.c.id)
        )
        return [_reward(row) for row in self.conn.execute(query)]

    def names(self, reward_ids: Sequence[int]) -> dict[int, str]:
        """The names of these rewards, by id (those that exist)."""
        if not reward_ids:
            return {}
        query = select(reward_items.c.id, reward_items.c.name).where(
            reward_items.c.id.in_(sorted(set(reward_ids)))
        )
        return {int(i): str(n) for i, n in self.conn.execute(query)}

    def take_one(self, reward_id: int) -> bool:
        """Take one item of stock if any is left (``UPDATE … WHERE stock > 0``): never
        oversells, even against a concurrent redemption."""
        result = self.conn.execute(
            update(reward_items)
            .where(reward_items.c.id == reward_id, reward_items.c.stock > 0)
            .values(stock=reward_items.c.stock - 1)
        )
        return result.rowcount == 1
