"""The unit tree on SQLite and PostgreSQL: create, query, move, retire."""

from __future__ import annotations

import pytest
from tests.conftest import Town, make_identity, row_counts

import commgov


def codes(units: list[commgov.UnitView]) -> list[str]:
    return [u.code for u in units]


def test_tree_queries(any_town: Town) -> None:
    grids = any_town.cg.grids
    assert codes(grids.roots()) == ["411425"]
    assert codes(grids.children(any_town.community_a)) == [
        any_town.grid_a1,
        any_town.grid_a2,
        any_town.school_a,
    ]
    assert codes(grids.ancestors(any_town.grid_a1)) == ["411425", "411425100", "411425100001"]
    assert grids.ancestors("411425") == []
    assert codes(grids.descendants(any_town.town)) == [
        any_town.community_a,
        any_town.grid_a1,
        any_town.grid_a2,
        any_town.school_a,
        any_town.community_b,
        any_town.grid_b1,
    ]
    assert grids.descendants(any_town.grid_a1) == []
    school = grids.get(any_town.school_a)
    assert (school.kind, school.grid_type, school.covers, school.parent_code, school.depth) == (
        "grid",
        "dedicated",
        "school",
        any_town.community_a,
        3,
    )
    assert grids.get(any_town.grid_a1).grid_type == "comprehensive"
    assert grids.counts(any_town.admin, any_town.town) == {
        "town": 1,
        "community": 2,
        "comprehensive_grid": 3,
        "dedicated_grid": 1,
        "households": 0,
        "residents": 0,
    }
    with pytest.raises(commgov.NotFoundError, match="411425999"):
        grids.get("411425999")


def test_codes_are_assigned_in_their_block(any_town: Town) -> None:
    grids, admin = any_town.cg.grids, any_town.admin
    plain = grids.create(admin, parent=any_town.community_a, name="新网格", kind="grid")
    assert (plain.code, plain.parent_code, plain.depth) == (
        "411425100001003",
        any_town.community_a,
        3,
    )
    market = grids.create(
        admin, parent=any_town.community_a, name="市场", kind="grid",
        grid_type="dedicated", covers="market",
    )  # fmt: skip
    assert market.code == "411425100001902"
    assert grids.create(admin, parent=any_town.town, name="新社区", kind="community").code == (
        "411425100003"
    )


def test_duplicate_and_invalid_units_are_refused(any_town: Town) -> None:
    grids, admin = any_town.cg.grids, any_town.admin
    before = row_counts(any_town.cg)
    with pytest.raises(commgov.ConflictError, match="411425100001001"):
        grids.create(
            admin, parent=any_town.community_a, code=any_town.grid_a1, name="x", kind="grid"
        )
    with pytest.raises(commgov.ConflictError, match="411425"):
        grids.create(admin, code="411425", name="又一个县", kind="county")
    with pytest.raises(commgov.ValidationError) as caught:
        grids.create(admin, parent=any_town.grid_a1, name="x", kind="grid")
    assert (caught.value.field, caught.value.value) == ("parent", any_town.grid_a1)
    with pytest.raises(commgov.ValidationError) as caught:
        grids.create(admin, parent=any_town.community_a, name="x", kind="hamlet")
    assert (caught.value.field, caught.value.value) == ("kind", "hamlet")
    with pytest.raises(commgov.ValidationError) as caught:
        grids.create(
            admin, parent=any_town.community_a, name="x", kind="grid",
            grid_type="dedicated", covers="zoo",
        )  # fmt: skip
    assert (caught.value.field, caught.value.value) == ("covers", "zoo")
    with pytest.raises(commgov.ValidationError) as caught:
        grids.create(admin, parent=any_town.community_a, code="411425100002003", name="x",
                      kind="grid")  # fmt: skip
    assert (caught.value.field, caught.value.value) == ("code", "411425100002003")
    with pytest.raises(commgov.NotFoundError):
        grids.create(admin, parent="411425100009", name="x", kind="grid")
    assert row_counts(any_town.cg) == before


def test_move_a_subtree_re_prefixes_codes_and_keeps_old_ones(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    home = any_town.household(
        any_town.grid_a1, {"name": "王五", "identity_number": make_identity()}
    )
    moved = cg.grids.move(admin, any_town.community_a, new_parent="411425", new_code="411425200")
    assert (moved.code, moved.parent_code, moved.depth, moved.kind) == (
        "411425200",
        "411425",
        1,
        "community",
    )
    assert codes(cg.grids.children("411425200")) == [
        "411425200001",
        "411425200002",
        "411425200901",
    ]
    for old, new in [
        (any_town.community_a, "411425200"),
        (any_town.grid_a1, "411425200001"),
        (any_town.school_a, "411425200901"),
    ]:
        assert cg.grids.get(old).code == new  # the former code still finds the unit
    grid = cg.grids.get("411425200001")
    assert (grid.depth, grid.parent_code) == (2, "411425200")
    assert codes(cg.grids.ancestors("411425200001")) == ["411425", "411425200"]
    assert codes(cg.grids.descendants(any_town.town)) == [any_town.community_b, any_town.grid_b1]
    assert cg.grids.counts(admin, "411425200")["residents"] == 1
    assert cg.grids.counts(admin, any_town.town)["residents"] == 0
    assert cg.residents.household(admin, home.id).unit_code == "411425200001"
    assert cg.residents.add_household(admin, unit=any_town.grid_a1, address="y").unit_code == (
        "411425200001"
    )
    with pytest.raises(commgov.ConflictError):  # a former code is never handed out again
        cg.grids.create(
            admin, parent=any_town.town, code=any_town.community_a, name="x", kind="community"
        )


def test_codes_assigned_after_a_move_skip_former_codes(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    cg.grids.move(admin, any_town.grid_a1, new_parent=any_town.community_b)
    assert cg.grids.get(any_town.grid_a1).code == "411425100002002"
    # 001 under community A was the moved grid's code: the next free one is 003
    again = cg.grids.create(admin, parent=any_town.community_a, name="补建网格", kind="grid")
    assert again.code == "411425100001003"


def test_moved_units_follow_into_their_new_parents_reach(town: Town) -> None:
    staff_b = town.worker(town.community_b, role="community_staff")
    with pytest.raises(commgov.PermissionDenied):
        town.cg.residents.add_household(staff_b, unit=town.grid_a2, address="x")
    town.cg.grids.move(town.admin, town.grid_a2, new_parent=town.community_b)
    home = town.cg.residents.add_household(staff_b, unit=town.grid_a2, address="x")
    assert home.unit_code == "411425100002002"


def test_move_refusals_change_nothing(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    before = row_counts(any_town.cg)
    with pytest.raises(commgov.ValidationError, match="inside") as caught:
        cg.grids.move(admin, any_town.town, new_parent=any_town.community_a)
    assert (caught.value.field, caught.value.value) == ("new_parent", any_town.community_a)
    with pytest.raises(commgov.ValidationError, match="inside"):
        cg.grids.move(admin, any_town.community_a, new_parent=any_town.community_a)
    with pytest.raises(commgov.ValidationError, match="grid cannot have units"):
        cg.grids.move(admin, any_town.grid_a2, new_parent=any_town.grid_a1)
    with pytest.raises(commgov.ValidationError, match="already there"):
        cg.grids.move(admin, any_town.grid_a2, new_parent=any_town.community_a)
    with pytest.raises(commgov.ConflictError):
        cg.grids.move(
            admin, any_town.grid_a2, new_parent=any_town.community_b, new_code=any_town.grid_b1
        )
    with pytest.raises(commgov.ValidationError, match="901-999"):
        cg.grids.move(
            admin, any_town.school_a, new_parent=any_town.community_b, new_code="411425100002005"
        )
    assert row_counts(any_town.cg) == before
    assert codes(cg.grids.ancestors(any_town.grid_a1)) == ["411425", "411425100", "411425100001"]


def test_retire_keeps_history_and_waits_for_households(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    home = any_town.household(
        any_town.grid_b1, {"name": "赵六", "birth_date": "1970-01-01", "sex": "M"}
    )
    with pytest.raises(commgov.StateError, match="1 household"):
        cg.grids.retire(admin, any_town.community_b, reason="merged")
    assert not cg.grids.get(any_town.community_b).retired
    cg.residents.move_household(admin, home.id, unit=any_town.grid_a2)
    assert cg.grids.retire(admin, any_town.community_b, reason="merged into community A") == 2
    assert codes(cg.grids.descendants(any_town.town)) == [
        any_town.community_a,
        any_town.grid_a1,
        any_town.grid_a2,
        any_town.school_a,
    ]
    assert codes(cg.grids.children(any_town.town)) == [any_town.community_a]
    kept = cg.grids.descendants(any_town.town, include_retired=True)
    assert {u.code for u in kept if u.retired} == {any_town.community_b, any_town.grid_b1}
    assert cg.grids.get(any_town.grid_b1).retired  # still there for history
    assert cg.grids.counts(admin, any_town.town)["community"] == 1  # retired units are not counted
    with pytest.raises(commgov.ValidationError, match="retired") as caught:
        cg.residents.add_household(admin, unit=any_town.grid_b1, address="x")
    assert caught.value.value == any_town.grid_b1
    with pytest.raises(commgov.ValidationError, match="retired"):
        cg.grids.create(admin, parent=any_town.community_b, name="x", kind="grid")
    with pytest.raises(commgov.ValidationError, match="reason"):
        cg.grids.retire(admin, any_town.grid_a2, reason="  ")


def test_workers_households_and_residents_under_a_unit(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    any_town.worker(any_town.grid_a1)
    any_town.worker(any_town.community_a, role="community_staff")
    any_town.worker(any_town.grid_b1)
    cg.staff.add(admin, name="两格网格员", role="grid_worker",
                 units=[any_town.grid_a2, any_town.grid_b1])  # fmt: skip
    any_town.household(
        any_town.grid_a1,
        {"name": "孙七", "identity_number": make_identity("19400101", 1),
         "care_groups": "living_alone;disability"},
        {"name": "孙七妻", "identity_number": make_identity("19420101", 2),
         "care_groups": "disability"},
    )  # fmt: skip
    any_town.household(
        any_town.grid_b1, {"name": "周八", "identity_number": make_identity("19900101", 3)}
    )
    workers = cg.staff.workers(admin, any_town.community_a)
    assert sorted((w.role, w.unit_codes) for w in workers) == [
        ("community_staff", (any_town.community_a,)),
        ("grid_worker", (any_town.grid_a1,)),
        ("grid_worker", tuple(sorted([any_town.grid_a2, any_town.grid_b1]))),
    ]
    assert len(cg.staff.workers(admin, any_town.town, role="grid_worker")) == 3  # each once
    assert [w.name for w in cg.staff.workers(admin, any_town.school_a)] == []
    assert len(cg.residents.households_under(admin, any_town.town)) == 2
    assert [h.unit_code for h in cg.residents.households_under(admin, any_town.community_b)] == [
        any_town.grid_b1
    ]
    alone = cg.residents.under(admin, any_town.town, care_group="living_alone")
    assert [r.name for r in alone] == ["孙七"]
    disabled = cg.residents.under(admin, "411425", care_group="disability")
    assert [r.name for r in disabled] == ["孙七", "孙七妻"]
    assert cg.residents.count_under(admin, any_town.town, care_group="disability") == 2
    assert cg.residents.count_under(admin, any_town.community_b, care_group="disability") == 0
    assert cg.residents.count_under(admin, any_town.community_b) == 1
    assert len(cg.residents.under(admin, "411425")) == 3
