"""The one town builder of the tests, ours and plugin authors': ``build_town`` makes a town with
communities and grids in a store, ``plugin_towns`` two of them in a fresh store, one running the
plugins under test and one the defaults."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import attrs

from commgov.capabilities import HOOKS
from commgov.facade import Commgov, open_store
from commgov.kernel.actors import Actor
from commgov.kernel.cipher import new_secret_key
from commgov.kernel.clock import Clock
from commgov.kernel.host import check_plugin as _check
from commgov.kernel.host import plugin_name
from commgov.people.views import HouseholdView

COUNTY = "411425"


def check_plugin(plugin: object, name: str | None = None) -> str:
    """Raise ``PluginError`` if ``plugin`` implements a hook that does not exist or has the
    wrong arguments; return its name."""
    key = name or plugin_name(plugin)
    _check(HOOKS, key, plugin)
    return key


@attrs.frozen
class BuiltTown:
    """A town built by ``build_town``: its code, its communities and grids (codes, in order),
    and helpers that add staff and households to it."""

    store: Commgov
    admin: Actor
    town: str
    communities: list[str]
    grids: list[str]  # comprehensive grids, community by community
    dedicated: list[str]  # dedicated grids (专属网格), when asked for

    def add_staff(
        self, role: str, unit: str, *, name: str | None = None, department: str | None = None
    ) -> Actor:
        """A new staff member of ``role`` answering for ``unit``, as an actor."""
        view = self.store.staff.add(
            self.admin,
            name=name or f"{role}-{unit[-6:]}",
            role=role,
            units=[unit],
            department=department,
        )
        return self.store.staff.actor(view.id)

    def household(self, grid: str, *members: Mapping[str, Any]) -> HouseholdView:
        """A household on ``grid`` with ``members`` (each the keyword arguments of
        ``residents.add_resident``)."""
        home = self.store.residents.add_household(self.admin, unit=grid, address=f"{grid} 1号")
        for fields in members:
            self.store.residents.add_resident(self.admin, household_id=home.id, **fields)
        return self.store.residents.household(self.admin, home.id)


def build_town(
    store: Commgov,
    *,
    name: str = "城关镇",
    code: str | None = None,
    county: str = COUNTY,
    communities: int = 2,
    grids_per_community: int | Sequence[int] = 2,
    dedicated_school: bool = False,
    admin: Actor | None = None,
) -> BuiltTown:
    """A town under ``county`` (created when missing) with ``communities`` communities of
    ``grids_per_community`` grids each (or a count per community), and optionally a dedicated
    school grid in the first community. Codes follow the store's numbering unless ``code``
    fixes the town's."""
    admin = admin or Actor.system("test town")
    if county not in {unit.code for unit in store.grids.roots()}:
        store.grids.create(admin, code=county, name="测试县 test county", kind="county")
    town = store.grids.create(admin, parent=county, code=code, name=name, kind="town")
    counts = (
        [grids_per_community] * communities
        if isinstance(grids_per_community, int)
        else list(grids_per_community)
    )
    community_codes: list[str] = []
    grid_codes: list[str] = []
    dedicated: list[str] = []
    for c, count in enumerate(counts, start=1):
        community = store.grids.create(
            admin, parent=town.code, name=f"{name}社区{c}", kind="community"
        )
        community_codes.append(community.code)
        for g in range(1, count + 1):
            grid = store.grids.create(
                admin, parent=community.code, name=f"社区{c}网格{g}", kind="grid"
            )
            grid_codes.append(grid.code)
        if dedicated_school and c == 1:
            school = store.grids.create(
                admin,
                parent=community.code,
                name=f"{name}一中",
                kind="grid",
                grid_type="dedicated",
                covers="school",
            )
            dedicated.append(school.code)
    return BuiltTown(store, admin, town.code, community_codes, grid_codes, dedicated)


@attrs.frozen
class PluginTowns:
    """What ``plugin_towns`` builds: two ``BuiltTown``s in one county, the plugins under test
    enabled on the first. Codes are unit codes; ``grids`` maps town code → grids."""

    first: BuiltTown
    second: BuiltTown

    @property
    def store(self) -> Commgov:
        return self.first.store

    @property
    def admin(self) -> Actor:
        return self.first.admin

    @property
    def plugin_town(self) -> str:
        return self.first.town

    @property
    def default_town(self) -> str:
        return self.second.town

    @property
    def communities(self) -> dict[str, list[str]]:
        return {t.town: list(t.communities) for t in (self.first, self.second)}

    @property
    def grids(self) -> dict[str, list[str]]:
        return {t.town: list(t.grids) for t in (self.first, self.second)}

    def add_staff(self, role: str, unit: str) -> Actor:
        """A new staff member of ``role`` answering for ``unit`` (in either town)."""
        return self.first.add_staff(role, unit)

    def household(self, grid: str, *members: Mapping[str, Any]) -> HouseholdView:
        """A household on ``grid`` (in either town) with ``members``."""
        return self.first.household(grid, *members)


def fixed_clock(at: dt.datetime) -> Clock:
    """A clock that always says ``at`` (tests move time by making another)."""
    return lambda: at


@contextmanager
def plugin_towns(
    *plugins: object,
    communities: int = 2,
    grids_per_community: int = 2,
    url: str = "sqlite:///:memory:",
    clock: Clock | None = None,
    secret_key: str | bytes | None = None,
) -> Iterator[PluginTowns]:
    """A county with two towns: the first has ``plugins`` enabled, the second runs the core
    defaults only. Each town has ``communities`` communities of ``grids_per_community`` grids.
    ``url`` may name a PostgreSQL schema (see the ``commgov_pg_url`` fixture)."""
    at = dt.datetime(2025, 6, 30, 9, 0, tzinfo=dt.UTC)
    store = open_store(
        url,
        discover_plugins=False,
        clock=clock or fixed_clock(at),
        secret_key=secret_key or new_secret_key(),  # a fresh key: the store is throw-away
    )
    try:
        names = [store.add_plugin(p) for p in plugins]
        admin = Actor.system("plugin test")
        first, second = (
            build_town(
                store,
                name=f"town {i}",
                communities=communities,
                grids_per_community=grids_per_community,
                admin=admin,
            )
            for i in (1, 2)
        )
        if names:
            store.enable_plugins(admin, first.town, names)
        yield PluginTowns(first, second)
    finally:
        store.close()
