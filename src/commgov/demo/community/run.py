"""Playing the season: who takes part, then the resources, organisations and activities in
time order; what it left."""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

import attrs

from commgov.demo.community.activities import ActivitySeason
from commgov.demo.community.organisations import Organiser
from commgov.demo.community.plan import SEASON_END, SEASON_START, CommunityPlan
from commgov.demo.community.resources import ResourceSeason
from commgov.demo.community.rows import (
    organisation_rows,
    party_rows,
    resource_rows,
    use_rows,
)
from commgov.demo.community.stage import Neighbourhood, Stage
from commgov.demo.community.timeline import Timeline, season_end
from commgov.demo.participation.cast import Cast
from commgov.demo.participation.timeline import set_clock
from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.people.service.importing import Progress


@attrs.frozen
class CommunityLife:
    """What the season left, as the demo prints it."""

    resources: list[dict[str, Any]]
    """Per community: ``community``, ``resources``, ``open_hours``, ``booked_hours``,
    ``no_show_hours``, ``utilisation``; the bookings made (``bookings``, every state), refused
    as full (``full``), ``cancelled``, ``no_show``, ``rejected``, ``attended``, and made by
    parties of another community (``visitors``)."""
    uses: list[dict[str, Any]]
    """Per resource, over the town: ``resource`` (its name), ``resources`` (how many),
    ``open_hours``, ``booked_hours``, ``utilisation``."""
    organisations: list[dict[str, Any]]
    """Per organisation (the party's left out): ``organisation``, ``kind``, ``community``,
    ``activities``, ``participants``, ``volunteers``, ``hours``."""
    party: list[dict[str, Any]]
    """Per community's party branch: ``community``, ``members`` (registered), ``serving``,
    ``activities``, ``hours``, ``at_home``, ``elsewhere``."""
    figures: dict[str, int]
    """What the season counted as it went, and ``volunteers`` (unique residents who attended
    an activity in the town) and ``books balance`` (1 when both ledgers balance)."""
    seconds: dict[str, float]
    """How long each part took: ``resources``, ``organisations``, ``activities``, ``tables``
    (reading the rows back)."""


def run_community(
    cg: Commgov,
    town: str,
    *,
    seed: int,
    plan: CommunityPlan | None = None,
    progress: Progress | None = None,
) -> CommunityLife:
    """Play the season on ``town`` (the demo town: communities with grids, staff and residents
    under it); return what the demo prints. ``progress(phase, done, total)`` follows the phase
    ``community`` (the season's days)."""
    report = progress or _quiet
    rng = random.Random(seed)
    season = plan or CommunityPlan()
    admin = Actor.system("demo community")
    clock = cg.context.clock
    figures: Counter[str] = Counter()
    full: Counter[str] = Counter()
    try:
        started = time.perf_counter()
        cast = Cast(cg, admin, town, season.pool)
        timeline = Timeline(cg, cast, report)
        stage = Stage(cg, cast, rng, timeline, season, figures, full)
        taking = [c for c in cast.communities if c.grids and c.residents]
        hoods = [
            Neighbourhood(community, taking[(index + 1) % len(taking)], index)
            for index, community in enumerate(taking)
        ]
        resources = ResourceSeason(stage)
        Organiser(stage).play(hoods)
        resources.play(hoods)
        ActivitySeason(stage, resources).play(hoods)
        planned = time.perf_counter() - started
        timeline.run(season_end(cast))
        started = time.perf_counter()
        set_clock(cg, cast.moment(SEASON_END, 22))
        used = resource_rows(cg, admin, town, hoods, full)
        uses = use_rows(cg, admin, town)
        organised = organisation_rows(cg, admin, town, hoods)
        served = party_rows(cg, admin, town, hoods)
        figures["volunteers"] = cg.activities.volunteers(
            admin, unit=town, start=SEASON_START, end=SEASON_END
        )
        books = [cg.ledger.books(admin, ledger) for ledger in ("points", "time")]
        figures["books balance"] = int(
            all(b["debits_posted"] == b["credits_posted"] for b in books)
        )
        read = time.perf_counter() - started
    finally:
        cg.context.clock = clock
    seconds = {p: timeline.seconds[p] for p in ("resources", "organisations", "activities")}
    seconds["organisations"] += planned
    seconds["tables"] = read
    return CommunityLife(
        resources=used,
        uses=uses,
        organisations=organised,
        party=served,
        figures=dict(figures),
        seconds=seconds,
    )


def _quiet(phase: str, done: int, total: int) -> None:
    """No progress shown."""
