"""Councils and their meetings over HTTP: councils and members, topics, meetings (schedule,
register, check in, attendance, minutes, close), resolutions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from commgov.councils.model.limits import (
    ATTENDEES_MAX,
    CAPACITY_MAX,
    CODE_DIGITS,
    CODE_MAX,
    NAME_MAX,
    NOTE_MAX,
    PERSON_KEY_MAX,
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from commgov.councils.model.meetings import (
    FOLLOW_UPS,
    MEETING_MODES,
    TOPIC_SOURCES,
    TOPIC_STATES,
)
from commgov.councils.model.seats import COUNCIL_KINDS, ROLES
from commgov.councils.service.councils import CouncilService
from commgov.councils.service.meetings import MeetingService
from commgov.councils.views import (
    AttendanceView,
    CouncilView,
    MeetingView,
    MemberView,
    ResolutionView,
    TopicView,
)
from commgov.kernel.actors import Actor
from commgov.kernel.times import EARLIEST, LATEST
from commgov.kernel.values import INT32
from commgov.kernel.views import View
from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of, stale_cursor
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service
from commgov.people.model.limits import UNIT_CODE_MAX

router = APIRouter(tags=["councils"], responses=PROBLEMS)
FIRST_DAY, LAST_DAY = EARLIEST.date(), LATEST.date()
Day = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY)]
Councils = Annotated[CouncilService, Depends(service(CouncilService))]
Meetings = Annotated[MeetingService, Depends(service(MeetingService))]
UnitCode = Annotated[
    str, Query(min_length=1, max_length=UNIT_CODE_MAX, description="A unit's code.")
]
RowId = Annotated[int, Field(ge=1, le=INT32)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]
Note = Annotated[str, StringConstraints(min_length=1, max_length=NOTE_MAX)]
Place = Annotated[str, StringConstraints(min_length=1, max_length=PLACE_MAX)]


def _one_of(codes: Iterable[str]) -> Any:
    """A code field listing its values in the OpenAPI document (the service checks them)."""
    return Field(json_schema_extra={"enum": list(codes)})


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CouncilSeatView(View):
    """A kind of seat members sit for (the core's and the plugins')."""

    code: str
    label: str
    label_en: str


class CouncilSetUp(_Body):
    unit: Annotated[str, StringConstraints(min_length=1, max_length=UNIT_CODE_MAX)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
    kind: Annotated[str, _one_of(COUNCIL_KINDS)] = "council"


class CouncilSeating(_Body):
    """A member for a term: a resident, a staff member, or someone who is neither (by
    ``name``); ``represents`` says for whom."""

    seat: Annotated[str, StringConstraints(min_length=1, max_length=CODE_MAX)]
    term_start: Day
    term_end: Day
    role: Annotated[str, _one_of(ROLES)] = "member"
    resident_id: RowId | None = None
    staff_id: RowId | None = None
    name: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)] | None = None
    represents: Note | None = None


class CouncilUnseating(_Body):
    """``on``: the first day the member no longer serves."""

    on: Day
    reason: Note


class TopicProposal(_Body):
    title: Title
    description: Annotated[str, StringConstraints(max_length=TEXT_MAX)] = ""
    source: Annotated[str, _one_of(TOPIC_SOURCES)] | None = None
    source_ref: RowId | None = None


class AcceptTopic(_Body):
    """Put the topic on a scheduled meeting's agenda."""

    action: Literal["accept"] = "accept"
    meeting_id: RowId


class WithdrawTopic(_Body):
    action: Literal["withdraw"] = "withdraw"
    reason: Note


class ReferTopic(_Body):
    """Refer the topic elsewhere: a department, the town, a case number."""

    action: Literal["refer"] = "refer"
    to: Note


TopicCommand = Annotated[AcceptTopic | WithdrawTopic | ReferTopic, Field(discriminator="action")]


class MeetingPlan(_Body):
    """``in_person`` at a ``place``, ``online`` at a ``link``, or ``hybrid`` (both);
    ``capacity`` caps registrations."""

    title: Title
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    mode: Annotated[str, _one_of(MEETING_MODES)] = "in_person"
    place: Place | None = None
    link: Place | None = None
    capacity: Annotated[int, Field(ge=1, le=CAPACITY_MAX)] | None = None


class MeetingCheckIn(_Body):
    code: Annotated[str, StringConstraints(min_length=CODE_DIGITS, max_length=CODE_DIGITS)]


class MeetingAttendees(_Body):
    """Who attended, by key: ``resident:12``, ``staff:3``, ``household:7``, ``member:5``."""

    people: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=PERSON_KEY_MAX)]],
        Field(min_length=1, max_length=ATTENDEES_MAX),
    ]


class AttendanceRecorded(View):
    """How many attendees were new (someone recorded already keeps their first record)."""

    recorded: int


class MeetingMinutes(_Body):
    """The meeting's summary and one per agenda topic, by topic id."""

    summary: Text
    topics: dict[Annotated[int, Field(ge=1, le=INT32)], Text] = {}


class MeetingCancellation(_Body):
    reason: Note


class MeetingResolution(_Body):
    """What the meeting decided (on an agenda topic) and what follows, with its owner and
    the day it is due."""

    text: Text
    topic_id: RowId | None = None
    follow_up: Annotated[str, _one_of(FOLLOW_UPS)] = "none"
    reference: RowId | None = None
    owner_staff_id: RowId | None = None
    owner_department: Title | None = None
    due_on: Day | None = None


class ResolutionLink(_Body):
    """The case, project or vote that follows the resolution, by id."""

    reference: RowId


class ResolutionFulfilment(_Body):
    note: Note


def _on_topic(
    meetings: MeetingService, actor: Actor, topic_id: int, body: TopicCommand
) -> TopicView:
    if isinstance(body, AcceptTopic):
        return meetings.accept(actor, topic_id, meeting_id=body.meeting_id)
    if isinstance(body, WithdrawTopic):
        return meetings.withdraw(actor, topic_id, reason=body.reason)
    return meetings.refer(actor, topic_id, to=body.to)


# -- councils and members --------------------------------------------------------------------
@router.get("/council-seats", response_model=list[CouncilSeatView])
def council_seats(*, actor: Caller, councils: Councils) -> list[CouncilSeatView]:
    """Every kind of seat members may sit for, by code."""
    return [
        CouncilSeatView(code=s.code, label=s.label, label_en=s.label_en) for s in councils.seats()
    ]


@router.post("/councils", status_code=201, response_model=CouncilView)
def set_up_council(
    *,
    request: Request,
    body: CouncilSetUp,
    actor: Caller,
    councils: Councils,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Set up a council (议事会, 居民议事厅, 恳谈会) of a unit."""

    def work() -> CouncilView:
        return councils.create(actor, unit=body.unit, name=body.name, kind=body.kind)

    return once(request, actor, key, body, work)


@router.get("/councils", response_model=list[CouncilView])
def list_councils(*, actor: Caller, councils: Councils, unit: UnitCode) -> list[CouncilView]:
    """The councils of a unit with today's members, oldest first."""
    return councils.of_unit(actor, unit)


@router.get("/councils/{council_id}", response_model=CouncilView)
def get_council(
    *,
    council_id: PathId,
    actor: Caller,
    councils: Councils,
    on: Annotated[dt.date | None, Query(ge=FIRST_DAY, le=LAST_DAY)] = None,
) -> CouncilView:
    """The council with the members serving ``on`` (default today)."""
    return councils.get(actor, council_id, on=on)


@router.post("/councils/{council_id}/members", status_code=201, response_model=MemberView)
def seat_member(
    *,
    request: Request,
    council_id: PathId,
    body: CouncilSeating,
    actor: Caller,
    councils: Councils,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Seat a member for a term (at most one chair at a time)."""

    def work() -> MemberView:
        return councils.seat(
            actor, council_id, seat=body.seat, term_start=body.term_start,
            term_end=body.term_end, role=body.role, resident_id=body.resident_id,
            staff_id=body.staff_id, name=body.name, represents=body.represents,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.post("/council-members/{member_id}/ending", response_model=MemberView)
def unseat_member(
    *,
    request: Request,
    member_id: PathId,
    body: CouncilUnseating,
    actor: Caller,
    councils: Councils,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """End a membership before its term does."""

    def work() -> MemberView:
        return councils.unseat(actor, member_id, on=body.on, reason=body.reason)

    return once(request, actor, key, body, work, status=200)


# -- topics ----------------------------------------------------------------------------------
@router.post("/councils/{council_id}/topics", status_code=201, response_model=TopicView)
def propose_topic(
    *,
    request: Request,
    council_id: PathId,
    body: TopicProposal,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Put a topic (议题) to the council: a resident living under its unit, or staff."""

    def work() -> TopicView:
        return meetings.propose(
            actor, council_id, title=body.title, description=body.description,
            source=body.source, source_ref=body.source_ref,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.get("/councils/{council_id}/topics", response_model=list[TopicView])
def list_topics(
    *,
    council_id: PathId,
    actor: Caller,
    meetings: Meetings,
    state: Annotated[str | None, Query(json_schema_extra={"enum": list(TOPIC_STATES)})] = None,
) -> list[TopicView]:
    """The council's topics, oldest first, optionally in one state."""
    return meetings.topics(actor, council_id, state=state)


@router.post("/council-topics/{topic_id}/actions", response_model=TopicView)
def act_on_topic(
    *,
    request: Request,
    topic_id: PathId,
    body: TopicCommand,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """``accept`` a topic for a meeting's agenda, ``withdraw`` or ``refer`` it."""
    return once(
        request, actor, key, body, lambda: _on_topic(meetings, actor, topic_id, body), status=200
    )


# -- meetings --------------------------------------------------------------------------------
@router.post("/councils/{council_id}/meetings", status_code=201, response_model=MeetingView)
def schedule_meeting(
    *,
    request: Request,
    council_id: PathId,
    body: MeetingPlan,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Schedule a meeting; its six-digit check-in code is shown to staff who run it."""

    def work() -> MeetingView:
        return meetings.schedule(
            actor, council_id, title=body.title, starts_at=body.starts_at,
            ends_at=body.ends_at, mode=body.mode, place=body.place, link=body.link,
            capacity=body.capacity,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.get("/councils/{council_id}/meetings", response_model=Page[MeetingView])
def list_meetings(
    *,
    council_id: PathId,
    actor: Caller,
    meetings: Meetings,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[MeetingView]:
    """The council's meetings by start, a page at a time."""
    with stale_cursor(cursor):
        found = meetings.meetings(
            actor, council_id, after_id=decode_cursor(cursor), limit=limit + 1
        )
    return page_of(found, limit, key=lambda m: m.id)


@router.get("/meetings/{meeting_id}", response_model=MeetingView)
def get_meeting(*, meeting_id: PathId, actor: Caller, meetings: Meetings) -> MeetingView:
    return meetings.get(actor, meeting_id)


@router.post("/meetings/{meeting_id}/registrations", status_code=201, response_model=MeetingView)
def register_for_meeting(
    *,
    request: Request,
    meeting_id: PathId,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Register the caller for a meeting within its capacity (twice, or full: 409)."""
    return once(request, actor, key, None, lambda: meetings.register(actor, meeting_id))


@router.post("/meetings/{meeting_id}/check-ins", status_code=201, response_model=AttendanceView)
def check_in(
    *,
    request: Request,
    meeting_id: PathId,
    body: MeetingCheckIn,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Attend with the meeting's code, from an hour before it starts until it ends."""
    return once(
        request, actor, key, body, lambda: meetings.check_in(actor, meeting_id, code=body.code)
    )


@router.post("/meetings/{meeting_id}/attendance", response_model=AttendanceRecorded)
def record_attendance(
    *,
    request: Request,
    meeting_id: PathId,
    body: MeetingAttendees,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Staff record who attended, by person key."""

    def work() -> AttendanceRecorded:
        added = meetings.record_attendance(actor, meeting_id, people=body.people)
        return AttendanceRecorded(recorded=added)

    return once(request, actor, key, body, work, status=200)


@router.get("/meetings/{meeting_id}/attendance", response_model=list[AttendanceView])
def attendance(*, meeting_id: PathId, actor: Caller, meetings: Meetings) -> list[AttendanceView]:
    """Who attended, when and how (staff within reach)."""
    return meetings.attendance(actor, meeting_id)


@router.post("/meetings/{meeting_id}/minutes", response_model=MeetingView)
def record_minutes(
    *,
    request: Request,
    meeting_id: PathId,
    body: MeetingMinutes,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Write (or rewrite) the minutes: a summary, and one per agenda topic."""

    def work() -> MeetingView:
        return meetings.record_minutes(actor, meeting_id, summary=body.summary, topics=body.topics)

    return once(request, actor, key, body, work, status=200)


@router.post("/meetings/{meeting_id}/closing", response_model=MeetingView)
def close_meeting(
    *,
    request: Request,
    meeting_id: PathId,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Close a meeting with its minutes; topics it did not decide go back to proposed."""
    return once(request, actor, key, None, lambda: meetings.close(actor, meeting_id), status=200)


@router.post("/meetings/{meeting_id}/cancellation", response_model=MeetingView)
def cancel_meeting(
    *,
    request: Request,
    meeting_id: PathId,
    body: MeetingCancellation,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Cancel a scheduled meeting; its agenda's topics go back to proposed."""

    def work() -> MeetingView:
        return meetings.cancel(actor, meeting_id, reason=body.reason)

    return once(request, actor, key, body, work, status=200)


# -- resolutions -----------------------------------------------------------------------------
@router.post("/meetings/{meeting_id}/resolutions", status_code=201, response_model=ResolutionView)
def resolve(
    *,
    request: Request,
    meeting_id: PathId,
    body: MeetingResolution,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Record a resolution (决议) and what follows: a case, a task, a project, a vote."""

    def work() -> ResolutionView:
        return meetings.resolve(
            actor, meeting_id, text=body.text, topic_id=body.topic_id,
            follow_up=body.follow_up, reference=body.reference,
            owner_staff_id=body.owner_staff_id, owner_department=body.owner_department,
            due_on=body.due_on,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.get("/councils/{council_id}/resolutions", response_model=list[ResolutionView])
def list_resolutions(
    *, council_id: PathId, actor: Caller, meetings: Meetings, open_only: bool = False
) -> list[ResolutionView]:
    """The council's resolutions, oldest first (``open_only``: not yet carried out)."""
    return meetings.resolutions(actor, council_id, open_only=open_only)


@router.post("/resolutions/{resolution_id}/link", response_model=ResolutionView)
def link_resolution(
    *,
    request: Request,
    resolution_id: PathId,
    body: ResolutionLink,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Name the case, project or vote that follows a resolution, once it exists."""

    def work() -> ResolutionView:
        return meetings.link(actor, resolution_id, reference=body.reference)

    return once(request, actor, key, body, work, status=200)


@router.post("/resolutions/{resolution_id}/fulfilment", response_model=ResolutionView)
def fulfil_resolution(
    *,
    request: Request,
    resolution_id: PathId,
    body: ResolutionFulfilment,
    actor: Caller,
    meetings: Meetings,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Mark a resolution carried out."""

    def work() -> ResolutionView:
        return meetings.fulfil(actor, resolution_id, note=body.note)

    return once(request, actor, key, body, work, status=200)
