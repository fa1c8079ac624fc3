"""Human case numbers (``2026-000123``): counted per town and per year in the store's zone,
without gaps (folded alarms, refused reports and rolled-back transactions take none), found
again by number, carried by the report event; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

import commgov
from commgov.cases.model.numbers import CaseNumber
from commgov.cases.tables import case_counters
from commgov.kernel.tables import audit_log
from commgov.testing import build_town as build_test_town

from .conftest import Town


def numbers(town: Town, ids: list[int]) -> list[str]:
    return [town.cases.get(town.admin, i).number for i in ids]


def test_numbers_count_per_town_and_skip_folded_alarms(store_town: Town) -> None:
    town = store_town
    year = town.clock.now.year
    first = town.report(text="路灯不亮")
    alarm = town.report(
        town.admin, text="烟感", unit=town.grids[1], channel="sensor", device_id="d"
    )
    town.clock.advance(minutes=10)
    folded = town.report(
        town.admin, text="烟感", unit=town.grids[1], channel="sensor", device_id="d"
    )
    assert folded.id == alarm.id and folded.alarm_count == 2  # folded: no new case
    after = town.report(text="井盖缺失")
    assert [first.number, alarm.number, after.number] == [
        f"{year}-000001",
        f"{year}-000002",
        f"{year}-000003",
    ]
    other = build_test_town(town.cg, code="411425200", name="河西镇")
    elsewhere = town.cases.report(town.admin, text="占道经营", unit=other.grids[0])
    assert elsewhere.number == f"{year}-000001"  # another town counts from one
    assert town.report(text="又一件").number == f"{year}-000004"


def test_refused_and_rolled_back_reports_take_no_number(store_town: Town) -> None:
    town = store_town
    year = town.clock.now.year
    assert town.report().number == f"{year}-000001"
    with pytest.raises(commgov.ValidationError):
        town.report(unit="411425100009999")
    with pytest.raises(commgov.PermissionDenied):
        town.report(town.department_staff, unit=town.grids[0])
    with pytest.raises(commgov.PermissionDenied):  # a resident reports in their own grid only
        town.cases.report(town.residents[0], text="x", unit=town.grids[1])
    with pytest.raises(RuntimeError), town.cg.transaction():
        assert town.report().number == f"{year}-000002"
        raise RuntimeError("the clerk's session broke")
    with town.cg.transaction():
        kept = town.report()
        with pytest.raises(commgov.ValidationError):
            town.report(category="no.such")
        again = town.report()
    assert (kept.number, again.number) == (f"{year}-000002", f"{year}-000003")


def test_the_year_is_the_stores(store_town: Town) -> None:
    """Asia/Shanghai: 2025-12-31 16:00 UTC is already 2026."""
    town = store_town
    town.clock.now = dt.datetime(2025, 12, 31, 15, 59, tzinfo=dt.UTC)
    late = town.report()
    town.clock.now = dt.datetime(2025, 12, 31, 16, 0, tzinfo=dt.UTC)
    new_year = town.report()
    town.clock.advance(days=1)
    assert [late.number, new_year.number, town.report().number] == [
        "2025-000001",
        "2026-000001",
        "2026-000002",
    ]


def test_batches_number_in_id_order_per_town(store_town: Town) -> None:
    town = store_town
    other = build_test_town(town.cg, code="411425200", name="河西镇")
    town.report()
    reports = [
        {"text": f"r{i}", "unit": (town.grids[i % 2] if i % 3 else other.grids[0])}
        for i in range(9)
    ] + [{"text": "alarm", "unit": town.grids[0], "channel": "sensor", "device_id": "d"}] * 3
    ids = town.cases.report_many(town.admin, reports)
    assert len(set(ids)) == 10  # the three alarms fold into one case
    year = town.clock.now.year
    here = [i for i, r in zip(ids, reports, strict=True) if r["unit"] != other.grids[0]]
    there = [i for i, r in zip(ids, reports, strict=True) if r["unit"] == other.grids[0]]
    assert numbers(town, sorted(set(here))) == [f"{year}-{n:06d}" for n in range(2, 9)]
    assert numbers(town, there) == [f"{year}-{n:06d}" for n in range(1, 4)]
    with town.cg.context.uow(readonly=True) as uow:
        counters = sorted(tuple(r) for r in uow.conn.execute(select(case_counters)))
        town_ids = {
            u.code: u.id for u in [town.cg.grids.get(town.town), town.cg.grids.get(other.town)]
        }
    assert counters == sorted([(town_ids[town.town], year, 8), (town_ids[other.town], year, 3)])


def test_a_case_is_found_by_number_or_id(store_town: Town) -> None:
    town = store_town
    case = town.report(text="楼道堆放杂物")
    for given in (case.number, case.id, str(case.id), case.number.replace("-00000", "-")):
        assert town.cases.find(town.workers[0], given) == case
    with pytest.raises(commgov.NotFoundError, match="2025-000042"):
        town.cases.find(town.admin, "2025-000042")
    with pytest.raises(commgov.NotFoundError):
        town.cases.find(town.admin, 99_999)
    for bad in ("12a", "2026/000001", "", "2026-0"):
        with pytest.raises(commgov.ValidationError) as caught:
            town.cases.find(town.admin, bad)
        assert caught.value.field == "case"
    with pytest.raises(commgov.PermissionDenied):  # another grid's worker
        town.cases.find(town.workers[1], case.number)


def test_a_number_two_towns_gave_needs_the_town(store_town: Town) -> None:
    town = store_town
    other = build_test_town(town.cg, code="411425200", name="河西镇")
    here = town.report()
    there = town.cases.report(town.admin, text="x", unit=other.grids[0])
    assert here.number == there.number
    with pytest.raises(commgov.ValidationError, match="name the town") as caught:
        town.cases.find(town.admin, here.number)
    assert caught.value.field == "town"
    assert town.cases.find(town.admin, here.number, town=town.town) == here
    assert town.cases.find(town.admin, here.number, town=other.grids[0]) == there
    assert town.cases.find(town.workers[0], here.number) == here  # the one they may read
    with pytest.raises(commgov.NotFoundError):
        town.cases.find(town.admin, here.number, town=town.communities[0][:6])  # the county


def test_events_audit_and_replay_carry_the_number(store_town: Town) -> None:
    town = store_town
    case = town.report()
    report = town.cases.history(town.admin, case.id)[0]
    assert report.data["number"] == case.number
    stored, replayed = town.cases.replayed(town.admin, case.id)
    assert stored == replayed and stored.number == CaseNumber.parse(case.number)
    with town.cg.context.uow(readonly=True) as uow:
        row = uow.conn.execute(
            select(audit_log.c.detail).where(audit_log.c.action == "cases.write")
        ).all()[-1]
    assert row.detail["numbers"] == [case.number]


def test_case_numbers_parse_and_print() -> None:
    assert str(CaseNumber(2026, 123)) == "2026-000123"
    assert str(CaseNumber(2026, 1_234_567)) == "2026-1234567"
    assert CaseNumber.parse(" 2026-123 ") == CaseNumber(2026, 123)
    for bad in ("2026-000000", "26-1", "2026_1", 2026, None):
        with pytest.raises(commgov.ValidationError):
            CaseNumber.parse(bad)


def test_a_rolled_back_units_id_numbers_in_its_new_town(store_town: Town) -> None:
    """On SQLite the ids of units made in a rolled-back transaction come back; a grid that
    reuses one under a street counts in the street, not where the rolled-back grid would."""
    town, admin = store_town, store_town.admin
    cg = town.cg
    with pytest.raises(RuntimeError), cg.transaction():
        community = cg.grids.create(admin, name="新区", kind="community", parent="411425")
        grid = cg.grids.create(
            admin, name="新区一格", kind="grid", parent=community.code, grid_type="comprehensive"
        )
        town.cases.report(admin, text="井盖缺失", unit=grid.code)  # counted in the county
        raise RuntimeError("the import broke")
    street = cg.grids.create(admin, name="新街道", kind="street", parent="411425")
    grid = cg.grids.create(
        admin, name="新街道一格", kind="grid", parent=street.code, grid_type="comprehensive"
    )
    town.cases.report(admin, text="井盖缺失", unit=grid.code)
    with cg.context.uow(readonly=True) as uow:
        counted = [row.town_id for row in uow.conn.execute(select(case_counters))]
    assert counted == [street.id]
