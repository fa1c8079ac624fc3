"""The case loop end to end on SQLite: every state, reopening, withdrawal, merging,
escalation, sensor folding, deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

import commgov
from commgov.cases.model import Case

from .conftest import Town


def _history(town: Town, case_id: int) -> list[tuple[str, str | None, str]]:
    return [(e.action, e.from_state, e.to_state) for e in town.cases.history(town.admin, case_id)]


def _replay_matches(town: Town, case_id: int) -> Case:
    stored, replayed = town.cases.replayed(town.admin, case_id)
    assert stored == replayed
    return stored


def test_full_loop_from_report_to_close(town: Town) -> None:
    resident, worker, cases = town.residents[0], town.workers[0], town.cases
    case = cases.report(resident, text="楼道堆放杂物", photos=["photo/1.jpg"], address="1号楼")
    assert (case.unit_code, case.state, case.photos) == (
        town.grids[0],
        "reported",
        ("photo/1.jpg",),
    )
    assert case.response_due == town.clock.now + dt.timedelta(hours=24)
    cases.accept(worker, case.id)
    town.clock.advance(minutes=30)
    triaged = cases.triage(worker, case.id, category="safety.fire", severity="urgent")
    assert triaged.owner_level == "grid"
    assert triaged.response_due == case.reported_at + dt.timedelta(hours=2)
    assert triaged.resolve_due == case.reported_at + dt.timedelta(hours=24)
    dispatched = cases.dispatch(worker, case.id)
    assert dispatched.lead == f"staff:{worker.staff_id}"
    assert dispatched.co_operators == (town.departments["fire"],)  # 吹哨报到 for urgent cases
    cases.start(worker, case.id)
    town.clock.advance(hours=3)
    cases.resolve(worker, case.id, outcome="杂物已清理", attachments=["photo/2.jpg"])
    cases.inform(worker, case.id)
    visited = cases.visit(worker, case.id, rating=5)
    assert (visited.state, visited.rating) == ("visited", 5)
    closed = cases.close(worker, case.id)
    assert closed.state == "closed" and closed.closed_at == town.clock.now
    assert [h[0] for h in _history(town, case.id)] == [
        "report", "accept", "triage", "dispatch", "start", "resolve", "inform", "visit", "close",
    ]  # fmt: skip
    stored = _replay_matches(town, case.id)
    assert stored.response_seconds == 1800 and stored.resolve_seconds == 3.5 * 3600
    assert stored.resolved_level == "grid" and stored.version == 9
    events = town.cases.history(town.admin, case.id)
    assert events[0].actor == resident.label() and events[5].attachments == ("photo/2.jpg",)


def test_dissatisfied_rating_reopens_to_in_progress(town: Town) -> None:
    worker, cases = town.workers[0], town.cases
    case = town.report()
    for action in ("accept", "triage", "dispatch", "start"):
        cases.act(
            worker,
            case.id,
            action,
            **({"lead": f"staff:{worker.staff_id}"} if action == "dispatch" else {}),
        )
    cases.resolve(worker, case.id, outcome="done")
    cases.inform(worker, case.id)
    town.clock.advance(days=1)
    reopened = cases.visit(worker, case.id, rating=2, note="still broken")
    assert (reopened.state, reopened.reopen_count, reopened.rating) == ("in_progress", 1, 2)
    assert reopened.resolve_due == town.clock.now + dt.timedelta(days=7)
    cases.resolve(worker, case.id, outcome="fixed properly")
    cases.inform(worker, case.id)
    assert cases.visit(worker, case.id, rating=4).state == "visited"
    _replay_matches(town, case.id)


def test_resident_withdraws_own_case_only(town: Town) -> None:
    own = town.cases.report(town.residents[0], text="噪音")
    other = town.cases.report(town.residents[1], text="噪音")
    assert (
        town.cases.withdraw(town.residents[0], own.id, reason="resolved privately").state
        == "withdrawn"
    )
    with pytest.raises(commgov.PermissionDenied, match=r"case\.withdraw"):
        town.cases.withdraw(town.residents[0], other.id)
    with pytest.raises(commgov.StateError, match=f"case {own.id} is withdrawn: cannot accept"):
        town.cases.accept(town.workers[0], own.id)


def test_reject_kinds_need_a_reason(town: Town) -> None:
    first, second = town.report(), town.report()
    rejected = town.cases.reject(
        town.workers[0], second.id, kind="duplicate", reason="same as before", duplicate_of=first.id
    )
    assert (rejected.state, rejected.reject_kind, rejected.duplicate_of) == (
        "rejected",
        "duplicate",
        first.id,
    )
    third = town.report()
    with pytest.raises(commgov.ValidationError, match="kind='spam'"):
        town.cases.reject(town.workers[0], third.id, kind="spam", reason="x")
    with pytest.raises(commgov.ValidationError, match="reason"):
        town.cases.reject(town.workers[0], third.id, kind="invalid", reason=" ")
    assert (
        town.cases.reject(town.workers[0], third.id, kind="out_of_remit", reason="私事").state
        == "rejected"
    )


def test_merge_records_on_both_cases(town: Town) -> None:
    a, b = town.report(), town.report()
    merged = town.cases.merge(town.workers[0], b.id, into=a.id)
    assert (merged.state, merged.merged_into) == ("merged", a.id)
    assert _history(town, a.id)[-1] == ("absorb", "reported", "reported")
    assert _replay_matches(town, a.id).merged_count == 1
    with pytest.raises(commgov.ValidationError, match="into"):
        town.cases.merge(town.workers[0], a.id, into=a.id)


def test_escalation_by_hand_climbs_to_the_county_and_stops(town: Town) -> None:
    worker, staff = town.workers[0], town.cases
    case = town.report()
    staff.accept(worker, case.id)
    staff.triage(worker, case.id, category="environment")
    staff.dispatch(worker, case.id, lead=f"staff:{worker.staff_id}")
    up = staff.escalate(worker, case.id, reason="needs the community")
    assert (up.state, up.owner_level, up.lead, up.escalations) == ("triaged", "community", None, 1)
    routed = staff.dispatch(town.admin, case.id)
    assert routed.lead == f"staff:{town.community_staff[0].staff_id}"
    assert staff.escalate(town.admin, case.id).owner_level == "town"
    assert staff.dispatch(town.admin, case.id).lead.startswith("department:")
    assert staff.escalate(town.admin, case.id).owner_level == "county"
    assert staff.dispatch(town.admin, case.id).lead == "department:C-housing"  # the only one there
    with pytest.raises(commgov.StateError, match=r"case \d+ is dispatched at the top level"):
        staff.escalate(town.admin, case.id)
    _replay_matches(town, case.id)


def test_department_staff_handle_but_cannot_report(town: Town) -> None:
    case = town.report()
    town.cases.accept(town.department_staff, case.id)
    with pytest.raises(commgov.PermissionDenied):
        town.cases.report(town.department_staff, text="x", unit=town.grids[0])


def test_sensor_alarms_fold_within_the_window(town: Town) -> None:
    fields = {
        "channel": "sensor",
        "device_id": "smoke-7",
        "text": "烟感报警",
        "unit": town.grids[1],
    }
    first = town.cases.report(town.workers[1], **fields)
    town.clock.advance(minutes=40)
    again = town.cases.report(town.workers[1], **fields)
    assert again.id == first.id and again.alarm_count == 2
    town.clock.advance(minutes=90)  # the window counts from the last alarm
    later = town.cases.report(town.workers[1], **fields)
    assert later.id != first.id and later.alarm_count == 1
    ids = town.cases.report_many(town.workers[1], [fields | {"device_id": "d2"}] * 3)
    assert len(set(ids)) == 1 and town.cases.get(town.admin, ids[0]).alarm_count == 3
    _replay_matches(town, first.id)


def test_due_overdue_and_idempotent_escalation(town: Town) -> None:
    worker = town.workers[0]
    slow = town.report()
    fast = town.report(severity="critical")
    assert [c.id for c in town.cases.due(town.admin, town.town, within=dt.timedelta(hours=2))] == [
        fast.id
    ]
    town.clock.advance(hours=3)
    assert [c.id for c in town.cases.overdue(town.admin, town.town)] == [fast.id]
    assert town.cases.escalate_overdue() == [fast.id]
    assert town.cases.escalate_overdue() == []
    escalated = town.cases.get(town.admin, fast.id)
    assert (escalated.owner_level, escalated.state) == ("community", "reported")
    assert escalated.response_due == town.clock.now + dt.timedelta(hours=1)
    assert _replay_matches(town, fast.id).response_late
    town.clock.advance(days=2)
    assert set(town.cases.escalate_overdue()) == {slow.id, fast.id}
    town.cases.accept(worker, slow.id)
    assert town.cases.history(town.admin, fast.id)[-1].data["auto"] is True


def test_apply_many_is_all_or_nothing(town: Town) -> None:
    worker = town.workers[0]
    ids = town.cases.report_many(
        worker, [{"text": f"r{i}", "unit": town.grids[0]} for i in range(3)]
    )
    result = town.cases.apply_many(
        worker,
        [{"case_id": i, "action": "accept"} for i in ids]
        + [{"case_id": ids[0], "action": "triage", "category": "facilities"}],
    )
    assert (
        result.applied == 4 and result.states[ids[0]] == "triaged" and result.versions[ids[1]] == 2
    )
    with pytest.raises(commgov.StateError, match=f"case {ids[1]} is accepted: cannot accept"):
        town.cases.apply_many(
            worker,
            [{"case_id": ids[2], "action": "triage"}, {"case_id": ids[1], "action": "accept"}],
        )
    assert town.cases.get(worker, ids[2]).state == "accepted"  # the first action was rolled back
    with pytest.raises(commgov.ValidationError, match="action='alarm'"):
        town.cases.apply_many(worker, [{"case_id": ids[2], "action": "alarm"}])


def test_reports_place_cases_in_grids(town: Town) -> None:
    with pytest.raises(commgov.ValidationError, match="a case belongs to a grid"):
        town.cases.report(town.admin, text="x", unit=town.communities[0])
    with pytest.raises(commgov.ValidationError, match="unit=None"):
        town.cases.report(town.admin, text="x")
    with pytest.raises(commgov.ValidationError, match="lat/lon"):
        town.cases.report(town.admin, text="x", lat=34.4, lon=115.9)
    with pytest.raises(commgov.ValidationError, match="device_id"):
        town.cases.report(town.admin, text="x", unit=town.grids[0], device_id="d")
    with pytest.raises(commgov.ValidationError, match="channel='fax'"):
        town.cases.report(town.admin, text="x", unit=town.grids[0], channel="fax")
    hotline = town.cases.report(town.admin, text="来电", unit=town.grids[3], channel="hotline")
    assert hotline.channel == "hotline" and hotline.unit_code == town.grids[3]


def test_the_steps_offered_are_those_the_state_and_the_actors_rights_allow(town: Town) -> None:
    resident, worker, cases = town.residents[0], town.workers[0], town.cases
    case = cases.report(resident, text="路灯不亮", address="2号楼")
    assert cases.actions(worker, case.id) == ["accept", "reject", "withdraw", "merge", "escalate"]
    assert cases.actions(resident, case.id) == ["withdraw"]  # their own report, nothing else
    with pytest.raises(commgov.StateError):
        cases.triage(worker, case.id, category="safety.fire")  # not offered: not allowed either
    with pytest.raises(commgov.PermissionDenied):
        cases.actions(town.workers[1], case.id)  # another grid's case
    cases.accept(worker, case.id)
    assert cases.actions(worker, case.id) == ["triage", "withdraw", "merge", "escalate"]
    with pytest.raises(commgov.NotFoundError):
        cases.actions(worker, case.id + 1000)


def test_state_counts_are_per_state_under_the_unit_and_need_read(town: Town) -> None:
    worker, cases = town.workers[0], town.cases
    first = town.report(text="一")
    town.report(text="二")
    cases.report(town.workers[1], text="三", unit=town.grids[1])
    cases.accept(worker, first.id)
    assert cases.state_counts(worker, town.grids[0]) == {"reported": 1, "accepted": 1}
    assert cases.state_counts(town.admin, town.town) == {"reported": 2, "accepted": 1}
    with pytest.raises(commgov.PermissionDenied):
        cases.state_counts(worker, town.grids[1])
