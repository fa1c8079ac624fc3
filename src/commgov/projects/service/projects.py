"""``cg.projects``: projects (微改造, 为民办实事) tracked from proposal to result.

- Staff within reach of the project's unit (``write``) set it up (optionally following a
  council's resolution), record funds, build its progress tree and enter progress.
- Residents give their points to a project (``donate_points``: the ledgers move them into the
  project's fund, all or nothing); residents living under the unit and staff within reach read
  the project and its public timeline.
- Once finished, each household rates it once; a low rating opens a case about it.
Every write runs in one unit of work, is audited and dated on the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Final, TypeVar

from commgov.cases.service.cases import CaseService
from commgov.councils.service.meetings import MeetingService
from commgov.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from commgov.kernel.access import READ, WRITE
from commgov.kernel.actors import RESIDENT, Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import row_id, whole_number
from commgov.ledger.service.ledger import LedgerService
from commgov.ledger.service.points import PointsService
from commgov.people.model.units import Unit, path_within, unit_target
from commgov.people.repository import HouseholdRepository, UnitRepository
from commgov.people.service.grids import load_unit
from commgov.projects.model import checks
from commgov.projects.model.limits import (
    DEPTH_MAX,
    ITEMS_MAX,
    LOW_RATING,
    MONEY_MAX,
    NAME_MAX,
    NOTE_MAX,
    RATING_MAX,
    RATING_MIN,
    TEXT_MAX,
    TITLE_MAX,
    WEIGHT_MAX,
)
from commgov.projects.model.progress import ROLLUPS, Item, percent, roll_up
from commgov.projects.model.values import Project
from commgov.projects.model.vocab import EVENTS, SOURCES, STATES
from commgov.projects.repository import ProjectRepository
from commgov.projects.views import FundingLine, ItemView, ProjectView, RatingView, TimelineEntry

T = TypeVar("T")
MONEY_SOURCES = ("government", "partner", "residents")
LIST_MAX: Final = 100_000
"""The most projects one call of ``of_unit`` answers."""


class ProjectService:
    """Projects and their accountability. Reach it as ``cg.projects``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # -- setting up ------------------------------------------------------------------------
    def create(
        self,
        actor: Actor,
        *,
        unit: str,
        title: str,
        budget_fen: int,
        description: str = "",
        rollup: str = "weighted",
        resolution: int | None = None,
    ) -> ProjectView:
        """Set up a project in ``unit`` with a budget in fen. ``rollup`` says how the top
        items roll up into the project's progress (``weighted`` by their weights, or
        ``average``). ``resolution`` names the council resolution it follows (one whose
        follow-up is a project); the resolution is linked to the project."""
        title = checks.text("title", title, TITLE_MAX)
        described = checks.text("description", description, TEXT_MAX, empty=True)
        budget = checks.whole("budget_fen", budget_fen, 0, MONEY_MAX)
        how = checks.code("rollup", rollup, dict.fromkeys(ROLLUPS))
        follows = checks.optional_id("resolution", resolution)
        with self._ctx.uow() as uow:
            home = load_unit(uow, unit, live=True)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            now = self._ctx.clock()
            project_id = uow.repo(ProjectRepository).add(
                {
                    "unit_id": home.id, "title": title, "description": described,
                    "state": "planned", "budget": budget, "rollup": how,
                    "resolution_id": follows, "created_by": actor.label(), "created_at": now,
                }
            )  # fmt: skip
            if follows is not None:
                linked = MeetingService(self._ctx).link(actor, follows, reference=project_id)
                if linked.follow_up != "project":
                    raise ValidationError(
                        "resolution", follows, f"is followed by a {linked.follow_up}, not a project"
                    )
            self._event(uow, actor, project_id, "created", title)
            self._ctx.audit(
                uow, actor, "project.create", entity="project", entity_id=project_id,
                detail={"unit": home.code, "budget": budget},
            )  # fmt: skip
            return self._view(uow, self._project(uow, project_id), home)

    def fund(
        self, actor: Actor, project_id: int, *, source: str, amount_fen: int, funder: str
    ) -> ProjectView:
        """Record money received: from the ``government``, a ``partner`` or the residents'
        own funds (``residents``, 居民自筹), in fen, with who gave it."""
        kind = checks.code("source", source, dict.fromkeys(MONEY_SOURCES))
        amount = checks.whole("amount_fen", amount_fen, 1, MONEY_MAX)
        name = checks.text("funder", funder, NAME_MAX)

        def work(uow: UnitOfWork, project: Project, home: Unit) -> None:
            self._check_open(project)
            uow.repo(ProjectRepository).add_funding(
                {
                    "project_id": project.id,
                    "source": kind,
                    "amount": amount,
                    "funder": name,
                    "at": self._ctx.clock(),
                }
            )
            yuan = f"{amount / 100:.2f}"
            self._event(uow, actor, project.id, "funded", f"{SOURCES[kind][0]} {name} {yuan}元")

        return self._write(actor, project_id, "project.fund", work, {"source": kind})

    def donate_points(
        self, actor: Actor, project_id: int, *, resident_id: int, points: int, client_id: str
    ) -> ProjectView:
        """Give a resident's points to the project: the resident themselves or staff within
        reach. The points move through the ledgers into the project's fund with the funding
        line, all or nothing; a retry with the same ``client_id`` does not give twice."""
        amount = checks.whole("points", points, 1, MONEY_MAX)
        resident = checks.entity_id("resident_id", resident_id)

        def work(uow: UnitOfWork, project: Project, home: Unit) -> None:
            self._check_open(project)
            repo = uow.repo(ProjectRepository)
            gift = PointsService(self._ctx, LedgerService(self._ctx)).donate(
                actor, resident, fund=f"project-{project.id}", unit=home.code,
                amount=amount, client_id=client_id,
            )  # fmt: skip
            if gift.replayed:
                earlier = repo.funded_by(client_id)
                if earlier is not None and earlier.project_id == project.id:
                    return
            repo.add_funding(
                {
                    "project_id": project.id,
                    "source": "points",
                    "amount": amount,
                    "funder": f"resident:{resident}",
                    "resident_id": resident,
                    "client_id": client_id,
                    "at": self._ctx.clock(),
                }
            )
            self._event(uow, actor, project.id, "funded", f"积分捐赠 {amount} 分")

        return self._write(
            actor, project_id, "project.donate", work, {"points": amount}, residents_too=True
        )

    # -- the progress tree -----------------------------------------------------------------
    def add_item(
        self,
        actor: Actor,
        project_id: int,
        *,
        title: str,
        parent: int | None = None,
        weight: int = 1,
        rollup: str = "weighted",
        due_on: dt.date | None = None,
    ) -> ProjectView:
        """Add a milestone (or, under ``parent``, a part of one) with its ``weight`` in its
        parent's roll-up, how its own children roll up, and the day it is due. A parent's
        progress comes from its children from then on."""
        title = checks.text("title", title, TITLE_MAX)
        parent_id = checks.optional_id("parent", parent)
        heavy = checks.whole("weight", weight, 1, WEIGHT_MAX)
        how = checks.code("rollup", rollup, dict.fromkeys(ROLLUPS))
        due = checks.optional_day("due_on", due_on)

        def work(uow: UnitOfWork, project: Project, home: Unit) -> None:
            self._check_open(project)
            repo = uow.repo(ProjectRepository)
            items = {i.id: i for i in repo.items(project.id)}
            if len(items) >= ITEMS_MAX:
                raise ValidationError("title", title, f"a project holds at most {ITEMS_MAX} items")
            if parent_id is not None:
                if parent_id not in items:
                    raise ValidationError(
                        "parent", parent_id, f"is not an item of project {project.id}"
                    )
                if _depth(items, parent_id) >= DEPTH_MAX:
                    raise ValidationError(
                        "parent", parent_id, f"the tree is at most {DEPTH_MAX} deep"
                    )
            item_id = repo.add_item(
                {
                    "project_id": project.id,
                    "parent_id": parent_id,
                    "title": title,
                    "weight": heavy,
                    "progress": 0,
                    "rollup": how,
                    "due_on": due,
                    "position": len(items) + 1,
                }
            )
            self._event(uow, actor, project.id, "item", title, item_id=item_id)

        return self._write(actor, project_id, "project.add_item", work, {"title": title})

    def progress(
        self, actor: Actor, project_id: int, item: int, *, percent_done: int, note: str
    ) -> ProjectView:
        """Enter a leaf item's progress (0–100) with a note for the public timeline; the
        project moves from planned to underway with its first progress."""
        item_id = checks.entity_id("item", item)
        done = checks.whole("percent_done", percent_done, 0, 100)
        said = checks.text("note", note, NOTE_MAX)

        def work(uow: UnitOfWork, project: Project, home: Unit) -> None:
            self._check_open(project)
            repo = uow.repo(ProjectRepository)
            items = {i.id: i for i in repo.items(project.id)}
            if item_id not in items:
                raise ValidationError("item", item_id, f"is not an item of project {project.id}")
            if any(i.parent_id == item_id for i in items.values()):
                raise ValidationError("item", item_id, "has parts: its progress rolls up from them")
            repo.set_progress(item_id, done)
            if project.state == "planned" and done > 0:
                repo.update(project.id, {"state": "underway", "started_at": self._ctx.clock()})
            text = f"{items[item_id].title}：{done}%，{said}"
            self._event(uow, actor, project.id, "progress", text, item_id=item_id)

        return self._write(actor, project_id, "project.progress", work, {"item": item_id})

    def finish(self, actor: Actor, project_id: int, *, note: str) -> ProjectView:
        """Finish a project whose progress has reached 100%."""
        said = checks.text("note", note, NOTE_MAX)

        def work(uow: UnitOfWork, project: Project, home: Unit) -> None:
            self._check_open(project)
            overall, _ = roll_up(uow.repo(ProjectRepository).items(project.id), project.rollup)
            if overall < 100:
                raise StateError(
                    f"project {project.id} is at {percent(overall)}%: it finishes at 100%"
                )
            uow.repo(ProjectRepository).update(
                project.id, {"state": "finished", "finished_at": self._ctx.clock()}
            )
            self._event(uow, actor, project.id, "finished", said)

        return self._write(actor, project_id, "project.finish", work, {})

    def cancel(self, actor: Actor, project_id: int, *, reason: str) -> ProjectView:
        said = checks.text("reason", reason, NOTE_MAX)

        def work(uow: UnitOfWork, project: Project, home: Unit) -> None:
            self._check_open(project)
            uow.repo(ProjectRepository).update(
                project.id, {"state": "cancelled", "cancel_reason": said}
            )
            self._event(uow, actor, project.id, "cancelled", said)

        return self._write(actor, project_id, "project.cancel", work, {})

    # -- residents' ratings ----------------------------------------------------------------
    def rate(
        self, actor: Actor, project_id: int, *, rating: int, comment: str | None = None
    ) -> RatingView:
        """A household's rating (1–5) of a finished project, once; a rating of 2 or less
        opens a case about the project (channel ``resident``, reported by the household)."""
        stars = checks.whole("rating", rating, RATING_MIN, RATING_MAX)
        said = None if comment is None else checks.text("comment", comment, NOTE_MAX)
        if actor.role != RESIDENT or actor.household_id is None:
            raise PermissionDenied(actor.label(), "rate", f"project {project_id} (households rate)")
        household = actor.household_id
        with self._ctx.uow() as uow:
            project, home = self._load(uow, project_id)
            self._check_resident(uow, actor, home)
            if project.state != "finished":
                raise StateError(f"project {project.id} is {project.state}: rate it once finished")
            repo = uow.repo(ProjectRepository)
            added = repo.rate(
                {
                    "project_id": project.id,
                    "household_id": household,
                    "rating": stars,
                    "comment": said,
                    "rated_at": self._ctx.clock(),
                }
            )
            if not added:
                raise ConflictError(f"household {household} has rated project {project.id} already")
            case_id = None
            if stars <= LOW_RATING:
                text = f"项目「{project.title}」居民评价{stars}分" + (f"：{said}" if said else "")
                case = CaseService(self._ctx).report(actor, text=text, household_id=household)
                case_id = case.id
                repo.set_rating_case(project.id, household, case_id)
            self._event(uow, actor, project.id, "rated", f"{stars}星")
            self._ctx.audit(
                uow, actor, "project.rate", entity="project", entity_id=project.id,
                detail={"rating": stars, "case": case_id},
            )  # fmt: skip
            return RatingView(
                project_id=project.id, household_id=household, rating=stars, case_id=case_id
            )

    # -- reading ---------------------------------------------------------------------------
    def get(self, actor: Actor, project_id: int) -> ProjectView:
        with self._ctx.uow(readonly=True) as uow:
            project, home = self._load(uow, project_id)
            self._check_reader(uow, actor, home)
            return self._view(uow, project, home)

    def of_unit(
        self, actor: Actor, unit: str, *, after_id: int | None = None, limit: int | None = None
    ) -> list[ProjectView]:
        """The projects of ``unit`` and the units below it, oldest first; at most ``limit``,
        continuing after the id ``after_id`` (the last of a previous page) when given."""
        if after_id is not None:
            row_id("after_id", after_id)
        if limit is not None:
            whole_number("limit", limit, 1, LIST_MAX)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._check_reader(uow, actor, top)
            found = uow.repo(ProjectRepository).under(top.path, after_id=after_id, limit=limit)
            homes = {u.id: u for u in uow.repo(UnitRepository).many({p.unit_id for p in found})}
            return [self._view(uow, p, homes[p.unit_id]) for p in found]

    def timeline(self, actor: Actor, project_id: int) -> list[TimelineEntry]:
        """The project's public timeline, oldest first: each step dated, with the progress
        right after it."""
        with self._ctx.uow(readonly=True) as uow:
            project, home = self._load(uow, project_id)
            self._check_reader(uow, actor, home)
            return [
                TimelineEntry(at=e.at, kind=e.kind, label=EVENTS[e.kind][0], text=e.text,
                              progress=e.progress / 10, item_id=e.item_id)
                for e in uow.repo(ProjectRepository).events(project.id)
            ]  # fmt: skip

    # -- helpers ---------------------------------------------------------------------------
    def _write(
        self,
        actor: Actor,
        project_id: int,
        action: str,
        work: Callable[[UnitOfWork, Project, Unit], None],
        detail: dict[str, object],
        *,
        residents_too: bool = False,
    ) -> ProjectView:
        key = checks.entity_id("project", project_id)
        with self._ctx.uow() as uow:
            project, home = self._load(uow, key, lock=True)
            if residents_too and actor.role == RESIDENT:
                self._check_resident(uow, actor, home)
            else:
                self._ctx.authorize(actor, WRITE, unit_target(home))
            work(uow, project, home)
            self._ctx.audit(
                uow, actor, action, entity="project", entity_id=project.id, detail=detail
            )
            return self._view(uow, self._project(uow, project.id), home)

    def _project(self, uow: UnitOfWork, project_id: int, *, lock: bool = False) -> Project:
        found = uow.repo(ProjectRepository).get(checks.entity_id("project", project_id), lock=lock)
        if found is None:
            raise NotFoundError("project", project_id)
        return found

    def _load(
        self, uow: UnitOfWork, project_id: int, *, lock: bool = False
    ) -> tuple[Project, Unit]:
        project = self._project(uow, project_id, lock=lock)
        return project, uow.repo(UnitRepository).get(project.unit_id)

    def _check_open(self, project: Project) -> None:
        if project.state in ("finished", "cancelled"):
            raise StateError(f"project {project.id} is {project.state}")

    def _check_resident(self, uow: UnitOfWork, actor: Actor, home: Unit) -> None:
        path = None
        if actor.household_id is not None:
            path = uow.repo(HouseholdRepository).unit_path(actor.household_id)
        if not path_within(path, home):
            raise PermissionDenied(
                actor.label(), "take part in", f"projects of unit {home.code} (lives elsewhere)"
            )

    def _check_reader(self, uow: UnitOfWork, actor: Actor, home: Unit) -> None:
        if actor.role == RESIDENT:
            self._check_resident(uow, actor, home)
        else:
            self._ctx.authorize(actor, READ, unit_target(home))

    def _event(
        self, uow: UnitOfWork, actor: Actor, project_id: int, kind: str, text: str,
        *, item_id: int | None = None,
    ) -> None:  # fmt: skip
        repo = uow.repo(ProjectRepository)
        project = self._project(uow, project_id)
        overall, _ = roll_up(repo.items(project_id), project.rollup)
        repo.add_event(
            {"project_id": project_id, "at": self._ctx.clock(), "kind": kind, "item_id": item_id,
             "progress": round(overall * 10), "text": text[:NOTE_MAX], "actor": actor.label()}
        )  # fmt: skip

    def _view(self, uow: UnitOfWork, project: Project, home: Unit) -> ProjectView:
        repo = uow.repo(ProjectRepository)
        items = repo.items(project.id)
        overall, each = roll_up(items, project.rollup)
        days = repo.item_days(project.id)
        tree = _tree(items, each, days)
        lines: dict[str, list[int]] = {}
        for f in repo.funding(project.id):
            lines.setdefault(f.source, []).append(f.amount)
        funding = [
            FundingLine(source=s, label=SOURCES[s][0], amount=sum(v), gifts=len(v))
            for s, v in sorted(lines.items(), key=lambda kv: list(SOURCES).index(kv[0]))
        ]
        rated, average, cases = repo.ratings(project.id)
        return ProjectView(
            id=project.id, unit_code=home.code, title=project.title,
            description=project.description, state=project.state,
            state_label=STATES[project.state][0], budget=project.budget,
            funded=sum(f.amount for f in funding if f.source in MONEY_SOURCES),
            points_donated=sum(f.amount for f in funding if f.source == "points"),
            funding=funding, rollup=project.rollup, progress=percent(overall), items=tree,
            resolution_id=project.resolution_id, created_at=project.created_at,
            started_at=project.started_at, finished_at=project.finished_at, ratings=rated,
            average_rating=average, cases_opened=cases, cancel_reason=project.cancel_reason,
        )  # fmt: skip


def _depth(items: dict[int, Item], item_id: int) -> int:
    depth, at = 1, items[item_id]
    while at.parent_id is not None:
        depth, at = depth + 1, items[at.parent_id]
    return depth


def _tree(
    items: list[Item], values: Mapping[int, Fraction], days: Mapping[int, dt.date | None]
) -> list[ItemView]:
    by_parent: dict[int | None, list[Item]] = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item)

    def build(parent: int | None) -> list[ItemView]:
        return [
            ItemView(id=i.id, title=i.title, weight=i.weight, rollup=i.rollup,
                     progress=percent(values[i.id]), due_on=days.get(i.id),
                     children=build(i.id))
            for i in by_parent.get(parent, [])
        ]  # fmt: skip

    return build(None)
