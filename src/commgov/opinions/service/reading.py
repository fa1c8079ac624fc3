"""Views of stored points and visits for one reader: unit codes filled in, and a visiting
resident's name in clear only where the reader may ``read_personal`` their household."""

from __future__ import annotations

from collections.abc import Sequence

from commgov.kernel.access import READ_PERSONAL
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.opinions.model.values import Point, Visit
from commgov.opinions.repository import OpinionRepository
from commgov.opinions.views import PointView, VisitView
from commgov.people.model.personal import mask_name
from commgov.people.model.units import Unit, household_target
from commgov.people.repository import UnitRepository


def _units(uow: UnitOfWork, ids: set[int]) -> dict[int, Unit]:
    return {u.id: u for u in uow.repo(UnitRepository).many(ids)}


def point_views(uow: UnitOfWork, points: Sequence[Point]) -> list[PointView]:
    units = _units(uow, {p.unit_id for p in points})
    return [
        PointView(
            id=p.id,
            unit_code=units[p.unit_id].code,
            name=p.name,
            address=p.address,
            created_at=p.created_at,
            retired_at=p.retired_at,
            retired_reason=p.retired_reason,
        )
        for p in points
    ]


def visit_views(
    ctx: Context, uow: UnitOfWork, actor: Actor, visits: Sequence[Visit]
) -> list[VisitView]:
    repo = uow.repo(OpinionRepository)
    points = repo.points(v.point_id for v in visits)
    people = repo.residents(v.resident_id for v in visits if v.resident_id is not None)
    units = _units(uow, {v.unit_id for v in visits} | {home for _, _, home in people.values()})
    visible: dict[int, bool] = {}
    for resident_id, (_, household_id, home) in people.items():
        target = household_target(units[home], household_id)
        visible[resident_id] = ctx.allowed(actor, READ_PERSONAL, target)
    out: list[VisitView] = []
    for v in visits:
        name: str | None = None
        shown = True
        if v.resident_id is not None:
            shown = visible[v.resident_id]
            clear = people[v.resident_id][0]
            name = clear if shown else mask_name(clear)
        out.append(
            VisitView(
                id=v.id,
                point_id=v.point_id,
                point_name=points[v.point_id].name,
                unit_code=units[v.unit_id].code,
                topic=v.topic,
                note=v.note,
                at=v.at,
                people=v.people,
                resident_id=v.resident_id,
                resident_name=name,
                personal_visible=shown,
                actor=v.actor,
                case_id=v.case_id,
                wish_id=v.wish_id,
                council_topic=v.council_topic,
            )
        )
    return out
