"""One test per core hook: a plugin implementing it changes what the store does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import NOW, Town, build_town, make_identity, row_counts

import commgov
from commgov.capabilities import HOOKS
from commgov.kernel.host import PluginHost
from commgov.people.model.personal import mask_identity


class Extra:
    commgov_plugin_name = "extra"

    @commgov.hookimpl
    def commgov_roles(self) -> list[commgov.RoleSpec]:
        return [commgov.RoleSpec("mediator", "金牌调解师 mediator", acts_as="community_staff")]

    @commgov.hookimpl
    def commgov_care_groups(self) -> dict[str, str]:
        return {"veteran": "退役军人 veteran"}

    @commgov.hookimpl
    def commgov_resident_tags(self) -> dict[str, str]:
        return {"talent": "社区能人 talent"}

    @commgov.hookimpl
    def commgov_department_kinds(self) -> dict[str, str]:
        return {"water": "水务 water authority"}

    @commgov.hookimpl
    def commgov_dedicated_grid_covers(self) -> dict[str, str]:
        return {"railway_station": "火车站 railway station"}

    @commgov.hookimpl
    def commgov_record_kinds(self) -> dict[str, str]:
        return {"visit_log": "走访记录 visit log"}


@pytest.fixture
def extra_town() -> Iterator[Town]:
    with commgov.open(
        "sqlite:///:memory:", plugins=[Extra()], discover_plugins=False, clock=lambda: NOW
    ) as cg:
        yield build_town(cg)


def test_hook_commgov_roles(extra_town: Town, town: Town) -> None:
    mediator = extra_town.worker(extra_town.community_a, role="mediator")
    extra_town.cg.grids.create(
        mediator, parent=extra_town.community_a, name="调解网格", kind="grid"
    )
    with pytest.raises(commgov.PermissionDenied):  # acts as community staff: not beyond it
        extra_town.cg.grids.create(mediator, parent=extra_town.community_b, name="x", kind="grid")
    with pytest.raises(commgov.ValidationError):
        town.worker(town.community_a, role="mediator")  # unknown without the plugin


def test_hook_commgov_care_groups(extra_town: Town, town: Town) -> None:
    fields = {"name": "老兵", "birth_date": "1950-01-01", "sex": "M", "care_groups": "veteran"}
    assert extra_town.household(extra_town.grid_a1, fields).member_ids
    with pytest.raises(commgov.ValidationError, match="veteran"):
        town.household(town.grid_a1, fields)
    assert extra_town.cg.residents.count_under(extra_town.admin, "411425", care_group="veteran")
    town.cg.add_plugin(Extra())  # made available later: usable at once
    assert town.household(town.grid_a1, fields).member_ids


def test_hook_commgov_resident_tags(extra_town: Town, town: Town) -> None:
    fields = {
        "name": "能人",
        "birth_date": "1960-01-01",
        "sex": "F",
        "tags": "talent;building_head",
    }
    (member,) = extra_town.household(extra_town.grid_a1, fields).member_ids
    assert extra_town.cg.residents.get(extra_town.admin, member).tags == ("talent", "building_head")
    with pytest.raises(commgov.ValidationError, match="talent"):
        town.household(town.grid_a1, fields)


def test_hook_commgov_department_kinds(extra_town: Town, town: Town) -> None:
    water = extra_town.cg.staff.add_department(
        extra_town.admin, code="W1", name="水务站", kind="water", unit=extra_town.town
    )
    departments = extra_town.cg.staff.departments(extra_town.admin, extra_town.town)
    assert [d.code for d in departments] == [water.code]
    with pytest.raises(commgov.ValidationError) as caught:
        town.cg.staff.add_department(
            town.admin, code="W1", name="水务站", kind="water", unit=town.town
        )
    assert caught.value.field == "kind"


def test_hook_commgov_dedicated_grid_covers(extra_town: Town, town: Town) -> None:
    station = extra_town.cg.grids.create(
        extra_town.admin, parent=extra_town.community_a, name="火车站", kind="grid",
        grid_type="dedicated", covers="railway_station",
    )  # fmt: skip
    assert station.covers == "railway_station"
    with pytest.raises(commgov.ValidationError):
        town.cg.grids.create(
            town.admin, parent=town.community_a, name="火车站", kind="grid",
            grid_type="dedicated", covers="railway_station",
        )  # fmt: skip


def test_hook_commgov_record_kinds(extra_town: Town, town: Town) -> None:
    kept = extra_town.cg.records.add(
        extra_town.admin, kind="visit_log", unit=extra_town.grid_a1, data={"households": 3}
    )
    found = extra_town.cg.records.find(extra_town.admin, kind="visit_log", under="411425")
    assert [(r.id, r.data) for r in found] == [(kept.id, {"households": 3})]
    assert "visit_log" in extra_town.cg.records.kinds()
    with pytest.raises(commgov.ValidationError) as caught:
        town.cg.records.add(town.admin, kind="visit_log", unit=town.grid_a1, data={})
    assert (caught.value.field, caught.value.value) == ("kind", "visit_log")


class LockedTown:
    """Grid workers of this town may read residents but not change them."""

    commgov_plugin_name = "locked"

    @commgov.hookimpl
    def commgov_permission(
        self, actor: commgov.Actor, action: str, target: commgov.Target, acts_as: str
    ) -> bool | None:
        return False if action == commgov.WRITE and acts_as == "grid_worker" else None


class TrustedDepartments:
    """In this town, department staff may read personal data within their reach."""

    commgov_plugin_name = "trusted_departments"

    @commgov.hookimpl
    def commgov_permission(
        self, actor: commgov.Actor, action: str, target: commgov.Target, acts_as: str
    ) -> bool | None:
        if action == commgov.READ_PERSONAL and acts_as == "department_staff":
            return target.within(actor.units)
        return None


def second_town(town: Town) -> tuple[str, str]:
    """Another town in the county, with one community and one grid: (town code, grid code)."""
    make = town.cg.grids.create
    other = make(town.admin, parent="411425", name="利民镇", kind="town")
    community = make(town.admin, parent=other.code, name="利民社区", kind="community")
    return other.code, make(town.admin, parent=community.code, name="利民网格", kind="grid").code


def test_hook_commgov_permission(town: Town) -> None:
    cg = town.cg
    other_town, other_grid = second_town(town)
    here = town.household(town.grid_a1, {"name": "甲", "identity_number": make_identity()})
    there = town.household(other_grid, {"name": "乙", "identity_number": make_identity(serial=3)})
    trusted = cg.add_plugin(TrustedDepartments())
    assert cg.plugins.session == []  # available, not applied anywhere yet
    county_department = town.worker("411425", role="department_staff")
    assert not cg.residents.get(county_department, here.member_ids[0]).personal_visible
    assert cg.enable_plugins(town.admin, town.town, [trusted]) == [trusted]
    assert cg.residents.get(county_department, here.member_ids[0]).identity_number == (
        make_identity()
    )
    masked = cg.residents.get(county_department, there.member_ids[0])  # the other town: default
    assert masked.identity_number == mask_identity(make_identity(serial=3))
    with pytest.raises(commgov.PermissionDenied):  # the plugin grants nothing else
        cg.residents.add_household(county_department, unit=town.grid_a1, address="x")

    locked = cg.add_plugin(LockedTown())
    cg.enable_plugins(town.admin, other_town, [locked])
    inside, outside = town.worker(other_grid), town.worker(town.grid_b1)
    before = row_counts(cg)
    with pytest.raises(commgov.PermissionDenied, match=f"may not write unit {other_grid}"):
        cg.residents.add_household(inside, unit=other_grid, address="x")
    assert row_counts(cg) == before
    assert len(cg.residents.households_under(inside, other_grid)) == 1  # reads still pass
    cg.residents.add_household(outside, unit=town.grid_b1, address="y")  # the first town


def test_enabling_plugins_needs_the_right_to_manage_the_unit(town: Town) -> None:
    name = town.cg.add_plugin(LockedTown())
    staff = town.worker(town.community_a, role="community_staff")
    assert town.cg.enable_plugins(staff, town.community_a, [name]) == [name]
    with pytest.raises(commgov.PermissionDenied, match="manage_units"):
        town.cg.enable_plugins(staff, town.town, [name])
    with pytest.raises(commgov.PluginError, match="'nope' is not installed"):
        town.cg.enable_plugins(town.admin, town.town, ["nope"])
    assert town.cg.plugins.enabled_on(town.cg.grids.get(town.town).id) == []


def test_enabled_plugins_are_stored_and_required_on_open(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    with commgov.open(path, discover_plugins=False) as cg:
        town = build_town(cg)
        cg.enable_plugins(town.admin, town.community_a, [cg.add_plugin(LockedTown())])
    # another process without the plugin must not run that town on other rules silently
    with pytest.raises(commgov.PluginError, match="'locked' is not installed"):
        commgov.open(path, discover_plugins=False)


class Misspelt:
    commgov_plugin_name = "misspelt"

    @commgov.hookimpl
    def commgov_nonexistent(self) -> None:
        return None


class WrongArguments:
    @commgov.hookimpl
    def commgov_permission(self, actor: object, verb: str) -> bool:
        return True


def test_a_hook_that_does_not_exist_fails_at_load(store: commgov.Commgov) -> None:
    with pytest.raises(commgov.PluginError, match=r"'misspelt'.*commgov_nonexistent"):
        PluginHost(HOOKS, [Misspelt()], discover_installed=False)
    with pytest.raises(commgov.PluginError, match=r"'misspelt'.*commgov_nonexistent"):
        commgov.open("sqlite:///:memory:", plugins=[Misspelt()], discover_plugins=False)
    with pytest.raises(commgov.PluginError, match=r"'misspelt'.*commgov_nonexistent"):
        store.add_plugin(Misspelt())
    assert "misspelt" not in store.plugins.available
    with pytest.raises(
        commgov.PluginError, match=r"(?s)'WrongArguments'.*commgov_permission.*verb"
    ):
        PluginHost(HOOKS, [WrongArguments()], discover_installed=False)


def test_a_plugin_that_raises_leaves_nothing_half_written(town: Town) -> None:
    class Broken:
        commgov_plugin_name = "broken"

        @commgov.hookimpl
        def commgov_permission(
            self, actor: commgov.Actor, action: str, target: commgov.Target, acts_as: str
        ) -> bool:
            raise RuntimeError("plugin bug")

    town.cg.enable_plugins(town.admin, town.grid_a1, [town.cg.add_plugin(Broken())])
    before = town.cg.residents.count_under(town.admin, town.community_b)
    with pytest.raises(RuntimeError, match="plugin bug"):
        person = {"name": "甲", "birth_date": "1990-01-01", "sex": "M"}
        rows = [
            person | {"household": "H", "unit": town.grid_b1},
            person | {"household": "G", "unit": town.grid_a1},
        ]
        town.cg.imports.import_rows(town.admin, rows)
    assert town.cg.residents.count_under(town.admin, town.community_b) == before
