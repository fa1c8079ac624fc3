"""Fixtures for the service-order tests: a town with a community clerk, a grid worker, a
department and its staff member, and two households (one of an elder living alone), on a
clock tests move by hand. ``any_order_town`` builds it on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from sqlalchemy import func, select
from tests.cases.conftest import Clock as CaseClock
from tests.conftest import SECRET, row_counts
from tests.conftest import build_town as build_test_town

import commgov
from commgov.cases.tables import case_events, cases
from commgov.orders.tables import service_orders
from commgov.orders.views import OrderView

START = dt.datetime(2026, 11, 3, 1, 0, tzinfo=dt.UTC)  # 09:00 in Beijing


class Clock(CaseClock):
    """The case tests' hand-moved clock, starting on a Tuesday morning in November 2026."""

    def __init__(self, now: dt.datetime = START) -> None:
        super().__init__(now)


@attrs.define
class OrderTown:
    cg: commgov.Commgov
    clock: Clock
    admin: commgov.Actor
    town: str
    community: str
    grid: str
    other_grid: str  # in the other community
    clerk: commgov.Actor  # community staff of the first community
    worker: commgov.Actor  # grid worker of ``grid``
    other_clerk: commgov.Actor  # community staff of the second community
    department: str  # T-civil, at the town
    officer: commgov.Actor  # department staff of T-civil
    resident: commgov.Actor
    resident_id: int
    elder: commgov.Actor  # living alone
    elder_id: int

    def advice(self, by: commgov.Actor | None = None) -> OrderView:
        """A legal-advice order of the resident's (placed by them unless ``by`` is given)."""
        return self.cg.orders.place(
            by or self.resident,
            resident_id=self.resident_id,
            item="legal_advice",
            fields={"question": "邻居占用车位怎么办"},
        )

    def accepted(self, by: commgov.Actor | None = None) -> OrderView:
        """An advice order assigned to the justice office and accepted by it."""
        order = self.advice(by)
        orders = self.cg.orders
        orders.assign(self.clerk, order.id, provider_kind="department", provider="T-justice")
        return self.cg.orders.respond(self.clerk, order.id, accept=True)

    def done(self) -> OrderView:
        order = self.accepted()
        return self.cg.orders.complete(self.clerk, order.id, note="已电话解答")


def build(cg: commgov.Commgov, clock: Clock) -> OrderTown:
    t = build_test_town(cg)
    admin = t.admin
    cg.staff.add_department(admin, code="T-civil", name="民政办", kind="civil_affairs", unit=t.town)
    cg.staff.add_department(admin, code="T-justice", name="司法所", kind="justice", unit=t.town)
    officer = t.built.add_staff("department_staff", t.town, name="民政员", department="T-civil")
    clerk = t.built.add_staff("community_staff", t.community_a, name="张社工")
    other = t.built.add_staff("community_staff", t.community_b, name="刘社工")
    worker = t.built.add_staff("grid_worker", t.grid_a1, name="王网格")
    member = {"birth_date": "1980-03-01", "sex": "M"}
    home = t.household(t.grid_a1, {"name": "陈建国", **member})
    elder_home = t.household(
        t.grid_a1,
        {"name": "李秀英", "birth_date": "1940-05-01", "sex": "F", "care_groups": ["living_alone"]},
    )
    return OrderTown(
        cg=cg,
        clock=clock,
        admin=admin,
        town=t.town,
        community=t.community_a,
        grid=t.grid_a1,
        other_grid=t.grid_b1,
        clerk=clerk,
        worker=worker,
        other_clerk=other,
        department="T-civil",
        officer=officer,
        resident=commgov.Actor.resident("陈建国", home.id),
        resident_id=home.member_ids[0],
        elder=commgov.Actor.resident("李秀英", elder_home.id),
        elder_id=elder_home.member_ids[0],
    )


def counts(cg: commgov.Commgov) -> dict[str, int]:
    """Rows of the core tables, the cases, their events and the orders."""
    found = row_counts(cg)
    with cg.context.uow(readonly=True) as uow:
        for table in (cases, case_events, service_orders):
            query = select(func.count()).select_from(table)
            found[table.name] = uow.conn.execute(query).scalar_one()
    return found


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def town(clock: Clock) -> Iterator[OrderTown]:
    with commgov.open("sqlite:///:memory:", clock=clock, discover_plugins=False) as cg:
        yield build(cg, clock)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_order_town(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OrderTown]:
    """The town on a SQLite file and on PostgreSQL (a fresh schema)."""
    clock = Clock()
    url = f"sqlite:///{tmp_path / 'orders.db'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    cg = commgov.open(url, secret_key=SECRET, clock=clock, discover_plugins=False)
    try:
        yield build(cg, clock)
    finally:
        cg.close()
