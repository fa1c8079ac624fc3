"""Vote fixtures: the shared test town with households in community A (and one in B), their
voting residents, and a counter of every table's rows."""

from __future__ import annotations

import attrs
import pytest
from sqlalchemy import func, select
from tests.conftest import Town

import commgov
from commgov.capabilities import metadata


def all_counts(cg: commgov.Commgov) -> dict[str, int]:
    """Rows in every table of the store: equal before and after = nothing written."""
    with cg.context.uow(readonly=True) as uow:
        return {
            t.name: uow.conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
        }


@attrs.frozen
class Street:
    """Five households in grid A1 and one in grid B1 (outside community A), with a resident
    actor for each, voting for their household."""

    town: Town
    homes: list[commgov.HouseholdView]
    voters: list[commgov.Actor]
    outsider: commgov.Actor

    @property
    def cg(self) -> commgov.Commgov:
        return self.town.cg


def furnish(town: Town) -> Street:
    homes, voters = [], []
    for i in range(5):
        name = f"住户{i}"
        home = town.household(town.grid_a1, {"name": name, "birth_date": "1970-01-01", "sex": "M"})
        homes.append(home)
        voters.append(commgov.Actor.resident(name, home.id))
    away = town.household(town.grid_b1, {"name": "外人", "birth_date": "1970-01-01", "sex": "F"})
    return Street(town, homes, voters, commgov.Actor.resident("外人", away.id))


@pytest.fixture
def street(town: Town) -> Street:
    return furnish(town)


@pytest.fixture
def any_street(any_town: Town) -> Street:
    return furnish(any_town)
