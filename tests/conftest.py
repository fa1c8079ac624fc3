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
from commgov.testing import BuiltTown
from commgov.testing import build_town as shipped_build_town
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
    """The shipped ``build_town`` with fixed codes: county 411425 → town 411425100 →
    communities 001, 002 → grids (001, 002 and the dedicated school grid 901; 001)."""

    built: BuiltTown

    @property
    def cg(self) -> commgov.Commgov:
        return self.built.store

    @property
    def admin(self) -> commgov.Actor:
        return self.built.admin

    town: str = "411425100"
    community_a: str = "411425100001"
    community_b: str = "411425100002"
    grid_a1: str = "411425100001001"
    grid_a2: str = "411425100001002"
    school_a: str = "411425100001901"
    grid_b1: str = "411425100002001"

    def worker(self, grid: str, role: str = "grid_worker") -> commgov.Actor:
        return self.built.add_staff(role, grid)

    def household(self, grid: str, *members: dict[str, object]) -> commgov.HouseholdView:
        return self.built.household(grid, *members)


def build_town(cg: commgov.Commgov) -> Town:
    built = shipped_build_town(
        cg, code="411425100", grids_per_community=(2, 1), dedicated_school=True
    )
    town = Town(built)
    assert (built.communities, built.grids, built.dedicated) == (
        [town.community_a, town.community_b],
        [town.grid_a1, town.grid_a2, town.grid_b1],
        [town.school_a],
    ), "the shipped builder numbers units as the tests expect"
    return town


@pytest.fixture
def town(store: commgov.Commgov) -> Town:
    return build_town(store)


@pytest.fixture
def any_town(any_store: commgov.Commgov) -> Town:
    return build_town(any_store)


@pytest.fixture
def identity() -> Callable[..., str]:
    return make_identity
