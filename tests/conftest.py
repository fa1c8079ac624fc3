"""Shared fixtures: stores on SQLite (memory and file) and on PostgreSQL in a schema per test."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator

import attrs
import pytest
from sqlalchemy import func, select

import commgov
from commgov.kernel.tables import audit_log
from commgov.people import tables
from commgov.people.model.personal import identity_check_char
from commgov.records.tables import plugin_records
from commgov.testing.postgres import fresh_pg_schema

PG_ENV = "COMMGOV_TEST_PG_URL"
SECRET = commgov.new_secret_key()
NOW = dt.datetime(2025, 6, 30, 9, 0, tzinfo=dt.UTC)


def make_identity(birth: str = "19800101", serial: int = 1, region: str = "411425") -> str:
    """A valid identity number; an odd ``serial`` gives a man, an even one a woman."""
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + identity_check_char(first17)


def with_wrong_check(number: str) -> str:
    """``number`` with a check character that does not match its first 17 digits."""
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def row_counts(cg: commgov.Commgov) -> dict[str, int]:
    """Rows per core table, the audit log included: equal before and after = nothing written."""
    counted = (
        tables.units, tables.households, tables.residents, tables.staff, tables.staff_units,
        tables.departments, tables.unit_plugins, audit_log, plugin_records,
    )  # fmt: skip
    with cg.context.uow(readonly=True) as uow:
        return {
            table.name: uow.conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in counted
        }


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set")
    with fresh_pg_schema(base) as url:
        yield url


@pytest.fixture
def fixed_clock() -> Callable[[], dt.datetime]:
    """A clock that always says ``NOW``."""
    return lambda: NOW


@pytest.fixture
def store(fixed_clock: Callable[[], dt.datetime]) -> Iterator[commgov.Commgov]:
    with commgov.open("sqlite:///:memory:", discover_plugins=False, clock=fixed_clock) as cg:
        yield cg


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[commgov.Commgov]:
    """The same test on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'store.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    with commgov.open(url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW) as cg:
        yield cg


@attrs.frozen
class Town:
    """County 411425 → town 411425100 → communities 001, 002 → grids (001, 002; 901 dedicated)."""

    cg: commgov.Commgov
    admin: commgov.Actor
    town: str = "411425100"
    community_a: str = "411425100001"
    community_b: str = "411425100002"
    grid_a1: str = "411425100001001"
    grid_a2: str = "411425100001002"
    school_a: str = "411425100001901"
    grid_b1: str = "411425100002001"

    def worker(self, grid: str, role: str = "grid_worker") -> commgov.Actor:
        view = self.cg.staff.add(self.admin, name=f"{role}-{grid[-6:]}", role=role, units=[grid])
        return self.cg.staff.actor(view.id)

    def household(self, grid: str, *members: dict[str, object]) -> commgov.HouseholdView:
        home = self.cg.residents.add_household(self.admin, unit=grid, address=f"{grid} No. 1")
        for fields in members:
            self.cg.residents.add_resident(self.admin, household_id=home.id, **fields)
        return self.cg.residents.household(self.admin, home.id)


def build_town(cg: commgov.Commgov) -> Town:
    admin = commgov.Actor.system("test")
    cg.grids.create(admin, code="411425", name="虞城县", kind="county")
    cg.grids.create(admin, parent="411425", code="411425100", name="城关镇", kind="town")
    for community in ("411425100001", "411425100002"):
        cg.grids.create(
            admin, parent="411425100", code=community, name=f"社区{community[-1]}", kind="community"
        )
    cg.grids.create(
        admin, parent="411425100001", code="411425100001001", name="网格一", kind="grid"
    )
    cg.grids.create(
        admin, parent="411425100001", code="411425100001002", name="网格二", kind="grid"
    )
    cg.grids.create(
        admin, parent="411425100001", code="411425100001901", name="一中", kind="grid",
        grid_type="dedicated", covers="school",
    )  # fmt: skip
    cg.grids.create(
        admin, parent="411425100002", code="411425100002001", name="网格三", kind="grid"
    )
    return Town(cg, admin)


@pytest.fixture
def town(store: commgov.Commgov) -> Town:
    return build_town(store)


@pytest.fixture
def any_town(any_store: commgov.Commgov) -> Town:
    return build_town(any_store)


@pytest.fixture
def identity() -> Callable[..., str]:
    return make_identity
