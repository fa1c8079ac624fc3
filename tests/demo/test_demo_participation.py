"""The demo town's participation season: micro-wishes, service orders and the opinion board,
played through the public services on a small Chengguan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from tests.conftest import SECRET

import commgov
from commgov.demo.chengguan import TownPlan, build_chengguan
from commgov.demo.participation import (
    SEASON_END,
    SEASON_START,
    Participation,
    ParticipationPlan,
    run_participation,
    wish_rows,
)

TOWN = "411425100"
SMALL_TOWN = TownPlan(communities=3, comprehensive_grids=6, dedicated_grids=3, residents=400)
PLAN = ParticipationPlan(wants=60, offers=16, suggestions=20, orders=24, pool=200)
ADMIN = commgov.Actor.system("test")


def play(url: str, *, seed: int = 5) -> tuple[commgov.Commgov, Participation]:
    """A small demo town in the store at ``url`` and its participation season."""
    cg = commgov.open(url, secret_key=SECRET, discover_plugins=False)
    build_chengguan(cg, SMALL_TOWN)
    return cg, run_participation(cg, TOWN, seed=seed, plan=PLAN)


@pytest.fixture(scope="module")
def season(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[commgov.Commgov, Participation]]:
    cg, found = play(f"sqlite:///{tmp_path_factory.mktemp('season') / 'demo.db'}")
    with cg:
        yield cg, found


def stored(cg: commgov.Commgov, **filters: str) -> int:
    return len(cg.wishes.under(ADMIN, TOWN, limit=10_000, **filters))  # type: ignore[arg-type]


def test_the_season_posts_the_planned_wishes_of_each_kind(
    season: tuple[commgov.Commgov, Participation],
) -> None:
    cg, found = season
    town = found.statistics[0]
    assert (town.wants, town.offers, town.suggestions) == (60, 16, 20)
    assert town.wishes == 96
    assert [stored(cg, kind=k) for k in ("want", "offer", "suggestion")] == [60, 16, 20]
    assert found.wish_figures["wants posted"] == 60


def test_statistics_add_up_to_the_wishes_stored(
    season: tuple[commgov.Commgov, Participation],
) -> None:
    cg, found = season
    town, communities = found.statistics[0], found.statistics[1:]
    assert [row.unit_name for row in communities] == [r["community"] for r in wish_rows(found)]
    assert len(communities) == 3
    for field in ("wishes", "wants", "offers", "suggestions", "fulfilled"):
        assert getattr(town, field) == sum(getattr(row, field) for row in communities), field
    assert sum(town.by_state.values()) == sum(town.by_tier.values()) == town.wishes
    for state, count in town.by_state.items():
        assert stored(cg, state=state) == count, state
    assert town.fulfilled == stored(cg, state="fulfilled") == found.wish_figures["wants fulfilled"]
    assert town.fulfilment_rate == pytest.approx(town.fulfilled / town.wants)
    assert 0 < town.fulfilled < town.wants
    assert town.median_days_to_fulfil is not None and town.median_days_to_fulfil > 0
    timetable = cg.wishes.timetable(ADMIN, TOWN)
    assert sum(tier["wishes"] for tier in found.timetable.values()) == len(timetable)
    listed = cg.wishes.under(ADMIN, TOWN, limit=10_000)
    triaged = [w for w in listed if w.tier is not None]
    assert len(triaged) == town.wishes - town.by_tier["untriaged"]
    assert {w.id for w in triaged if w.state != "withdrawn"} == {row.wish_id for row in timetable}


def test_wishes_are_dated_within_the_season(
    season: tuple[commgov.Commgov, Participation],
) -> None:
    cg, _ = season
    zone = cg.time_zone
    for wish in cg.wishes.under(ADMIN, TOWN, limit=10_000):
        assert SEASON_START <= wish.created_at.astimezone(zone).date() <= SEASON_END
        if wish.closed_at is not None:
            assert wish.created_at <= wish.closed_at


def test_rewards_go_through_balanced_books(season: tuple[commgov.Commgov, Participation]) -> None:
    cg, found = season
    assert found.books_balance
    books = cg.ledger.books(ADMIN, "points")
    assert books["debits_posted"] == books["credits_posted"]
    paid = found.wish_figures["points paid"]
    assert paid > 0
    # the town earned points only from the season's wishes: what was issued is what was paid
    assert -cg.ledger.account(ADMIN, "points", "system:issuance").balance == paid


def test_service_orders_run_the_loop(season: tuple[commgov.Commgov, Participation]) -> None:
    cg, found = season
    figures = found.order_figures
    orders = cg.orders.under(ADMIN, TOWN, limit=10_000)
    assert len(orders) == figures["orders placed"] == 24
    assert len([o for o in orders if o.step == "closed"]) == figures["orders closed"] > 0
    assert len([o for o in orders if o.step == "cancelled"]) == figures.get("orders cancelled", 0)
    assert [row["community"] for row in found.order_rates] == [
        row.unit_name for row in found.statistics[1:]
    ]
    assert sum(row["orders"] for row in found.order_rates) > 0


def test_the_board_counts_the_months_visits(
    season: tuple[commgov.Commgov, Participation],
) -> None:
    cg, found = season
    board = found.board
    assert board is not None and board.name == found.statistics[1].unit_name
    zone = cg.time_zone
    start = dt.datetime(2025, 9, 1, tzinfo=zone)
    end = dt.datetime(2025, 10, 1, tzinfo=zone)
    visits = cg.opinions.visits(ADMIN, board.community, since=start, until=end)
    assert board.visits == len(visits) > 0
    assert board.cases == len([v for v in visits if v.case_id is not None])
    assert board.wishes == len([v for v in visits if v.wish_id is not None])
    assert len(cg.opinions.points(ADMIN, TOWN)) == found.visit_figures["service points"] == 6


def test_the_clock_is_given_back(tmp_path: Path) -> None:
    at = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    with commgov.open(tmp_path / "t.db", discover_plugins=False, clock=lambda: at) as cg:
        build_chengguan(cg, attrs.evolve(SMALL_TOWN, communities=1, residents=60))
        run_participation(cg, TOWN, seed=1, plan=attrs.evolve(PLAN, wants=8, orders=4))
        assert cg.context.clock() == at


def test_the_season_is_deterministic_by_seed(
    tmp_path: Path, season: tuple[commgov.Commgov, Participation]
) -> None:
    first_cg, first = season
    cg, again = play(f"sqlite:///{tmp_path / 'again.db'}")
    with cg:
        assert attrs.evolve(again, seconds={}) == attrs.evolve(first, seconds={})
        keys = ("kind", "category", "text", "state", "created_at", "closed_at", "rating")
        assert [
            tuple(getattr(w, k) for k in keys) for w in cg.wishes.under(ADMIN, TOWN, limit=10_000)
        ] == [
            tuple(getattr(w, k) for k in keys)
            for w in first_cg.wishes.under(ADMIN, TOWN, limit=10_000)
        ]
    cg, other = play(f"sqlite:///{tmp_path / 'other.db'}", seed=6)
    with cg:
        assert attrs.evolve(other, seconds={}) != attrs.evolve(first, seconds={})


def test_the_plan_follows_the_town_size() -> None:
    full = ParticipationPlan.for_town(125_000)
    assert full == ParticipationPlan()
    assert (full.wants, full.offers, full.suggestions) == (2160, 520, 620)
    assert full.wants + full.offers + full.suggestions == 3300  # seed 003: "3,300 wishes"
    half = ParticipationPlan.for_town(62_500)
    assert (half.wants, half.offers, half.suggestions, half.orders) == (1080, 260, 310, 150)
    tiny = ParticipationPlan.for_town(300)
    assert (tiny.wants, tiny.offers, tiny.suggestions, tiny.orders) == (24, 6, 8, 12)


@pytest.mark.postgres
def test_the_season_runs_on_postgresql(pg_url: str) -> None:
    cg, found = play(pg_url)
    with cg:
        town = found.statistics[0]
        assert (town.wants, town.offers, town.suggestions) == (60, 16, 20)
        assert found.books_balance
        assert (
            -cg.ledger.account(ADMIN, "points", "system:issuance").balance
            == (found.wish_figures["points paid"])
        )
