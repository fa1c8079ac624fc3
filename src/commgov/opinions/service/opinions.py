"""``cg.opinions``: service points (服务点), their visit log, what visits became, and the board
(民意感知器) that turns the log into a quantified issue list per community and month.

Staff within reach log visits (``write`` on the point's grid) and read the log (``read``);
adding and retiring points needs ``manage_units``. Residents have no access to the log: the
permission targets name no household. Every write runs in one unit of work and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from commgov.cases.model.vocab import Channel
from commgov.cases.service.cases import CaseService
from commgov.cases.views import CaseView
from commgov.errors import ConflictError, NotFoundError, StateError, ValidationError
from commgov.kernel.access import MANAGE_UNITS, READ, WRITE
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import optional_utc
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import row_id, whole_number
from commgov.opinions.calls import topic_tree
from commgov.opinions.model import checks
from commgov.opinions.model.board import Month
from commgov.opinions.model.limits import ADDRESS_MAX, POINT_NAME_MAX, REASON_MAX, REF_MAX
from commgov.opinions.model.rules import OpinionTopic
from commgov.opinions.model.values import Point, Visit, VisitEntry
from commgov.opinions.repository import Lock, OpinionRepository
from commgov.opinions.service.board import build_board, frame_rows
from commgov.opinions.service.reading import point_views, visit_views
from commgov.opinions.views import BOARD_COLUMNS, OpinionBoard, PointView, VisitView
from commgov.people.model.units import Unit, unit_target
from commgov.people.repository import UnitRepository
from commgov.people.service.grids import load_unit

if TYPE_CHECKING:
    import pandas as pd

CASE_CHANNEL: Final[Channel] = "grid_visit"
"""The channel a visit's case comes in by."""
LIST_MAX: Final = 100_000
"""The most visits one page holds."""


class OpinionService:
    """The opinion board. Reach it as ``cg.opinions``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def topics(self) -> list[OpinionTopic]:
        """Every topic visits may be logged under, by code (``commgov_opinion_topics``)."""
        return list(topic_tree(self._ctx).by_code.values())

    # -- service points --------------------------------------------------------------------
    def add_point(
        self, actor: Actor, *, unit: str, name: str, address: str | None = None
    ) -> PointView:
        """Open a service point in the grid ``unit`` (a grid code)."""
        name = str(checks.text("name", name, POINT_NAME_MAX))
        where = checks.text("address", address, ADDRESS_MAX, required=False)
        with self._ctx.uow() as uow:
            grid = load_unit(uow, unit, live=True)
            if not grid.is_grid:
                raise ValidationError(
                    "unit", unit, f"a service point sits in a grid, not a {grid.kind}"
                )
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(grid))
            point_id = uow.repo(OpinionRepository).add_point(
                {
                    "unit_id": grid.id,
                    "name": name,
                    "address": where,
                    "created_at": self._ctx.clock(),
                }
            )
            self._ctx.audit(
                uow,
                actor,
                "opinions.add_point",
                entity="service_point",
                entity_id=point_id,
                detail={"unit": grid.code},
            )
            return self._point_view(uow, point_id)

    def point(self, actor: Actor, point_id: int) -> PointView:
        with self._ctx.uow(readonly=True) as uow:
            point, grid = self._point(uow, point_id)
            self._ctx.authorize(actor, READ, unit_target(grid))
            return point_views(uow, [point])[0]

    def points(self, actor: Actor, under: str, *, include_retired: bool = False) -> list[PointView]:
        """The service points in ``under`` and the units below it, by grid code and name."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, under, field="under")
            self._ctx.authorize(actor, READ, unit_target(top))
            found = uow.repo(OpinionRepository).points_under(
                top.path, include_retired=bool(include_retired)
            )
            return point_views(uow, found)

    def retire_point(self, actor: Actor, point_id: int, *, reason: str) -> PointView:
        """Close a service point: no more visits are logged there; its log stays and counts."""
        why = str(checks.text("reason", reason, REASON_MAX))
        with self._ctx.uow() as uow:
            point, grid = self._point(uow, point_id, lock="update")
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(grid))
            if point.retired:
                raise StateError(
                    f"service point {point.id} was retired on {point.retired_at:%Y-%m-%d}"
                )
            uow.repo(OpinionRepository).retire_point(point.id, self._ctx.clock(), why)
            self._ctx.audit(
                uow,
                actor,
                "opinions.retire_point",
                entity="service_point",
                entity_id=point.id,
                detail={"unit": grid.code},
            )
            return self._point_view(uow, point.id)

    # -- the visit log ---------------------------------------------------------------------
    def log(
        self,
        actor: Actor,
        *,
        point_id: int,
        topic: str,
        note: str,
        at: dt.datetime | None = None,
        resident_id: int | None = None,
        people: int = 1,
    ) -> VisitView:
        """Log one visit or conversation at a point: its ``topic`` (see ``topics``), what was
        said or done (``note``), when (``at``, aware; default now; not in the future), the
        resident who came (optional) and how many people came."""
        entry = {
            "point_id": point_id,
            "topic": topic,
            "note": note,
            "at": at,
            "resident_id": resident_id,
            "people": people,
        }
        return self._log(actor, [entry], batch=False)[0]

    def log_many(
        self, actor: Actor, visits: Sequence[VisitEntry | Mapping[str, Any]]
    ) -> list[VisitView]:
        """Log many visits in one unit of work, each a ``VisitEntry`` or a mapping of its
        fields: all are written or none (an error names ``visits[i].<field>``)."""
        if isinstance(visits, str | bytes) or not isinstance(visits, Sequence):
            raise ValidationError("visits", visits, "a list of visits")
        return self._log(actor, visits, batch=True)

    def _log(
        self, actor: Actor, given: Sequence[VisitEntry | Mapping[str, Any]], *, batch: bool
    ) -> list[VisitView]:
        now = self._ctx.clock()
        topics = topic_tree(self._ctx)
        entries = [
            checks.visit_entry(v, where=f"visits[{i}]." if batch else "", topics=topics, now=now)
            for i, v in enumerate(given)
        ]
        if not entries:
            return []
        with self._ctx.uow() as uow:
            repo = uow.repo(OpinionRepository)
            points: dict[int, tuple[Point, Unit]] = {}
            for i, e in enumerate(entries):
                where = f"visits[{i}]." if batch else ""
                if e.point_id not in points:
                    points[e.point_id] = self._live_point(
                        uow, actor, e.point_id, f"{where}point_id"
                    )
            people = repo.residents(e.resident_id for e in entries if e.resident_id is not None)
            for i, e in enumerate(entries):
                if e.resident_id is not None and e.resident_id not in people:
                    field = f"visits[{i}].resident_id" if batch else "resident_id"
                    raise ValidationError(field, e.resident_id, "no such resident")
            rows = [
                {
                    "point_id": e.point_id,
                    "unit_id": points[e.point_id][0].unit_id,
                    "topic": e.topic,
                    "note": e.note,
                    "at": e.at,
                    "people": e.people,
                    "resident_id": e.resident_id,
                    "actor": actor.label(),
                    "created_at": now,
                }
                for e in entries
            ]
            ids = repo.add_visits(rows)
            self._ctx.audit(
                uow,
                actor,
                "opinions.log",
                entity="opinion_visit",
                entity_id=ids[0] if len(ids) == 1 else "batch",
                detail={
                    "count": len(ids),
                    "points": sorted(points),
                    "topics": sorted({e.topic for e in entries}),
                },
            )
            return visit_views(self._ctx, uow, actor, repo.visits(ids))

    def visit(self, actor: Actor, visit_id: int) -> VisitView:
        with self._ctx.uow(readonly=True) as uow:
            visit = self._visit(uow, actor, visit_id, READ)
            return visit_views(self._ctx, uow, actor, [visit])[0]

    def visits(
        self,
        actor: Actor,
        under: str,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        topic: str | None = None,
        point_id: int | None = None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[VisitView]:
        """Visits at the points in ``under`` and below, oldest first: ``since`` inclusive,
        ``until`` exclusive, ``topic`` with its sub-topics, ``point_id`` one point's only.
        A page (``after_id`` or ``limit`` given) goes by id instead: at most ``limit`` visits
        after the id ``after_id`` (the last of a previous page)."""
        if after_id is not None:
            row_id("after_id", after_id)
        if limit is not None:
            whole_number("limit", limit, 1, LIST_MAX)
        start, end = optional_utc("since", since), optional_utc("until", until)
        code = None if topic is None else topic_tree(self._ctx).get(topic).code
        point = None if point_id is None else checks.record_id("point_id", point_id)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, under, field="under")
            self._ctx.authorize(actor, READ, unit_target(top))
            found = uow.repo(OpinionRepository).visits_under(
                top.path,
                since=start,
                until=end,
                topic=code,
                point_id=point,
                after_id=after_id,
                limit=limit,
            )
            return visit_views(self._ctx, uow, actor, found)

    # -- outcomes --------------------------------------------------------------------------
    def to_case(
        self, actor: Actor, visit_id: int, *, text: str | None = None, category: str | None = None
    ) -> CaseView:
        """Report a case from a visit through the case loop (channel ``grid_visit``, in the
        point's grid; the visiting resident's household when it lives in that grid) and link
        it; ``text`` defaults to the visit's note. A visit becomes at most one case: a second
        call is a ``ConflictError``. Returns the new case."""
        with self._ctx.uow() as uow:
            visit = self._visit(uow, actor, visit_id, WRITE, lock=True)
            if visit.case_id is not None:
                raise ConflictError(f"visit_id={visit.id}: already became case {visit.case_id}")
            grid = uow.repo(UnitRepository).get(visit.unit_id)
            household: int | None = None
            if visit.resident_id is not None:
                _, home_household, home = uow.repo(OpinionRepository).residents(
                    [visit.resident_id]
                )[visit.resident_id]
                household = home_household if home == grid.id else None
            case = CaseService(self._ctx).report(
                actor,
                text=visit.note if text is None else text,
                channel=CASE_CHANNEL,
                unit=grid.code,
                category=category,
                household_id=household,
            )
            if not uow.repo(OpinionRepository).link(visit.id, "case_id", case.id):
                raise ConflictError(f"visit_id={visit.id}: became a case in a concurrent call")
            self._ctx.audit(
                uow,
                actor,
                "opinions.to_case",
                entity="opinion_visit",
                entity_id=visit.id,
                detail={"case_id": case.id, "number": case.number},
            )
            return case

    def link(
        self,
        actor: Actor,
        visit_id: int,
        *,
        wish_id: int | None = None,
        topic: str | None = None,
    ) -> VisitView:
        """Record that a visit became a micro-wish (``wish_id``) or a council topic (``topic``,
        the council's reference for it), or both. A visit links to at most one of each: the
        same link again changes nothing, another one is a ``ConflictError``. The ids are
        references: the wishes and councils keep their own records."""
        wish = None if wish_id is None else checks.record_id("wish_id", wish_id)
        council = checks.text("topic", topic, REF_MAX, required=False)
        if wish is None and council is None:
            raise ValidationError("wish_id", wish_id, "give a wish_id, a topic or both")
        with self._ctx.uow() as uow:
            visit = self._visit(uow, actor, visit_id, WRITE, lock=True)
            wanted: dict[str, int | str] = {}
            for column, field, value, current in (
                ("wish_id", "wish_id", wish, visit.wish_id),
                ("council_topic", "topic", council, visit.council_topic),
            ):
                if value is None or value == current:
                    continue
                if current is not None:
                    raise ConflictError(
                        f"{field}={value!r}: visit {visit.id} already became {field} {current!r}"
                    )
                wanted[column] = value
            repo = uow.repo(OpinionRepository)
            for column, value in wanted.items():
                if not repo.link(visit.id, column, value):
                    raise ConflictError(f"visit_id={visit.id}: linked in a concurrent call")
            if wanted:
                self._ctx.audit(
                    uow,
                    actor,
                    "opinions.link",
                    entity="opinion_visit",
                    entity_id=visit.id,
                    detail=dict(wanted),
                )
            return visit_views(self._ctx, uow, actor, repo.visits([visit.id]))[0]

    # -- the board -------------------------------------------------------------------------
    def board(self, actor: Actor, unit: str, *, year: int, month: int) -> OpinionBoard:
        """The board of ``unit`` for the month ``year``-``month`` (in the store's zone): per
        community with service points under ``unit``, the visits per topic, last month's, the
        trend, the top five topics and what the visits became."""
        period = Month.of(year, month, self._ctx.zone)
        topics = topic_tree(self._ctx)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            return build_board(uow, top, period, topics)

    def board_frame(self, actor: Actor, unit: str, *, year: int, month: int) -> pd.DataFrame:
        """``board`` as a pandas DataFrame (needs the ``sim`` extra): one row per community
        and topic, with the columns of ``commgov.opinions.views.BOARD_COLUMNS``."""
        import pandas as pd

        board = self.board(actor, unit, year=year, month=month)
        frame = pd.DataFrame(frame_rows(board), columns=list(BOARD_COLUMNS))
        return frame.astype({"top_rank": "Int64", "ratio": "float64"})

    # -- loading ---------------------------------------------------------------------------
    def _point(self, uow: UnitOfWork, point_id: object, *, lock: Lock = None) -> tuple[Point, Unit]:
        key = checks.record_id("point_id", point_id)
        point = uow.repo(OpinionRepository).point(key, lock=lock)
        if point is None:
            raise NotFoundError("service point", key)
        return point, uow.repo(UnitRepository).get(point.unit_id)

    def _point_view(self, uow: UnitOfWork, point_id: int) -> PointView:
        return point_views(uow, [self._point(uow, point_id)[0]])[0]

    def _live_point(
        self, uow: UnitOfWork, actor: Actor, point_id: int, field: str
    ) -> tuple[Point, Unit]:
        """A point visits may be logged at by ``actor``, its row held against retiring."""
        point = uow.repo(OpinionRepository).point(point_id, lock="share")
        if point is None:
            raise ValidationError(field, point_id, "no such service point")
        grid = uow.repo(UnitRepository).get(point.unit_id)
        self._ctx.authorize(actor, WRITE, unit_target(grid))
        if point.retired:
            reason = f"the service point was retired on {point.retired_at:%Y-%m-%d}"
            raise ValidationError(field, point_id, reason)
        return point, grid

    def _visit(
        self, uow: UnitOfWork, actor: Actor, visit_id: object, action: str, *, lock: bool = False
    ) -> Visit:
        key = checks.record_id("visit_id", visit_id)
        visit = uow.repo(OpinionRepository).visit(key, lock=lock)
        if visit is None:
            raise NotFoundError("visit", key)
        grid = uow.repo(UnitRepository).get(visit.unit_id)
        self._ctx.authorize(actor, action, unit_target(grid))
        return visit
