"""The opinion board (民意感知器) over HTTP: service points, visits logged at them (one or a
batch), what a visit became (a case, a wish, a council topic), and the monthly board."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from commgov.cases.model.limits import CODE_MAX as CASE_CODE_MAX
from commgov.cases.model.limits import TEXT_MAX as CASE_TEXT_MAX
from commgov.cases.views import CaseView
from commgov.kernel.values import INT32
from commgov.kernel.views import View
from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of, stale_cursor
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service
from commgov.opinions.model.limits import (
    ADDRESS_MAX,
    NOTE_MAX,
    PEOPLE_MAX,
    POINT_NAME_MAX,
    REASON_MAX,
    REF_MAX,
    TOPIC_MAX,
)
from commgov.opinions.service.opinions import OpinionService
from commgov.opinions.views import OpinionBoard, PointView, VisitView
from commgov.people.model.limits import UNIT_CODE_MAX

router = APIRouter(tags=["opinions"], responses=PROBLEMS)
Opinions = Annotated[OpinionService, Depends(service(OpinionService))]
UnitCode = Annotated[
    str, Query(min_length=1, max_length=UNIT_CODE_MAX, description="A unit's code.")
]
RowId = Annotated[int, Field(ge=1, le=INT32)]
Topic = Annotated[str, StringConstraints(min_length=1, max_length=TOPIC_MAX)]
BATCH_MAX = 1000
"""The most visits one batch logs."""


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OpinionTopicView(View):
    """A topic visits are logged under: a dotted code, its label, its kind."""

    code: str
    label: str
    kind: str
    parent: str | None


class PointOpening(_Body):
    """A service point (服务点) in a grid."""

    unit: Annotated[str, StringConstraints(min_length=1, max_length=UNIT_CODE_MAX)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=POINT_NAME_MAX)]
    address: Annotated[str, StringConstraints(min_length=1, max_length=ADDRESS_MAX)] | None = None


class PointRetirement(_Body):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=REASON_MAX)]


class VisitLog(_Body):
    """A visit or a conversation at a point: its topic, what was said or done, when
    (default now; not in the future), the resident who came and how many people came."""

    point_id: RowId
    topic: Topic
    note: Annotated[str, StringConstraints(min_length=1, max_length=NOTE_MAX)]
    at: AwareDatetime | None = None
    resident_id: RowId | None = None
    people: Annotated[int, Field(ge=1, le=PEOPLE_MAX)] = 1


class VisitBatch(_Body):
    """Visits logged all or none; an error names ``visits[i].<field>``."""

    visits: Annotated[list[VisitLog], Field(min_length=1, max_length=BATCH_MAX)]


class CaseFromVisit(_Body):
    """The case a visit becomes: its text (default the visit's note) and category."""

    text: Annotated[str, StringConstraints(min_length=1, max_length=CASE_TEXT_MAX)] | None = None
    category: Annotated[str, StringConstraints(min_length=1, max_length=CASE_CODE_MAX)] | None = (
        None
    )


class VisitLink(_Body):
    """What a visit became besides a case: a micro-wish (its id) or a council topic (the
    council's reference)."""

    wish_id: RowId | None = None
    topic: Annotated[str, StringConstraints(min_length=1, max_length=REF_MAX)] | None = None


@router.get("/opinion-topics", response_model=list[OpinionTopicView])
def opinion_topics(*, actor: Caller, opinions: Opinions) -> list[OpinionTopicView]:
    """Every topic visits may be logged under, by code (the core's and the plugins')."""
    return [
        OpinionTopicView(code=t.code, label=t.label, kind=t.kind, parent=t.parent)
        for t in opinions.topics()
    ]


@router.post("/service-points", status_code=201, response_model=PointView)
def open_point(
    *,
    request: Request,
    body: PointOpening,
    actor: Caller,
    opinions: Opinions,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Open a service point in a grid (community staff and town administrators)."""

    def work() -> PointView:
        return opinions.add_point(actor, unit=body.unit, name=body.name, address=body.address)

    return once(request, actor, key, body, work)


@router.get("/service-points", response_model=list[PointView])
def list_points(
    *, actor: Caller, opinions: Opinions, under: UnitCode, include_retired: bool = False
) -> list[PointView]:
    """The service points in ``under`` and below, by grid code and name."""
    return opinions.points(actor, under, include_retired=include_retired)


@router.get("/service-points/{point_id}", response_model=PointView)
def get_point(*, point_id: PathId, actor: Caller, opinions: Opinions) -> PointView:
    return opinions.point(actor, point_id)


@router.post("/service-points/{point_id}/retirement", response_model=PointView)
def retire_point(
    *,
    request: Request,
    point_id: PathId,
    body: PointRetirement,
    actor: Caller,
    opinions: Opinions,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Close a point: no more visits are logged there; its log stays and counts."""

    def work() -> PointView:
        return opinions.retire_point(actor, point_id, reason=body.reason)

    return once(request, actor, key, body, work, status=200)


@router.post("/visits", status_code=201, response_model=VisitView)
def log_visit(
    *,
    request: Request,
    body: VisitLog,
    actor: Caller,
    opinions: Opinions,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Log a visit or a conversation at a service point (staff who reach its grid)."""

    def work() -> VisitView:
        return opinions.log(
            actor, point_id=body.point_id, topic=body.topic, note=body.note, at=body.at,
            resident_id=body.resident_id, people=body.people,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.post("/visits/batch", status_code=201, response_model=list[VisitView])
def log_visits(
    *,
    request: Request,
    body: VisitBatch,
    actor: Caller,
    opinions: Opinions,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Log many visits in one transaction: all or none."""

    def work() -> list[VisitView]:
        return opinions.log_many(actor, [v.model_dump() for v in body.visits])

    return once(request, actor, key, body, work)


@router.get("/visits", response_model=Page[VisitView])
def list_visits(
    *,
    actor: Caller,
    opinions: Opinions,
    under: UnitCode,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    topic: Annotated[str | None, Query(min_length=1, max_length=TOPIC_MAX)] = None,
    point_id: Annotated[int | None, Query(ge=1, le=INT32)] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[VisitView]:
    """Visits at the points in ``under`` and below, in the order they were logged, a page at
    a time: ``since`` included, ``until`` not, ``topic`` with its sub-topics, or one point's."""
    with stale_cursor(cursor):
        found = opinions.visits(
            actor,
            under,
            since=since,
            until=until,
            topic=topic,
            point_id=point_id,
            after_id=decode_cursor(cursor),
            limit=limit + 1,
        )
    return page_of(found, limit, key=lambda v: v.id)


@router.get("/visits/{visit_id}", response_model=VisitView)
def get_visit(*, visit_id: PathId, actor: Caller, opinions: Opinions) -> VisitView:
    """One visit (the resident's name masked unless the caller may read it)."""
    return opinions.visit(actor, visit_id)


@router.post("/visits/{visit_id}/case", status_code=201, response_model=CaseView)
def visit_to_case(
    *,
    request: Request,
    visit_id: PathId,
    body: CaseFromVisit,
    actor: Caller,
    opinions: Opinions,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Answer a visit with a case of the case loop (channel ``grid_visit``); a visit becomes
    at most one case (a second is a 409)."""

    def work() -> CaseView:
        return opinions.to_case(actor, visit_id, text=body.text, category=body.category)

    return once(request, actor, key, body, work)


@router.post("/visits/{visit_id}/links", response_model=VisitView)
def link_visit(
    *,
    request: Request,
    visit_id: PathId,
    body: VisitLink,
    actor: Caller,
    opinions: Opinions,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Record that a visit became a micro-wish or a council topic; the same link again
    changes nothing, another one is a 409."""

    def work() -> VisitView:
        return opinions.link(actor, visit_id, wish_id=body.wish_id, topic=body.topic)

    return once(request, actor, key, body, work, status=200)


@router.get("/units/{code}/opinion-board", response_model=OpinionBoard)
def opinion_board(
    *,
    code: str,
    actor: Caller,
    opinions: Opinions,
    year: Annotated[int, Query(ge=1901, le=8999)],
    month: Annotated[int, Query(ge=1, le=12)],
) -> OpinionBoard:
    """The board of a unit for a month (in the store's zone): per community, the visits per
    topic, the month before, the trend, the top five topics and what the visits became."""
    return opinions.board(actor, code, year=year, month=month)
