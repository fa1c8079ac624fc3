"""开好一会 from the councils: a grid council's closed meeting counts as the grid's meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import commgov
from commgov.testing import PluginTowns
from commgov_yucheng7336 import GridMeetings, compliance, plugin, vocab
from conftest import Towns, build

DAY = dt.date(2025, 6, 30)  # the test towns' clock: 30 June 2025, 17:00 in Beijing
CST = dt.timezone(dt.timedelta(hours=8))


def hold_meeting(t: Towns, unit: str, *, attendance: bool) -> commgov.MeetingView:
    store, admin = t.store, t.admin
    council = store.councils.create(admin, unit=unit, name="网格议事会", kind="forum")
    meeting = store.meetings.schedule(
        admin, council.id, title="六月网格会", place="网格服务站",
        starts_at=dt.datetime(2025, 6, 30, 16, tzinfo=CST),
        ends_at=dt.datetime(2025, 6, 30, 18, tzinfo=CST),
    )  # fmt: skip
    topic = store.meetings.propose(admin, council.id, title="电动车充电")
    store.meetings.accept(admin, topic.id, meeting_id=meeting.id)
    if attendance:
        worker = t.staff["grid_worker"]
        store.meetings.record_attendance(admin, meeting.id, people=[f"staff:{worker.staff_id}"])
    store.meetings.record_minutes(
        admin, meeting.id, summary="到会居民议定充电桩选址", topics={topic.id: "定在3号楼东侧"}
    )
    return store.meetings.close(admin, meeting.id)


def meetings_recorded(t: Towns) -> list[commgov.RecordView]:
    return t.store.records.find(t.admin, kind=vocab.GRID_MEETING, under=t.town)


def with_grid_meetings(make: Callable[..., PluginTowns]) -> Towns:
    towns = make(plugin)
    towns.store.add_plugin(GridMeetings(towns.store))
    towns.store.enable_plugins(towns.admin, towns.plugin_town, [vocab.NAME, vocab.GRID_MEETINGS])
    return build(towns)


def test_hook_commgov_meeting_closed_counts_a_grid_meeting(
    commgov_towns: Callable[..., PluginTowns],
) -> None:
    t = with_grid_meetings(commgov_towns)
    (before,) = compliance.daily(t.store, t.admin, t.grid, DAY)
    assert not before.met["meeting"]
    closed = hold_meeting(t, t.grid, attendance=True)
    (record,) = meetings_recorded(t)
    assert (record.unit_code, record.data["attendees"]) == (t.grid, 1)
    assert record.data["minutes"] == closed.minutes
    assert "电动车充电" in record.data["topic"]
    (after,) = compliance.daily(t.store, t.admin, t.grid, DAY)
    assert after.met["meeting"]


def test_a_meeting_without_attendance_or_outside_a_grid_is_not_counted(
    commgov_towns: Callable[..., PluginTowns],
) -> None:
    t = with_grid_meetings(commgov_towns)
    hold_meeting(t, t.grid, attendance=False)
    hold_meeting(t, t.community, attendance=True)
    assert meetings_recorded(t) == []


def test_without_the_plugin_object_a_closed_meeting_records_nothing(t: Towns) -> None:
    hold_meeting(t, t.grid, attendance=True)
    assert meetings_recorded(t) == []
