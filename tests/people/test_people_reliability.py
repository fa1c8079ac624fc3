"""Hostile input to the people calls (issue 17): look-alike characters, NUL and lone
surrogates, text longer than its column, birth dates out of range, ids of the wrong type, and
reads that must name an actor. Each is a ``ValidationError`` naming the field (or a
``PermissionDenied``), personal values stay masked, and nothing is written."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import pytest
from tests.conftest import NOW, Town, make_identity, row_counts, with_wrong_check

import commgov
from commgov.errors import ValidationError
from commgov.people.model.personal import IdentityNumber, Phone, identity_check_char

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
BAD_CHARACTERS = [pytest.param("\x00", id="nul"), pytest.param("\ud800", id="lone-surrogate")]


def refused(call: Callable[[], object], field: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field, caught.value
    assert field in str(caught.value)
    return caught.value


def assert_masked(error: Exception, clear: str) -> None:
    """Neither the message nor the repr carries the middle of ``clear`` (what a mask hides)."""
    for text in (str(error), repr(error), repr(getattr(error, "value", ""))):
        assert clear[3:14] not in text, text


# -- 1. look-alike characters -------------------------------------------------------------


def test_a_full_width_identity_number_is_folded_to_ascii_and_found(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    number = make_identity("19800101", 5)
    typed = number[0] + number[1:].translate(FULL_WIDTH)  # '4' then '１１４２５…'
    home = cg.residents.add_household(admin, unit=any_town.grid_a1, address="东街1号")
    added = cg.residents.add_resident(admin, household_id=home.id, name="甲", identity_number=typed)
    assert added.identity_number == number
    found = cg.residents.find_by_identity(admin, number)
    assert found is not None and found.id == added.id
    assert cg.residents.find_by_identity(admin, typed) is not None


def test_a_full_width_phone_is_stored_as_digits_and_a_search_finds_it(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    home = cg.residents.add_household(admin, unit=any_town.grid_a1, address="东街2号")
    typed = "１３８－００００－１２３４"
    added = cg.residents.add_resident(
        admin, household_id=home.id, name="乙", birth_date="1990-01-01", sex="F", phone=typed
    )
    assert added.phone == "13800001234"
    assert [r.id for r in cg.residents.find_by_phone(admin, "13800001234")] == [added.id]
    staff = cg.staff.add(
        admin, name="丙", role="grid_worker", units=[any_town.grid_a1], phone=typed
    )
    assert staff.phone == "138****1234"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("full-width-bad-check", id="full-width-bad-check"),
        pytest.param("arabic-indic", id="arabic-indic"),
        pytest.param("nul", id="nul"),
        pytest.param("surrogate", id="surrogate"),
        pytest.param("long", id="long"),
    ],
)
def test_bad_identity_numbers_never_show_in_clear(raw: str) -> None:
    number = make_identity("19800101", 5)
    typed = {
        "full-width-bad-check": with_wrong_check(number)[0]
        + with_wrong_check(number)[1:].translate(FULL_WIDTH),
        "arabic-indic": number[0] + number[1:].translate(ARABIC_INDIC),
        "nul": number[:9] + "\x00" + number[9:],
        "surrogate": number[:9] + "\ud800" + number[10:],
        "long": number * 3,
    }[raw]
    with pytest.raises(ValidationError) as caught:
        IdentityNumber.parse(typed, today=NOW.date())
    assert caught.value.field == "identity_number"
    assert_masked(caught.value, number)
    assert_masked(caught.value, number.translate(ARABIC_INDIC))


def test_the_check_character_of_look_alike_digits_is_a_masked_validation_error() -> None:
    first17 = make_identity("19800101", 5)[:17]
    with pytest.raises(ValidationError) as caught:
        identity_check_char(first17.translate(ARABIC_INDIC))
    assert_masked(caught.value, first17.translate(ARABIC_INDIC))


def test_phones_in_other_scripts_digits_are_refused_masked() -> None:
    typed = "13800001234".translate(ARABIC_INDIC)
    with pytest.raises(ValidationError) as caught:
        Phone.parse(typed)
    assert caught.value.field == "phone"
    assert "0000" not in str(caught.value).translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))


@pytest.mark.parametrize("code", ["４１１４２６", "٤١١٤٢٦", "411426\u0663"])
def test_unit_codes_take_ascii_digits_only(any_town: Town, code: str) -> None:
    cg, admin = any_town.cg, any_town.admin
    before = row_counts(cg)
    refused(lambda: cg.grids.create(admin, code=code, name="县", kind="county"), "code")
    child = any_town.community_a + code[-3:]
    refused(
        lambda: cg.grids.create(admin, parent=any_town.community_a, code=child, name="网格",
                                kind="grid"),
        "code",
    )  # fmt: skip
    refused(lambda: cg.grids.get(code), "code")
    lookalike = any_town.grid_a1.translate(FULL_WIDTH)
    refused(lambda: cg.residents.add_household(admin, unit=lookalike, address="x"), "unit")
    assert row_counts(cg) == before


@pytest.mark.parametrize("code", ["W１", "W٤", "W 1", "水务", ""])
def test_department_codes_take_ascii_only(any_town: Town, code: str) -> None:
    cg = any_town.cg
    before = row_counts(cg)
    refused(
        lambda: cg.staff.add_department(any_town.admin, code=code, name="水务站", kind="fire",
                                        unit=any_town.town),
        "code",
    )  # fmt: skip
    assert row_counts(cg) == before


def _text_calls(town: Town, household_id: int, resident_id: int, bad: str) -> list[Any]:
    """(call, field) for every text field of residents, households, units, staff and
    departments, and for the look-ups that take text."""
    cg, admin = town.cg, town.admin
    person: dict[str, Any] = {"household_id": household_id, "birth_date": "1990-01-01", "sex": "M"}
    return [
        (lambda: cg.residents.add_resident(admin, name=f"张{bad}三", **person), "name"),
        (lambda: cg.residents.add_resident(admin, name="张三", skills=f"木工{bad}", **person),
         "skills"),
        (lambda: cg.residents.add_resident(admin, name="张三", skills=[f"木工{bad}"], **person),
         "skills"),
        (lambda: cg.residents.update_resident(admin, resident_id, name=f"李{bad}"), "name"),
        (lambda: cg.residents.add_household(admin, unit=town.grid_a1, address=f"东{bad}街"),
         "address"),
        (lambda: cg.residents.add_household(admin, unit=town.grid_a1[:-1] + bad, address="东"),
         "unit"),
        (lambda: cg.residents.find_by_identity(admin, f"411425{bad}"), "identity_number"),
        (lambda: cg.residents.find_by_phone(admin, f"138{bad}00001234"), "phone"),
        (lambda: cg.grids.create(admin, parent=town.community_a, name=f"网{bad}格", kind="grid"),
         "name"),
        (lambda: cg.grids.create(admin, parent=town.community_a, code=f"{town.community_a}{bad}",
                                 name="网格", kind="grid"), "code"),
        (lambda: cg.grids.get(f"411425{bad}"), "code"),
        (lambda: cg.grids.retire(admin, town.grid_a2, reason=f"合并{bad}"), "reason"),
        (lambda: cg.staff.add(admin, name=f"王{bad}", role="grid_worker", units=[town.grid_a1]),
         "name"),
        (lambda: cg.staff.add(admin, name="王", role=f"grid_worker{bad}", units=[town.grid_a1]),
         "role"),
        (lambda: cg.staff.add(admin, name="王", role="grid_worker", units=[town.grid_a1],
                              phone=f"138{bad}00001234"), "phone"),
        (lambda: cg.staff.add(admin, name="王", role="grid_worker", units=[town.grid_a1],
                              department=f"T{bad}"), "department"),
        (lambda: cg.staff.workers(admin, town.town, role=f"grid{bad}"), "role"),
        (lambda: cg.staff.add_department(admin, code=f"W{bad}", name="水务", kind="fire",
                                         unit=town.town), "code"),
        (lambda: cg.staff.add_department(admin, code="W1", name=f"水{bad}务", kind="fire",
                                         unit=town.town), "name"),
        (lambda: cg.staff.add_department(admin, code="W1", name="水务", kind=f"fire{bad}",
                                         unit=town.town), "kind"),
    ]  # fmt: skip


@pytest.mark.parametrize("bad", BAD_CHARACTERS)
def test_nul_and_lone_surrogates_are_refused_naming_the_field(any_town: Town, bad: str) -> None:
    cg = any_town.cg
    home = any_town.household(any_town.grid_a1, {"name": "赵一", "birth_date": "1980-01-01",
                                                 "sex": "M"})  # fmt: skip
    before = row_counts(cg)
    for call, field in _text_calls(any_town, home.id, home.member_ids[0], bad):
        refused(call, field)
    assert row_counts(cg) == before
    assert cg.residents.get(any_town.admin, home.member_ids[0]).name == "赵一"


# -- 3. lengths, ranges and types -----------------------------------------------------------


def test_text_longer_than_its_column_is_refused_naming_the_field(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    home = cg.residents.add_household(admin, unit=any_town.grid_a1, address="东街3号")
    person: dict[str, Any] = {"household_id": home.id, "birth_date": "1990-01-01", "sex": "M"}
    before = row_counts(cg)
    refused(lambda: cg.residents.add_resident(admin, name="名" * 65, **person), "name")
    refused(lambda: cg.residents.add_resident(admin, name="甲", skills="技" * 399, **person),
            "skills")  # fmt: skip
    many = [f"skill{i:03d}" for i in range(60)]  # 60 short ones: 481 characters stored
    refused(lambda: cg.residents.add_resident(admin, name="甲", skills=many, **person), "skills")
    refused(lambda: cg.residents.add_household(admin, unit=any_town.grid_a1, address="址" * 201),
            "address")  # fmt: skip
    refused(lambda: cg.grids.create(admin, parent=any_town.community_a, name="网" * 129,
                                    kind="grid"), "name")  # fmt: skip
    refused(lambda: cg.grids.create(admin, parent=any_town.community_a, code="4" * 66, name="网",
                                    kind="grid"), "code")  # fmt: skip
    refused(lambda: cg.grids.retire(admin, any_town.grid_a2, reason="因" * 201), "reason")
    refused(lambda: cg.staff.add(admin, name="员" * 65, role="grid_worker",
                                 units=[any_town.grid_a1]), "name")  # fmt: skip
    refused(lambda: cg.staff.add_department(admin, code="D" * 65, name="部门", kind="fire",
                                            unit=any_town.town), "code")  # fmt: skip
    refused(lambda: cg.staff.add_department(admin, code="D1", name="部" * 129, kind="fire",
                                            unit=any_town.town), "name")  # fmt: skip
    assert row_counts(cg) == before


def test_a_move_that_would_grow_codes_past_their_column_is_refused(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    parent, top = any_town.community_a, ""
    for _ in range(17):  # 12 + 17 * 3 = 63 digits at the bottom
        parent = cg.grids.create(admin, parent=parent, name="院", kind="compound").code
        top = top or parent
    assert len(parent) == 63
    elsewhere = cg.grids.create(admin, parent=any_town.community_b, name="院", kind="compound")
    before = row_counts(cg)
    error = refused(lambda: cg.grids.move(admin, top, new_parent=elsewhere.code), "new_parent")
    assert "64" in error.reason
    assert row_counts(cg) == before
    assert cg.grids.get(parent).code == parent


def test_text_as_long_as_its_column_is_kept_whole(any_town: Town) -> None:
    """The limits checked are the columns' own: the longest value fits on both back ends."""
    cg, admin = any_town.cg, any_town.admin
    home = cg.residents.add_household(admin, unit=any_town.grid_a1, address="址" * 200)
    person = {"birth_date": "1990-01-01", "sex": "M", "skills": "技" * 398}
    added = cg.residents.add_resident(admin, household_id=home.id, name="名" * 64, **person)
    assert (len(added.name), added.skills) == (64, ("技" * 398,))
    assert cg.residents.household(admin, home.id).address == "址" * 200
    unit = cg.grids.create(admin, parent=any_town.community_a, name="网" * 128, kind="grid")
    assert cg.grids.get(unit.code).name == "网" * 128
    department = cg.staff.add_department(admin, code="D" * 64, name="部" * 128, kind="fire",
                                         unit=any_town.town)  # fmt: skip
    assert [d.code for d in cg.staff.departments(admin, any_town.town)] == [department.code]
    assert cg.grids.retire(admin, unit.code, reason="因" * 200) == 1


@pytest.mark.parametrize(
    "born", ["2999-01-01", "1066-10-14", "1899-12-31", (NOW + dt.timedelta(days=1)).date()]
)
def test_a_birth_date_without_an_identity_number_is_bounded(any_town: Town, born: Any) -> None:
    cg, admin = any_town.cg, any_town.admin
    home = cg.residents.add_household(admin, unit=any_town.grid_a1, address="东街4号")
    before = row_counts(cg)
    refused(lambda: cg.residents.add_resident(admin, household_id=home.id, name="甲",
                                              birth_date=born, sex="M"), "birth_date")  # fmt: skip
    assert row_counts(cg) == before
    for edge in ("1900-01-01", NOW.date()):  # the store clock's today, not the machine's
        added = cg.residents.add_resident(admin, household_id=home.id, name="乙",
                                          birth_date=edge, sex="F")  # fmt: skip
        assert added.birth_date.isoformat() == str(edge)


BAD_IDS = [pytest.param("1", id="text"), True, math.inf, 1.5, None]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_ids_of_the_wrong_type_are_refused_naming_the_field(any_town: Town, bad: Any) -> None:
    cg, admin = any_town.cg, any_town.admin
    home = any_town.household(any_town.grid_a1, {"name": "钱一", "birth_date": "1980-01-01",
                                                 "sex": "M"})  # fmt: skip
    assert home.id == home.member_ids[0] == 1  # so a "1" or a True would reach real records
    staff = cg.staff.add(admin, name="孙", role="grid_worker", units=[any_town.grid_a1])
    assert staff.id == 1
    before = row_counts(cg)
    refused(lambda: cg.residents.get(admin, bad), "resident_id")
    refused(lambda: cg.residents.update_resident(admin, bad, name="改"), "resident_id")
    refused(lambda: cg.residents.household(admin, bad), "household_id")
    refused(lambda: cg.residents.members(admin, bad), "household_id")
    refused(lambda: cg.residents.move_household(admin, bad, unit=any_town.grid_a2), "household_id")
    person = {"name": "x", "birth_date": "1990-01-01", "sex": "M"}
    refused(lambda: cg.residents.add_resident(admin, household_id=bad, **person), "household_id")
    refused(lambda: cg.staff.get(admin, bad), "staff_id")
    refused(lambda: cg.staff.actor(bad), "staff_id")
    assert row_counts(cg) == before


def test_other_arguments_of_the_wrong_type_are_validation_errors(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    before = row_counts(cg)
    unit = any_town.grid_a1
    refused(lambda: cg.staff.add(admin, name="王", role=["grid_worker"], units=[unit]), "role")  # type: ignore[arg-type]
    refused(lambda: cg.staff.add(admin, name="王", role="grid_worker", units=unit), "units")  # type: ignore[arg-type]
    refused(lambda: cg.staff.add_department(admin, code="W1", name="水务", kind=["fire"],  # type: ignore[arg-type]
                                            unit=any_town.town), "kind")  # fmt: skip
    refused(lambda: cg.grids.create(admin, parent=any_town.community_a, name="网", kind="grid",
                                    grid_type="dedicated", covers=["school"]), "covers")  # type: ignore[arg-type]  # fmt: skip
    refused(lambda: cg.residents.under(admin, unit, care_group=["hardship"]), "care_group")  # type: ignore[arg-type]
    refused(lambda: cg.residents.under(admin, unit, limit="10"), "limit")  # type: ignore[arg-type]
    refused(lambda: cg.residents.households_under(admin, unit, limit=-1), "limit")
    refused(lambda: cg.grids.retire(admin, any_town.grid_a2, reason=["合并"]), "reason")  # type: ignore[arg-type]
    assert row_counts(cg) == before


# -- 4. reads take an actor -----------------------------------------------------------------


def test_counts_staff_and_departments_are_read_with_the_actors_reach(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    cg.staff.add_department(admin, code="B-fire", name="消防", kind="fire",
                            unit=any_town.community_b)  # fmt: skip
    theirs = cg.staff.add(admin, name="周", role="grid_worker", units=[any_town.grid_b1])
    mine = cg.staff.add(admin, name="吴", role="grid_worker", units=[any_town.grid_a1])
    worker = cg.staff.actor(mine.id)
    before = row_counts(cg)
    for call, what in [
        (lambda: cg.grids.counts(worker, any_town.grid_b1), any_town.grid_b1),
        (lambda: cg.grids.counts(worker, any_town.town), any_town.town),
        (lambda: cg.staff.get(worker, theirs.id), f"staff member {theirs.id}"),
        (lambda: cg.staff.departments(worker, any_town.community_b), any_town.community_b),
    ]:
        with pytest.raises(commgov.PermissionDenied) as caught:
            call()
        assert (caught.value.actor, caught.value.action) == (worker.label(), "read")
        assert what in str(caught.value)
    resident = commgov.Actor.resident("居民", household_id=1)
    with pytest.raises(commgov.PermissionDenied):
        cg.staff.get(resident, mine.id)
    with pytest.raises(commgov.PermissionDenied):
        cg.grids.counts(resident, any_town.grid_a1)
    assert row_counts(cg) == before
    assert cg.grids.counts(worker, any_town.grid_a1)["comprehensive_grid"] == 1
    assert cg.staff.get(worker, mine.id).name == "吴"  # their own record: their own grid
    assert cg.staff.get(admin, theirs.id).name == "周"
    assert cg.staff.departments(worker, any_town.grid_a1) == []
    assert [d.code for d in cg.staff.departments(admin, any_town.town)] == ["B-fire"]
