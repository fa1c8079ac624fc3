"""Who takes part: the town's communities, their staff and the residents chosen."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

import attrs

from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.people.views import ResidentView


@attrs.frozen
class Person:
    """A resident who takes part, with the community and grid they live in."""

    community: Community
    resident: ResidentView

    @property
    def actor(self) -> Actor:
        return Actor.resident(self.resident.name, self.resident.household_id)


@attrs.frozen
class Community:
    code: str
    name: str
    office: Actor
    """The community's work station (社区工作站): triage, matching, 派单, adoption."""
    grids: tuple[tuple[str, str], ...]
    """Comprehensive grids (code, name)."""
    workers: Mapping[str, int]
    """A grid worker's staff id by grid code."""
    residents: tuple[ResidentView, ...]


class Cast:
    """The town's communities with their staff and the residents who take part."""

    def __init__(self, cg: Commgov, admin: Actor, town: str, pool: int) -> None:
        self.cg = cg
        self.admin = admin
        self.town = town
        self.zone = cg.time_zone
        self._actors: dict[int, Actor] = {}
        self.communities: list[Community] = []
        for unit in cg.grids.children(town):
            staff = cg.staff.workers(admin, unit.code)
            office = next(s.id for s in staff if s.role == "community_staff")
            grids = tuple(
                (g.code, g.name)
                for g in cg.grids.children(unit.code)
                if g.kind == "grid" and g.grid_type != "dedicated"
            )
            workers = {
                s.unit_codes[0]: s.id for s in staff if s.role == "grid_worker" and s.unit_codes
            }
            people = cg.residents.under(admin, unit.code, limit=pool)
            self.communities.append(
                Community(
                    code=unit.code,
                    name=unit.name,
                    office=self.staff(office),
                    grids=grids,
                    workers=workers,
                    residents=tuple(p for p in people if p.active),
                )
            )
        # the town's office (镇综治办) holds the weekly review of every community's wishes
        offices = cg.staff.workers(admin, town, role="town_admin")
        self.town_office = next((self.staff(s.id) for s in offices if town in s.unit_codes), None)
        self.people = [
            Person(community, resident)
            for community in self.communities
            for resident in community.residents
        ]
        self.by_grid: dict[str, list[Person]] = defaultdict(list)
        for person in self.people:
            self.by_grid[person.resident.unit_code].append(person)

    def staff(self, staff_id: int) -> Actor:
        """A staff member as an actor (looked up once)."""
        if staff_id not in self._actors:
            self._actors[staff_id] = self.cg.staff.actor(staff_id)
        return self._actors[staff_id]

    def worker(self, community: Community, grid: str) -> tuple[int, Actor]:
        """The grid's worker (the community's office where the grid has none)."""
        staff_id = community.workers.get(grid)
        if staff_id is None:
            assert community.office.staff_id is not None
            return community.office.staff_id, community.office
        return staff_id, self.staff(staff_id)

    def moment(self, day: dt.date, hour: float) -> dt.datetime:
        """``hour`` o'clock (a fraction of hours) on ``day`` in the store's zone, in UTC."""
        start = dt.datetime.combine(day, dt.time(), tzinfo=self.zone)
        return (start + dt.timedelta(hours=hour)).astimezone(dt.UTC)

    def day(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone).date()
