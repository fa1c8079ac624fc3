"""Imports that build a town: the unit tree, departments and staff, through the services that
check them, all or nothing, with the same row-error report as residents."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import Town, row_counts

import commgov
from commgov.kernel.repository import AuditRepository

ADMIN = commgov.Actor.system("clerk")


def unit(code: str, name: str, kind: str, parent: str = "", **extra: str) -> dict[str, Any]:
    return {"code": code, "name": name, "kind": kind, "parent": parent, **extra}


def tree_rows() -> list[dict[str, Any]]:
    """A county, town, community, two grids and a dedicated school grid; children first."""
    return [
        unit("411425100001001", "东关一网格", "网格", "411425100001"),  # row 2
        unit("411425100001901", "一中", "grid", "411425100001", grid_type="专属网格",
             covers="学校"),  # row 3
        unit("411425100001", "东关社区", "社区", "411425100"),  # row 4
        unit("411425100", "城关镇", "镇", "411425"),  # row 5
        unit("411425", "虞城县", "county"),  # row 6
        unit("411425100001002", "东关二网格", "grid", "411425100001"),  # row 7
    ]  # fmt: skip


def write(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(rows)
    return path


# -- units ----------------------------------------------------------------------------------


def test_a_tree_imports_in_any_order_with_chinese_labels(any_store: commgov.Commgov) -> None:
    cg = any_store
    seen: list[tuple[str, int, int]] = []
    report = cg.imports.import_units(
        ADMIN, tree_rows(), source="units.csv", progress=lambda *step: seen.append(step)
    )
    assert (report.kind, report.units, report.rejected) == ("units", 6, ())
    assert report.summary() == "imported 6 units"
    counts = cg.grids.counts(ADMIN, "411425")
    assert {k: counts[k] for k in ("county", "town", "community")} == dict.fromkeys(
        ("county", "town", "community"), 1
    )
    assert (counts["comprehensive_grid"], counts["dedicated_grid"]) == (2, 1)
    school = cg.grids.get("411425100001901")
    assert (school.kind, school.grid_type, school.covers, school.parent_code) == (
        "grid", "dedicated", "school", "411425100001",
    )  # fmt: skip
    assert seen[-1] == ("import", 6, 6)
    with cg.context.uow(readonly=True) as uow:
        (entry,) = uow.repo(AuditRepository).of("import", "units.csv")
    assert entry.detail == {"kind": "units", "units": 6, "rejected": 0}


def test_units_may_hang_under_units_already_in_the_store(any_town: Town) -> None:
    rows = [
        unit("411425100002002", "西关二网格", "grid", any_town.community_b),
        unit("411425100003", "南关社区", "community", any_town.town),
        unit("411425100003001", "南关一网格", "grid", "411425100003"),
    ]
    report = any_town.cg.imports.import_units(any_town.admin, rows)
    assert report.units == 3
    assert [u.code for u in any_town.cg.grids.children("411425100003")] == ["411425100003001"]


def test_a_bad_unit_row_imports_nothing_and_names_row_and_column(
    any_store: commgov.Commgov,
) -> None:
    rows = tree_rows()
    rows[0]["code"] = "411425100002001"  # row 2: not under its parent 411425100001
    rows[5]["kind"] = "洲"  # row 7: no such kind
    rows.append(unit("411425100001003", "", "grid", "411425100001"))  # row 8: no name
    rows.append(unit("411425100009001", "孤网格", "grid", "411425100009"))  # row 9: no parent
    before = row_counts(any_store)
    with pytest.raises(commgov.ImportRejected) as caught:
        any_store.imports.import_units(ADMIN, rows, source="units.csv")
    assert [(e.row, e.column) for e in caught.value.errors] == [
        (2, "code"), (7, "kind"), (8, "name"), (9, "parent"),
    ]  # fmt: skip
    assert "parent's code 411425100001" in caught.value.errors[0].reason
    assert "no unit with this code" in caught.value.errors[3].reason
    assert row_counts(any_store) == before


def test_skip_invalid_refuses_the_children_of_a_refused_unit(any_store: commgov.Commgov) -> None:
    rows = tree_rows()
    rows[2]["kind"] = "社"  # row 4, the community: its three grids cannot hang anywhere
    report = any_store.imports.import_units(ADMIN, rows, skip_invalid=True)
    assert report.units == 2
    assert [(e.row, e.column) for e in report.rejected] == [
        (2, "parent"), (3, "parent"), (4, "kind"), (7, "parent"),
    ]  # fmt: skip
    assert all("row 4" in e.reason for e in report.rejected if e.column == "parent")
    assert [n for n, _ in report.rejected_rows] == [2, 3, 4, 7]
    assert [u.code for u in any_store.grids.roots()] == ["411425"]
    assert any_store.grids.children("411425100") == []


def test_a_loop_of_parents_and_a_code_given_twice_are_refused(store: commgov.Commgov) -> None:
    rows = [
        unit("411425", "县", "county"),
        unit("411425100", "镇", "town", "411425100001"),  # row 3 ↔ row 4
        unit("411425100001", "社区", "community", "411425100"),
        unit("411425", "又一个县", "county"),  # row 5
        unit("411426", "自己", "county", "411426"),  # row 6
    ]
    with pytest.raises(commgov.ImportRejected) as caught:
        store.imports.import_units(ADMIN, rows)
    errors = {e.row: e for e in caught.value.errors}
    assert sorted(errors) == [3, 4, 5, 6]
    assert "loop" in errors[3].reason and "loop" in errors[4].reason
    assert (errors[5].column, errors[5].reason) == ("code", "same code as row 2")
    assert "its own parent" in errors[6].reason
    assert store.grids.roots() == []


def test_units_already_in_the_store_are_refused_not_doubled(any_town: Town) -> None:
    rows = [unit(any_town.grid_a1, "又一个", "grid", any_town.community_a)]
    with pytest.raises(commgov.ImportRejected) as caught:
        any_town.cg.imports.import_units(any_town.admin, rows)
    ((error),) = caught.value.errors
    assert (error.row, error.column) == (2, "code") and "already used" in error.reason


def test_a_worker_may_not_import_units_outside_their_reach(town: Town) -> None:
    worker = town.worker(town.grid_a1, role="community_staff")
    rows = [unit("411425100002002", "西关二网格", "grid", town.community_b)]
    with pytest.raises(commgov.ImportRejected) as caught:
        town.cg.imports.import_units(worker, rows)
    ((error),) = caught.value.errors
    assert error.column == "parent" and "may not" in error.reason


def test_a_gbk_units_file_with_chinese_headings(any_store: commgov.Commgov, tmp_path: Path) -> None:
    rows = [["编码", "名称", "层级", "上级编码", "网格类型", "覆盖对象"]]
    rows += [[r["code"], r["name"], r["kind"], r["parent"], r.get("grid_type", ""),
              r.get("covers", "")] for r in tree_rows()]  # fmt: skip
    source = write(tmp_path / "units.csv", rows, encoding="gbk")
    report = any_store.imports.import_units_file(ADMIN, source)
    assert (report.units, report.encoding) == (6, "GB18030")
    assert any_store.grids.get("411425100").name == "城关镇"


def test_an_xlsx_units_file(store: commgov.Commgov, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "name", "kind", "parent"])
    sheet.append([411425, "虞城县", "县", None])
    sheet.append([411425100, "城关镇", "镇", 411425])
    book.save(tmp_path / "units.xlsx")
    report = store.imports.import_units_file(ADMIN, tmp_path / "units.xlsx")
    assert (report.units, report.encoding) == (2, None)
    assert store.grids.get("411425100").parent_code == "411425"


def test_a_units_file_with_a_residents_heading_is_a_file_error(
    store: commgov.Commgov, tmp_path: Path
) -> None:
    source = write(tmp_path / "units.csv", [["code", "name", "kind", "身份证号"], ["1", "2", "3"]])
    with pytest.raises(commgov.ValidationError) as caught:
        store.imports.import_units_file(ADMIN, source)
    assert caught.value.field == "column" and "units file" in caught.value.reason
    missing = write(tmp_path / "m.csv", [["code", "name"], ["411425", "县"]])
    with pytest.raises(commgov.ValidationError) as caught:
        store.imports.import_units_file(ADMIN, missing)
    assert (caught.value.field, caught.value.value) == ("column", "kind")


# -- departments ----------------------------------------------------------------------------


def test_departments_import_with_chinese_kinds(any_town: Town, tmp_path: Path) -> None:
    source = write(tmp_path / "departments.csv", [
        ["部门编码", "部门名称", "类型", "所属单位"],
        ["police-cg", "城关派出所", "公安", any_town.town],
        ["fire-cg", "城关消防站", "fire", any_town.town],
    ])  # fmt: skip
    report = any_town.cg.imports.import_departments_file(any_town.admin, source)
    assert (report.kind, report.departments) == ("departments", 2)
    found = any_town.cg.staff.departments(any_town.admin, any_town.town)
    assert sorted((d.code, d.kind) for d in found) == [("fire-cg", "fire"), ("police-cg", "police")]


def test_bad_department_rows_import_nothing(any_town: Town) -> None:
    rows = [
        {"code": "police-cg", "name": "城关派出所", "kind": "公安", "unit": any_town.town},
        {"code": "police-cg", "name": "又一个", "kind": "police", "unit": any_town.town},
        {"code": "x", "name": "未知", "kind": "外星", "unit": any_town.town},
        {"code": "y", "name": "无处", "kind": "police", "unit": "411425999"},
        {"code": "z z", "name": "空格", "kind": "police", "unit": any_town.town},
    ]
    before = row_counts(any_town.cg)
    with pytest.raises(commgov.ImportRejected) as caught:
        any_town.cg.imports.import_departments(any_town.admin, rows)
    assert [(e.row, e.column) for e in caught.value.errors] == [
        (3, "code"), (4, "kind"), (5, "unit"), (6, "code"),
    ]  # fmt: skip
    assert "公安" in caught.value.errors[1].reason or "police" in caught.value.errors[1].reason
    assert row_counts(any_town.cg) == before


# -- staff ----------------------------------------------------------------------------------


def test_staff_import_with_labels_and_unit_lists(any_town: Town, tmp_path: Path) -> None:
    cg, admin = any_town.cg, any_town.admin
    cg.staff.add_department(admin, code="police-cg", name="派出所", kind="police",
                            unit=any_town.town)  # fmt: skip
    source = write(tmp_path / "staff.csv", [
        ["姓名", "角色", "负责网格", "用工性质", "联系电话", "所属部门"],
        ["张三", "网格员", f"{any_town.grid_a1}；{any_town.grid_a2}", "专职", "13800000001", ""],
        ["李四", "community_staff", any_town.community_b, "兼职", "", ""],
        ["王五", "部门人员", any_town.town, "", "", "police-cg"],
    ])  # fmt: skip
    report = cg.imports.import_staff_file(admin, source)
    assert (report.kind, report.staff, report.summary()) == ("staff", 3, "imported 3 staff")
    workers = {s.name: s for s in cg.staff.workers(admin, any_town.town)}
    assert workers["张三"].unit_codes == (any_town.grid_a1, any_town.grid_a2)
    assert (workers["张三"].role, workers["张三"].employment) == ("grid_worker", "full_time")
    assert (workers["李四"].role, workers["李四"].employment) == ("community_staff", "part_time")
    assert workers["王五"].department_id is not None


def test_bad_staff_rows_import_nothing_and_mask_phones(any_town: Town, tmp_path: Path) -> None:
    good = {"name": "张三", "role": "grid_worker", "units": any_town.grid_a1}
    rows = [
        good,
        good | {"role": "队长"},  # row 3
        good | {"units": f"{any_town.grid_a1};411425100001777"},  # row 4
        good | {"units": ""},  # row 5
        good | {"phone": "12345678901"},  # row 6
        good | {"employment": "临时"},  # row 7
        good | {"department": "nowhere"},  # row 8
    ]
    before = row_counts(any_town.cg)
    with pytest.raises(commgov.ImportRejected) as caught:
        any_town.cg.imports.import_staff(any_town.admin, rows, source="staff.csv")
    errors = caught.value.errors
    assert [(e.row, e.column) for e in errors] == [
        (3, "role"), (4, "units"), (5, "units"), (6, "phone"), (7, "employment"),
        (8, "department"),
    ]  # fmt: skip
    assert "12345678901" not in str(caught.value) + "".join(str(e) for e in errors)
    assert row_counts(any_town.cg) == before
    report = any_town.cg.imports.import_staff(
        any_town.admin, rows, source="staff.csv", skip_invalid=True
    )
    assert (report.staff, len(report.rejected_rows)) == (1, 6)
    from commgov.people.model.import_columns import STAFF_COLUMNS
    from commgov.people.service.import_files import write_rejected

    written = write_rejected(tmp_path / "r.csv", report.rejected_rows, report.rejected,
                             STAFF_COLUMNS)  # fmt: skip
    text = written.read_text(encoding="utf-8-sig")
    assert "12345678901" not in text and "123****8901" in text


# -- properties -----------------------------------------------------------------------------

_roots = itertools.count(410001)


@pytest.mark.property
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(range(6)), bad=st.sets(st.integers(0, 5), max_size=2))
def test_any_order_of_a_tree_imports_the_same_tree_and_no_gaps(
    store: commgov.Commgov, order: list[int], bad: set[int]
) -> None:
    """Whatever the order of the rows, the tree comes out the same; with refused rows, no unit
    is kept whose parent row was refused."""
    root = str(next(_roots))
    rows = [
        {
            **r,
            "code": root + r["code"][6:],
            "parent": (root + r["parent"][6:]) if r["parent"] else "",
        }
        for r in tree_rows()
    ]
    for index in bad:
        rows[index] = {**rows[index], "kind": "?"}
    shuffled = [rows[i] for i in order]
    report = store.imports.import_units(ADMIN, shuffled, skip_invalid=True)
    refused = {shuffled[n - 2]["code"] for n, _ in report.rejected_rows}
    kept = {}
    if root not in refused:
        kept = {u.code: u for u in [store.grids.get(root), *store.grids.descendants(root)]}
    assert report.units == len(kept) == 6 - len(refused)
    for code, view in kept.items():
        assert view.parent_code in (None, *kept), code
    parents = {r["code"]: r["parent"] for r in rows}
    for code in refused:  # refused for its own kind, or below a refused row
        assert (
            rows[[r["code"] for r in rows].index(code)]["kind"] == "?" or parents[code] in refused
        )
