"""Two small towns in one in-memory store: one runs the plugins under test, one the defaults."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import attrs

from commgov.capabilities import HOOKS
from commgov.facade import Commgov, open_store
from commgov.kernel.actors import Actor
from commgov.kernel.cipher import new_secret_key
from commgov.kernel.clock import Clock
from commgov.kernel.host import check_plugin as _check
from commgov.kernel.host import plugin_name

COUNTY = "411425"


def check_plugin(plugin: object, name: str | None = None) -> str:
    """Raise ``PluginError`` if ``plugin`` implements a hook that does not exist or has the
    wrong arguments; return its name."""
    key = name or plugin_name(plugin)
    _check(HOOKS, key, plugin)
    return key


@attrs.frozen
class PluginTowns:
    """What ``plugin_towns`` builds. Codes are unit codes; ``grids`` maps town code → grids."""

    store: Commgov
    admin: Actor
    plugin_town: str
    default_town: str
    communities: dict[str, list[str]]
    grids: dict[str, list[str]]


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
        store.grids.create(admin, code=COUNTY, name="test county", kind="county")
        towns = [
            store.grids.create(admin, parent=COUNTY, name=f"town {i}", kind="town") for i in (1, 2)
        ]
        community_codes: dict[str, list[str]] = {}
        grid_codes: dict[str, list[str]] = {}
        for town in towns:
            for c in range(communities):
                community = store.grids.create(
                    admin, parent=town.code, name=f"community {c + 1}", kind="community"
                )
                community_codes.setdefault(town.code, []).append(community.code)
                for g in range(grids_per_community):
                    grid = store.grids.create(
                        admin, parent=community.code, name=f"grid {g + 1}", kind="grid"
                    )
                    grid_codes.setdefault(town.code, []).append(grid.code)
        if names:
            store.enable_plugins(admin, towns[0].code, names)
        yield PluginTowns(store, admin, towns[0].code, towns[1].code, community_codes, grid_codes)
    finally:
        store.close()
