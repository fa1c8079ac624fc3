"""Set-ups the wish tests share: a town with a grid worker, community staff, department staff
and residents in two grids of community A and one grid of community B."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from sqlalchemy import func, select
from tests.conftest import NOW, Town, row_counts

import commgov
from commgov.ledger.tables import ledger_transfers
from commgov.wishes.service.wishes import WishService
from commgov.wishes.tables import wish_matches, wishes
from commgov.wishes.views import WishView

TODAY = dt.date(2025, 6, 30)  # NOW in Beijing
SOON = TODAY + dt.timedelta(days=5)


@attrs.frozen
class WishTown:
    town: Town
    worker: commgov.Actor  # grid worker of grid A1
    staff_a: commgov.Actor  # community staff of community A
    department: commgov.Actor  # department staff at the town
    residents: dict[str, tuple[int, commgov.Actor]]  # name -> (resident id, actor)

    @property
    def cg(self) -> commgov.Commgov:
        return self.town.cg

    @property
    def wishes(self) -> WishService:
        return self.town.cg.wishes

    @property
    def admin(self) -> commgov.Actor:
        return self.town.admin

    def rid(self, name: str) -> int:
        return self.residents[name][0]

    def actor(self, name: str) -> commgov.Actor:
        return self.residents[name][1]

    def want(self, name: str = "li", **fields: Any) -> WishView:
        fields.setdefault("category", "elder.repair")
        fields.setdefault("text", "水龙头漏水")
        return self.wishes.post(self.actor(name), kind="want", resident_id=self.rid(name), **fields)

    def offer(self, name: str = "zhang", **fields: Any) -> WishView:
        fields.setdefault("category", "elder.repair")
        fields.setdefault("text", "会修水电")
        return self.wishes.post(
            self.actor(name), kind="offer", resident_id=self.rid(name), **fields
        )

    def points(self, name: str) -> int:
        found = self.cg.points.balance(self.admin, self.rid(name))
        return 0 if found is None else found.balance


PEOPLE = {  # name -> (grid attribute, resident's name)
    "li": ("grid_a1", "李秀英"),
    "zhang": ("grid_a1", "张伟"),
    "wang": ("grid_a2", "王芳"),
    "zhao": ("grid_b1", "赵强"),
}


def wish_town(town: Town) -> WishTown:
    residents = {}
    for key, (grid, name) in PEOPLE.items():
        home = town.household(
            getattr(town, grid), {"name": name, "birth_date": "1960-01-01", "sex": "F"}
        )
        residents[key] = (home.member_ids[0], commgov.Actor.resident(name, home.id))
    town.cg.staff.add_department(
        town.admin, code="T-civil", name="民政办", kind="civil_affairs", unit=town.town
    )
    return WishTown(
        town=town,
        worker=town.worker(town.grid_a1),
        staff_a=town.worker(town.community_a, "community_staff"),
        department=town.built.add_staff("department_staff", town.town, department="T-civil"),
        residents=residents,
    )


def counts(cg: commgov.Commgov) -> dict[str, int]:
    """``row_counts`` with the wish tables and the ledger's transfers."""
    found = row_counts(cg)
    with cg.context.uow(readonly=True) as uow:
        for table in (wishes, wish_matches, ledger_transfers):
            found[table.name] = uow.conn.execute(
                select(func.count()).select_from(table)
            ).scalar_one()
    return found


__all__ = ["NOW", "SOON", "TODAY", "WishTown", "counts", "wish_town"]
