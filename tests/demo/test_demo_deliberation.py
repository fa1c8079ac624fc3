"""The demo town's deliberation season: councils, meetings, votes and projects, played through
the public services on a small Chengguan after its points and participation seasons."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from tests.conftest import SECRET

import commgov
from commgov.demo.chengguan import TownPlan, build_chengguan
from commgov.demo.deliberation import (
    SEASON_END,
    SEASON_START,
    Deliberation,
    DeliberationPlan,
    run_deliberation,
)
from commgov.demo.participation import ParticipationPlan, run_participation
from commgov.demo.season import run_season

TOWN = "411425100"
SMALL_TOWN = TownPlan(communities=3, comprehensive_grids=6, dedicated_grids=3, residents=400)
PARTICIPATION = ParticipationPlan(wants=60, offers=16, suggestions=20, orders=24, pool=200)
PLAN = DeliberationPlan(resident_topics=2, registrations=8, donors=3, raters=1.0, pool=200)
ADMIN = commgov.Actor.system("test")
LAST_DAY = SEASON_END
"""Members are read as they serve on the season's last day."""


def play(url: str, *, seed: int = 5) -> tuple[commgov.Commgov, Deliberation]:
    """A small demo town in the store at ``url``, its points and participation seasons (the
    points residents give and the suggestions councils take up come from those), and its
    deliberation season."""
    cg = commgov.open(url, secret_key=SECRET, discover_plugins=False)
    build_chengguan(cg, SMALL_TOWN)
    run_season(cg, TOWN, seed=seed, services=20)
    run_participation(cg, TOWN, seed=seed, plan=PARTICIPATION)
    return cg, run_deliberation(cg, TOWN, seed=seed, plan=PLAN)


@pytest.fixture(scope="module")
def season(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[commgov.Commgov, Deliberation]]:
    cg, found = play(f"sqlite:///{tmp_path_factory.mktemp('season') / 'demo.db'}")
    with cg:
        yield cg, found


def communities(cg: commgov.Commgov) -> list[str]:
    return [unit.code for unit in cg.grids.children(TOWN)]


def council_of(cg: commgov.Commgov, community: str) -> commgov.CouncilView:
    (council,) = cg.councils.of_unit(ADMIN, community)
    return cg.councils.get(ADMIN, council.id, on=LAST_DAY)


def local_day(cg: commgov.Commgov, moment: dt.datetime) -> dt.date:
    return moment.astimezone(cg.time_zone).date()


def test_every_community_has_a_council_with_seated_members(
    season: tuple[commgov.Commgov, Deliberation],
) -> None:
    cg, found = season
    assert len(communities(cg)) == 3
    for community in communities(cg):
        council = council_of(cg, community)
        assert council.name.endswith("邻里议事会") and council.kind == "council"
        seats = Counter(m.seat for m in council.members)
        assert seats == {
            "residents_rep": PLAN.representatives, "owners_committee": 2, "property_company": 1,
            "police": 1, "community_staff": 1,
        }  # fmt: skip
        for member in council.members:
            assert (member.term_start, member.term_end) == (
                dt.date(2025, 10, 9),
                dt.date(2028, 10, 8),
            )
            if member.seat in ("residents_rep", "owners_committee"):
                assert member.resident_id is not None
                living = cg.residents.get(ADMIN, member.resident_id)
                assert living.unit_code.startswith(community)
            if member.seat in ("property_company", "police"):
                assert member.resident_id is None and member.staff_id is None
                assert member.name and member.represents
        roles = Counter(m.role for m in council.members)
        assert (roles["chair"], roles["secretary"]) == (1, 1)
        twice = [key for key, n in Counter(m.voter_key for m in council.members).items() if n > 1]
        assert len(twice) == 1  # one person holds two seats
    assert [(r["seats"], r["members"]) for r in found.councils] == [(11, 10)] * 3


def test_meetings_closed_with_minutes(season: tuple[commgov.Commgov, Deliberation]) -> None:
    cg, found = season
    for community, row in zip(communities(cg), found.councils, strict=True):
        council = council_of(cg, community)
        meetings = cg.meetings.meetings(ADMIN, council.id)
        assert [local_day(cg, m.starts_at).month for m in meetings] == [10, 11, 12]
        assert row["meetings"] == 3 and row["attended"] == sum(m.attended for m in meetings)
        for meeting in meetings:
            assert meeting.state == "closed" and meeting.minutes
            assert meeting.agenda and all(item.summary for item in meeting.agenda)
            assert meeting.mode in ("hybrid", "in_person") and meeting.registered > 0
            ways = {a.how for a in cg.meetings.attendance(ADMIN, meeting.id)}
            assert ways == {"code", "staff"} and meeting.attended > 0
        topics = cg.meetings.topics(ADMIN, council.id)
        assert {t.source for t in topics} >= {"resident", "staff", "suggestion"}
        assert row["decided"] == len([t for t in topics if t.state == "decided"]) > 0
        assert row["referred"] == len([t for t in topics if t.state == "referred"])
        follow_ups = Counter(r.follow_up for r in cg.meetings.resolutions(ADMIN, council.id))
        assert follow_ups["task"] > 0 and follow_ups["project"] == 1 and follow_ups["vote"] >= 1


def test_suggestions_come_from_the_participation_seasons_wishes(
    season: tuple[commgov.Commgov, Deliberation],
) -> None:
    cg, found = season
    proposed = 0
    for community in communities(cg):
        council = council_of(cg, community)
        for topic in cg.meetings.topics(ADMIN, council.id):
            if topic.source != "suggestion":
                continue
            assert topic.source_ref is not None
            wish = cg.wishes.get(ADMIN, topic.source_ref)
            assert wish.kind == "suggestion" and wish.unit_code.startswith(community)
            assert (wish.state, wish.referred_to) == ("adopted", "topic")
            proposed += 1
    assert proposed == found.figures["topics from suggestions"] > 0


def test_votes_closed_with_results_that_recount_confirms(
    season: tuple[commgov.Commgov, Deliberation],
) -> None:
    cg, found = season
    votes = cg.votes.of_unit(ADMIN, TOWN)
    assert Counter(v.electorate for v in votes) == {"households": 3, "owners": 1}
    assert len(found.votes) == 4
    paper = 0
    for vote in votes:
        assert vote.state == "closed" and vote.secret
        result = cg.votes.result(ADMIN, vote.id)
        recount = cg.votes.recount(ADMIN, vote.id)
        assert recount.matches and recount.ballots == result.ballots > 0
        if vote.electorate == "households":
            assert 0.6 * vote.roll_headcount - 1 <= result.ballots <= 0.8 * vote.roll_headcount + 1
        paper += result.paper_ballots
        row = next(r for r in found.votes if r["question"] == vote.question)
        assert (row["roll"], row["ballots"], row["paper"], row["outcome"]) == (
            result.roll_headcount, result.ballots, result.paper_ballots, result.outcome_label,
        )  # fmt: skip
        assert row["recount"] is True
    assert paper == found.figures["ballots on paper"] > 0
    linked = {
        r.reference
        for community in communities(cg)
        for r in cg.meetings.resolutions(ADMIN, council_of(cg, community).id)
        if r.follow_up == "vote"
    }
    assert linked == {v.id for v in votes}


def test_the_owners_decide_on_the_register_under_article_278(
    season: tuple[commgov.Commgov, Deliberation],
) -> None:
    cg, found = season
    (vote,) = [v for v in cg.votes.of_unit(ADMIN, TOWN) if v.electorate == "owners"]
    assert (vote.rule, vote.matter) == ("civil_code_278", 7)
    register = cg.votes.dwellings(ADMIN, vote.unit_code)
    assert all(Decimal(50) <= d.area <= Decimal(140) for d in register)
    owners = Counter(d.household_id for d in register)
    assert sorted(owners.values())[-2:] == [1, 2]  # one household owns two dwellings
    assert vote.roll_headcount == len(owners)
    assert vote.roll_area == sum(d.area for d in register)
    result = cg.votes.result(ADMIN, vote.id)
    assert result.quorum == {"area": True, "headcount": True}
    (row,) = [r for r in found.votes if r["electorate"] == "owners"]
    assert row["area_turnout"] == pytest.approx(float(result.cast_area / result.roll_area))
    assert row["area_yes"] == result.options[0].area_share
    assert all(r["area_turnout"] is None for r in found.votes if r is not row)


def test_projects_follow_resolutions_with_progress_and_a_timeline(
    season: tuple[commgov.Commgov, Deliberation],
) -> None:
    cg, found = season
    projects = cg.projects.of_unit(ADMIN, TOWN)
    assert len(projects) == len(found.projects) == 3
    for project, row in zip(projects, found.projects, strict=True):
        council = council_of(cg, project.unit_code[:12])
        (resolution,) = [
            r for r in cg.meetings.resolutions(ADMIN, council.id) if r.id == project.resolution_id
        ]
        assert (resolution.follow_up, resolution.reference) == ("project", project.id)
        assert 3 <= len(project.items) <= 5 and project.progress > 0
        assert {line.source for line in project.funding} >= {"government", "residents"}
        assert 0 < project.funded <= project.budget
        assert (row["budget"], row["funded"], row["points"], row["progress"]) == (
            project.budget // 100, project.funded // 100, project.points_donated, project.progress,
        )  # fmt: skip
        timeline = cg.projects.timeline(ADMIN, project.id)
        assert {"created", "funded", "item", "progress"} <= {e.kind for e in timeline}
        assert [e.at for e in timeline] == sorted(e.at for e in timeline)
        assert all(SEASON_START <= local_day(cg, e.at) <= SEASON_END for e in timeline)
        assert row["steps"] == len(timeline)
        if project.state == "finished":
            assert project.progress == 100 and project.ratings > 0
            assert (resolution.done_at is not None) and not resolution.overdue
    points = sum(p.points_donated for p in projects)
    assert points == found.figures["points donated"] > 0


def test_a_low_rating_opened_a_case(season: tuple[commgov.Commgov, Deliberation]) -> None:
    cg, found = season
    projects = cg.projects.of_unit(ADMIN, TOWN)
    opened = sum(p.cases_opened for p in projects)
    assert opened == found.figures["cases from low ratings"] > 0
    assert sum(r["cases"] for r in found.projects) == opened
    cases = [
        case
        for project in projects
        for case in cg.cases.under(ADMIN, project.unit_code, channel="resident", since=SEASON_START)
        if case.text.startswith(f"项目「{project.title}」")
    ]
    assert len(cases) == opened


def test_the_clock_is_given_back(tmp_path: Path) -> None:
    at = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    with commgov.open(tmp_path / "t.db", discover_plugins=False, clock=lambda: at) as cg:
        build_chengguan(cg, attrs.evolve(SMALL_TOWN, communities=1, residents=80))
        run_deliberation(cg, TOWN, seed=1, plan=attrs.evolve(PLAN, resident_topics=1))
        assert cg.context.clock() == at


def test_the_season_is_deterministic_by_seed(
    tmp_path: Path, season: tuple[commgov.Commgov, Deliberation]
) -> None:
    _, first = season
    cg, again = play(f"sqlite:///{tmp_path / 'again.db'}")
    with cg:
        assert attrs.evolve(again, seconds={}) == attrs.evolve(first, seconds={})
    cg, other = play(f"sqlite:///{tmp_path / 'other.db'}", seed=6)
    with cg:
        assert attrs.evolve(other, seconds={}) != attrs.evolve(first, seconds={})


def test_the_plan_follows_the_town_size() -> None:
    full = DeliberationPlan.for_town(125_000)
    assert full == DeliberationPlan()
    half = DeliberationPlan.for_town(62_500)
    assert (half.resident_topics, half.registrations, half.donors) == (2, 8, 6)
    tiny = DeliberationPlan.for_town(300)
    assert (tiny.resident_topics, tiny.registrations, tiny.referrals, tiny.donors) == (2, 8, 1, 3)
    assert tiny.representatives == full.representatives


@pytest.mark.postgres
def test_the_season_runs_on_postgresql(pg_url: str) -> None:
    cg, found = play(pg_url)
    with cg:
        assert len(found.councils) == 3 and all(r["meetings"] == 3 for r in found.councils)
        assert all(r["recount"] for r in found.votes)
        assert len(found.projects) == 3
