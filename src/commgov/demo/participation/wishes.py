"""Micro-wishes (微心愿) through the season: posted, triaged, matched, fulfilled, adopted and
expired."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from collections.abc import Mapping
from typing import Final

import attrs

from commgov.demo.participation.cast import Cast, Community, Person
from commgov.demo.participation.draws import hours, stars, weighted
from commgov.demo.participation.plan import (
    CASE_CATEGORIES,
    SEASON_END,
    SEASON_START,
    ParticipationPlan,
)
from commgov.demo.participation.timeline import Timeline, arrivals, season_end, set_clock
from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.people.service.importing import Progress
from commgov.wishes.model.rules import AuthorKind
from commgov.wishes.views import WishStatistics

WANT_WEIGHTS: Final = {
    "elder": 30, "neighbour": 18, "hardship": 14, "health": 14, "study": 10, "culture": 6,
    "facilities": 5, "environment": 3,
}  # fmt: skip
OFFER_WEIGHTS: Final = {
    "elder": 24, "neighbour": 22, "study": 16, "culture": 14, "health": 12, "hardship": 8,
    "environment": 4,
}  # fmt: skip
SUGGESTION_WEIGHTS: Final = {
    "facilities": 34, "environment": 28, "culture": 16, "neighbour": 10, "health": 7, "elder": 5,
}  # fmt: skip
OTHER_WEIGHT: Final = 2
"""The weight of a category a town's plugin adds."""
TEXTS: Final = {
    "want": ("想请人帮忙：{0}", "家里需要{0}方面的帮助", "希望有人能提供{0}"),
    "offer": ("我愿意提供{0}，周末有空", "可以帮邻居做{0}", "愿为社区做{0}"),
    "suggestion": ("希望社区改善{0}", "建议小区加强{0}", "盼望能有更好的{0}"),
}
PARTNERS: Final[tuple[tuple[AuthorKind, str], ...]] = (
    ("partner", "城关便民超市"),
    ("partner", "虞城县人民医院"),
    ("organisation", "城关志愿者协会"),
    ("organisation", "木兰爱心社"),
    ("partner", "宏达物业公司"),
    ("partner", "阳光家政服务"),
)
RATING_WEIGHTS: Final = (1, 2, 7, 30, 60)
"""How often residents give 1 … 5 stars to a wish met."""


@attrs.frozen
class Posted:
    """A wish the season posted: what the opinion board may link a visit to."""

    wish_id: int
    kind: str
    community: str
    at: dt.datetime
    reference: list[str] = attrs.field(factory=list)
    """The council topic it was referred to, once it is."""


class WishSeason:
    """Wishes posted through the season, triaged twice a week, wants matched to offers or met
    by the community, suggestions adopted, wants past their date expired each week."""

    def __init__(self, cg: Commgov, cast: Cast, rng: random.Random, report: Progress) -> None:
        self.cg = cg
        self.cast = cast
        self.rng = rng
        self.timeline = Timeline(cg, cast, "wishes", report)
        self.figures: Counter[str] = Counter()
        self.posted: list[Posted] = []
        self.proposed: set[int] = set()
        self.needs: dict[int, int] = {}
        """What each want asked for (nothing else matches it)."""
        tree = cg.wishes.categories()
        self.items: dict[str, list[str]] = {c.code: [] for c in tree if c.parent is None}
        self.labels = {c.code: c.label.split(" ")[0] for c in tree}
        for category in tree:
            if category.parent in self.items:
                self.items[category.parent].append(category.code)
        known = {c.code for c in cg.cases.categories()}
        self.case_categories = {k: v for k, v in CASE_CATEGORIES.items() if v in known}
        self.topics = itertools.count(1)

    # -- the plan --------------------------------------------------------------------------
    def play(self, plan: ParticipationPlan) -> None:
        kinds = ["want"] * plan.wants + ["offer"] * plan.offers
        kinds += ["suggestion"] * plan.suggestions
        self.rng.shuffle(kinds)
        post = {"want": self.post_want, "offer": self.post_offer, "suggestion": self.suggest}
        for kind, moment in zip(kinds, arrivals(self.cast, self.rng, len(kinds)), strict=True):
            self.timeline.at(moment, post[kind])
        day = SEASON_START + dt.timedelta(days=-SEASON_START.weekday() % 7)
        while day <= SEASON_END:  # Mondays: the weekly review
            self.timeline.at(self.cast.moment(day, 8), self.expire)
            self.timeline.at(self.cast.moment(day, 9), self.triage)
            day += dt.timedelta(days=7)
        self.timeline.at(self.cast.moment(SEASON_END, 20), self.expire)
        self.timeline.at(self.cast.moment(SEASON_END, 21), self.triage)
        self.timeline.run(season_end(self.cast))

    def summary(
        self, admin: Actor, town: str
    ) -> tuple[list[WishStatistics], dict[str, dict[str, int]]]:
        """The season's statistics and the timetable by tier, as of the season's last evening."""
        set_clock(self.cg, self.cast.moment(SEASON_END, 22))
        stats = self.cg.wishes.statistics(admin, town, start=SEASON_START, end=SEASON_END)
        tiers: dict[str, dict[str, int]] = {}
        for row in self.cg.wishes.timetable(admin, town):
            tier = tiers.setdefault(row.tier_label, {"wishes": 0, "done": 0, "overdue": 0})
            tier["wishes"] += 1
            tier["done"] += row.state in ("fulfilled", "adopted")
            tier["overdue"] += row.overdue
        return stats, tiers

    # -- posting ---------------------------------------------------------------------------
    def someone(self) -> Person:
        return self.rng.choice(self.cast.people)

    def category(self, weights: Mapping[str, int]) -> str:
        tops = {code: weights.get(code, OTHER_WEIGHT) for code in self.items}
        top = weighted(self.rng, tops)
        items = self.items[top]
        return self.rng.choice(items) if items and self.rng.random() < 0.85 else top

    def text(self, kind: str, category: str) -> str:
        return self.rng.choice(TEXTS[kind]).format(self.labels.get(category, category))

    def now(self) -> dt.datetime:
        return self.cg.context.clock()

    def record(self, wish_id: int, kind: str, community: Community) -> Posted:
        posted = Posted(wish_id, kind, community.code, self.now())
        self.posted.append(posted)
        self.figures[f"{kind}s posted"] += 1
        return posted

    def post_want(self) -> None:
        rng, person = self.rng, self.someone()
        today = self.cast.day(self.now())
        wanted_by = None
        if rng.random() < 0.75:
            wanted_by = today + dt.timedelta(
                days=rng.randint(3, 14) if rng.random() < 0.4 else rng.randint(15, 120)
            )
        category = self.category(WANT_WEIGHTS)
        want = self.cg.wishes.post(
            person.actor if rng.random() < 0.6 else person.community.office,
            kind="want",
            resident_id=person.resident.id,
            category=category,
            text=self.text("want", category),
            wanted_by=wanted_by,
            quantity=1 if rng.random() < 0.85 else rng.randint(2, 3),
        )
        self.record(want.id, "want", person.community)
        self.needs[want.id] = want.quantity
        self.plan_want(want.id, person, wanted_by)

    def plan_want(self, want_id: int, person: Person, wanted_by: dt.date | None) -> None:
        """Its fate: withdrawn, matched to offers, met by the community, or left open."""
        rng, now = self.rng, self.now()
        last = now + dt.timedelta(days=40)
        if wanted_by is not None:
            last = min(last, self.cast.moment(wanted_by, 21))
        if rng.random() < 0.03:
            when = now + (last - now) * rng.uniform(0.1, 0.9)
            self.timeline.at(when, lambda: self.withdraw(want_id, person.actor))
            return
        near = wanted_by is not None and wanted_by <= self.cast.day(now) + dt.timedelta(days=14)
        if rng.random() >= (0.75 if near else 0.5):
            return  # nobody meets it: it stays open, or expires once its date has passed
        if rng.random() < 0.45:
            when = now + (min(last, now + dt.timedelta(days=3)) - now) * rng.uniform(0.05, 0.9)
            self.timeline.at(when, lambda: self.match(want_id, person, last))
        else:
            when = now + (last - now) * rng.uniform(0.1, 1.0)
            self.timeline.at(when, lambda: self.fulfil(want_id, person, by_office=True))

    def post_offer(self) -> None:
        rng = self.rng
        roll = rng.random()
        community = rng.choice(self.cast.communities)
        category = self.category(OFFER_WEIGHTS)
        text = self.text("offer", category)
        if roll < 0.75 or not community.grids:
            person = self.someone()
            community = person.community
            offer = self.cg.wishes.post(
                person.actor if rng.random() < 0.7 else community.office,
                kind="offer", resident_id=person.resident.id, category=category, text=text,
                quantity=rng.randint(1, 4),
            )  # fmt: skip
        elif roll < 0.85:
            grid = rng.choice(community.grids)[0]
            offer = self.cg.wishes.post(
                self.cast.worker(community, grid)[1], kind="offer", author_kind="staff",
                unit=grid, category=category, text=text, quantity=rng.randint(2, 5),
            )  # fmt: skip
        else:
            kind, name = rng.choice(PARTNERS)
            offer = self.cg.wishes.post(
                community.office, kind="offer", author_kind=kind, author_name=name,
                unit=community.code, category=category, text=text, quantity=rng.randint(10, 20),
            )  # fmt: skip
        self.record(offer.id, "offer", community)
        if rng.random() < 0.04:
            when = self.now() + hours(rng, 240, 960)
            self.timeline.at(when, lambda: self.withdraw_offer(offer.id, community))

    def suggest(self) -> None:
        rng, person = self.rng, self.someone()
        community = person.community
        category = self.category(SUGGESTION_WEIGHTS)
        text = self.text("suggestion", category)
        author = person.actor
        if rng.random() < 0.9 or not community.grids:
            wish = self.cg.wishes.post(
                author if rng.random() < 0.6 else community.office, kind="suggestion",
                resident_id=person.resident.id, category=category, text=text,
            )  # fmt: skip
        else:
            grid = rng.choice(community.grids)[0]
            author = self.cast.worker(community, grid)[1]
            wish = self.cg.wishes.post(
                author, kind="suggestion", author_kind="staff",
                unit=grid, category=category, text=text,
            )  # fmt: skip
        posted = self.record(wish.id, "suggestion", community)
        roll, now = rng.random(), self.now()
        if roll < 0.25:
            self.timeline.at(now + hours(rng, 72, 504), lambda: self.to_case(posted, category))
        elif roll < 0.40:
            self.timeline.at(now + hours(rng, 168, 720), lambda: self.refer(posted, community))
        elif roll < 0.43:
            self.timeline.at(now + hours(rng, 24, 240), lambda: self.withdraw(wish.id, author))

    # -- the community's work ----------------------------------------------------------------
    def reviewers(self) -> list[tuple[Actor, str]]:
        """Who reviews which unit each week: the town's office the whole town, else each
        community's work station its community."""
        if self.cast.town_office is not None:
            return [(self.cast.town_office, self.cast.town)]
        return [(c.office, c.code) for c in self.cast.communities]

    def triage(self) -> None:
        """Every wish not triaged yet gets its tier by the rule (``commgov_wish_tier``)."""
        for actor, unit in self.reviewers():
            self.figures["triaged"] += self.cg.wishes.triage_all(actor, unit)

    def expire(self) -> None:
        """Wants nobody accepted, past their date, expire."""
        for actor, unit in self.reviewers():
            self.figures["wants expired"] += len(self.cg.wishes.expire_due(actor, unit))

    def match(self, want_id: int, person: Person, last: dt.datetime) -> None:
        """Candidates → proposals covering the want → its author accepts (or declines)."""
        office = person.community.office
        found = self.cg.wishes.candidates(office, want_id, limit=3)
        if not found:
            if self.rng.random() < 0.5:
                when = self.now() + (last - self.now()) * self.rng.uniform(0.2, 1.0)
                self.timeline.at(when, lambda: self.fulfil(want_id, person, by_office=True))
            return
        need = self.needs[want_id]
        matches = []
        for candidate in found:
            amount = min(need, candidate.offer.spare)
            matches.append(
                self.cg.wishes.propose(office, want_id, candidate.offer.id, quantity=amount).id
            )
            self.proposed.add(candidate.offer.id)
            self.figures["matches proposed"] += 1
            need -= amount
            if need <= 0:
                break
        self.timeline.at(
            self.now() + hours(self.rng, 0.5, 6), lambda: self.answer(want_id, person, matches)
        )

    def answer(self, want_id: int, person: Person, matches: list[int]) -> None:
        if self.rng.random() < 0.07:
            for match_id in matches:
                self.cg.wishes.decline_match(
                    person.actor, match_id, reason="时间不合适 the time does not suit"
                )
                self.figures["matches declined"] += 1
            return
        for match_id in matches:
            self.cg.wishes.accept_match(person.actor, match_id)
            self.figures["matches accepted"] += 1
        when = self.now() + hours(self.rng, 24, 240)
        self.timeline.at(when, lambda: self.fulfil(want_id, person, by_office=False))

    def fulfil(self, want_id: int, person: Person, *, by_office: bool) -> None:
        """The want is met: its author (or the community, on a visit) rates it; helpers are
        paid through the points ledger."""
        actor = person.community.office if by_office or self.rng.random() < 0.3 else person.actor
        done = self.cg.wishes.fulfil(
            actor, want_id, evidence=[f"oss://wishes/{want_id}-done.jpg"],
            rating=stars(self.rng, RATING_WEIGHTS), note="已完成 done",
        )  # fmt: skip
        self.figures["wants fulfilled"] += 1
        self.figures["points paid"] += sum(p.points for p in done.payments)

    def to_case(self, posted: Posted, category: str) -> None:
        office = self._office(posted.community)
        top = category.split(".", 1)[0]
        done = self.cg.wishes.to_case(
            office, posted.wish_id, category=self.case_categories.get(top)
        )
        self.figures["suggestions made cases"] += 1
        self.figures["points paid"] += sum(p.points for p in done.payments)

    def refer(self, posted: Posted, community: Community) -> None:
        topic = self.rng.random() < 0.7
        reference = (
            f"{'议题 topic' if topic else '项目 project'} {community.code}-{next(self.topics):03d}"
        )
        done = self.cg.wishes.refer(
            community.office,
            posted.wish_id,
            to="topic" if topic else "project",
            reference=reference,
        )
        self.figures["points paid"] += sum(p.points for p in done.payments)
        if topic:
            posted.reference.append(reference)
        self.figures["suggestions referred"] += 1

    def withdraw(self, wish_id: int, author: Actor) -> None:
        self.cg.wishes.withdraw(author, wish_id, reason="已自行解决 sorted out ourselves")
        self.figures["wishes withdrawn"] += 1

    def withdraw_offer(self, offer_id: int, community: Community) -> None:
        if offer_id in self.proposed:
            return  # promised to someone: it stays
        self.cg.wishes.withdraw(community.office, offer_id, reason="搬离本社区 moved away")
        self.figures["wishes withdrawn"] += 1

    def _office(self, code: str) -> Actor:
        return next(c.office for c in self.cast.communities if c.code == code)
