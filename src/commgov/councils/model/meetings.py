"""Topics, meetings and resolutions: their vocabularies, states and what the store holds."""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

TOPIC_SOURCES: Final = {
    "resident": ("居民提出", "raised by a resident"),
    "suggestion": ("微心愿建议", "a suggestion (micro-wish)"),
    "case": ("案件（反复发生的矛盾）", "a case (a recurring dispute)"),
    "staff": ("工作人员提出", "raised by staff"),
}
"""Where a topic comes from; a suggestion's or a case's id is kept as its ``source_ref``."""
TOPIC_STATES: Final = {
    "proposed": ("已提出", "proposed"),
    "accepted": ("已列入议程", "accepted for a meeting"),
    "decided": ("已议决", "decided"),
    "withdrawn": ("已撤回", "withdrawn"),
    "referred": ("已转办", "referred"),
}
TOPIC_MOVES: Final = {
    "proposed": frozenset({"accepted", "withdrawn", "referred"}),
    "accepted": frozenset({"decided", "withdrawn", "referred", "proposed"}),
    "decided": frozenset(),
    "withdrawn": frozenset(),
    "referred": frozenset(),
}
"""Which state a topic may move to from each; ``accepted → proposed`` when its meeting closes
without deciding it (it waits for the next)."""
MEETING_MODES: Final = {
    "in_person": ("线下", "in person"),
    "online": ("线上", "online"),
    "hybrid": ("线上线下结合", "hybrid"),
}
MEETING_STATES: Final = {
    "scheduled": ("已安排", "scheduled"),
    "closed": ("已结束", "closed"),
    "cancelled": ("已取消", "cancelled"),
}
FOLLOW_UPS: Final = {
    "none": ("无需后续", "nothing further"),
    "case": ("转为案件", "a case"),
    "task": ("部门任务", "a task for a department"),
    "project": ("项目", "a project"),
    "vote": ("表决", "a vote"),
}
"""What follows a resolution; a case's, a project's or a vote's id is its ``reference``."""
ATTENDANCE_WAYS: Final = ("code", "staff")
CHECK_IN_EARLY: Final = dt.timedelta(hours=1)
"""How long before a meeting starts its check-in code is taken."""


@attrs.frozen
class Topic:
    id: int
    council_id: int
    title: str
    description: str
    source: str
    source_ref: int | None
    raised_by: str
    state: str
    meeting_id: int | None
    note: str | None
    created_at: dt.datetime


@attrs.frozen
class Meeting:
    id: int
    council_id: int
    title: str
    mode: str
    place: str | None
    link: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int | None
    code: str
    state: str
    minutes: str | None
    closed_at: dt.datetime | None
    created_at: dt.datetime

    def checks_in_at(self, now: dt.datetime) -> bool:
        return self.starts_at - CHECK_IN_EARLY <= now <= self.ends_at


@attrs.frozen
class Resolution:
    id: int
    meeting_id: int
    topic_id: int | None
    text: str
    follow_up: str
    reference: int | None
    owner_staff_id: int | None
    owner_department_id: int | None
    due_on: dt.date | None
    done_at: dt.datetime | None
    done_note: str | None
    created_at: dt.datetime


@attrs.frozen
class MeetingInfo:
    """A closed meeting as ``commgov_meeting_closed`` hands it to plugins: the council's unit
    (code and kind), the title, how it was held, when, how many attended, the minutes and the
    titles of the topics on its agenda."""

    id: int
    council_id: int
    unit_code: str
    unit_kind: str
    title: str
    mode: str
    starts_at: dt.datetime
    attendees: int
    minutes: str
    topics: tuple[str, ...]
