"""Organisations and their activities over HTTP: the registry and its members, party
members' dual registration (党员双报到), activities, sign-ups (places and the waiting list),
withdrawals and attendance (paid once through the ledgers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from commgov.kernel.times import EARLIEST, LATEST
from commgov.kernel.values import INT32
from commgov.kernel.views import View
from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of, stale_cursor
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service
from commgov.organisations.model.kinds import ROLES
from commgov.organisations.model.limits import (
    CODE_MAX,
    CONTACT_MAX,
    NAME_MAX,
    NOTE_MAX,
    PEOPLE_MAX,
    PLACES_MAX,
    SERVED_MAX,
    WORKPLACE_MAX,
)
from commgov.organisations.service.activities import ActivityService
from commgov.organisations.service.organisations import OrganisationService
from commgov.organisations.views import (
    ActivityView,
    OrganisationMemberView,
    OrganisationView,
    PartyRegistrationView,
    SignupView,
)
from commgov.people.model.limits import UNIT_CODE_MAX

router = APIRouter(tags=["organisations"], responses=PROBLEMS)
FIRST_DAY, LAST_DAY = EARLIEST.date(), LATEST.date()
Organisations = Annotated[OrganisationService, Depends(service(OrganisationService))]
Activities = Annotated[ActivityService, Depends(service(ActivityService))]
UnitCode = Annotated[
    str, Query(min_length=1, max_length=UNIT_CODE_MAX, description="A unit's code.")
]
Unit = Annotated[str, StringConstraints(min_length=1, max_length=UNIT_CODE_MAX)]
RowId = Annotated[int, Field(ge=1, le=INT32)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=CODE_MAX)]
Note = Annotated[str, StringConstraints(min_length=1, max_length=NOTE_MAX)]
Workplace = Annotated[str, StringConstraints(max_length=WORKPLACE_MAX)]
PHONE_MAX = 32
"""The longest phone number text taken (the people package checks the number itself)."""


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OrganisationKindView(View):
    """A kind of organisation (``party``: the party's own, laid over the grids)."""

    code: str
    label: str
    label_en: str
    party: bool


class OrganisationRegistration(_Body):
    """An organisation at its home ``unit``; ``serves``: further units a team serves; a
    party organisation's ``parent_id`` is a party organisation whose unit contains its own."""

    unit: Unit
    name: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
    kind: Code
    parent_id: RowId | None = None
    serves: Annotated[tuple[Unit, ...], Field(max_length=SERVED_MAX)] = ()
    contact_name: Annotated[str, StringConstraints(min_length=1, max_length=CONTACT_MAX)] | None = (
        None
    )
    contact_phone: Annotated[str, StringConstraints(min_length=1, max_length=PHONE_MAX)] | None = (
        None
    )


class OrganisationMembership(_Body):
    resident_id: RowId
    role: Annotated[str, Field(json_schema_extra={"enum": list(ROLES)})] = "member"


class OrganisationLeaving(_Body):
    resident_id: RowId


class PartyRegistration(_Body):
    """A party member reports to the branch where they live, keeping their workplace."""

    resident_id: RowId
    branch_id: RowId
    workplace: Annotated[str, StringConstraints(min_length=1, max_length=WORKPLACE_MAX)]
    workplace_branch: Workplace = ""


class ActivityPublication(_Body):
    """An activity of an organisation: where (its home, or a unit under it or one it
    serves), optionally in a booking of a shared resource, when, how many places, and what
    attending pays (``points_activity`` of the points table, ``bank_time``)."""

    organisation_id: RowId
    title: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
    kind: Code
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    places: Annotated[int, Field(ge=1, le=PLACES_MAX)]
    unit: Unit | None = None
    booking_id: RowId | None = None
    points_activity: Code | None = "volunteer"
    bank_time: bool = True


class ActivitySignUp(_Body):
    """A resident signs themselves up; staff name the resident."""

    resident_id: RowId | None = None


class AttendanceRegister(_Body):
    """Who came and who did not; each must hold a place."""

    present: Annotated[tuple[RowId, ...], Field(max_length=PEOPLE_MAX)] = ()
    absent: Annotated[tuple[RowId, ...], Field(max_length=PEOPLE_MAX)] = ()


class ActivityCancellation(_Body):
    reason: Note


# -- the registry ----------------------------------------------------------------------------
@router.get("/organisation-kinds", response_model=list[OrganisationKindView])
def organisation_kinds(
    *, actor: Caller, organisations: Organisations
) -> list[OrganisationKindView]:
    """Every kind of organisation, by code (the core's and the plugins')."""
    return [
        OrganisationKindView(code=k.code, label=k.label, label_en=k.label_en, party=k.party)
        for k in organisations.kinds().values()
    ]


@router.post("/organisations", status_code=201, response_model=OrganisationView)
def register_organisation(
    *,
    request: Request,
    body: OrganisationRegistration,
    actor: Caller,
    organisations: Organisations,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Register an organisation at a unit (staff who may write to it)."""

    def work() -> OrganisationView:
        return organisations.register(
            actor, unit=body.unit, name=body.name, kind=body.kind, parent_id=body.parent_id,
            serves=body.serves, contact_name=body.contact_name,
            contact_phone=body.contact_phone,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.get("/organisations", response_model=Page[OrganisationView])
def list_organisations(
    *,
    actor: Caller,
    organisations: Organisations,
    unit: UnitCode,
    party: bool | None = None,
    kind: Annotated[str | None, Query(min_length=1, max_length=CODE_MAX)] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[OrganisationView]:
    """Organisations at or under a unit or serving there, in the order they were
    registered, a page at a time."""
    with stale_cursor(cursor):
        found = organisations.under(
            actor,
            unit=unit,
            party=party,
            kind=kind,
            after_id=decode_cursor(cursor),
            limit=limit + 1,
        )
    return page_of(found, limit, key=lambda o: o.id)


@router.get("/organisations/{organisation_id}", response_model=OrganisationView)
def get_organisation(
    *, organisation_id: PathId, actor: Caller, organisations: Organisations
) -> OrganisationView:
    """One organisation (its contact's phone masked unless the caller may read it)."""
    return organisations.get(actor, organisation_id)


@router.post(
    "/organisations/{organisation_id}/members",
    status_code=201,
    response_model=OrganisationMemberView,
)
def add_member(
    *,
    request: Request,
    organisation_id: PathId,
    body: OrganisationMembership,
    actor: Caller,
    organisations: Organisations,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Add a resident (or change a member's role): its leaders or staff within reach."""

    def work() -> OrganisationMemberView:
        return organisations.add_member(
            actor, organisation_id, resident_id=body.resident_id, role=body.role
        )

    return once(request, actor, key, body, work)


@router.post("/organisations/{organisation_id}/departures", response_model=OrganisationMemberView)
def remove_member(
    *,
    request: Request,
    organisation_id: PathId,
    body: OrganisationLeaving,
    actor: Caller,
    organisations: Organisations,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """End a membership; the record stays."""

    def work() -> OrganisationMemberView:
        return organisations.remove_member(actor, organisation_id, resident_id=body.resident_id)

    return once(request, actor, key, body, work, status=200)


@router.get("/organisations/{organisation_id}/members", response_model=list[OrganisationMemberView])
def list_members(
    *,
    organisation_id: PathId,
    actor: Caller,
    organisations: Organisations,
    former: bool = False,
) -> list[OrganisationMemberView]:
    """The current members (``former``: those who left too), phones masked unless the
    caller may read them."""
    return organisations.members(actor, organisation_id, former=former)


@router.post("/party-registrations", status_code=201, response_model=PartyRegistrationView)
def register_party_member(
    *,
    request: Request,
    body: PartyRegistration,
    actor: Caller,
    organisations: Organisations,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """党员双报到: a party member reports to the branch where they live."""

    def work() -> PartyRegistrationView:
        return organisations.register_party_member(
            actor, resident_id=body.resident_id, branch_id=body.branch_id,
            workplace=body.workplace, workplace_branch=body.workplace_branch,
        )  # fmt: skip

    return once(request, actor, key, body, work)


# -- activities ------------------------------------------------------------------------------
@router.post("/activities", status_code=201, response_model=ActivityView)
def publish_activity(
    *,
    request: Request,
    body: ActivityPublication,
    actor: Caller,
    activities: Activities,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Publish an activity (the organisation's leaders, or staff within reach)."""

    def work() -> ActivityView:
        return activities.publish(
            actor, organisation_id=body.organisation_id, title=body.title, kind=body.kind,
            starts_at=body.starts_at, ends_at=body.ends_at, places=body.places,
            unit=body.unit, booking_id=body.booking_id,
            points_activity=body.points_activity, bank_time=body.bank_time,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.get("/activities", response_model=Page[ActivityView])
def list_activities(
    *,
    actor: Caller,
    activities: Activities,
    unit: Annotated[str | None, Query(min_length=1, max_length=UNIT_CODE_MAX)] = None,
    organisation_id: Annotated[int | None, Query(ge=1, le=INT32)] = None,
    start: Annotated[dt.date | None, Query(ge=FIRST_DAY, le=LAST_DAY)] = None,
    end: Annotated[dt.date | None, Query(ge=FIRST_DAY, le=LAST_DAY)] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[ActivityView]:
    """Activities held at or under ``unit``, or of one organisation, from ``start`` to
    ``end`` (days in the store's zone, both counted), in the order they were published, a
    page at a time."""
    with stale_cursor(cursor):
        found = activities.find(
            actor,
            unit=unit,
            organisation_id=organisation_id,
            start=start,
            end=end,
            after_id=decode_cursor(cursor),
            limit=limit + 1,
        )
    return page_of(found, limit, key=lambda a: a.id)


@router.get("/activities/{activity_id}", response_model=ActivityView)
def get_activity(*, activity_id: PathId, actor: Caller, activities: Activities) -> ActivityView:
    return activities.get(actor, activity_id)


@router.post("/activities/{activity_id}/signups", status_code=201, response_model=SignupView)
def sign_up(
    *,
    request: Request,
    activity_id: PathId,
    body: ActivitySignUp,
    actor: Caller,
    activities: Activities,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Sign up: a place while places last, else the waiting list (twice: 409)."""

    def work() -> SignupView:
        return activities.sign_up(actor, activity_id, resident_id=body.resident_id)

    return once(request, actor, key, body, work)


@router.post("/activities/{activity_id}/withdrawals", response_model=SignupView)
def withdraw(
    *,
    request: Request,
    activity_id: PathId,
    body: ActivitySignUp,
    actor: Caller,
    activities: Activities,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Give up a place (the first waiting resident takes it) or leave the waiting list."""

    def work() -> SignupView:
        return activities.withdraw(actor, activity_id, resident_id=body.resident_id)

    return once(request, actor, key, body, work, status=200)


@router.get("/activities/{activity_id}/signups", response_model=list[SignupView])
def list_signups(*, activity_id: PathId, actor: Caller, activities: Activities) -> list[SignupView]:
    """Every sign-up in the order residents signed up (the organisation's leaders, staff)."""
    return activities.signups(actor, activity_id)


@router.post("/activities/{activity_id}/attendance", response_model=list[SignupView])
def take_attendance(
    *,
    request: Request,
    activity_id: PathId,
    body: AttendanceRegister,
    actor: Caller,
    activities: Activities,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Record who came and who did not, once the activity has begun: a resident newly
    present is paid once; one marked absent after being paid has it reversed."""

    def work() -> list[SignupView]:
        return activities.take_attendance(
            actor, activity_id, present=body.present, absent=body.absent
        )

    return once(request, actor, key, body, work, status=200)


@router.post("/activities/{activity_id}/cancellation", response_model=ActivityView)
def cancel_activity(
    *,
    request: Request,
    activity_id: PathId,
    body: ActivityCancellation,
    actor: Caller,
    activities: Activities,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Cancel an activity whose attendance was not taken."""

    def work() -> ActivityView:
        return activities.cancel(actor, activity_id, reason=body.reason)

    return once(request, actor, key, body, work, status=200)
