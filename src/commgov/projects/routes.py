"""Projects (微改造, 为民办实事) over HTTP: set up, list and read, fund, donate points, the
progress tree, the public timeline, finish or cancel, and the households' ratings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from commgov.kernel.times import EARLIEST, LATEST
from commgov.kernel.values import INT32
from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of, stale_cursor
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service
from commgov.ledger.model.bounds import CLIENT_ID_MAX
from commgov.people.model.limits import UNIT_CODE_MAX
from commgov.projects.model.limits import (
    MONEY_MAX,
    NAME_MAX,
    NOTE_MAX,
    RATING_MAX,
    RATING_MIN,
    TEXT_MAX,
    TITLE_MAX,
    WEIGHT_MAX,
)
from commgov.projects.model.progress import Rollup
from commgov.projects.service.projects import MONEY_SOURCES, ProjectService
from commgov.projects.views import ProjectView, RatingView, TimelineEntry

T = TypeVar("T")
router = APIRouter(tags=["projects"], responses=PROBLEMS)
FIRST_DAY, LAST_DAY = EARLIEST.date(), LATEST.date()
Day = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY)]
Projects = Annotated[ProjectService, Depends(service(ProjectService))]
UnitCode = Annotated[
    str, Query(min_length=1, max_length=UNIT_CODE_MAX, description="A unit's code.")
]
RowId = Annotated[int, Field(ge=1, le=INT32)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX)]
Note = Annotated[str, StringConstraints(min_length=1, max_length=NOTE_MAX)]


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProjectSetUp(_Body):
    """A project of a unit with its budget in fen; ``resolution``: the council resolution
    (followed by a project) it carries out."""

    unit: Annotated[str, StringConstraints(min_length=1, max_length=UNIT_CODE_MAX)]
    title: Title
    budget_fen: Annotated[int, Field(ge=0, le=MONEY_MAX)]
    description: Annotated[str, StringConstraints(max_length=TEXT_MAX)] = ""
    rollup: Rollup = "weighted"
    resolution: RowId | None = None


class ProjectFunding(_Body):
    """Money received, in fen, from the government, a partner or the residents' own funds."""

    source: Annotated[str, Field(json_schema_extra={"enum": list(MONEY_SOURCES)})]
    amount_fen: Annotated[int, Field(ge=1, le=MONEY_MAX)]
    funder: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]


class PointsDonation(_Body):
    """A resident's points given to the project; a retry with the same ``client_id`` does
    not give twice."""

    resident_id: RowId
    points: Annotated[int, Field(ge=1, le=MONEY_MAX)]
    client_id: Annotated[str, StringConstraints(min_length=1, max_length=CLIENT_ID_MAX)]


class ProjectMilestone(_Body):
    """A milestone, or under ``parent`` a part of one, with its weight in its parent's
    roll-up and the day it is due."""

    title: Title
    parent: RowId | None = None
    weight: Annotated[int, Field(ge=1, le=WEIGHT_MAX)] = 1
    rollup: Rollup = "weighted"
    due_on: Day | None = None


class ProjectProgress(_Body):
    percent_done: Annotated[int, Field(ge=0, le=100)]
    note: Note


class ProjectCompletion(_Body):
    note: Note


class ProjectCancellation(_Body):
    reason: Note


class ProjectRating(_Body):
    """A household's rating of a finished project (2 or less opens a case)."""

    rating: Annotated[int, Field(ge=RATING_MIN, le=RATING_MAX)]
    comment: Note | None = None


@router.post("/projects", status_code=201, response_model=ProjectView)
def set_up_project(
    *,
    request: Request,
    body: ProjectSetUp,
    actor: Caller,
    projects: Projects,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Set up a project (staff within reach of its unit)."""

    def work() -> ProjectView:
        return projects.create(
            actor, unit=body.unit, title=body.title, budget_fen=body.budget_fen,
            description=body.description, rollup=body.rollup, resolution=body.resolution,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.get("/projects", response_model=Page[ProjectView])
def list_projects(
    *, actor: Caller, projects: Projects, unit: UnitCode, cursor: Cursor = None, limit: Limit = 50
) -> Page[ProjectView]:
    """The projects of a unit and the units below it, oldest first, a page at a time."""
    with stale_cursor(cursor):
        found = projects.of_unit(actor, unit, after_id=decode_cursor(cursor), limit=limit + 1)
    return page_of(found, limit, key=lambda p: p.id)


@router.get("/projects/{project_id}", response_model=ProjectView)
def get_project(*, project_id: PathId, actor: Caller, projects: Projects) -> ProjectView:
    """The project: budget and funding, progress tree, state, ratings."""
    return projects.get(actor, project_id)


@router.get("/projects/{project_id}/timeline", response_model=list[TimelineEntry])
def project_timeline(
    *, project_id: PathId, actor: Caller, projects: Projects
) -> list[TimelineEntry]:
    """The public timeline, oldest first: each step dated, with the progress after it."""
    return projects.timeline(actor, project_id)


@router.post("/projects/{project_id}/funding", status_code=201, response_model=ProjectView)
def fund_project(
    *,
    request: Request,
    project_id: PathId,
    body: ProjectFunding,
    actor: Caller,
    projects: Projects,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Record money received for the project."""

    def work() -> ProjectView:
        return projects.fund(
            actor, project_id, source=body.source, amount_fen=body.amount_fen,
            funder=body.funder,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.post("/projects/{project_id}/donations", status_code=201, response_model=ProjectView)
def donate_points(
    *,
    request: Request,
    project_id: PathId,
    body: PointsDonation,
    actor: Caller,
    projects: Projects,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Give a resident's points to the project through the ledgers (the resident, or staff
    within reach), all or nothing."""

    def work() -> ProjectView:
        return projects.donate_points(
            actor, project_id, resident_id=body.resident_id, points=body.points,
            client_id=body.client_id,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.post("/projects/{project_id}/items", status_code=201, response_model=ProjectView)
def add_item(
    *,
    request: Request,
    project_id: PathId,
    body: ProjectMilestone,
    actor: Caller,
    projects: Projects,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Add a milestone, or a part of one, to the progress tree."""

    def work() -> ProjectView:
        return projects.add_item(
            actor, project_id, title=body.title, parent=body.parent, weight=body.weight,
            rollup=body.rollup, due_on=body.due_on,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.post("/projects/{project_id}/items/{item_id}/progress", response_model=ProjectView)
def enter_progress(
    *,
    request: Request,
    project_id: PathId,
    item_id: PathId,
    body: ProjectProgress,
    actor: Caller,
    projects: Projects,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Enter a leaf item's progress (0–100) with a note for the public timeline."""

    def work() -> ProjectView:
        return projects.progress(
            actor, project_id, item_id, percent_done=body.percent_done, note=body.note
        )

    return once(request, actor, key, body, work, status=200)


@router.post("/projects/{project_id}/completion", response_model=ProjectView)
def finish_project(
    *,
    request: Request,
    project_id: PathId,
    body: ProjectCompletion,
    actor: Caller,
    projects: Projects,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Finish a project whose progress has reached 100%."""

    def work() -> ProjectView:
        return projects.finish(actor, project_id, note=body.note)

    return once(request, actor, key, body, work, status=200)


@router.post("/projects/{project_id}/cancellation", response_model=ProjectView)
def cancel_project(
    *,
    request: Request,
    project_id: PathId,
    body: ProjectCancellation,
    actor: Caller,
    projects: Projects,
    key: IdempotencyKey = None,
) -> JSONResponse:
    def work() -> ProjectView:
        return projects.cancel(actor, project_id, reason=body.reason)

    return once(request, actor, key, body, work, status=200)


@router.post("/projects/{project_id}/ratings", status_code=201, response_model=RatingView)
def rate_project(
    *,
    request: Request,
    project_id: PathId,
    body: ProjectRating,
    actor: Caller,
    projects: Projects,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """A household rates a finished project once (a second rating is a 409); 2 or less
    opens a case about it."""

    def work() -> RatingView:
        return projects.rate(actor, project_id, rating=body.rating, comment=body.comment)

    return once(request, actor, key, body, work)
