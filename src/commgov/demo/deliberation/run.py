"""Playing the season: the councils seated, then their topics, meetings, votes and projects in
time order; what it left."""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

import attrs

from commgov.demo.deliberation.councils import lived_in, seat_council
from commgov.demo.deliberation.homes import Homes
from commgov.demo.deliberation.meetings import MeetingSeason
from commgov.demo.deliberation.plan import COUNCIL_DAY, SEASON_END, DeliberationPlan
from commgov.demo.deliberation.projects import ProjectSeason
from commgov.demo.deliberation.rows import council_rows, project_rows, vote_rows
from commgov.demo.deliberation.stage import Stage
from commgov.demo.deliberation.timeline import Timeline, season_end
from commgov.demo.deliberation.votes import VoteSeason
from commgov.demo.participation.cast import Cast
from commgov.demo.participation.timeline import set_clock
from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.people.service.importing import Progress


@attrs.frozen
class Deliberation:
    """What the season left, as the demo prints it."""

    councils: list[dict[str, Any]]
    """Per community: ``community``, ``council``, ``seats``, ``members`` (people), ``meetings``
    (closed), ``attended``, ``topics``, ``decided``, ``referred``, ``resolutions``, ``overdue``."""
    votes: list[dict[str, Any]]
    """Per vote: ``community``, ``compound``, ``matter``, ``question``, ``electorate``,
    ``rule``, ``roll``, ``ballots``, ``turnout``, ``paper``, ``yes``, ``outcome``;
    ``roll_area``, ``cast_area`` (m²), ``area_turnout`` and ``area_yes`` for an owners' vote
    (``None`` otherwise); ``recount`` (whether it matched)."""
    projects: list[dict[str, Any]]
    """Per project: ``community``, ``project``, ``budget`` and ``funded`` (yuan), ``points``,
    ``progress``, ``state``, ``ratings``, ``average``, ``cases``, ``steps`` (on its timeline)."""
    figures: dict[str, int]
    seconds: dict[str, float]
    """How long each part took: ``councils`` (and meetings), ``votes``, ``projects``,
    ``tables`` (reading the rows back)."""


def run_deliberation(
    cg: Commgov,
    town: str,
    *,
    seed: int,
    plan: DeliberationPlan | None = None,
    progress: Progress | None = None,
) -> Deliberation:
    """Play the season on ``town`` (the demo town, best after its participation season, whose
    suggestions the councils take up); return what the demo prints. ``progress(phase, done,
    total)`` follows the phase ``season`` (its days)."""
    report = progress or _quiet
    rng = random.Random(seed)
    season = plan or DeliberationPlan()
    admin = Actor.system("demo deliberation")
    clock = cg.context.clock
    figures: Counter[str] = Counter()
    try:
        started = time.perf_counter()
        cast = Cast(cg, admin, town, season.pool)
        timeline = Timeline(cg, cast, report)
        stage = Stage(cg, cast, rng, timeline, season, figures, Homes(cg, admin))
        set_clock(cg, cast.moment(COUNCIL_DAY, 9))
        chambers = [
            seat_council(stage, community)
            for community in cast.communities
            if community.grids and community.residents
        ]
        if chambers:  # one compound's owners decide under Civil Code art. 278
            first = chambers[0]
            others = [g for g in lived_in(first.community) if g != first.compound]
            first.owners_compound = rng.choice(others) if others else first.compound
        seated = time.perf_counter() - started
        projects = ProjectSeason(stage)
        meetings = MeetingSeason(stage, {})
        votes = VoteSeason(stage, meetings.propose_project)
        meetings.follow_ups.update(
            households=votes.households, owners=votes.owners, project=projects.follow
        )
        meetings.play(chambers)
        timeline.run(season_end(cast))
        started = time.perf_counter()
        set_clock(cg, cast.moment(SEASON_END, 22))
        councils = council_rows(cg, admin, chambers)
        voted = vote_rows(cg, admin, chambers)
        done = project_rows(cg, admin, chambers)
        read = time.perf_counter() - started
    finally:
        cg.context.clock = clock
    seconds = {part: timeline.seconds[part] for part in ("councils", "votes", "projects")}
    seconds["councils"] += seated
    seconds["tables"] = read
    return Deliberation(
        councils=councils,
        votes=voted,
        projects=done,
        figures=dict(figures),
        seconds=seconds,
    )


def _quiet(phase: str, done: int, total: int) -> None:
    """No progress shown."""
