"""The helpers shipped for plugin authors: ``commgov.testing`` and its pytest fixture."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import commgov
from commgov.testing import PluginTowns, check_plugin, plugin_towns


class VeteranCare:
    """A tiny town plugin: one more care group, and residents may not be written in its town."""

    commgov_plugin_name = "veteran-care"

    @commgov.hookimpl
    def commgov_care_groups(self) -> dict[str, str]:
        return {"veteran": "退役军人 veteran"}

    @commgov.hookimpl
    def commgov_permission(
        self, actor: commgov.Actor, action: str, target: commgov.Target, acts_as: str
    ) -> bool | None:
        return False if action == commgov.WRITE and acts_as == "grid_worker" else None


class Misspelt:
    @commgov.hookimpl
    def commgov_care_group(self) -> dict[str, str]:  # no such hook
        return {}


def test_check_plugin_names_the_bad_hook() -> None:
    assert check_plugin(VeteranCare()) == "veteran-care"
    with pytest.raises(commgov.PluginError, match="commgov_care_group"):
        check_plugin(Misspelt())


def test_plugin_applies_to_its_town_only() -> None:
    with plugin_towns(VeteranCare()) as towns:
        cg = towns.store
        with_plugin, without = towns.grids[towns.plugin_town][0], towns.grids[towns.default_town][0]
        workers = {
            grid: cg.staff.actor(
                cg.staff.add(towns.admin, name="网格员", role="grid_worker", units=[grid]).id
            )
            for grid in (with_plugin, without)
        }
        with pytest.raises(commgov.PermissionDenied):
            cg.residents.add_household(workers[with_plugin], unit=with_plugin, address="1 Road")
        home = cg.residents.add_household(workers[without], unit=without, address="2 Road")
        veteran = cg.residents.add_resident(
            towns.admin, household_id=home.id, name="王老兵", birth_date="1950-08-01", sex="M",
            care_groups="veteran",
        )  # fmt: skip
        assert veteran.care_groups == ("veteran",)  # the vocabulary is shared by the store


def test_pytest_fixture(commgov_towns: Callable[..., PluginTowns]) -> None:
    towns = commgov_towns(VeteranCare(), communities=1, grids_per_community=3)
    assert len(towns.grids[towns.plugin_town]) == 3
    assert towns.store.plugins.names_for(None) == ()
    assert "veteran-care" in towns.store.plugins.available
