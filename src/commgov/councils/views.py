"""What the council service hands out: councils with their members."""

from __future__ import annotations

import datetime as dt

from commgov.kernel.views import View


class MemberView(View):
    """One seat held on a council for a term (``seat`` and ``role`` are codes; the labels are
    in ``cg.councils.seats()`` and ``commgov.councils.model.seats.ROLES``)."""

    id: int
    council_id: int
    seat: str
    seat_label: str
    role: str
    name: str
    resident_id: int | None
    staff_id: int | None
    represents: str | None
    term_start: dt.date
    term_end: dt.date
    ended_on: dt.date | None
    voter_key: str
    """Who the member is as a voter: a person holding two seats has one key."""


class CouncilView(View):
    """A deliberating body (议事会, 居民议事厅, 恳谈会) of a unit, with its members serving
    on the day asked about."""

    id: int
    unit_code: str
    name: str
    kind: str
    kind_label: str
    created_at: dt.datetime
    dissolved_at: dt.datetime | None
    members: list[MemberView]


class TopicView(View):
    """A topic for deliberation (议题): where it came from, where it stands."""

    id: int
    council_id: int
    title: str
    description: str
    source: str
    source_ref: int | None
    raised_by: str
    state: str
    state_label: str
    meeting_id: int | None
    note: str | None
    created_at: dt.datetime


class AgendaItemView(View):
    """A topic on a meeting's agenda, with its summary in the minutes (``None`` until written)."""

    topic_id: int
    title: str
    state: str
    summary: str | None


class MeetingView(View):
    """A council meeting: when and how it is held, its agenda, who registered and attended
    (counts), its minutes. ``code`` (the check-in code) is shown only to staff who run it."""

    id: int
    council_id: int
    unit_code: str
    title: str
    mode: str
    mode_label: str
    place: str | None
    link: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int | None
    registered: int
    attended: int
    state: str
    state_label: str
    agenda: list[AgendaItemView]
    minutes: str | None
    closed_at: dt.datetime | None
    code: str | None = None


class AttendanceView(View):
    person: str
    at: dt.datetime
    how: str
    recorded_by: str


class ResolutionView(View):
    """What a meeting decided (决议) and what follows: a case, a department's task, a project
    or a vote (``reference``: its id once linked), who owns it and by when."""

    id: int
    meeting_id: int
    topic_id: int | None
    text: str
    follow_up: str
    follow_up_label: str
    reference: int | None
    owner_staff_id: int | None
    owner_department_id: int | None
    due_on: dt.date | None
    done_at: dt.datetime | None
    done_note: str | None
    overdue: bool
    created_at: dt.datetime
