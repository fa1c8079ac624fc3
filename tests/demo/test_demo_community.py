"""The demo town's community-life season: shared resources and their bookings, the
organisations and the party tree, the weekly activities and what attending paid, played
through the public services on a small Chengguan."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from tests.conftest import SECRET

import commgov
from commgov.demo.chengguan import TownPlan, build_chengguan
from commgov.demo.community import (
    SEASON_END,
    SEASON_START,
    CommunityLife,
    CommunityPlan,
    run_community,
)

TOWN = "411425100"
SMALL_TOWN = TownPlan(communities=3, comprehensive_grids=6, dedicated_grids=3, residents=400)
PLAN = CommunityPlan(
    volunteers=6, singers=4, party_members=2, places=4, signups=6, bookings=4, pool=200
)
ADMIN = commgov.Actor.system("test")
HOLDING = ("pending", "approved", "attended")

Season = tuple[commgov.Commgov, CommunityLife]


def play(url: str, *, seed: int = 5) -> Season:
    """A small demo town in the store at ``url`` and its community-life season."""
    cg = commgov.open(url, secret_key=SECRET, discover_plugins=False)
    build_chengguan(cg, SMALL_TOWN)
    return cg, run_community(cg, TOWN, seed=seed, plan=PLAN)


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Season]:
    cg, found = play(f"sqlite:///{tmp_path_factory.mktemp('season') / 'demo.db'}")
    with cg:
        yield cg, found


def communities(cg: commgov.Commgov) -> list[commgov.UnitView]:
    return list(cg.grids.children(TOWN))


def calendar(cg: commgov.Commgov, resource_id: int) -> list[commgov.BookingView]:
    return cg.resources.bookings(ADMIN, resource_id=resource_id, start=SEASON_START, end=SEASON_END)


def activities(cg: commgov.Commgov) -> list[commgov.ActivityView]:
    return cg.activities.find(ADMIN, unit=TOWN, start=SEASON_START, end=SEASON_END)


def local_day(cg: commgov.Commgov, moment: dt.datetime) -> dt.date:
    return moment.astimezone(cg.time_zone).date()


def test_every_community_publishes_a_room_a_shared_ground_and_tools(season: Season) -> None:
    cg, found = season
    units = communities(cg)
    assert [row["community"] for row in found.resources] == [u.name for u in units]
    for unit in units:
        owned = [r for r in cg.resources.list(ADMIN, under=unit.code) if r.unit_code == unit.code]
        by_kind = {r.kind: r for r in owned}
        assert set(by_kind) == {"room", "ground", "equipment"}
        assert by_kind["room"].capacity == 1 and not by_kind["room"].shared
        assert by_kind["ground"].shared and by_kind["ground"].capacity > 1
        assert by_kind["equipment"].approval
        assert all(r.community_code == unit.code for r in owned)


def test_utilisation_per_community_is_what_the_store_reports(season: Season) -> None:
    cg, found = season
    frame = cg.resources.utilisation_by_community(
        ADMIN, unit=TOWN, start=SEASON_START, end=SEASON_END
    )
    stored = {str(r["community"]): r for r in frame.to_dict("records")}
    for unit, row in zip(communities(cg), found.resources, strict=True):
        assert 0 < row["utilisation"] <= 1
        assert row["booked_hours"] <= row["open_hours"]
        assert row["utilisation"] == pytest.approx(row["booked_hours"] / row["open_hours"])
        assert row["utilisation"] == pytest.approx(stored[unit.code]["utilisation"])
        assert row["resources"] == stored[unit.code]["resources"] == 3
    for use in found.uses:
        assert 0 < use["utilisation"] <= 1 and use["resources"] == 3


def test_the_booking_counts_are_the_calendars(season: Season) -> None:
    cg, found = season
    refused = 0
    for unit, row in zip(communities(cg), found.resources, strict=True):
        states: Counter[str] = Counter()
        for resource in cg.resources.list(ADMIN, under=unit.code):
            for booking in calendar(cg, resource.id):
                states[booking.state] += 1
                assert SEASON_START <= local_day(cg, booking.starts_at) <= SEASON_END
        assert row["bookings"] == sum(states.values()) > 0
        assert (row["cancelled"], row["no_show"], row["rejected"], row["attended"]) == (
            states["cancelled"], states["no_show"], states["rejected"], states["attended"],
        )  # fmt: skip
        refused += row["full"]
    figures = found.figures
    assert sum(row["cancelled"] for row in found.resources) == figures["bookings cancelled"] > 0
    assert sum(row["no_show"] for row in found.resources) == figures["no-shows"] > 0
    assert sum(row["rejected"] for row in found.resources) == figures["tool bookings rejected"]
    series = figures.get("programme series refused", 0) + figures.get("rehearsal series refused", 0)
    assert refused == figures["bookings refused as full"] + series > 0


def test_no_slot_holds_more_than_its_places(season: Season) -> None:
    cg, _ = season
    for resource in cg.resources.list(ADMIN, under=TOWN):
        step = dt.timedelta(minutes=resource.slot_minutes)
        held: Counter[dt.datetime] = Counter()
        for booking in calendar(cg, resource.id):
            if booking.state in HOLDING:
                until = booking.ends_at
            elif booking.state == "no_show":
                assert booking.released_from is not None
                until = booking.released_from
            else:
                continue
            at = booking.starts_at
            while at < until:
                held[at] += booking.party_size
                at += step
        assert max(held.values()) <= resource.capacity, resource.name


def test_the_shared_ground_takes_the_neighbours_bookings(season: Season) -> None:
    cg, found = season
    visitors = 0
    for unit in communities(cg):
        for resource in cg.resources.list(ADMIN, under=unit.code):
            outside = [
                b for b in calendar(cg, resource.id) if not b.party_unit.startswith(unit.code)
            ]
            assert resource.shared or not outside  # only the shared ground takes them
            visitors += len(outside)
    assert visitors == sum(r["visitors"] for r in found.resources) > 0
    assert visitors == found.figures["bookings from neighbouring communities"]


def test_rehearsals_take_place_in_weekly_bookings_of_the_room(season: Season) -> None:
    cg, _ = season
    rehearsals = [a for a in activities(cg) if a.kind == "rehearsal"]
    assert len(rehearsals) == 3 * 12
    series: Counter[int | None] = Counter()
    for activity in rehearsals:
        assert activity.booking_id is not None
        booking = cg.resources.booking(ADMIN, activity.booking_id)
        assert booking.starts_at <= activity.starts_at < activity.ends_at <= booking.ends_at
        assert booking.resource == "社区活动室" and booking.state == "attended"
        series[booking.series_id] += 1
    assert None not in series and sorted(series.values()) == [4] * 9  # four weeks a series


def test_the_party_tree_lies_over_the_grids(season: Season) -> None:
    cg, found = season
    party = cg.organisations.under(ADMIN, unit=TOWN, party=True)
    (committee,) = [o for o in party if o.kind == "party_committee"]
    assert committee.unit_code == TOWN
    branches = {o.unit_code: o for o in party if o.kind == "party_branch"}
    assert set(branches) == {u.code for u in communities(cg)}
    assert all(b.parent_id == committee.id for b in branches.values())
    groups = [o for o in party if o.kind == "party_group"]
    grids = [
        g.code
        for u in communities(cg)
        for g in cg.grids.children(u.code)
        if g.grid_type != "dedicated"
    ]
    assert sorted(g.unit_code for g in groups) == sorted(grids)
    assert all(g.parent_id == branches[g.unit_code[:12]].id for g in groups)
    assert found.figures["party organisations"] == len(party)
    registered = cg.organisations.party_members(ADMIN, unit=TOWN)
    assert len(registered) == found.figures["party members registered"] > 0
    for member in registered:
        assert member.workplace and member.unit_code.startswith(member.branch_unit_code)
        roles = {m.resident_id: m.role for m in cg.organisations.members(ADMIN, member.branch_id)}
        assert roles[member.resident_id] in ("party_member", "secretary")
    assert [row["members"] for row in found.party] == [
        len([m for m in registered if m.branch_unit_code == u.code]) for u in communities(cg)
    ]


def test_each_community_has_a_team_serving_its_neighbour_and_a_choir(season: Season) -> None:
    cg, found = season
    units = communities(cg)
    others = cg.organisations.under(ADMIN, unit=TOWN, party=False)
    assert [(row["organisation"], row["community"]) for row in found.organisations] == [
        (o.name, u.name) for u in units for o in others if o.unit_code == u.code
    ]
    for index, unit in enumerate(units):
        (team,) = [o for o in others if o.unit_code == unit.code and o.kind == "volunteer_team"]
        (group,) = [o for o in others if o.unit_code == unit.code and o.kind == "grassroots"]
        assert team.serves == [units[(index + 1) % len(units)].code]
        for organisation in (team, group):
            roles = Counter(m.role for m in cg.organisations.members(ADMIN, organisation.id))
            assert roles["leader"] == 1 and sum(roles.values()) > 1


def test_statistics_count_each_organisations_weekly_activities(season: Season) -> None:
    cg, found = season
    held = activities(cg)
    attended: dict[int, set[int]] = {}
    minutes: Counter[int] = Counter()
    for activity in held:
        assert SEASON_START <= local_day(cg, activity.starts_at) <= SEASON_END
        signups = cg.activities.signups(ADMIN, activity.id)
        assert len([s for s in signups if s.state == "signed"]) <= activity.places
        came = {s.resident_id for s in signups if s.attended}
        attended.setdefault(activity.organisation_id, set()).update(came)
        minutes[activity.organisation_id] += activity.minutes * len(came)
    others = cg.organisations.under(ADMIN, unit=TOWN, party=False)
    by_name = {o.name: o.id for o in others}
    assert len(found.organisations) == len(others) == 6
    for row in found.organisations:
        organisation = by_name[row["organisation"]]
        assert row["activities"] == 12  # one a week
        assert row["volunteers"] == len(attended[organisation]) > 0
        assert row["participants"] >= row["volunteers"]
        assert row["hours"] == pytest.approx(minutes[organisation] / 60)
    everyone = set().union(*attended.values())
    assert found.figures["volunteers"] == len(everyone)
    assert found.figures["volunteers"] == cg.activities.volunteers(
        ADMIN, unit=TOWN, start=SEASON_START, end=SEASON_END
    )


def test_sign_ups_wait_for_places_given_up(season: Season) -> None:
    cg, found = season
    assert found.figures["sign-ups on the waiting list"] > 0
    assert found.figures["places given up"] > 0
    promoted = 0
    for activity in activities(cg):
        signups = cg.activities.signups(ADMIN, activity.id)
        states = Counter(s.state for s in signups)
        if states["withdrawn"] and states["signed"] == activity.places:
            promoted += 1
    assert promoted > 0  # a place given up went to the first waiting


def test_volunteering_pays_points_and_minutes_and_the_books_balance(season: Season) -> None:
    cg, found = season
    points = minutes = 0
    corrected = 0
    for activity in activities(cg):
        for signup in cg.activities.signups(ADMIN, activity.id):
            points += signup.points
            minutes += signup.minutes
            if activity.kind == "rehearsal":
                assert signup.points == signup.minutes == 0  # rehearsing pays nothing
            elif signup.attended:
                assert signup.points > 0 and signup.minutes == activity.minutes
            elif signup.attended is False:
                assert signup.points == signup.minutes == 0
                corrected += 1
    assert corrected >= found.figures["attendances corrected"] > 0
    assert found.figures["books balance"] == 1
    for ledger in ("points", "time"):
        books = cg.ledger.books(ADMIN, ledger)
        assert books["debits_posted"] == books["credits_posted"]
    # the town earned only at the season's activities: what was issued is what is held
    assert -cg.ledger.account(ADMIN, "points", "system:issuance").balance == points > 0
    assert -cg.ledger.account(ADMIN, "time", "system:issuance").balance == minutes > 0


def test_party_members_serve_at_home_and_in_the_neighbouring_community(season: Season) -> None:
    cg, found = season
    frame = cg.organisations.party_service(ADMIN, unit=TOWN, start=SEASON_START, end=SEASON_END)
    assert sum(row["members"] for row in found.party) == len(frame)
    assert sum(row["activities"] for row in found.party) == int(frame["activities"].sum())
    for row in found.party:
        assert row["at_home"] + row["elsewhere"] == row["activities"]
        assert row["serving"] <= row["members"]
    assert sum(row["at_home"] for row in found.party) > 0
    assert sum(row["elsewhere"] for row in found.party) > 0


def test_the_clock_is_given_back(tmp_path: Path) -> None:
    at = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    with commgov.open(tmp_path / "t.db", discover_plugins=False, clock=lambda: at) as cg:
        build_chengguan(cg, attrs.evolve(SMALL_TOWN, communities=1, residents=80))
        run_community(cg, TOWN, seed=1, plan=attrs.evolve(PLAN, bookings=1))
        assert cg.context.clock() == at


def test_communities_too_small_for_a_team_still_share_their_resources(tmp_path: Path) -> None:
    with commgov.open(tmp_path / "t.db", discover_plugins=False) as cg:
        build_chengguan(cg, SMALL_TOWN)
        found = run_community(cg, TOWN, seed=1, plan=attrs.evolve(PLAN, bookings=2, pool=1))
        assert found.organisations == [] and found.figures["volunteers"] == 0
        assert "rehearsals booked" not in found.figures
        assert len(found.resources) == 3
        assert all(0 < row["utilisation"] <= 1 for row in found.resources)  # the afternoons
        assert found.figures["books balance"] == 1


def test_the_season_is_deterministic_by_seed(tmp_path: Path, season: Season) -> None:
    _, first = season
    cg, again = play(f"sqlite:///{tmp_path / 'again.db'}")
    with cg:
        assert attrs.evolve(again, seconds={}) == attrs.evolve(first, seconds={})
    cg, other = play(f"sqlite:///{tmp_path / 'other.db'}", seed=6)
    with cg:
        assert attrs.evolve(other, seconds={}) != attrs.evolve(first, seconds={})


def test_the_plan_follows_the_town_size() -> None:
    full = CommunityPlan.for_town(125_000)
    assert full == CommunityPlan()
    half = CommunityPlan.for_town(62_500)
    assert (half.volunteers, half.places, half.signups, half.bookings) == (6, 4, 5, 3)
    tiny = CommunityPlan.for_town(300)
    assert tiny.places < tiny.signups  # someone always waits
    assert (tiny.volunteers, tiny.singers, tiny.party_members, tiny.bookings) == (6, 4, 2, 3)


@pytest.mark.postgres
def test_the_season_runs_on_postgresql(pg_url: str) -> None:
    cg, found = play(pg_url)
    with cg:
        assert len(found.resources) == 3 and len(found.organisations) == 6
        assert all(0 < row["utilisation"] <= 1 for row in found.resources)
        assert found.figures["books balance"] == 1
        assert found.figures["volunteers"] == cg.activities.volunteers(
            ADMIN, unit=TOWN, start=SEASON_START, end=SEASON_END
        )
