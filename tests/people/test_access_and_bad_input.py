"""Permission denials and bad input: a clear error, and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.conftest import Town, make_identity, row_counts

import commgov
from commgov.kernel.repository import AuditRepository


def denied(call: Callable[[], object]) -> commgov.PermissionDenied:
    with pytest.raises(commgov.PermissionDenied) as caught:
        call()
    return caught.value


def assert_names(
    error: commgov.PermissionDenied, actor: commgov.Actor, action: str, what: str
) -> None:
    """The message says who, what action and on what."""
    message = str(error)
    assert (error.actor, error.action) == (actor.label(), action)
    assert actor.label() in message and f"may not {action}" in message and what in message


def test_grid_worker_outside_their_grid(any_town: Town) -> None:
    cg = any_town.cg
    home = any_town.household(
        any_town.grid_b1, {"name": "钱九", "identity_number": make_identity()}
    )
    (resident_id,) = home.member_ids
    worker = any_town.worker(any_town.grid_a1)
    before = row_counts(cg)
    error = denied(lambda: cg.residents.add_household(worker, unit=any_town.grid_b1, address="x"))
    assert_names(error, worker, "write", any_town.grid_b1)
    error = denied(lambda: cg.residents.add_resident(worker, household_id=home.id, name="x",
                                                     birth_date="1990-01-01", sex="M"))  # fmt: skip
    assert_names(error, worker, "write", f"household {home.id}")
    error = denied(lambda: cg.residents.update_resident(worker, resident_id, name="改名"))
    assert_names(error, worker, "write", any_town.grid_b1)
    error = denied(lambda: cg.residents.members(worker, home.id))
    assert_names(error, worker, "read", f"household {home.id} in unit {any_town.grid_b1}")
    error = denied(lambda: cg.residents.get(worker, resident_id))
    assert_names(error, worker, "read", any_town.grid_b1)
    error = denied(lambda: cg.residents.under(worker, any_town.community_a))  # above their grid
    assert_names(error, worker, "read", any_town.community_a)
    error = denied(lambda: cg.residents.move_household(worker, home.id, unit=any_town.grid_a1))
    assert_names(error, worker, "write", any_town.grid_b1)
    error = denied(lambda: cg.grids.create(worker, parent=any_town.community_a, name="x",
                                           kind="grid"))  # fmt: skip
    assert_names(error, worker, "manage_units", any_town.community_a)
    error = denied(lambda: cg.staff.add(worker, name="x", role="grid_worker",
                                        units=[any_town.grid_a1]))  # fmt: skip
    assert_names(error, worker, "manage_staff", any_town.grid_a1)
    assert row_counts(cg) == before  # the audit log included
    assert cg.residents.get(any_town.admin, resident_id).name == "钱九"


def test_grid_worker_inside_their_grid(any_town: Town) -> None:
    cg = any_town.cg
    worker = any_town.worker(any_town.grid_a1)
    home = cg.residents.add_household(worker, unit=any_town.grid_a1, address="东街2号")
    added = cg.residents.add_resident(worker, household_id=home.id, name="孙一",
                                      identity_number=make_identity("19800101", 9))  # fmt: skip
    assert added.personal_visible
    assert [r.id for r in cg.residents.under(worker, any_town.grid_a1)] == [added.id]
    with cg.context.uow(readonly=True) as uow:
        entries = uow.repo(AuditRepository).of("household", home.id) + uow.repo(AuditRepository).of(
            "resident", added.id
        )
    assert [(e.actor, e.action) for e in entries] == [
        (worker.label(), "household.create"),
        (worker.label(), "resident.create"),
    ]


def test_community_staff_reach_their_community_only(any_town: Town) -> None:
    cg = any_town.cg
    staff = any_town.worker(any_town.community_a, role="community_staff")
    assert cg.grids.create(staff, parent=any_town.community_a, name="新网格", kind="grid").code
    cg.residents.add_household(staff, unit=any_town.grid_a2, address="南街3号")
    before = row_counts(cg)
    error = denied(lambda: cg.grids.create(staff, parent=any_town.community_b, name="x",
                                           kind="grid"))  # fmt: skip
    assert_names(error, staff, "manage_units", any_town.community_b)
    error = denied(lambda: cg.residents.add_household(staff, unit=any_town.grid_b1, address="x"))
    assert_names(error, staff, "write", any_town.grid_b1)
    error = denied(lambda: cg.residents.households_under(staff, any_town.town))
    assert_names(error, staff, "read", any_town.town)
    error = denied(lambda: cg.staff.workers(staff, any_town.community_b))
    assert_names(error, staff, "read", any_town.community_b)
    error = denied(lambda: cg.grids.move(staff, any_town.grid_a2, new_parent=any_town.community_b))
    assert_names(error, staff, "manage_units", any_town.community_b)
    assert row_counts(cg) == before


def test_residents_see_their_own_household_only(town: Town) -> None:
    cg = town.cg
    mine = town.household(
        town.grid_a1, {"name": "吴一", "identity_number": make_identity("19800101", 1)}
    )
    theirs = town.household(
        town.grid_a1, {"name": "郑二", "identity_number": make_identity("19800101", 3)}
    )
    me = commgov.Actor.resident("吴一", household_id=mine.id)
    (own,) = cg.residents.members(me, mine.id)
    assert (own.name, own.identity_number) == ("吴一", make_identity("19800101", 1))
    before = row_counts(cg)
    error = denied(lambda: cg.residents.members(me, theirs.id))
    assert_names(error, me, "read", f"household {theirs.id}")
    error = denied(lambda: cg.residents.get(me, theirs.member_ids[0]))
    assert_names(error, me, "read", f"household {theirs.id}")
    error = denied(lambda: cg.residents.update_resident(me, theirs.member_ids[0], name="x"))
    assert_names(error, me, "write", f"household {theirs.id}")
    error = denied(lambda: cg.residents.under(me, town.grid_a1))
    assert_names(error, me, "read", town.grid_a1)
    error = denied(lambda: cg.residents.move_household(me, mine.id, unit=town.grid_a2))
    assert_names(error, me, "write", town.grid_a2)
    assert row_counts(cg) == before


def test_department_staff_read_masked_and_write_nothing(town: Town) -> None:
    cg = town.cg
    home = town.household(
        town.grid_a1, {"name": "冯三", "identity_number": make_identity("19800101", 5)}
    )
    department = town.worker(town.town, role="department_staff")
    view = cg.residents.get(department, home.member_ids[0])
    assert not view.personal_visible and view.identity_number is not None
    assert view.identity_number.startswith("411***")
    before = row_counts(cg)
    error = denied(lambda: cg.residents.add_household(department, unit=town.grid_a1, address="x"))
    assert_names(error, department, "write", town.grid_a1)
    error = denied(lambda: cg.residents.update_resident(department, view.id, skills="electrician"))
    assert_names(error, department, "write", f"household {home.id}")
    assert row_counts(cg) == before


def test_unknown_role_is_denied(town: Town) -> None:
    stranger = commgov.Actor(role="wizard", name="merlin", units={1})
    before = row_counts(town.cg)
    error = denied(lambda: town.cg.residents.add_household(stranger, unit=town.grid_a1,
                                                           address="x"))  # fmt: skip
    assert_names(error, stranger, "write", town.grid_a1)
    assert "unknown role" in str(error)
    error = denied(lambda: town.cg.residents.under(stranger, "411425"))
    assert "unknown role" in str(error)
    with pytest.raises(commgov.ValidationError) as caught:
        town.cg.staff.add(town.admin, name="x", role="wizard", units=[town.grid_a1])
    assert (caught.value.field, caught.value.value) == ("role", "wizard")
    for role in ("system", "resident"):  # not roles a staff member can hold
        with pytest.raises(commgov.ValidationError):
            town.cg.staff.add(town.admin, name="x", role=role, units=[town.grid_a1])
    assert row_counts(town.cg) == before


@pytest.mark.parametrize(
    ("fields", "field", "value"),
    [
        ({"identity_number": "411425198001011230"}, "identity_number", "411***********1230"),
        ({"identity_number": "41142519800230123X"}, "identity_number", "411***********123X"),
        ({"care_groups": "pirates"}, "care_groups", "pirates"),
        ({"care_groups": ["living_alone", "pirates"]}, "care_groups", "pirates"),
        ({"tags": "vip"}, "tags", "vip"),
        ({"phone": "12345"}, "phone", "*****"),
        ({"is_volunteer": "maybe"}, "is_volunteer", "maybe"),
        ({"sex": "M"}, "sex", "M"),  # the number says F
        ({"birth_date": "1980-01-02"}, "birth_date", "1980-01-02"),  # the number says 01-01
        ({"identity_number": None, "birth_date": "1990-02-30", "sex": "M"}, "birth_date",
         "1990-02-30"),
        ({"identity_number": None, "sex": "M"}, "birth_date", None),  # required without a number
        ({"identity_number": None, "birth_date": "1990-01-01", "sex": "X"}, "sex", "X"),
        ({"name": "  "}, "name", "  "),
    ],
)  # fmt: skip
def test_bad_resident_fields_name_field_and_value_and_write_nothing(
    any_town: Town, fields: dict[str, Any], field: str, value: object
) -> None:
    home = any_town.cg.residents.add_household(any_town.admin, unit=any_town.grid_a1, address="x")
    before = row_counts(any_town.cg)
    good: dict[str, Any] = {"name": "冯三", "identity_number": make_identity("19800101", 6)}
    with pytest.raises(commgov.ValidationError) as caught:
        any_town.cg.residents.add_resident(any_town.admin, household_id=home.id, **(good | fields))
    assert (caught.value.field, caught.value.value) == (field, value)
    assert field in str(caught.value)
    assert row_counts(any_town.cg) == before


@pytest.mark.parametrize(
    "fields",
    [{"nickname": "x"}, {"unit_code": "411425100002001"}, {"id": 99}],  # not settable
)
def test_unknown_resident_fields_are_refused_by_name_and_write_nothing(
    any_town: Town, fields: dict[str, Any]
) -> None:
    """The typed call refuses a field it does not take before anything is read or written."""
    home = any_town.cg.residents.add_household(any_town.admin, unit=any_town.grid_a1, address="x")
    before = row_counts(any_town.cg)
    good: dict[str, Any] = {"name": "冯三", "identity_number": make_identity("19800101", 6)}
    (field,) = fields
    with pytest.raises(TypeError, match=field):
        any_town.cg.residents.add_resident(any_town.admin, household_id=home.id, **(good | fields))
    with pytest.raises(TypeError, match=field):
        any_town.cg.residents.update_resident(any_town.admin, 1, **fields)
    assert row_counts(any_town.cg) == before


def test_unknown_household_or_unit_is_not_found(town: Town) -> None:
    before = row_counts(town.cg)
    with pytest.raises(commgov.NotFoundError, match="household"):
        town.cg.residents.add_resident(town.admin, household_id=999, name="x",
                                       birth_date="1990-01-01", sex="M")  # fmt: skip
    with pytest.raises(commgov.NotFoundError, match="411425100001099"):
        town.cg.residents.add_household(town.admin, unit="411425100001099", address="x")
    with pytest.raises(commgov.ValidationError) as caught:
        town.cg.residents.add_household(town.admin, unit=town.grid_a1, address=" ")
    assert caught.value.field == "address"
    assert row_counts(town.cg) == before


def test_duplicate_identity_is_a_conflict(any_town: Town) -> None:
    number = make_identity("19750505", 7)
    any_town.household(any_town.grid_a1, {"name": "陈四", "identity_number": number})
    home = any_town.cg.residents.add_household(any_town.admin, unit=any_town.grid_b1, address="y")
    other = any_town.household(
        any_town.grid_b1, {"name": "陈五", "identity_number": make_identity("19750505", 9)}
    )
    before = row_counts(any_town.cg)
    with pytest.raises(commgov.ConflictError, match=r"411\*+"):
        any_town.cg.residents.add_resident(
            any_town.admin, household_id=home.id, name="陈四", identity_number=number.lower()
        )
    with pytest.raises(commgov.ConflictError):  # taking another resident's number on update
        any_town.cg.residents.update_resident(
            any_town.admin, other.member_ids[0], identity_number=number
        )
    assert row_counts(any_town.cg) == before


def test_update_resident_keeps_other_fields_and_rederives_from_identity(town: Town) -> None:
    home = town.household(
        town.grid_a1,
        {"name": "褚五", "identity_number": make_identity("19800101", 1), "phone": "13800001111",
         "skills": "electrician"},
    )  # fmt: skip
    (resident_id,) = home.member_ids
    changed = town.cg.residents.update_resident(
        town.admin,
        resident_id,
        identity_number=make_identity("19620715", 2),
        care_groups=["hardship"],
    )
    assert (changed.birth_date.isoformat(), changed.sex) == ("1962-07-15", "F")
    assert (changed.name, changed.care_groups) == ("褚五", ("hardship",))
    assert (changed.phone, changed.skills) == ("13800001111", ("electrician",))
    assert town.cg.residents.find_by_identity(town.admin, make_identity("19800101", 1)) is None
    before = row_counts(town.cg)
    with pytest.raises(commgov.ValidationError) as caught:
        town.cg.residents.update_resident(town.admin, resident_id, sex="M")  # number says F
    assert caught.value.field == "sex"
    with pytest.raises(TypeError, match="household_id"):  # moving households is not an edit
        town.cg.residents.update_resident(town.admin, resident_id, household_id=2)  # type: ignore[call-arg]
    assert town.cg.residents.get(town.admin, resident_id).sex == "F"
    assert row_counts(town.cg) == before


def test_care_group_filters_take_known_names_only(town: Town) -> None:
    town.household(
        town.grid_a1,
        {"name": "甲", "birth_date": "1940-01-01", "sex": "M", "care_groups": "empty_nest"},
        {"name": "乙", "birth_date": "1941-01-01", "sex": "F", "care_groups": "hardship"},
    )
    assert [r.name for r in town.cg.residents.under(town.admin, town.town,
                                                    care_group="empty_nest")] == ["甲"]  # fmt: skip
    for wildcard in ("%", "empty%", "empty_nes_", "lonely"):
        with pytest.raises(commgov.ValidationError) as caught:
            town.cg.residents.count_under(town.admin, town.town, care_group=wildcard)
        assert (caught.value.field, caught.value.value) == ("care_group", wildcard)


def test_staff_with_the_same_unit_twice_are_added_once(town: Town) -> None:
    view = town.cg.staff.add(
        town.admin, name="周网格", role="grid_worker", units=[town.grid_a1, town.grid_a1]
    )
    assert view.unit_codes == (town.grid_a1,)
    assert town.cg.staff.actor(view.id).units == frozenset({town.cg.grids.get(town.grid_a1).id})


def test_every_write_is_audited_with_its_actor(town: Town) -> None:
    worker = town.worker(town.grid_a1)
    home = town.cg.residents.add_household(worker, unit=town.grid_a1, address="x")
    town.cg.residents.move_household(town.admin, home.id, unit=town.grid_a2)
    with town.cg.context.uow(readonly=True) as uow:
        entries = uow.repo(AuditRepository).of("household", home.id)
    assert [(e.actor, e.action) for e in entries] == [
        (worker.label(), "household.create"),
        (town.admin.label(), "household.move"),
    ]
    assert entries[1].detail == {"from": town.grid_a1, "to": town.grid_a2}
