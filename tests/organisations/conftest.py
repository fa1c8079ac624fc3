"""A town with a clock the test moves, an organisation, its leader and residents to sign up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from sqlalchemy import func, select
from tests.conftest import NOW, SECRET, Town, build_town

import commgov
from commgov.ledger.tables import ledger_transfers
from commgov.organisations import tables

START = NOW + dt.timedelta(days=1)
END = START + dt.timedelta(hours=2)


@attrs.define
class Clock:
    now: dt.datetime = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@attrs.frozen
class Club:
    town: Town
    clock: Clock
    team: commgov.OrganisationView
    leader: commgov.Actor
    residents: list[int]
    actors: list[commgov.Actor]

    @property
    def cg(self) -> commgov.Commgov:
        return self.town.cg

    @property
    def admin(self) -> commgov.Actor:
        return self.town.admin

    def activity(self, places: int = 3, **extra: Any) -> commgov.ActivityView:
        fields: dict[str, Any] = {
            "organisation_id": self.team.id, "title": "敬老服务", "kind": "elder_care",
            "starts_at": START, "ends_at": END, "places": places,
        }  # fmt: skip
        fields.update(extra)
        return self.cg.activities.publish(self.leader, **fields)


def furnish(town: Town, clock: Clock, people: int = 6) -> Club:
    cg, admin = town.cg, town.admin
    team = cg.organisations.register(
        admin, unit=town.community_a, name="夕阳红志愿服务队", kind="volunteer_team",
        serves=[town.community_b], contact_name="王队长", contact_phone="13800138000",
    )  # fmt: skip
    ids: list[int] = []
    actors: list[commgov.Actor] = []
    for n in range(people):
        grid = town.grid_a1 if n % 2 == 0 else town.grid_b1
        home = town.household(
            grid, {"name": f"居民{n}", "birth_date": "1960-01-01", "sex": "F",
                   "phone": f"1390000{n:04d}"},
        )  # fmt: skip
        (person,) = cg.residents.members(admin, home.id)
        ids.append(person.id)
        actors.append(commgov.Actor.resident(f"居民{n}", home.id, person.id))
    cg.organisations.add_member(admin, team.id, resident_id=ids[0], role="leader")
    return Club(town, clock, team, actors[0], ids, actors)


@pytest.fixture(params=["sqlite", "postgresql"])
def club(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Club]:
    """The same test on a SQLite file and on PostgreSQL, with a clock the test moves."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'store.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    clock = Clock()
    with commgov.open(url, secret_key=SECRET, discover_plugins=False, clock=clock) as cg:
        yield furnish(build_town(cg), clock)


def organisation_rows(cg: commgov.Commgov) -> dict[str, int]:
    """Rows per organisation table and of the ledgers' transfers: equal = nothing written."""
    counted = (
        tables.organisations, tables.organisation_units, tables.organisation_members,
        tables.party_registrations, tables.activities, tables.activity_signups, ledger_transfers,
    )  # fmt: skip
    with cg.context.uow(readonly=True) as uow:
        return {
            t.name: uow.conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in counted
        }
