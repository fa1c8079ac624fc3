"""The opinion board (民意感知器): a service point in every comprehensive grid logging two
months of visits."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, Final

from commgov.demo.participation.cast import Cast, Community
from commgov.demo.participation.draws import weighted
from commgov.demo.participation.plan import BOARD_MONTHS, CASE_CATEGORIES
from commgov.demo.participation.timeline import set_clock
from commgov.demo.participation.wishes import Posted
from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.opinions.views import CommunityBoard
from commgov.people.service.importing import Progress

TOPIC_WEIGHTS: Final = {
    "help.printing": 20, "help.errand": 15, "help.elderly": 10, "information.policy": 15,
    "information": 5, "complaint.environment": 8, "complaint.property": 7, "complaint.safety": 3,
    "suggestion": 7, "praise": 4, "other": 6,
}  # fmt: skip
VISIT_NOTES: Final = {
    "help": ("打印租房合同", "代办医保报销", "帮老人交电费", "复印身份证"),
    "information": ("咨询医保报销", "咨询养老补贴", "询问入学政策"),
    "complaint": ("楼下垃圾满溢", "物业维修不及时", "夜间路灯不亮", "电动车楼道充电"),
    "suggestion": ("希望增设儿童游乐区", "建议加装楼道扶手", "希望多办文体活动"),
    "praise": ("感谢网格员上门帮忙", "表扬物业及时维修"),
    "other": ("拉家常", "聊孩子上学"),
}


class Board:
    """A service point in every comprehensive grid, opened at the end of July, logging August's
    and September's visits; at September's review complaints become cases and suggestions are
    linked to the wishes they became (and the council topics those went to)."""

    def __init__(
        self,
        cg: Commgov,
        cast: Cast,
        rng: random.Random,
        report: Progress,
        posted: Sequence[Posted],
    ) -> None:
        self.cg = cg
        self.cast = cast
        self.rng = rng
        self.report = report
        self.figures: Counter[str] = Counter()
        topics = cg.opinions.topics()
        self.kinds = {t.code: t.kind for t in topics}
        self.weights = {t.code: TOPIC_WEIGHTS.get(t.code, 1) for t in topics}
        known = {c.code for c in cg.cases.categories()}
        self.case_categories = {k: v for k, v in CASE_CATEGORIES.items() if v in known}
        self.suggestions: dict[str, list[Posted]] = defaultdict(list)
        for wish in posted:
            if wish.kind == "suggestion":
                self.suggestions[wish.community].append(wish)

    def play(self) -> None:
        set_clock(self.cg, self.cast.moment(dt.date(2025, 7, 28), 10))
        points = [
            (community, grid, self.cg.opinions.add_point(
                community.office, unit=grid, name=f"{name}服务点"
            ).id)
            for community in self.cast.communities
            for grid, name in community.grids
        ]  # fmt: skip
        self.figures["service points"] = len(points)
        total, done = len(points) * len(BOARD_MONTHS), 0
        for (year, month), busy in zip(BOARD_MONTHS, ((12, 30), (18, 40)), strict=True):
            first = dt.date(year, month, 1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            set_clock(self.cg, self.cast.moment(last, 20))  # the month's review
            for community, grid, point_id in points:
                entries = list(self.visits(point_id, grid, first, last, busy))
                logged = self.cg.opinions.log_many(community.office, entries)
                self.figures["visits logged"] += len(logged)
                if (year, month) == BOARD_MONTHS[-1]:
                    for visit in logged:
                        self.outcome(community, visit.id, visit.topic, visit.at)
                done += 1
                self.report("visits", done, total)

    def visits(
        self, point_id: int, grid: str, first: dt.date, last: dt.date, busy: tuple[int, int]
    ) -> Iterator[dict[str, Any]]:
        rng, residents = self.rng, self.cast.by_grid.get(grid, [])
        for _ in range(rng.randint(*busy)):
            topic = weighted(rng, self.weights)
            kind = self.kinds[topic]
            day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
            came = rng.choice(residents).resident.id if residents and rng.random() < 0.6 else None
            yield {
                "point_id": point_id,
                "topic": topic,
                "note": rng.choice(VISIT_NOTES.get(kind, VISIT_NOTES["other"])),
                "at": self.cast.moment(day, rng.uniform(8.5, 17.5)),
                "resident_id": came,
                "people": 1 if rng.random() < 0.85 else rng.randint(2, 4),
            }

    def outcome(self, community: Community, visit_id: int, topic: str, at: dt.datetime) -> None:
        """At the review: some complaints become cases; some suggestions are linked to a wish
        the community posted (and its council topic)."""
        kind = self.kinds[topic]
        if kind == "complaint" and self.rng.random() < 0.3:
            category = self.case_categories.get(topic)
            self.cg.opinions.to_case(community.office, visit_id, category=category)
            self.figures["visits made cases"] += 1
        elif kind == "suggestion" and self.rng.random() < 0.6:
            recent = [w for w in self.suggestions[community.code] if w.at <= at][-10:]
            if not recent:
                return
            referred = [w for w in recent if w.reference]
            wish = self.rng.choice(referred if referred else recent)
            self.cg.opinions.link(
                community.office, visit_id, wish_id=wish.wish_id,
                topic=wish.reference[0] if wish.reference else None,
            )  # fmt: skip
            self.figures["visits linked to wishes"] += 1
            self.figures["visits linked to topics"] += bool(wish.reference)

    def board(self, admin: Actor) -> CommunityBoard | None:
        """The first community's board for the last month of visits."""
        if not self.cast.communities:
            return None
        year, month = BOARD_MONTHS[-1]
        found = self.cg.opinions.board(admin, self.cast.communities[0].code, year=year, month=month)
        return found.communities[0] if found.communities else None
