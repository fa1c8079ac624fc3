"""Bulk import through the service: validate everything first, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import Town, make_identity, row_counts, with_wrong_check

import commgov
from commgov.kernel.repository import AuditRepository
from commgov.people.model.personal import mask_identity


def row(household: str, unit: str, name: str, number: str, **extra: Any) -> dict[str, Any]:
    return {"household": household, "unit": unit, "address": f"{household} Road", "name": name,
            "identity_number": number, **extra}  # fmt: skip


def good_rows(town: Town) -> list[dict[str, Any]]:
    """Rows 2-5 of a file: a couple (H1), a man with a phone (H2), a child without a number."""
    return [
        row("H1", town.grid_a1, "甲", make_identity("19500101", 1), care_groups="empty_nest"),
        row("H1", town.grid_a1, "乙", make_identity("19520101", 2), care_groups="empty_nest"),
        row("H2", town.grid_b1, "丙", make_identity("19900101", 1), phone="13800000001"),
        row("", town.grid_a2, "丁", "", birth_date="2015-05-05", sex="女"),
    ]


def test_good_rows_form_households(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    report = cg.imports.import_rows(admin, good_rows(any_town), source="people.csv")
    assert (report.households, report.residents, report.rejected, report.rejected_rows) == (
        3,
        4,
        (),
        (),
    )
    (couple,) = cg.residents.households_under(admin, any_town.grid_a1)
    assert couple.address == "H1 Road"
    members = cg.residents.members(admin, couple.id)
    assert [(r.name, r.care_groups) for r in members] == [
        ("甲", ("empty_nest",)),
        ("乙", ("empty_nest",)),
    ]
    found = cg.residents.find_by_identity(admin, make_identity("19900101", 1))
    assert found is not None and (found.unit_code, found.phone) == (any_town.grid_b1, "13800000001")
    (child,) = cg.residents.under(admin, any_town.grid_a2)
    assert (child.sex, child.birth_date.isoformat(), child.identity_number) == (
        "F",
        "2015-05-05",
        None,
    )
    with cg.context.uow(readonly=True) as uow:
        (entry,) = uow.repo(AuditRepository).of("import", "people.csv")
    assert entry.detail == {"households": 3, "residents": 4, "rejected": 0}


def test_one_bad_file_imports_nothing_and_reports_every_bad_row(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    already = make_identity("19880808", 9)
    any_town.household(any_town.grid_a1, {"name": "早已在册", "identity_number": already})
    rows = good_rows(any_town)
    twice = rows[0]["identity_number"]
    bad_check = with_wrong_check(make_identity("19700101", 3))
    feb_30 = make_identity("19700230", 5)  # right check character, no such day
    rows += [
        row("H3", any_town.grid_a1, "戊", bad_check),  # row 6
        row("H4", "411425100009001", "己", make_identity("19710101", 1)),  # row 7
        row("H5", any_town.grid_a1, "庚", "", birth_date="1990-13-01", sex="M"),  # row 8
        row("H6", any_town.grid_a1, "辛", twice),  # row 9
        row("H7", any_town.grid_a1, "壬", already),  # row 10
        row("H8", any_town.grid_a1, "癸", make_identity("19720101", 1), care_groups="aliens"),
        row("H9", any_town.grid_a1, "子", feb_30),  # row 12
        row("H1", any_town.grid_b1, "丑", make_identity("19730101", 1)),  # row 13: H1 is in A1
    ]
    before = row_counts(cg)
    with pytest.raises(commgov.ImportRejected) as caught:
        cg.imports.import_rows(admin, rows, source="people.csv")
    errors = {(e.row, e.column): e for e in caught.value.errors}
    assert sorted(errors) == [
        (6, "identity_number"),
        (7, "unit"),
        (8, "birth_date"),
        (9, "identity_number"),
        (10, "identity_number"),
        (11, "care_groups"),
        (12, "identity_number"),
        (13, "unit"),
    ]
    expected = {
        6: (mask_identity(bad_check), "check character"),
        7: ("411425100009001", "no unit"),
        8: ("1990-13-01", "YYYY-MM-DD"),
        9: (mask_identity(twice), "same as row 2"),
        10: (mask_identity(already), "already in the store"),
        11: ("aliens", "unknown"),
        12: (mask_identity(feb_30), "not a real date"),
        13: (any_town.grid_b1, "household 'H1' is in another unit"),
    }
    for (number, _column), error in errors.items():
        value, reason = expected[number]
        assert error.value == value and reason in error.reason, error
        assert f"row {number}" in str(error)
    assert caught.value.value == "people.csv" and "8 bad row(s)" in str(caught.value)
    assert row_counts(cg) == before  # nothing written, not even an audit entry


def test_skip_invalid_imports_the_good_rows(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    bad = row("H9", any_town.grid_a1, "坏", "123")
    rows = [*good_rows(any_town), bad, row("H2", any_town.grid_b1, "丙妻", "", sex="F")]
    report = cg.imports.import_rows(admin, rows, skip_invalid=True)
    assert (report.households, report.residents) == (3, 4)
    assert [(n, r["name"]) for n, r in report.rejected_rows] == [(6, "坏"), (7, "丙妻")]
    assert [(e.row, e.column) for e in report.rejected] == [
        (6, "identity_number"),
        (7, "birth_date"),
    ]
    assert cg.residents.count_under(admin, "411425") == 4
    assert [r.name for r in cg.residents.under(admin, any_town.grid_b1)] == ["丙"]


def test_a_file_of_only_bad_rows_with_skip_invalid_writes_no_households(town: Town) -> None:
    rows = [row("H1", town.grid_a1, "甲", "x"), row("H1", town.grid_a1, "乙", "y")]
    report = town.cg.imports.import_rows(town.admin, rows, skip_invalid=True)
    assert (report.households, report.residents, len(report.rejected)) == (0, 0, 2)
    assert town.cg.residents.households_under(town.admin, "411425") == []


def test_rows_outside_the_actors_reach_are_rejected(any_town: Town) -> None:
    cg = any_town.cg
    worker = any_town.worker(any_town.grid_a1)
    rows = [
        row("H1", any_town.grid_a1, "甲", make_identity("19500101", 1)),
        row("H2", any_town.grid_b1, "乙", make_identity("19500101", 3)),
    ]
    with pytest.raises(commgov.ImportRejected) as caught:
        cg.imports.import_rows(worker, rows)
    (error,) = caught.value.errors
    assert (error.row, error.column, error.value) == (3, "unit", any_town.grid_b1)
    assert f"{worker.label()} may not write" in error.reason
    assert cg.residents.count_under(any_town.admin, any_town.town) == 0
    report = cg.imports.import_rows(worker, rows, skip_invalid=True)
    assert (report.residents, [n for n, _ in report.rejected_rows]) == (1, [3])
    assert [r.unit_code for r in cg.residents.under(any_town.admin, "411425")] == [any_town.grid_a1]


def test_rows_may_name_a_unit_by_a_former_code(town: Town) -> None:
    town.cg.grids.move(town.admin, town.grid_a2, new_parent=town.community_b)
    report = town.cg.imports.import_rows(
        town.admin, [row("H1", town.grid_a2, "甲", make_identity("19500101", 1))]
    )
    assert report.residents == 1
    assert town.cg.residents.count_under(town.admin, "411425100002002") == 1


def test_retired_units_take_no_rows(town: Town) -> None:
    town.cg.grids.retire(town.admin, town.grid_b1, reason="demolished")
    with pytest.raises(commgov.ImportRejected) as caught:
        town.cg.imports.import_rows(
            town.admin, [row("H1", town.grid_b1, "甲", make_identity("19500101", 1))]
        )
    assert [(e.column, e.reason) for e in caught.value.errors] == [("unit", "unit is retired")]
