"""三事分流 triage and routing, and Xinhe's points table, against a town on the core defaults."""

from __future__ import annotations

from typing import Any

import pytest

import commgov
from commgov.testing import PluginTowns, check_plugin, plugin_towns
from commgov_xinhe import matter_class, plugin, vocab


def staff(towns: PluginTowns, role: str, unit: str) -> commgov.Actor:
    view = towns.store.staff.add(towns.admin, name=f"{role}-{unit[-6:]}", role=role, units=[unit])
    return towns.store.staff.actor(view.id)


def dispatched(towns: PluginTowns, grid: str, category: str, **report: Any) -> commgov.CaseView:
    cases = towns.store.cases
    case = cases.report(towns.admin, unit=grid, text="楼上漏水", **report)
    cases.accept(towns.admin, case.id)
    cases.triage(towns.admin, case.id, category=category)
    return cases.dispatch(towns.admin, case.id)


@pytest.fixture
def towns() -> Any:
    with plugin_towns(plugin) as built:
        for town in (built.plugin_town, built.default_town):
            community, grid = built.communities[town][0], built.grids[town][0]
            staff(built, "community_staff", community)
            staff(built, "grid_worker", grid)
        yield built


def test_the_plugin_is_valid() -> None:
    assert check_plugin(plugin) == "xinhe"


@pytest.mark.parametrize(
    ("category", "severity", "expected"),
    [
        ("safety.fire", "normal", vocab.BIG),
        ("dispute.neighbour", "normal", vocab.SMALL),
        ("dispute.neighbour", "critical", vocab.BIG),
        ("dispute.family", "urgent", vocab.PRIVATE),
        ("environment", "normal", vocab.SMALL),
        ("assistance.psychological", "normal", vocab.SMALL),  # by its parent
        (None, "normal", vocab.SMALL),
    ],
)
def test_matter_classes(category: str | None, severity: str, expected: str) -> None:
    assert matter_class(category, severity) == expected


def test_small_matters_go_to_the_party_mass_station_only_in_xinhe(towns: PluginTowns) -> None:
    xinhe, other = towns.plugin_town, towns.default_town
    station = staff(towns, vocab.PARTY_MASS_STATION, towns.communities[xinhe][0])
    in_xinhe = dispatched(towns, towns.grids[xinhe][0], "dispute.neighbour")
    assert (in_xinhe.owner_level, in_xinhe.lead) == ("grid", f"staff:{station.staff_id}")
    elsewhere = dispatched(towns, towns.grids[other][0], "dispute.neighbour")
    assert elsewhere.lead != f"staff:{station.staff_id}"
    assert elsewhere.lead is not None and elsewhere.lead.startswith("staff:")


def test_big_matters_go_to_the_community_and_private_ones_to_a_team(towns: PluginTowns) -> None:
    xinhe = towns.plugin_town
    grid = towns.grids[xinhe][0]
    team = staff(towns, vocab.SELF_GOVERNANCE_LEAD, grid)
    big = dispatched(towns, grid, "safety.building")
    assert big.owner_level == "community"
    (community_staff,) = towns.store.staff.workers(
        towns.admin, towns.communities[xinhe][0], role="community_staff"
    )
    assert big.lead == f"staff:{community_staff.id}"
    private = dispatched(towns, grid, "dispute.family")
    assert (private.owner_level, private.lead) == ("grid", f"staff:{team.staff_id}")


def test_without_a_station_the_grid_worker_leads_a_small_matter(towns: PluginTowns) -> None:
    grid = towns.grids[towns.plugin_town][0]
    (worker,) = towns.store.staff.workers(towns.admin, grid, role="grid_worker")
    assert dispatched(towns, grid, "environment").lead == f"staff:{worker.id}"


def test_the_same_activity_earns_xinhes_points(towns: PluginTowns) -> None:
    earned = {}
    for town in (towns.plugin_town, towns.default_town):
        grid = towns.grids[town][0]
        home = towns.store.residents.add_household(towns.admin, unit=grid, address="1号楼")
        person = towns.store.residents.add_resident(
            towns.admin, household_id=home.id, name="志愿者", birth_date="1980-05-01", sex="F"
        )
        got = towns.store.points.earn(
            towns.admin, person.id, "volunteer", client_id=f"v-{town}", quantity=2
        )
        earned[town] = got.granted
    assert earned == {towns.plugin_town: 30, towns.default_town: 20}
    assert "neighbour_festival" in towns.store.points.table(towns.plugin_town)
    assert "neighbour_festival" not in towns.store.points.table(towns.default_town)


def test_a_routing_bug_leaves_the_case_as_it_was() -> None:
    class Broken:
        commgov_plugin_name = "xinhe-broken"

        @commgov.hookimpl
        def commgov_case_routing(
            self, case: commgov.CaseInfo, candidates: list[Any], department: str | None
        ) -> commgov.Routing | None:
            raise RuntimeError("routing table missing")

    with plugin_towns(plugin, Broken()) as towns:
        grid = towns.grids[towns.plugin_town][0]
        staff(towns, "grid_worker", grid)
        cases = towns.store.cases
        case = cases.report(towns.admin, unit=grid, text="路灯坏了")
        cases.accept(towns.admin, case.id)
        cases.triage(towns.admin, case.id, category="facilities")
        before = cases.history(towns.admin, case.id)
        with pytest.raises(RuntimeError, match="routing table missing"):
            cases.dispatch(towns.admin, case.id)
        assert cases.history(towns.admin, case.id) == before
        after = cases.get(towns.admin, case.id)
        assert (after.state, after.lead) == ("triaged", None)
