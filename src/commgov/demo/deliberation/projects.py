"""The micro-renovations as projects: set up on the council's resolution, funded by the
government, the residents' own funds and points residents give, their milestones advanced
week by week, finished (most of them in December) and rated by the compound's households."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Final

import attrs

from commgov.demo.deliberation.councils import Chamber, person
from commgov.demo.deliberation.plan import MIN_RATERS, SEASON_END
from commgov.demo.deliberation.stage import Stage
from commgov.demo.deliberation.texts import LOW_COMMENTS
from commgov.demo.deliberation.timeline import between
from commgov.demo.participation.draws import stars
from commgov.people.views import ResidentView

PART: Final = "projects"
RATING_WEIGHTS: Final = (2, 3, 12, 35, 48)
"""How often households give a finished micro-renovation 1 … 5 stars (1 and 2 open a case)."""
ON_TIME: Final = 0.85
"""The share of projects finished in December; the others run into January."""
WEEK: Final = dt.timedelta(days=7)


@attrs.frozen
class Leaf:
    """A milestone (or a part of one) whose progress is entered, with the days it is worked on."""

    item_id: int
    title: str
    first: dt.datetime
    last: dt.datetime


class ProjectSeason:
    """A project per council, following its resolution."""

    def __init__(self, stage: Stage) -> None:
        self.cg = stage.cg
        self.cast = stage.cast
        self.rng = stage.rng
        self.timeline = stage.timeline
        self.plan = stage.plan
        self.figures = stage.figures
        self.homes = stage.homes
        self.entered: dict[int, int] = {}
        """The progress entered on each leaf item so far."""

    def follow(self, chamber: Chamber, resolution_id: int) -> None:
        """The work station sets the project up the morning after the council resolved it."""
        today = self.cast.day(self.cg.context.clock())
        morning = self.cast.moment(today + dt.timedelta(days=1), 9)
        self.timeline.at(morning, PART, partial(self.start, chamber, resolution_id))

    def start(self, chamber: Chamber, resolution_id: int) -> None:
        """Set up the project on the resolution, with its budget, government money and
        milestones; the rest of its season is scheduled."""
        rng, office = self.rng, chamber.community.office
        grid, name = chamber.compound
        budget = rng.randrange(20, 61) * 10_000 * 100  # ¥200,000–600,000, in fen
        project = self.cg.projects.create(
            office, unit=grid, title=f"{name}{chamber.renovation.title}", budget_fen=budget,
            description="经居民表决、议事会决议实施的小区微改造", resolution=resolution_id,
        )  # fmt: skip
        chamber.project_id = project.id
        self.figures["projects"] += 1
        self.cg.projects.fund(
            office, project.id, source="government",
            amount_fen=budget // 100 * rng.randrange(55, 76), funder="城关镇人民政府",
        )  # fmt: skip
        now = self.cg.context.clock()
        started = self.cast.day(now) + dt.timedelta(days=2)
        if rng.random() < ON_TIME:
            done = between(self.cast, rng, dt.date(2025, 12, 10), dt.date(2025, 12, 24), (10, 16))
        else:
            done = between(self.cast, rng, dt.date(2026, 1, 5), dt.date(2026, 1, 25), (10, 16))
        leaves = self.milestones(chamber, project.id, self.cast.moment(started, 9), done)
        at = self.timeline.at
        own = now + dt.timedelta(days=rng.uniform(5, 14))
        at(
            own,
            PART,
            partial(self.own_funds, chamber, project.id, budget // 100 * rng.randrange(6, 13)),
        )
        self.donations(chamber, project.id, started, done)
        moment = self.cast.moment(started + dt.timedelta(days=3), 17)
        while moment < done:
            at(moment, PART, partial(self.advance, chamber, project.id, leaves))
            moment += WEEK
        at(done, PART, partial(self.advance, chamber, project.id, leaves))
        at(
            done + dt.timedelta(hours=1),
            PART,
            partial(self.finish, chamber, project.id, resolution_id),
        )

    def milestones(
        self, chamber: Chamber, project_id: int, first: dt.datetime, last: dt.datetime
    ) -> list[Leaf]:
        """The renovation's milestones (a milestone with parts takes its progress from them),
        worked on one after another from ``first`` to ``last`` by their weights."""
        office = chamber.community.office
        pieces: list[tuple[int, str, float]] = []
        for milestone in chamber.renovation.milestones:
            view = self.cg.projects.add_item(
                office, project_id, title=milestone.title, weight=milestone.weight,
                rollup="average" if milestone.parts else "weighted",
            )  # fmt: skip
            top = view.items[-1].id
            if not milestone.parts:
                pieces.append((top, milestone.title, milestone.weight))
            for part in milestone.parts:
                child = self.cg.projects.add_item(office, project_id, title=part, parent=top)
                share = milestone.weight / len(milestone.parts)
                pieces.append((child.items[-1].children[-1].id, part, share))
        total, span, at = sum(w for _, _, w in pieces), last - first, first
        leaves = []
        for item_id, title, weight in pieces:
            ends = at + span * (weight / total)
            leaves.append(Leaf(item_id, title, at, ends))
            at = ends
        return leaves

    def own_funds(self, chamber: Chamber, project_id: int, amount: int) -> None:
        self.cg.projects.fund(
            chamber.community.office, project_id, source="residents", amount_fen=amount,
            funder=f"{chamber.compound[1]}业主自筹",
        )  # fmt: skip

    def donations(
        self, chamber: Chamber, project_id: int, first: dt.date, last: dt.datetime
    ) -> None:
        """Volunteers of the compound give some of their points."""
        rng = self.rng
        volunteers = [r for r in self.homes.residents(chamber.compound[0]) if r.is_volunteer]
        end = min(self.cast.day(last) - dt.timedelta(days=1), SEASON_END)  # before it is done
        for giver in rng.sample(volunteers, min(len(volunteers), self.plan.donors)):
            moment = between(self.cast, rng, first, end, (8, 21))
            gift = partial(self.donate, project_id, giver, rng.uniform(0.2, 0.5))
            self.timeline.at(moment, PART, gift)

    def donate(self, project_id: int, resident: ResidentView, share: float) -> None:
        """A resident gives a share of their points, if they have some."""
        resident_id = resident.id
        account = self.cg.points.balance(self.cast.admin, resident_id)
        if account is None or account.balance < 10:
            return  # nothing much to give
        points = max(5, int(account.balance * share))
        self.cg.projects.donate_points(
            person(resident), project_id, resident_id=resident_id, points=points,
            client_id=f"project-{project_id}-gift-{resident_id}",
        )  # fmt: skip
        self.figures["points donors"] += 1
        self.figures["points donated"] += points

    def advance(self, chamber: Chamber, project_id: int, leaves: list[Leaf]) -> None:
        """The week's progress on every milestone under way (in tens of per cent)."""
        now = self.cg.context.clock()
        for leaf in leaves:
            if now <= leaf.first:
                break
            done = min(100, round((now - leaf.first) / (leaf.last - leaf.first) * 10) * 10)
            if done > self.entered.get(leaf.item_id, 0):
                self.entered[leaf.item_id] = done
                note = "完成" if done == 100 else f"{leaf.title}推进中"
                self.cg.projects.progress(
                    chamber.community.office, project_id, leaf.item_id, percent_done=done, note=note
                )
                self.figures["progress entered"] += 1

    def finish(self, chamber: Chamber, project_id: int, resolution_id: int) -> None:
        """Finished and accepted; the resolution carried out; households rate it."""
        office = chamber.community.office
        self.cg.projects.finish(office, project_id, note="竣工验收合格")
        self.cg.meetings.fulfil(office, resolution_id, note="项目已完工并通过验收")
        self.figures["projects finished"] += 1
        homes = self.homes.households(chamber.compound[0])
        count = min(len(homes), max(MIN_RATERS, round(len(homes) * self.plan.raters)))
        first = self.cast.day(self.cg.context.clock()) + dt.timedelta(days=1)
        if first > SEASON_END:
            return
        for home in self.rng.sample(homes, count):
            moment = between(self.cast, self.rng, first, SEASON_END, (9, 21))
            self.timeline.at(moment, PART, partial(self.rate, project_id, home))

    def rate(self, project_id: int, home: ResidentView) -> None:
        rating = stars(self.rng, RATING_WEIGHTS)
        comment = self.rng.choice(LOW_COMMENTS) if rating <= 2 else None
        rated = self.cg.projects.rate(person(home), project_id, rating=rating, comment=comment)
        self.figures["ratings"] += 1
        self.figures["cases from low ratings"] += rated.case_id is not None
