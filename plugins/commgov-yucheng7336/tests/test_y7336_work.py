"""七个一 duties, compliance, the masked map, 六到位 scores, the cadence and the monthly report."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

import commgov
from commgov_yucheng7336 import cadence, compliance, duties, geo, report, standards, vocab
from conftest import Towns

CST = dt.timezone(dt.timedelta(hours=8))
JUNE = dt.date(2025, 6, 2)  # a Monday
ELDER = {
    "name": "张秀英", "identity_number": "411425194503020025", "phone": "13912345678",
    "birth_date": "1945-03-02", "sex": "F", "care_groups": "living_alone",
}  # fmt: skip
PLAIN = {"name": "李明", "birth_date": "1990-01-01", "sex": "M"}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=CST)


def kinds_count(t: Towns) -> dict[str, int]:
    return {
        kind: len(t.store.records.find(t.admin, kind=kind, under=t.town))
        for kind in vocab.RECORD_KINDS
    }


def test_a_visit_can_open_a_case(t: Towns) -> None:
    worker = t.staff["grid_worker"]
    home = t.household(None, ELDER)
    kept = duties.record_visit(
        t.store, worker, household_id=home, findings="独居,漏雨", open_case="屋顶漏雨",
        category="facilities", at=at(JUNE),
    )  # fmt: skip
    case = t.store.cases.get(t.admin, kept.data["case_id"])
    assert (case.channel, case.unit_code, case.text) == ("grid_visit", t.grid, "屋顶漏雨")
    assert kept.ref == f"household:{home}" and kept.data["worker"] == worker.label()


def attempt(t: Towns, home: int, bad: str) -> object:
    """One duty call with one bad value (``bad`` names the field)."""
    visit = {"household_id": home}
    if bad == "findings":
        return duties.record_visit(t.store, t.admin, **visit, findings=3)  # type: ignore[arg-type]
    if bad == "open_case":
        return duties.record_visit(t.store, t.admin, **visit, open_case=" ")
    if bad == "category":
        return duties.record_visit(t.store, t.admin, **visit, open_case="x", category="nope")
    if bad == "at":
        return duties.record_visit(t.store, t.admin, **visit, at=dt.datetime(2025, 6, 1))
    if bad == "size":
        return duties.record_group(t.store, t.admin, grid=t.grid, name="群", size=-1)
    if bad == "level":
        return duties.assess_risk(t.store, t.admin, grid=t.grid, level="severe")
    if bad == "attendees":
        return duties.record_meeting(
            t.store, t.admin, grid=t.grid, topic="议事", attendees=0, minutes="x"
        )
    return duties.place_household(t.store, t.admin, **visit, lat=95.0, lon=115.0)


@pytest.mark.parametrize(
    "field", ["findings", "open_case", "category", "at", "size", "level", "attendees", "lat"]
)
def test_bad_duty_input_names_the_field_and_writes_nothing(t: Towns, field: str) -> None:
    home = t.household(None, PLAIN)
    before = (kinds_count(t), len(t.store.cases.under(t.admin, t.town)))
    with pytest.raises(commgov.ValidationError) as caught:
        attempt(t, home, field)
    assert caught.value.field == field
    assert (kinds_count(t), len(t.store.cases.under(t.admin, t.town))) == before


def test_a_worker_records_only_in_their_own_grid(t: Towns) -> None:
    other_grid = t.towns.grids[t.town][1]
    home = t.household(other_grid, PLAIN)
    before = kinds_count(t)
    with pytest.raises(commgov.PermissionDenied):
        duties.record_visit(t.store, t.staff["grid_worker"], household_id=home)
    with pytest.raises(commgov.PermissionDenied):
        duties.record_group(t.store, t.staff["grid_worker"], grid=other_grid, name="群", size=9)
    assert kinds_count(t) == before


def do_all_duties(t: Towns, day: dt.date, home: int) -> None:
    worker = t.staff["grid_worker"]
    duties.record_visit(t.store, worker, household_id=home, at=at(day))
    duties.record_group(t.store, worker, grid=t.grid, name="东关一网格群", size=120, at=at(day))
    duties.issue_card(t.store, worker, household_id=home, at=at(day))
    duties.place_household(t.store, worker, household_id=home, lat=34.41, lon=115.87, at=at(day))
    duties.assess_risk(t.store, worker, grid=t.grid, level="low", at=at(day))
    duties.record_meeting(
        t.store, worker, grid=t.grid, topic="停车", attendees=12, minutes="划线", at=at(day)
    )


def test_compliance_flags_each_duty(t: Towns) -> None:
    home = t.household(None, ELDER)
    (empty,) = compliance.daily(t.store, t.admin, t.grid, JUNE)
    assert empty.met == {**dict.fromkeys(compliance.DUTIES, False), "files": True}
    assert t.staff["grid_worker"].label() not in empty.workers  # names, not labels
    do_all_duties(t, JUNE, home)
    (full,) = compliance.daily(t.store, t.admin, t.grid, JUNE)
    assert all(full.met.values()) and full.met_count == 7
    (week,) = compliance.weekly(t.store, t.admin, t.grid, JUNE)
    assert (week.visit_days, week.days, week.met["visit"]) == (1, 7, False)
    assert week.met["meeting"] and week.met["card"]
    rows = compliance.grid_duties(t.store, t.admin, t.town, JUNE, JUNE + dt.timedelta(days=1))
    (community,) = [
        c for c in compliance.by_community(t.store, t.admin, rows) if c.community == t.community
    ]
    assert community.grids == 2 and community.shares["group"] == 0.5
    assert list(compliance.frame(rows).columns)[-1] == "met"
    mine = compliance.by_worker(rows)["grid_worker-001001"]
    assert [r.grid for r in mine] == [t.grid] and mine[0].met_count == 7
    with pytest.raises(commgov.ValidationError):
        compliance.weekly(t.store, t.admin, t.grid, JUNE + dt.timedelta(days=1))


def test_the_map_is_masked(t: Towns, tmp_path: Path) -> None:
    home = t.household(None, ELDER, PLAIN)
    do_all_duties(t, JUNE, home)
    t.store.cases.report(t.admin, unit=t.grid, text="路灯坏了")
    t.store.cases.report(t.admin, unit=t.grid, text="吵架", category="dispute.neighbour")
    path = tmp_path / "grid.geojson"
    assert geo.write_grid_map(t.store, t.admin, t.grid, path) == 1
    text = path.read_text(encoding="utf-8")
    for secret in ("张秀英", "李明", "411425194503020025", "13912345678", "东关街"):
        assert secret not in text
    collection = json.loads(text)
    (feature,) = collection["features"]
    assert feature["geometry"]["coordinates"] == [115.87, 34.41]
    assert feature["properties"] == {
        "household_id": home, "members": 2, "care_group_members": 1,
        "card_issued": True, "last_visit": JUNE.isoformat(),
    }  # fmt: skip
    assert collection["properties"] == {
        "grid": t.grid,
        "open_cases": 2,
        "open_disputes": 1,
        "risk_level": "low",
    }


def test_six_standards_are_scored_from_the_data(t: Towns) -> None:
    home = t.household(None, ELDER)
    day = dt.date(2025, 6, 30)  # the store's clock: new cases are reported that day
    start, end = day - dt.timedelta(days=6), day + dt.timedelta(days=1)
    cards = {
        c.community: c for c in standards.score_communities(t.store, t.admin, t.town, start, end)
    }
    before = cards[t.community].scores
    assert before["assistance"] == 0.0 and before["mediation"] == 100.0
    duties.record_visit(t.store, t.admin, household_id=home, at=at(day))
    standards.record_activity(
        t.store, t.admin, unit=t.grid, activity="joint_patrol", participants=5, at=at(day)
    )
    t.store.cases.report(t.admin, unit=t.grid, text="噪音", category="dispute.neighbour")
    card = standards.score_community(t.store, t.admin, t.community, start, end)
    assert card.scores["assistance"] == 100.0
    assert card.scores["patrols"] == 50.0  # one patrol, two grids expected one each
    assert card.scores["mediation"] == 0.0  # its one dispute is not resolved yet
    assert card.scores["prevention"] == pytest.approx(100 / 7)  # one grid lived in, 1 day of 7
    assert 0 <= card.total <= 100
    with pytest.raises(commgov.ValidationError) as caught:
        standards.record_activity(t.store, t.admin, unit=t.grid, activity="dance", participants=5)
    assert caught.value.field == "activity"


def test_cadence_tasks_show_what_each_meeting_reviews(t: Towns) -> None:
    case = t.store.cases.report(t.admin, unit=t.grid, text="噪音", category="dispute.neighbour")
    first = case.reported_at.astimezone(CST).date()
    cadence.hold(t.store, t.admin, unit=t.community, kind="huddle", day=first)
    due = cadence.tasks(t.store, t.admin, t.community, first, first + dt.timedelta(days=1))
    (huddle,) = [task for task in due if task.kind == "huddle"]
    assert huddle.held and huddle.reviews == {"new_cases": [case.id]}
    june = cadence.schedule(dt.date(2025, 6, 1), dt.date(2025, 7, 1))
    assert sum(kind == "huddle" for kind, _ in june) == 30
    assert [d.day for kind, d in june if kind == "review"] == [2, 9, 16, 23, 30]
    assert [d for kind, d in june if kind == "summary"] == [dt.date(2025, 6, 30)]
    summary = cadence.tasks(
        t.store, t.admin, t.community, dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    )
    (month_end,) = [task for task in summary if task.kind == "summary"]
    assert set(month_end.reviews) == {
        "response_rate",
        "resolution_rate",
        "satisfaction_rate",
        "standards",
    }
    assert not month_end.held
    with pytest.raises(commgov.ValidationError):
        cadence.hold(t.store, t.admin, unit=t.community, kind="party", day=first)


def test_the_monthly_report_has_a_row_per_community(t: Towns, tmp_path: Path) -> None:
    t.store.cases.report(t.admin, unit=t.grid, text="噪音", category="dispute.neighbour")
    month = t.store.cases.under(t.admin, t.town)[0].reported_at.astimezone(CST)
    made = report.monthly_report(t.store, t.admin, t.town, month.year, month.month)
    assert [r["code"] for r in made.rows] == t.towns.communities[t.town]
    first = made.rows[0]
    assert first["cases"] == 1 and first["step_investigation"] == 1
    assert set(standards.STANDARDS) <= {k.removeprefix("std_") for k in first}
    rows = list(csv.DictReader(made.to_csv(tmp_path / "r.csv").open(encoding="utf-8")))
    assert len(rows) == 2 and rows[0]["community"] == first["community"]
    assert made.plot(tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"
    chinese, codes = made.chart_words(chinese=True), made.chart_words(chinese=False)
    assert chinese.labels == [r["community"] for r in made.rows] and "满意率" in chinese.series
    assert codes.labels == [r["code"][-3:] for r in made.rows]
    assert "labels are codes" in codes.title  # the fallback says so
    assert made.table().row_count == 2
    one = report.monthly_report(t.store, t.admin, t.community, month.year, month.month)
    assert [r["code"] for r in one.rows] == [t.community]
