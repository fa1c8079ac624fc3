"""The board (民意感知器): a unit's visits in a month and the month before, tallied per
community and topic, as views and as a data frame."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Final

from commgov.kernel.uow import UnitOfWork
from commgov.opinions.model.board import Month, Tally, issue_list, ratio, top_topics
from commgov.opinions.model.topics import TopicTree
from commgov.opinions.repository import OpinionRepository
from commgov.opinions.views import CommunityBoard, OpinionBoard, TopicLine
from commgov.people.model.units import Unit
from commgov.people.repository import UnitRepository

COMMUNITY_KINDS: Final = ("community", "village")
"""The units a board row is for: a community (社区) or a village (村)."""


def _communities(uow: UnitOfWork, top: Unit, unit_ids: Iterable[int]) -> dict[int, Unit]:
    """For each unit, the community or village it lies in (itself included); a unit with none
    above it counts under ``top``."""
    repo = uow.repo(UnitRepository)
    wanted = set(unit_ids)
    found = {u.id: u for u in repo.many(wanted)}
    lineage = {a for u in found.values() for a in u.ancestor_ids}
    found.update((u.id, u) for u in repo.many(lineage - set(found)))
    out: dict[int, Unit] = {}
    for unit_id in wanted:
        unit = found[unit_id]
        chain = [found[a] for a in unit.ancestor_ids] + [unit]
        out[unit_id] = next((u for u in reversed(chain) if u.kind in COMMUNITY_KINDS), top)
    return out


def build_board(uow: UnitOfWork, top: Unit, period: Month, topics: TopicTree) -> OpinionBoard:
    repo = uow.repo(OpinionRepository)
    now = repo.tallies(top.path, period.start, period.end)
    before = repo.tallies(top.path, period.previous_start, period.start)
    unit_ids = repo.point_unit_ids(top.path) | {u for u, _, _ in now} | {u for u, _, _ in before}
    communities = _communities(uow, top, unit_ids | {top.id})
    own = communities[top.id]
    current: dict[int, dict[str, Tally]] = defaultdict(dict)
    previous: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, topic, tally in now:
        cid = communities[unit_id].id
        current[cid][topic] = current[cid].get(topic, Tally()) + tally
    for unit_id, topic, tally in before:
        cid = communities[unit_id].id
        previous[cid][topic] = previous[cid].get(topic, 0) + tally.visits
    shown = {communities[u].id: communities[u] for u in unit_ids}
    if own.kind in COMMUNITY_KINDS:
        shown[own.id] = own
    rows = [
        _community(c, current[c.id], previous[c.id], topics)
        for c in sorted(shown.values(), key=lambda u: u.code)
    ]
    return OpinionBoard(
        unit=top.code,
        year=period.year,
        month=period.month,
        start=period.start,
        end=period.end,
        previous_start=period.previous_start,
        communities=rows,
    )


def _community(
    unit: Unit, current: dict[str, Tally], previous: dict[str, int], topics: TopicTree
) -> CommunityBoard:
    lines = issue_list(current, previous)
    total = sum(current.values(), Tally())
    before = sum(previous.values())
    return CommunityBoard(
        community=unit.code,
        name=unit.name,
        visits=total.visits,
        people=total.people,
        previous=before,
        change=total.visits - before,
        ratio=ratio(total.visits, before),
        cases=total.cases,
        wishes=total.wishes,
        council_topics=total.council_topics,
        top_topics=top_topics(lines),
        lines=[
            TopicLine(
                topic=line.topic,
                label=topics.describe(line.topic).label,
                kind=topics.describe(line.topic).kind,
                visits=line.tally.visits,
                people=line.tally.people,
                previous=line.previous,
                change=line.change,
                ratio=line.ratio,
                cases=line.tally.cases,
                wishes=line.tally.wishes,
                council_topics=line.tally.council_topics,
            )
            for line in lines
        ],
    )


def frame_rows(board: OpinionBoard) -> list[dict[str, object]]:
    """The board as rows of ``BOARD_COLUMNS``: one per community and topic."""
    rows: list[dict[str, object]] = []
    for c in board.communities:
        ranks = {topic: i for i, topic in enumerate(c.top_topics, start=1)}
        for line in c.lines:
            rows.append(
                {
                    "community": c.community,
                    "community_name": c.name,
                    "year": board.year,
                    "month": board.month,
                    **line.model_dump(),
                    "top_rank": ranks.get(line.topic),
                }
            )
    return rows
