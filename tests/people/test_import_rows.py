"""Bulk import through the service: validate everything first, all or nothing."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import Town, make_identity, row_counts, with_wrong_check

import commgov
from commgov.kernel.repository import AuditRepository
from commgov.people.model.personal import mask_identity
from commgov.people.service.importing import IMPORT_COLUMNS


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
    rows = [*good_rows(any_town), bad, row("", any_town.grid_b1, "戊", "", sex="F")]
    report = cg.imports.import_rows(admin, rows, skip_invalid=True)
    assert (report.households, report.residents, report.households_rejected) == (3, 4, 2)
    assert [(n, r["name"]) for n, r in report.rejected_rows] == [(6, "坏"), (7, "戊")]
    assert [(e.row, e.column) for e in report.rejected] == [
        (6, "identity_number"),
        (7, "birth_date"),
    ]
    assert cg.residents.count_under(admin, "411425") == 4
    assert [r.name for r in cg.residents.under(admin, any_town.grid_b1)] == ["丙"]


def test_skip_invalid_keeps_households_whole(any_town: Town) -> None:
    """One refused member refuses the whole household, each row naming the refused one:
    a household is never imported in part (row 5 is refused, so rows 4 and 6 go too)."""
    cg, admin = any_town.cg, any_town.admin
    rows = [
        *good_rows(any_town),  # rows 2-5; H2 is row 4
        row("H2", any_town.grid_b1, "丙妻", "", sex="F"),  # row 6: no birth date
        row("H2", any_town.grid_b1, "丙子", make_identity("20100101", 3)),  # row 7
        row("H3", any_town.grid_a2, "寅", make_identity("19600101", 5)),  # row 8
    ]
    before = row_counts(cg)
    report = cg.imports.import_rows(admin, rows, skip_invalid=True)
    assert (report.households, report.residents, report.households_rejected) == (3, 4, 1)
    assert [n for n, _ in report.rejected_rows] == [4, 6, 7]
    errors = {e.row: e for e in report.rejected}
    assert errors[6].column == "birth_date"
    for number in (4, 7):
        assert (errors[number].column, errors[number].value) == ("household", "H2")
        assert "row 6" in errors[number].reason and "birth_date" in errors[number].reason
    assert cg.residents.under(admin, any_town.grid_b1) == []
    assert row_counts(cg)["households"] == before["households"] + 3


def test_a_household_split_across_units_is_refused_whole(town: Town) -> None:
    rows = [
        row("H1", town.grid_a1, "甲", make_identity("19500101", 1)),
        row("H1", town.grid_b1, "乙", make_identity("19520101", 2)),
    ]
    report = town.cg.imports.import_rows(town.admin, rows, skip_invalid=True)
    assert (report.residents, report.households_rejected) == (0, 1)
    assert [(e.row, e.column) for e in report.rejected] == [(2, "household"), (3, "unit")]
    assert "row 3" in report.rejected[0].reason


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


# -- Chinese labels -------------------------------------------------------------------------


def test_care_groups_and_tags_take_the_vocabularys_chinese_labels(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    rows = [
        row("H1", any_town.grid_a1, "甲", make_identity("19400101", 1),
            care_groups="独居老人；残疾人", tags="流动人口、building head", is_volunteer="是"),
        row("H2", any_town.grid_a1, "乙", "", birth_date="1950-01-01", sex="女性",
            care_groups="空巢老人, living_alone", is_party_member="否"),
    ]  # fmt: skip
    assert cg.imports.import_rows(admin, rows).residents == 2
    first, second = cg.residents.under(admin, any_town.grid_a1)
    assert (first.care_groups, first.tags, first.is_volunteer) == (
        ("living_alone", "disability"), ("floating", "building_head"), True,
    )  # fmt: skip
    assert (second.care_groups, second.sex, second.is_party_member) == (
        ("empty_nest", "living_alone"), "F", False,
    )  # fmt: skip


def test_add_resident_takes_chinese_labels_too(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    home = cg.residents.add_household(admin, unit=any_town.grid_a1, address="东街1号")
    person = cg.residents.add_resident(
        admin, household_id=home.id, name="甲", birth_date="1940-01-01", sex="男",
        care_groups=["独居老人", "困难群众"], tags="楼栋长",
    )  # fmt: skip
    assert (person.care_groups, person.tags, person.sex) == (
        ("living_alone", "hardship"), ("building_head",), "M",
    )  # fmt: skip
    by_label = cg.residents.under(admin, any_town.town, care_group="独居老人")
    assert [r.id for r in by_label] == [person.id]
    assert cg.residents.count_under(admin, any_town.town, care_group="困难群众") == 1
    with pytest.raises(commgov.ValidationError) as unknown:
        cg.residents.count_under(admin, any_town.town, care_group="独居")
    assert (unknown.value.field, unknown.value.value) == ("care_group", "独居")


def test_an_unknown_label_is_refused_listing_the_known_ones_in_chinese(town: Town) -> None:
    rows = [row("H1", town.grid_a1, "甲", make_identity("19400101", 1), care_groups="独居")]
    with pytest.raises(commgov.ImportRejected) as caught:
        town.cg.imports.import_rows(town.admin, rows)
    (error,) = caught.value.errors
    assert (error.column, error.value) == ("care_groups", "独居")
    assert "living_alone (独居老人)" in error.reason


def test_a_label_two_plugins_give_to_different_codes_stands_for_neither() -> None:
    from commgov.people.model.labels import label_aliases, resolve_label

    labels = {"a": "老人 elder", "b": "老人 old person", "c": "儿童 child"}
    aliases = label_aliases(labels)
    assert resolve_label("老人", labels, aliases) == "老人"  # ambiguous: left to be refused
    assert resolve_label("儿童", labels, aliases) == "c"
    assert resolve_label("Old  Person", labels, aliases) == "b"
    assert resolve_label("a", labels, aliases) == "a"


# -- files ----------------------------------------------------------------------------------


def write_people(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(IMPORT_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_file_reads_a_file_and_reports_how(any_town: Town, tmp_path: Path) -> None:
    source = write_people(tmp_path / "people.csv", good_rows(any_town))
    seen: list[tuple[str, int, int]] = []
    report = any_town.cg.imports.import_file(
        any_town.admin, source, progress=lambda *step: seen.append(step)
    )
    assert (report.households, report.residents, report.encoding) == (3, 4, "UTF-8")
    assert report.rejected_file is None and ("write", 4, 4) in seen
    with any_town.cg.context.uow(readonly=True) as uow:
        (entry,) = uow.repo(AuditRepository).of("import", "people.csv")
    assert entry.detail["residents"] == 4


def test_import_file_of_an_xlsx_with_chinese_headings(town: Town, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["户号", "所属网格", "现住址", "*姓名", "身份证号码", "手机", "重点人群类别"])
    sheet.append(["H1", town.grid_a1, "东街1号", "甲", make_identity("19400101", 1),
                  "13800000001", "独居老人"])  # fmt: skip
    book.save(tmp_path / "people.xlsx")
    report = town.cg.imports.import_file(town.admin, tmp_path / "people.xlsx")
    assert (report.residents, report.encoding) == (1, None)
    (person,) = town.cg.residents.under(town.admin, town.grid_a1)
    assert (person.care_groups, person.phone) == (("living_alone",), "13800000001")


def test_a_rejects_file_is_never_overwritten(town: Town, tmp_path: Path) -> None:
    rows = [*good_rows(town), row("H9", town.grid_a1, "坏", "123")]
    source = write_people(tmp_path / "people.csv", rows)
    target = tmp_path / "people.rejected.csv"
    first = town.cg.imports.import_file(town.admin, source, skip_invalid=True, rejected_to=target)
    assert first.rejected_file == target
    kept = target.read_bytes()
    again = [*[row(f"K{i}", town.grid_a2, f"新{i}", "") for i in range(2)]]
    second = town.cg.imports.import_file(
        town.admin, write_people(source, again), skip_invalid=True, rejected_to=target
    )
    assert second.rejected_file == tmp_path / "people.rejected-2.csv"
    assert target.read_bytes() == kept
    third = town.cg.imports.import_file(town.admin, source, skip_invalid=True, rejected_to=target)
    assert third.rejected_file == tmp_path / "people.rejected-3.csv"
    with second.rejected_file.open(encoding="utf-8-sig", newline="") as fh:
        assert [r["row"] for r in csv.DictReader(fh)] == ["2", "3"]


def test_a_rejects_file_that_cannot_be_written_leaves_nothing_imported(
    town: Town, tmp_path: Path
) -> None:
    rows = [*good_rows(town), row("H9", town.grid_a1, "坏", "123")]
    source = write_people(tmp_path / "people.csv", rows)
    before = row_counts(town.cg)
    with pytest.raises(commgov.ValidationError) as caught:
        town.cg.imports.import_file(
            town.admin, source, skip_invalid=True, rejected_to=tmp_path / "no" / "r.csv"
        )
    assert caught.value.field == "rejected_to" and "nothing was imported" in caught.value.reason
    assert row_counts(town.cg) == before


def test_a_fixed_rejects_file_imports_as_it_is(town: Town, tmp_path: Path) -> None:
    rows = [*good_rows(town), row("H9", town.grid_a1, "戊", "", birth_date="1990-02-30", sex="M")]
    source = write_people(tmp_path / "people.csv", rows)
    report = town.cg.imports.import_file(
        town.admin, source, skip_invalid=True, rejected_to=tmp_path / "people.rejected.csv"
    )
    assert report.rejected_file is not None and report.residents == 4
    fixed = report.rejected_file.read_text(encoding="utf-8-sig").replace("1990-02-30", "1990-02-28")
    report.rejected_file.write_text(fixed, encoding="utf-8-sig")
    again = town.cg.imports.import_file(town.admin, report.rejected_file)
    assert (again.residents, again.encoding) == (1, "UTF-8 (BOM)")
    assert town.cg.residents.count_under(town.admin, town.grid_a1) == 3


_examples = itertools.count()


@pytest.mark.property
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    members=st.lists(st.tuples(st.integers(0, 4), st.booleans()), min_size=1, max_size=12),
)
def test_skip_invalid_never_splits_a_household(town: Town, members: list[tuple[int, bool]]) -> None:
    """Rows spread over up to five households, any of them bad: each household is imported
    whole or refused whole, and the report counts what it did."""
    example = next(_examples)
    rows = [
        row(f"E{example}H{house}", town.grid_a1, f"人{i}", "", sex="M",
            birth_date="1990-13-01" if bad else "1990-01-01")
        for i, (house, bad) in enumerate(members)
    ]  # fmt: skip
    report = town.cg.imports.import_rows(town.admin, rows, skip_invalid=True)
    refused = {n - 2 for n, _ in report.rejected_rows}
    bad_houses = {house for house, bad in members if bad}
    for i, (house, _bad) in enumerate(members):
        assert (i in refused) == (house in bad_houses)
    assert report.residents == len(members) - len(refused)
    assert report.households == len({h for h, _ in members} - bad_houses)
    assert report.households_rejected == len(bad_houses)
