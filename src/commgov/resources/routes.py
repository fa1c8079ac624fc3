"""Shared resources over HTTP: publish, list and read resources, close them for a period,
book (once or as a series), the calendar, one's own bookings, and the bookings' steps
(approve, reject, cancel, check in, no-show)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from commgov.kernel.actors import Actor
from commgov.kernel.times import EARLIEST, LATEST
from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of, stale_cursor
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service
from commgov.people.model.limits import UNIT_CODE_MAX
from commgov.resources.model.limits import (
    CAPACITY_MAX,
    DAY_MINUTES,
    HORIZON_MAX,
    INTERVALS_MAX,
    LONGEST_MAX,
    NAME_MAX,
    NOTE_MAX,
    OCCURRENCES_MAX,
    SLOT_MIN,
    TEXT_MAX,
)
from commgov.resources.model.vocab import BOOKERS, KINDS, REPEATS
from commgov.resources.service.resources import ResourceService
from commgov.resources.views import BookingView, ClosureView, ResourceView

T = TypeVar("T")
router = APIRouter(tags=["resources"], responses=PROBLEMS)
FIRST_DAY, LAST_DAY = EARLIEST.date(), LATEST.date()
Day = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY)]
Resources = Annotated[ResourceService, Depends(service(ResourceService))]
UnitCode = Annotated[
    str, Query(min_length=1, max_length=UNIT_CODE_MAX, description="A unit's code.")
]
Unit = Annotated[str, StringConstraints(min_length=1, max_length=UNIT_CODE_MAX)]
Note = Annotated[str, StringConstraints(min_length=1, max_length=NOTE_MAX)]
Purpose = Annotated[str, StringConstraints(max_length=NOTE_MAX)]
Interval = Annotated[str, StringConstraints(min_length=9, max_length=20)]
DAYS_MAX = 14
"""The most day keys (``mon``, ``mon-fri``, ``daily`` …) opening hours name."""


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ResourcePublication(_Body):
    """A resource of a unit with its weekly opening ``hours`` in the store's zone
    (``{"mon-fri": ["08:00-12:00", "14:00-21:00"], "sat": ["09:00-17:00"]}``, ``daily``
    for every day) and its booking rules."""

    unit: Unit
    name: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
    kind: Annotated[str, Field(json_schema_extra={"enum": list(KINDS)})]
    hours: Annotated[
        dict[
            Annotated[str, StringConstraints(min_length=3, max_length=16)],
            Annotated[list[Interval], Field(max_length=INTERVALS_MAX)],
        ],
        Field(max_length=DAYS_MAX),
    ]
    capacity: Annotated[int, Field(ge=1, le=CAPACITY_MAX)] = 1
    slot_minutes: Annotated[int, Field(ge=SLOT_MIN, le=DAY_MINUTES)] = 30
    bookers: Annotated[str, Field(json_schema_extra={"enum": list(BOOKERS)})] = "both"
    shared: bool = False
    horizon_days: Annotated[int, Field(ge=1, le=HORIZON_MAX)] = 30
    longest_minutes: Annotated[int, Field(ge=SLOT_MIN, le=LONGEST_MAX)] = 240
    approval: bool = False
    description: Annotated[str, StringConstraints(max_length=TEXT_MAX)] = ""


class ResourceClosing(_Body):
    """A closed period (maintenance, a holiday); live bookings in the way are a 409."""

    starts_at: AwareDatetime
    ends_at: AwareDatetime
    reason: Note


class BookingRequest(_Body):
    """Places of the resource on its slots: a resident for themselves, staff for their
    unit (``for_unit`` when they answer for several)."""

    starts_at: AwareDatetime
    ends_at: AwareDatetime
    party_size: Annotated[int, Field(ge=1, le=CAPACITY_MAX)] = 1
    purpose: Purpose = ""
    for_unit: Unit | None = None


class SeriesRequest(BookingRequest):
    """The same local hours ``repeat``-ed ``occurrences`` times: all or nothing."""

    occurrences: Annotated[int, Field(ge=1, le=OCCURRENCES_MAX)]
    repeat: Annotated[str, Field(json_schema_extra={"enum": list(REPEATS)})] = "weekly"


class ApproveBooking(_Body):
    """Approve a pending booking (staff of the resource's unit)."""

    action: Literal["approve"] = "approve"


class RejectBooking(_Body):
    """Reject a pending booking; its places come back."""

    action: Literal["reject"] = "reject"
    reason: Note


class CancelBooking(_Body):
    """Cancel a booking before it starts (its booker, or staff); its places come back."""

    action: Literal["cancel"] = "cancel"
    reason: Note


class CheckInBooking(_Body):
    """Mark the booking attended: staff from half an hour before it starts, the booker
    from then until it ends."""

    action: Literal["check_in"] = "check_in"


class NoShowBooking(_Body):
    """Mark a booking whose party did not come, once it started; the slots not yet begun
    come back."""

    action: Literal["no_show"] = "no_show"


BookingCommand = Annotated[
    ApproveBooking | RejectBooking | CancelBooking | CheckInBooking | NoShowBooking,
    Field(discriminator="action"),
]


def _on_booking(
    resources: ResourceService, actor: Actor, booking_id: int, body: BookingCommand
) -> BookingView:
    if isinstance(body, ApproveBooking):
        return resources.approve(actor, booking_id)
    if isinstance(body, RejectBooking):
        return resources.reject(actor, booking_id, reason=body.reason)
    if isinstance(body, CancelBooking):
        return resources.cancel(actor, booking_id, reason=body.reason)
    if isinstance(body, CheckInBooking):
        return resources.check_in(actor, booking_id)
    return resources.no_show(actor, booking_id)


@router.post("/resources", status_code=201, response_model=ResourceView)
def publish_resource(
    *,
    request: Request,
    body: ResourcePublication,
    actor: Caller,
    resources: Resources,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Publish a resource of a unit (staff who may write to the unit)."""

    def work() -> ResourceView:
        return resources.publish(
            actor, unit=body.unit, name=body.name, kind=body.kind, hours=body.hours,
            capacity=body.capacity, slot_minutes=body.slot_minutes, bookers=body.bookers,
            shared=body.shared, horizon_days=body.horizon_days,
            longest_minutes=body.longest_minutes, approval=body.approval,
            description=body.description,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.get("/resources", response_model=Page[ResourceView])
def list_resources(
    *,
    actor: Caller,
    resources: Resources,
    under: UnitCode,
    bookable_by: Annotated[str | None, Query(min_length=1, max_length=UNIT_CODE_MAX)] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[ResourceView]:
    """The resources at or under ``under`` the caller may see, by id; with ``bookable_by``
    (a unit's code), those a party of that unit may book, shared ones anywhere included."""
    with stale_cursor(cursor):
        found = resources.list(
            actor,
            under=under,
            bookable_by=bookable_by,
            after_id=decode_cursor(cursor),
            limit=limit + 1,
        )
    return page_of(found, limit, key=lambda r: r.id)


@router.get("/resources/{resource_id}", response_model=ResourceView)
def get_resource(*, resource_id: PathId, actor: Caller, resources: Resources) -> ResourceView:
    """The resource, with its closed periods not yet over."""
    return resources.get(actor, resource_id)


@router.post("/resources/{resource_id}/closures", status_code=201, response_model=ClosureView)
def close_resource(
    *,
    request: Request,
    resource_id: PathId,
    body: ResourceClosing,
    actor: Caller,
    resources: Resources,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Close the resource for a period (staff of its unit)."""

    def work() -> ClosureView:
        return resources.close(
            actor, resource_id, starts_at=body.starts_at, ends_at=body.ends_at,
            reason=body.reason,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.post("/resources/{resource_id}/bookings", status_code=201, response_model=BookingView)
def book(
    *,
    request: Request,
    resource_id: PathId,
    body: BookingRequest,
    actor: Caller,
    resources: Resources,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Book places of the resource; a full slot is a 409 naming it. Approved at once
    unless the resource needs approval (then pending, holding its places)."""

    def work() -> BookingView:
        return resources.book(
            actor, resource_id, starts_at=body.starts_at, ends_at=body.ends_at,
            party_size=body.party_size, purpose=body.purpose, for_unit=body.for_unit,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.post(
    "/resources/{resource_id}/booking-series", status_code=201, response_model=list[BookingView]
)
def book_series(
    *,
    request: Request,
    resource_id: PathId,
    body: SeriesRequest,
    actor: Caller,
    resources: Resources,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Book the same local hours weekly or daily: the first occurrence that cannot be
    booked fails the whole series, naming its date, and nothing is written."""

    def work() -> list[BookingView]:
        return resources.book_recurring(
            actor, resource_id, starts_at=body.starts_at, ends_at=body.ends_at,
            occurrences=body.occurrences, repeat=body.repeat, party_size=body.party_size,
            purpose=body.purpose, for_unit=body.for_unit,
        )  # fmt: skip

    return once(request, actor, key, body, work)


CALENDAR_DAYS: Final = 366
"""The longest calendar one request reads."""


@router.get("/resources/{resource_id}/bookings", response_model=list[BookingView])
def calendar(
    *,
    resource_id: PathId,
    actor: Caller,
    resources: Resources,
    start: Annotated[Day | AwareDatetime, Query()],
    end: Annotated[Day | AwareDatetime, Query()],
) -> list[BookingView]:
    """The resource's calendar: its bookings in every state overlapping ``start`` to
    ``end`` (days in the store's zone, ``end`` included whole, or aware times), by start; at
    most 366 days a request (the window bounds the answer: it is not paged)."""
    return resources.bookings(
        actor, resource_id=resource_id, start=start, end=end, most_days=CALENDAR_DAYS
    )


@router.get("/my-bookings", response_model=list[BookingView])
def my_bookings(*, actor: Caller, resources: Resources) -> list[BookingView]:
    """The bookings the caller made, by start."""
    return resources.mine(actor)


@router.get("/bookings/{booking_id}", response_model=BookingView)
def get_booking(*, booking_id: PathId, actor: Caller, resources: Resources) -> BookingView:
    """One booking, for its booker and staff within reach (a resident booker's name masked
    unless the caller may read it)."""
    return resources.booking(actor, booking_id)


@router.post("/bookings/{booking_id}/actions", response_model=BookingView)
def act_on_booking(
    *,
    request: Request,
    booking_id: PathId,
    body: BookingCommand,
    actor: Caller,
    resources: Resources,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """One step of a booking, chosen by ``action``: ``approve``, ``reject``, ``cancel``,
    ``check_in``, ``no_show``."""

    def work() -> BookingView:
        return _on_booking(resources, actor, booking_id, body)

    return once(request, actor, key, body, work, status=200)
