"""Loading and saving projects, their funding, items, timeline and ratings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from commgov.kernel.repository import Repository
from commgov.people.repository import path_under
from commgov.people.tables import units
from commgov.projects.model.progress import Item
from commgov.projects.model.values import Event, Funding, Project
from commgov.projects.tables import (
    project_events,
    project_funding,
    project_items,
    project_ratings,
    projects,
)


def _of(kind: type[Any], table: Any, row: Any) -> Any:
    return kind(**{c.name: row._mapping[c] for c in table.c})


def _item(row: Any) -> Item:
    i = project_items.c
    return Item(
        id=row._mapping[i.id], parent_id=row._mapping[i.parent_id], title=row._mapping[i.title],
        weight=row._mapping[i.weight], progress=row._mapping[i.progress],
        rollup=row._mapping[i.rollup], position=row._mapping[i.position],
    )  # fmt: skip


class ProjectRepository(Repository):
    def add(self, values: Mapping[str, Any]) -> int:
        query = insert(projects).returning(projects.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def get(self, project_id: int, *, lock: bool = False) -> Project | None:
        """The project; ``lock`` holds it while its items, progress or state change."""
        query = select(projects).where(projects.c.id == project_id)
        if lock:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return None if row is None else _of(Project, projects, row)

    def under(
        self, path: str, *, after_id: int | None = None, limit: int | None = None
    ) -> list[Project]:
        """The projects of units under ``path`` (itself included), by id; ``after_id``
        continues after that id, ``limit`` caps the rows."""
        p = projects.c
        query = select(projects).join(units, units.c.id == p.unit_id).where(path_under(path))
        if after_id is not None:
            query = query.where(p.id > after_id)
        query = query.order_by(p.id)
        if limit is not None:
            query = query.limit(limit)
        return [_of(Project, projects, r) for r in self.conn.execute(query)]

    def update(self, project_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(update(projects).where(projects.c.id == project_id).values(**values))

    # -- funding ---------------------------------------------------------------------------
    def add_funding(self, values: Mapping[str, Any]) -> int:
        query = insert(project_funding).returning(project_funding.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def funding(self, project_id: int) -> list[Funding]:
        f = project_funding.c
        query = select(project_funding).where(f.project_id == project_id).order_by(f.id)
        return [_of(Funding, project_funding, r) for r in self.conn.execute(query)]

    def funded_by(self, client_id: str) -> Funding | None:
        f = project_funding.c
        row = self.conn.execute(select(project_funding).where(f.client_id == client_id)).first()
        return None if row is None else _of(Funding, project_funding, row)

    # -- items -----------------------------------------------------------------------------
    def add_item(self, values: Mapping[str, Any]) -> int:
        query = insert(project_items).returning(project_items.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def items(self, project_id: int) -> list[Item]:
        i = project_items.c
        query = select(project_items).where(i.project_id == project_id)
        return [_item(r) for r in self.conn.execute(query.order_by(i.position, i.id))]

    def item_days(self, project_id: int) -> dict[int, Any]:
        i = project_items.c
        query = select(i.id, i.due_on).where(i.project_id == project_id)
        return {int(r.id): r.due_on for r in self.conn.execute(query)}

    def set_progress(self, item_id: int, progress: int) -> None:
        i = project_items.c
        self.conn.execute(update(project_items).where(i.id == item_id).values(progress=progress))

    # -- timeline --------------------------------------------------------------------------
    def add_event(self, values: Mapping[str, Any]) -> None:
        self.conn.execute(insert(project_events), dict(values))

    def events(self, project_id: int) -> list[Event]:
        e = project_events.c
        query = select(project_events).where(e.project_id == project_id).order_by(e.at, e.id)
        return [_of(Event, project_events, r) for r in self.conn.execute(query)]

    # -- ratings ---------------------------------------------------------------------------
    def rate(self, values: Mapping[str, Any]) -> bool:
        """Keep a household's rating; ``False`` when it had rated the project already."""
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        query = dialect.insert(project_ratings).on_conflict_do_nothing()
        query = query.returning(project_ratings.c.project_id)
        return self.conn.execute(query, dict(values)).first() is not None

    def set_rating_case(self, project_id: int, household_id: int, case_id: int) -> None:
        r = project_ratings.c
        query = update(project_ratings).where(
            r.project_id == project_id, r.household_id == household_id
        )
        self.conn.execute(query.values(case_id=case_id))

    def ratings(self, project_id: int) -> tuple[int, float | None, int]:
        """How many households rated, the average rating, how many low ratings opened a case."""
        r = project_ratings.c
        query = select(func.count(), func.avg(r.rating), func.count(r.case_id)).where(
            r.project_id == project_id
        )
        n, average, cases = self.conn.execute(query).one()
        return int(n), None if average is None else round(float(average), 2), int(cases)
