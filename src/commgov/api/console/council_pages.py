"""Council meetings (议事会) for staff, read-only: each council of a unit and below it, its
meetings with their agendas, and the votes (表决) with their results once closed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import attrs
from fastapi import FastAPI, Request
from starlette.responses import Response

from commgov.api.console.i18n import language
from commgov.api.console.site import ConsoleSite, NavLink, Visitor
from commgov.api.console.store_time import local_time
from commgov.api.console.unit_sections import per_unit
from commgov.api.console.vocab_words import worded
from commgov.councils.model.meetings import MEETING_MODES, MEETING_STATES, TOPIC_STATES
from commgov.errors import PermissionDenied
from commgov.votes.model.tally import OUTCOMES
from commgov.votes.model.values import STATES as VOTE_STATES

if TYPE_CHECKING:
    from commgov.councils.views import CouncilView, MeetingView
    from commgov.facade import Commgov
    from commgov.people.views import UnitView
    from commgov.votes.views import ResultView, VoteView

MEETINGS_MOST: Final = 50
"""The most meetings a council's section lists."""
WEIGHTS: Final = {"headcount": ("人数", "headcount"), "area": ("面积", "floor area")}
"""The weights a vote's quorum is met on."""


@attrs.frozen
class Tally:
    """A vote with its result once closed, in words."""

    vote: VoteView
    state: str
    rule: str
    result: ResultView | None
    outcome: str | None
    quorum: list[tuple[str, bool]]


@attrs.frozen
class CouncilSection:
    """A council, its meetings (with their agendas) and its votes."""

    council: CouncilView
    meetings: list[dict[str, Any]]
    votes: list[Tally]


@attrs.frozen
class UnitCouncils:
    """The councils of a unit and below it, and the unit's votes held without a council."""

    unit: UnitView
    councils: list[CouncilSection]
    votes: list[Tally]


def tally(cg: Commgov, visitor: Visitor, vote: VoteView, lang: str) -> Tally:
    """``vote`` in words, with its result when it has closed."""
    rules = {r.code: (r.label, r.label_en) for r in cg.votes.rules()}
    result = cg.votes.result(visitor.actor, vote.id) if vote.state == "closed" else None
    return Tally(
        vote=vote,
        state=worded(VOTE_STATES, vote.state, lang),
        rule=worded(rules, vote.rule, lang),
        result=result,
        outcome=None if result is None else worded(OUTCOMES, result.outcome, lang),
        quorum=[]
        if result is None
        else [
            (worded(WEIGHTS, weight, lang), met) for weight, met in sorted(result.quorum.items())
        ],
    )


def meeting_rows(cg: Commgov, meeting: MeetingView, lang: str) -> dict[str, Any]:
    """A meeting as its row shows it: start in the store's zone, mode and states in words."""
    return {
        "meeting": meeting,
        "starts": local_time(cg, meeting.starts_at),
        "mode": worded(MEETING_MODES, meeting.mode, lang),
        "state": worded(MEETING_STATES, meeting.state, lang),
        "agenda": [(item, worded(TOPIC_STATES, item.state, lang)) for item in meeting.agenda],
    }


def unit_councils(cg: Commgov, visitor: Visitor, top: UnitView, lang: str) -> UnitCouncils:
    """The councils at ``top`` and the units below it that the actor may read, with their
    meetings and votes; ``PermissionDenied`` when the actor may not read ``top``."""
    actor = visitor.actor
    votes = [tally(cg, visitor, v, lang) for v in cg.votes.of_unit(actor, top.code)]
    sections = []
    for unit in [top, *cg.grids.descendants(top.code)]:
        try:
            councils = cg.councils.of_unit(actor, unit.code)
        except PermissionDenied:
            continue  # a unit the actor may not read is not shown
        for council in councils:
            meetings = cg.meetings.meetings(actor, council.id, limit=MEETINGS_MOST)
            sections.append(
                CouncilSection(
                    council=council,
                    meetings=[meeting_rows(cg, m, lang) for m in meetings],
                    votes=[t for t in votes if t.vote.council_id == council.id],
                )
            )
    others = [t for t in votes if t.vote.council_id is None]
    return UnitCouncils(unit=top, councils=sections, votes=others)


def add_council_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/councils`` (staff, read-only)."""
    cg = site.cg
    site.add_nav(NavLink("/councils", "Councils"))

    @app.get("/councils")
    def councils(request: Request) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        lang = language(request)
        return per_unit(
            site, request, visitor, "councils.html",
            lambda unit: unit_councils(cg, visitor, unit, lang),
        )  # fmt: skip
