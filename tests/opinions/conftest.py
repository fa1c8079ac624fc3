"""Opinion-board fixtures: the shared test town with a service point in each grid, a grid
worker and a resident, on SQLite or on both back ends."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from sqlalchemy import func, select
from tests.conftest import Town

import commgov
from commgov.capabilities import metadata
from commgov.opinions.views import PointView

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment given as Beijing time (the store's zone in these tests)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def all_counts(cg: commgov.Commgov) -> dict[str, int]:
    """Rows in every table of the store: equal before and after = nothing written."""
    with cg.context.uow(readonly=True) as uow:
        return {
            t.name: uow.conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
        }


@attrs.frozen
class Board:
    """A town with points ``a1``, ``a2`` (community A) and ``b1`` (community B), a grid worker
    for grid A1 and one for the whole of community A, and a resident living in grid A1."""

    town: Town
    a1: PointView
    a2: PointView
    b1: PointView
    worker: commgov.Actor
    community_worker: commgov.Actor
    resident_id: int
    household_id: int

    @property
    def cg(self) -> commgov.Commgov:
        return self.town.cg


def furnish(town: Town) -> Board:
    cg, admin = town.cg, town.admin
    a1 = cg.opinions.add_point(admin, unit=town.grid_a1, name="下洋小区服务点", address="下洋路1号")
    a2 = cg.opinions.add_point(admin, unit=town.grid_a2, name="上沙服务点")
    b1 = cg.opinions.add_point(admin, unit=town.grid_b1, name="新安服务点")
    home = town.household(town.grid_a1, {"name": "李秀英", "birth_date": "1950-05-01", "sex": "F"})
    (resident,) = cg.residents.members(admin, home.id)
    return Board(
        town,
        a1,
        a2,
        b1,
        town.worker(town.grid_a1),
        town.worker(town.community_a, "community_staff"),
        resident.id,
        home.id,
    )


@pytest.fixture
def board(town: Town) -> Board:
    return furnish(town)


@pytest.fixture
def any_board(any_town: Town) -> Board:
    return furnish(any_town)
