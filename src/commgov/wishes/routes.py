"""Micro-wishes over HTTP: post, list and read wishes, triage, the timetable, candidates and
matches (an offer claims a want), fulfil, adopt suggestions, withdraw, statistics."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from commgov.kernel.times import EARLIEST, LATEST
from commgov.kernel.values import INT32
from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of, stale_cursor
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service
from commgov.people.model.limits import UNIT_CODE_MAX
from commgov.wishes.model.limits import (
    ADDRESS_MAX,
    CODE_MAX,
    EVIDENCE_MAX,
    NAME_MAX,
    NOTE_MAX,
    PHOTOS_MAX,
    QUANTITY_MAX,
    RATING_MAX,
    RATING_MIN,
    REF_MAX,
    TEXT_MAX,
)
from commgov.wishes.model.rules import AuthorKind, Tier, WishKind
from commgov.wishes.model.vocab import WishState
from commgov.wishes.service.wishes import WishService
from commgov.wishes.views import (
    CandidateView,
    FulfilmentView,
    MatchView,
    TimetableRow,
    WishCategoryView,
    WishStatistics,
    WishView,
)

T = TypeVar("T")
router = APIRouter(tags=["wishes"], responses=PROBLEMS)
FIRST_DAY, LAST_DAY = EARLIEST.date(), LATEST.date()
Day = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY)]
DayQuery = Annotated[dt.date, Query(ge=FIRST_DAY, le=LAST_DAY)]
Wishes = Annotated[WishService, Depends(service(WishService))]
UnitCode = Annotated[
    str, Query(min_length=1, max_length=UNIT_CODE_MAX, description="A unit's code.")
]
Code = Annotated[str, StringConstraints(min_length=1, max_length=CODE_MAX)]
Unit = Annotated[str, StringConstraints(min_length=1, max_length=UNIT_CODE_MAX)]
Note = Annotated[str, StringConstraints(min_length=1, max_length=NOTE_MAX)]
Reference = Annotated[str, StringConstraints(min_length=1, max_length=REF_MAX)]
RowId = Annotated[int, Field(ge=1, le=INT32)]
Rating = Annotated[int, Field(ge=RATING_MIN, le=RATING_MAX)]


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WishPost(_Body):
    """A want (我想要), an offer (我愿做) or a suggestion (我期望). The author is a resident
    (``resident_id``), the staff member calling (the default without a resident), or an
    organisation or partner (``author_kind``, ``author_name``, ``author_ref``)."""

    kind: WishKind
    category: Code
    text: Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]
    unit: Unit | None = None
    resident_id: RowId | None = None
    author_kind: AuthorKind | None = None
    author_name: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)] | None = None
    author_ref: Reference | None = None
    address: Annotated[str, StringConstraints(min_length=1, max_length=ADDRESS_MAX)] | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    photos: Annotated[tuple[Reference, ...], Field(max_length=PHOTOS_MAX)] = ()
    wanted_by: Day | None = None
    quantity: Annotated[int, Field(ge=1, le=QUANTITY_MAX)] = 1


class WishWithdrawal(_Body):
    reason: Note


class WishTriage(_Body):
    """A tier (and a target day) by hand; neither: the rule ``commgov_wish_tier`` decides."""

    tier: Tier | None = None
    target: Day | None = None


class WishClaim(_Body):
    """An offer proposed for a want: ``quantity`` of its capacity, held from now on."""

    offer_id: RowId
    quantity: Annotated[int, Field(ge=1, le=QUANTITY_MAX)] = 1


class MatchDecline(_Body):
    reason: Note | None = None


class WishFulfilment(_Body):
    evidence: Annotated[tuple[Reference, ...], Field(max_length=EVIDENCE_MAX)] = ()
    rating: Rating | None = None
    note: Note | None = None


class AdoptAsCase(_Body):
    """A suggestion reported as a case in ``unit`` (a grid; default its own), filed under
    ``category``."""

    to: Literal["case"]
    unit: Unit | None = None
    category: Code | None = None


class ReferWish(_Body):
    """A suggestion referred to a council ``topic`` or a ``project`` named by
    ``reference``."""

    to: Literal["topic", "project"]
    reference: Reference


WishAdoption = Annotated[AdoptAsCase | ReferWish, Field(discriminator="to")]


@router.get("/wish-categories", response_model=list[WishCategoryView])
def wish_categories(*, actor: Caller, wishes: Wishes) -> list[WishCategoryView]:
    """Every category and item wishes are filed under (the core's and the plugins')."""
    return wishes.categories()


@router.post("/wishes", status_code=201, response_model=WishView)
def post_wish(
    *, request: Request, body: WishPost, actor: Caller, wishes: Wishes, key: IdempotencyKey = None
) -> JSONResponse:
    """Post a wish; a resident posts for their own household, staff for a resident they
    interviewed, for themselves, or for an organisation or partner."""

    def work() -> WishView:
        return wishes.post(
            actor, kind=body.kind, category=body.category, text=body.text, unit=body.unit,
            resident_id=body.resident_id, author_kind=body.author_kind,
            author_name=body.author_name, author_ref=body.author_ref, address=body.address,
            lat=body.lat, lon=body.lon, photos=body.photos, wanted_by=body.wanted_by,
            quantity=body.quantity,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.get("/wishes", response_model=Page[WishView])
def list_wishes(
    *,
    actor: Caller,
    wishes: Wishes,
    unit: UnitCode,
    kind: WishKind | None = None,
    state: WishState | None = None,
    category: Annotated[str | None, Query(min_length=1, max_length=CODE_MAX)] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[WishView]:
    """Wishes in ``unit`` and below, oldest first, a page at a time (authors masked as the
    caller's rights require)."""
    with stale_cursor(cursor):
        found = wishes.under(
            actor,
            unit,
            kind=kind,
            state=state,
            category=category,
            limit=limit + 1,
            after_id=decode_cursor(cursor),
        )
    return page_of(found, limit, key=lambda w: w.id)


@router.get("/wishes/{wish_id}", response_model=WishView)
def get_wish(*, wish_id: PathId, actor: Caller, wishes: Wishes) -> WishView:
    return wishes.get(actor, wish_id)


@router.post("/wishes/{wish_id}/withdrawal", response_model=WishView)
def withdraw_wish(
    *,
    request: Request,
    wish_id: PathId,
    body: WishWithdrawal,
    actor: Caller,
    wishes: Wishes,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Its author (or staff) withdraws an open wish; its live matches are cancelled."""
    return once(
        request, actor, key, body, lambda: wishes.withdraw(actor, wish_id, reason=body.reason),
        status=200,
    )  # fmt: skip


@router.post("/wishes/{wish_id}/triage", response_model=WishView)
def triage_wish(
    *,
    request: Request,
    wish_id: PathId,
    body: WishTriage,
    actor: Caller,
    wishes: Wishes,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Put a want or a suggestion in a tier (立即实现 now, 近期 soon, 未来 future)."""

    def work() -> WishView:
        return wishes.triage(actor, wish_id, tier=body.tier, target=body.target)

    return once(request, actor, key, body, work, status=200)


@router.get("/units/{code}/wish-timetable", response_model=list[TimetableRow])
def wish_timetable(*, code: str, actor: Caller, wishes: Wishes) -> list[TimetableRow]:
    """The unit's timetable and project list (时间表和项目单), by target day."""
    return wishes.timetable(actor, code)


@router.get("/wishes/{wish_id}/candidates", response_model=list[CandidateView])
def wish_candidates(
    *,
    wish_id: PathId,
    actor: Caller,
    wishes: Wishes,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[CandidateView]:
    """Open offers that could meet the want, best first, with their reasons."""
    return wishes.candidates(actor, wish_id, limit=limit)


@router.get("/wishes/{wish_id}/matches", response_model=list[MatchView])
def wish_matches(*, wish_id: PathId, actor: Caller, wishes: Wishes) -> list[MatchView]:
    """Every match of a want or an offer, oldest first."""
    return wishes.matches(actor, wish_id)


@router.post("/wishes/{wish_id}/matches", status_code=201, response_model=MatchView)
def claim_wish(
    *,
    request: Request,
    wish_id: PathId,
    body: WishClaim,
    actor: Caller,
    wishes: Wishes,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Claim a want with an offer (staff, or the offer's author): a proposal the want's
    author accepts or declines."""

    def work() -> MatchView:
        return wishes.propose(actor, wish_id, body.offer_id, quantity=body.quantity)

    return once(request, actor, key, body, work)


@router.post("/wish-matches/{match_id}/acceptance", response_model=MatchView)
def accept_match(
    *, request: Request, match_id: PathId, actor: Caller, wishes: Wishes, key: IdempotencyKey = None
) -> JSONResponse:
    """The want's author (their household) or staff accept a proposed match."""
    return once(request, actor, key, None, lambda: wishes.accept_match(actor, match_id), status=200)


@router.post("/wish-matches/{match_id}/decline", response_model=MatchView)
def decline_match(
    *,
    request: Request,
    match_id: PathId,
    body: MatchDecline,
    actor: Caller,
    wishes: Wishes,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Decline a proposed or accepted match; the capacity it held is given back."""

    def work() -> MatchView:
        return wishes.decline_match(actor, match_id, reason=body.reason)

    return once(request, actor, key, body, work, status=200)


@router.post("/wishes/{wish_id}/fulfilment", response_model=FulfilmentView)
def fulfil_wish(
    *,
    request: Request,
    wish_id: PathId,
    body: WishFulfilment,
    actor: Caller,
    wishes: Wishes,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Close a want as met, with evidence and its author's rating; each resident helper is
    paid once. A want fulfilled already is a 409."""

    def work() -> FulfilmentView:
        return wishes.fulfil(
            actor, wish_id, evidence=body.evidence, rating=body.rating, note=body.note
        )

    return once(request, actor, key, body, work, status=200)


@router.post("/wishes/{wish_id}/adoption", response_model=FulfilmentView)
def adopt_wish(
    *,
    request: Request,
    wish_id: PathId,
    body: WishAdoption,
    actor: Caller,
    wishes: Wishes,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Adopt an open suggestion: as a case of the case loop, or referred to a council topic
    or a project; its resident author is paid once."""

    def work() -> FulfilmentView:
        if isinstance(body, AdoptAsCase):
            return wishes.to_case(actor, wish_id, unit=body.unit, category=body.category)
        return wishes.refer(actor, wish_id, to=body.to, reference=body.reference)

    return once(request, actor, key, body, work, status=200)


@router.get("/units/{code}/wish-statistics", response_model=list[WishStatistics])
def wish_statistics(
    *, code: str, actor: Caller, wishes: Wishes, start: DayQuery, end: DayQuery
) -> list[WishStatistics]:
    """Wishes made from ``start`` to ``end`` (days in the store's zone, both counted) for
    the unit and each unit right below it."""
    return wishes.statistics(actor, code, start=start, end=end)
