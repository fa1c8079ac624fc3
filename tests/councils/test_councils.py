"""Councils: set up by those who manage the unit, members seated by seat, role and term."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import Town, row_counts

import commgov

START, END = dt.date(2025, 1, 1), dt.date(2027, 12, 31)


def resident_of(town: Town, grid: str, name: str) -> commgov.ResidentView:
    home = town.household(grid, {"name": name, "birth_date": "1960-03-01", "sex": "F"})
    (person,) = town.cg.residents.members(town.admin, home.id)
    return person


def test_a_council_seats_residents_staff_and_outsiders_for_a_term(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    council = cg.councils.create(admin, unit=any_town.community_a, name="下洋邻里议事会")
    assert (council.kind, council.kind_label, council.members) == ("council", "议事会", [])
    rep = resident_of(any_town, any_town.grid_a1, "李秀英")
    chair = cg.councils.seat(
        admin, council.id, seat="residents_rep", role="chair", resident_id=rep.id,
        term_start=START, term_end=END,
    )  # fmt: skip
    police = cg.councils.seat(
        admin, council.id, seat="police", name="王警官", represents="城关派出所",
        term_start=START, term_end=END,
    )  # fmt: skip
    twice = cg.councils.seat(
        admin, council.id, seat="owners_committee", resident_id=rep.id,
        term_start=START, term_end=END,
    )  # fmt: skip
    assert (chair.name, chair.voter_key) == ("李秀英", f"resident:{rep.id}")
    assert twice.voter_key == chair.voter_key  # one person, two seats: one voter
    assert police.voter_key == f"member:{police.id}"
    seen = cg.councils.get(admin, council.id)
    assert [m.seat for m in seen.members] == ["residents_rep", "police", "owners_committee"]
    assert cg.councils.get(admin, council.id, on=dt.date(2028, 1, 1)).members == []


def test_a_member_leaves_before_the_term_ends(town: Town) -> None:
    cg, admin = town.cg, town.admin
    council = cg.councils.create(admin, unit=town.community_a, name="议事厅", kind="residents_hall")
    member = cg.councils.seat(
        admin, council.id, seat="area_unit", name="供电所代表", term_start=START, term_end=END
    )
    ended = cg.councils.unseat(admin, member.id, on=dt.date(2026, 3, 1), reason="调离")
    assert ended.ended_on == dt.date(2026, 3, 1)
    assert [m.id for m in cg.councils.get(admin, council.id, on=dt.date(2026, 2, 28)).members] == [
        member.id
    ]
    assert cg.councils.get(admin, council.id, on=dt.date(2026, 3, 1)).members == []
    with pytest.raises(commgov.StateError, match="already ended"):
        cg.councils.unseat(admin, member.id, on=dt.date(2026, 4, 1), reason="again")


def test_one_chair_at_a_time(town: Town) -> None:
    cg, admin = town.cg, town.admin
    council = cg.councils.create(admin, unit=town.community_a, name="议事会")
    first = cg.councils.seat(
        admin, council.id, seat="residents_rep", role="chair", name="甲",
        term_start=START, term_end=END,
    )  # fmt: skip
    before = row_counts(cg)
    with pytest.raises(commgov.ConflictError, match="role='chair'"):
        cg.councils.seat(
            admin, council.id, seat="residents_rep", role="chair", name="乙",
            term_start=dt.date(2026, 1, 1), term_end=END,
        )  # fmt: skip
    assert row_counts(cg) == before
    cg.councils.unseat(admin, first.id, on=dt.date(2026, 1, 1), reason="换届")
    second = cg.councils.seat(
        admin, council.id, seat="residents_rep", role="chair", name="乙",
        term_start=dt.date(2026, 1, 1), term_end=END,
    )  # fmt: skip
    assert second.role == "chair"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"seat": "mayor"}, "seat"),
        ({"role": "boss"}, "role"),
        ({"term_end": dt.date(2024, 1, 1)}, "term_end"),
        ({"term_start": dt.datetime(2025, 1, 1, tzinfo=dt.UTC)}, "term_start"),
        ({"name": None}, "name"),
        ({"resident_id": 1, "staff_id": 1}, "staff_id"),
        ({"resident_id": 0}, "resident_id"),
        ({"name": "x" * 101}, "name"),
    ],
)
def test_bad_membership_input_names_the_field_and_changes_nothing(
    town: Town, fields: dict[str, object], field: str
) -> None:
    cg, admin = town.cg, town.admin
    council = cg.councils.create(admin, unit=town.community_a, name="议事会")
    given: dict[str, object] = {
        "seat": "residents_rep", "name": "某人", "term_start": START, "term_end": END, **fields
    }  # fmt: skip
    before = row_counts(cg)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.councils.seat(admin, council.id, **given)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert row_counts(cg) == before


def test_unknown_people_and_councils_are_not_found(town: Town) -> None:
    cg, admin = town.cg, town.admin
    council = cg.councils.create(admin, unit=town.community_a, name="议事会")
    with pytest.raises(commgov.NotFoundError, match="resident"):
        cg.councils.seat(
            admin, council.id, seat="residents_rep", resident_id=9999,
            term_start=START, term_end=END,
        )  # fmt: skip
    with pytest.raises(commgov.NotFoundError, match="council"):
        cg.councils.get(admin, 9999)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.councils.create(admin, unit=town.community_a, name="议事会", kind="parliament")
    assert caught.value.field == "kind"


def test_only_staff_of_the_unit_manage_and_read_its_councils(town: Town) -> None:
    cg, admin = town.cg, town.admin
    council = cg.councils.create(admin, unit=town.community_a, name="议事会")
    outsider = town.worker(town.grid_b1, role="community_staff")
    worker = town.worker(town.grid_a1)
    with pytest.raises(commgov.PermissionDenied):
        cg.councils.create(outsider, unit=town.community_a, name="别人的议事会")
    with pytest.raises(commgov.PermissionDenied):
        cg.councils.get(outsider, council.id)
    with pytest.raises(commgov.PermissionDenied):  # a grid worker does not manage units
        cg.councils.seat(
            worker, council.id, seat="police", name="x", term_start=START, term_end=END
        )
    home = town.household(town.grid_a1, {"name": "张三", "birth_date": "1970-01-01", "sex": "M"})
    with pytest.raises(commgov.PermissionDenied):
        cg.councils.get(commgov.Actor.resident("张三", home.id), council.id)
    assert [c.id for c in cg.councils.of_unit(admin, town.community_a)] == [council.id]
