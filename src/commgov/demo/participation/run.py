"""Playing the season: the cast, then wishes, orders and the board in turn; what it left."""

from __future__ import annotations

import random
import time
from typing import Any

import attrs

from commgov.demo.participation.board import Board
from commgov.demo.participation.cast import Cast
from commgov.demo.participation.orders import OrderSeason
from commgov.demo.participation.plan import ParticipationPlan
from commgov.demo.participation.wishes import WishSeason
from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.opinions.views import CommunityBoard
from commgov.people.service.importing import Progress
from commgov.wishes.views import WishStatistics


@attrs.frozen
class Participation:
    """What the season left, as the demo prints it."""

    statistics: list[WishStatistics]
    """The town's wish statistics for the season: the town first, then each community."""
    timetable: dict[str, dict[str, int]]
    """The town's timetable (时间表和项目单) by tier: ``wishes``, ``done``, ``overdue``."""
    wish_figures: dict[str, int]
    order_rates: list[dict[str, Any]]
    """Per community: ``community``, ``orders``, ``response``, ``resolution``, ``satisfaction``."""
    order_figures: dict[str, int]
    board: CommunityBoard | None
    """The opinion board of the first community for the last month of visits."""
    visit_figures: dict[str, int]
    books_balance: bool
    """Whether the points and time ledgers balance after the season's rewards."""
    seconds: dict[str, float]
    """How long each part took: ``wishes``, ``orders``, ``opinions``."""


def run_participation(
    cg: Commgov,
    town: str,
    *,
    seed: int,
    plan: ParticipationPlan | None = None,
    progress: Progress | None = None,
) -> Participation:
    """Play the season on ``town`` (the demo town: communities with grids, staff and residents
    under it); return what the demo prints. ``progress(phase, done, total)`` follows the
    phases ``wishes``, ``orders`` (days of the season) and ``visits`` (service points)."""
    report = progress or _quiet
    rng = random.Random(seed)
    season = plan or ParticipationPlan()
    admin = Actor.system("demo participation")
    clock = cg.context.clock
    seconds: dict[str, float] = {}
    try:
        started = time.perf_counter()
        cast = Cast(cg, admin, town, season.pool)
        wishes = WishSeason(cg, cast, rng, report)
        wishes.play(season)
        stats, timetable = wishes.summary(admin, town)
        seconds["wishes"] = time.perf_counter() - started
        started = time.perf_counter()
        orders = OrderSeason(cg, cast, rng, report)
        orders.play(season.orders)
        rates = orders.rates(admin)
        seconds["orders"] = time.perf_counter() - started
        started = time.perf_counter()
        board = Board(cg, cast, rng, report, wishes.posted)
        board.play()
        shown = board.board(admin)
        seconds["opinions"] = time.perf_counter() - started
    finally:
        cg.context.clock = clock
    books = [cg.ledger.books(admin, ledger) for ledger in ("points", "time")]
    return Participation(
        statistics=stats,
        timetable=timetable,
        wish_figures=dict(wishes.figures),
        order_rates=rates,
        order_figures=dict(orders.figures),
        board=shown,
        visit_figures=dict(board.figures),
        books_balance=all(b["debits_posted"] == b["credits_posted"] for b in books),
        seconds=seconds,
    )


def _quiet(phase: str, done: int, total: int) -> None:
    """No progress shown."""


def wish_rows(found: Participation) -> list[dict[str, Any]]:
    """One row per community of the season's wishes (the town's total is the first row of
    ``found.statistics``)."""
    return [
        {
            "community": row.unit_name,
            "wants": row.wants,
            "offers": row.offers,
            "suggestions": row.suggestions,
            "fulfilled": row.fulfilled,
            "rate": row.fulfilment_rate,
            "days": row.median_days_to_fulfil,
        }
        for row in found.statistics[1:]
    ]
