"""A Chengguan-like town on the 7336 plugin beside a town on the core defaults."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

import commgov
from commgov.testing import PluginTowns
from commgov_yucheng7336 import plugin, vocab


@attrs.frozen
class Towns:
    """``towns`` from the helper, the 7336 town's codes and a few of its staff by role."""

    towns: PluginTowns
    staff: dict[str, commgov.Actor]  # role -> actor in the 7336 town's first community/grid

    @property
    def store(self) -> commgov.Commgov:
        return self.towns.store

    @property
    def admin(self) -> commgov.Actor:
        return self.towns.admin

    @property
    def town(self) -> str:
        return self.towns.plugin_town

    @property
    def community(self) -> str:
        return self.towns.communities[self.town][0]

    @property
    def grid(self) -> str:
        return self.towns.grids[self.town][0]

    def add_staff(self, role: str, unit: str) -> commgov.Actor:
        return self.towns.add_staff(role, unit)

    def household(self, grid: str | None = None, *members: dict[str, Any]) -> int:
        return self.towns.household(grid or self.grid, *members).id


def build(towns: PluginTowns) -> Towns:
    staff: dict[str, commgov.Actor] = {}
    made = Towns(towns, staff)
    for role in vocab.THREE_MASTERS:
        staff[role] = made.add_staff(role, made.community)
    for role in vocab.THREE_OFFICERS:
        staff[role] = made.add_staff(role, made.grid)
    staff["grid_worker"] = made.add_staff("grid_worker", made.grid)
    for town in (towns.plugin_town, towns.default_town):
        made.add_staff("community_staff", towns.communities[town][0])
        if town != towns.plugin_town:
            made.add_staff("grid_worker", towns.grids[town][0])
    return made


@pytest.fixture
def make_towns(commgov_towns: Callable[..., PluginTowns]) -> Callable[..., Towns]:
    def make(**options: Any) -> Towns:
        return build(commgov_towns(plugin, **options))

    return make


@pytest.fixture
def t(make_towns: Callable[..., Towns]) -> Iterator[Towns]:
    yield make_towns()
