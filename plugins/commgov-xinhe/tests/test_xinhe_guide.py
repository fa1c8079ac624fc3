"""The tests docs/tutorials/write-a-plugin.md shows, with the shipped pytest fixtures."""

from __future__ import annotations

from collections.abc import Callable

from commgov.testing import PluginTowns
from commgov_xinhe import plugin


def small_matter_lead(towns: PluginTowns) -> tuple[str | None, int]:
    community = towns.communities[towns.plugin_town][0]
    grid = towns.grids[towns.plugin_town][0]
    station = towns.store.staff.add(
        towns.admin, name="站长", role="party_mass_station", units=[community]
    )
    cases = towns.store.cases
    case = cases.report(towns.admin, unit=grid, text="噪音")
    cases.accept(towns.admin, case.id)
    cases.triage(towns.admin, case.id, category="dispute.neighbour")
    return cases.dispatch(towns.admin, case.id).lead, station.id


def test_small_matters_go_to_the_station(commgov_towns: Callable[..., PluginTowns]) -> None:
    lead, station = small_matter_lead(commgov_towns(plugin))
    assert lead == f"staff:{station}"


def test_on_postgresql(commgov_towns: Callable[..., PluginTowns], commgov_pg_url: str) -> None:
    lead, station = small_matter_lead(commgov_towns(plugin, url=commgov_pg_url))
    assert lead == f"staff:{station}"
