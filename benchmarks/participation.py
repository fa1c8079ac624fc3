"""Drive the participation capabilities through the public API, beside a plain Core floor that
writes the same rows, in one run.

    python benchmarks/participation.py [--quick] [--cases wishes,orders,…] [--repeat R]

Each case runs on a SQLite file and, when ``COMMGOV_TEST_PG_URL`` is set, on PostgreSQL (a
fresh schema each store, dropped afterwards):

- ``wishes``: n wishes (quick: 1,000; else 10,000) posted, triaged, matched and fulfilled
  through ``cg.wishes``. An *item* is one want with the offer that meets it — residents post
  both, a grid worker triages the want and proposes the offer, the want's author accepts and
  fulfils it with a rating, and the helper earns points through the ledgers — and every fifth
  item is a partner's offer of three gift packs meeting three residents' wants (one offer,
  three wants, posted and proposed by the community's staff).
- ``orders``: n service orders (quick: 1,000; else 10,000) through the whole loop of
  ``cg.orders``: a resident orders (点单), the community assigns a department (派单), its
  officer accepts (接单) and completes it (办理), the resident rates it (评单). Every tenth order
  is first declined by a partner and assigned again; every tenth (another one) is rated
  poorly, done again and rated again. An item is one order.
- ``ballots``: n ballots (quick: 5,000; else 50,000) through ``cg.votes``. The set-up imports
  n one-person households into the town and opens a secret yes/no vote of its households
  (the roll, frozen at opening, has n voters). The drive casts one ballot a household, as its
  resident (同意, 不同意 and 弃权 mixed 4:2:1), every tenth a paper ballot that the town's
  staff member enters (``cast_paper``), and then closes the vote: the tally, which also
  rewrites a secret vote's ballots in digest order. An item is one ballot (the close is one
  more). ``tally_s`` is the close alone, in the timed run (the issue asks for 50,000 ballots
  under 1 s on PostgreSQL); ``floor_tally_s`` is a plain SQL ``GROUP BY`` of the ballots by
  choice (count and weights), in the floor's store once its rows are in.
- ``meetings``: n council meetings (quick: 100; else 1,000) through ``cg.meetings``, each an
  item: scheduled (hybrid), two topics proposed (one by a resident) and put on its agenda,
  three residents registering and checking in with the meeting's code, the attendance of
  twelve people taken by staff, a resolution with its owner and due day, the minutes with a
  summary per topic, and the closing (which needs them).
- ``bookings``: n bookings (quick: 2,000; else 20,000) through ``cg.resources.book``, each an
  item: eight rooms and grounds of three places (four per community, two of them shared with
  the other), open 08:00-22:00. Day by day, each one-hour block of each resource is booked by
  three residents (every tenth booking by the community's staff instead, a shared one's by
  the other community's residents in turn), and every third block by a fourth who finds it
  full (``ConflictError``: a tenth of the bookings clash and write nothing).
- ``activities``: n activities (quick: 200; else 2,000) through ``cg.activities``, each an
  item: a volunteer team's leader publishes it (two hours, 25 places), 25 residents sign up
  themselves, and once it is over the leader takes the attendance of all 25, each paid the
  town's volunteer points and two hours in the time bank through the ledgers (2,000 activities:
  50,000 sign-ups and attendances).

The floor, the same for every case: set-up (the town, its people: not timed) is run alike in
fresh stores. The API is timed in the first, with nothing else between its calls. The same
drive runs again, untimed, in the second, reading after each call the high-water mark of every
table's integer key (done in the timed run, that reading slowed the calls between by about 15%),
and noting the keys that each call's committed INSERT statements wrote into the tables without
one (composite keys: a case counter, a vote's turnout and ballots), taken from the statements as
the engine runs them. (Reading those tables' keys after each call gives the same attribution
but scans them every time, n² rows in all: 46 s of reads for 5,000 ballots on SQLite, where
noting the keys costs 1–2% of the drive.) Afterwards every row that run added, in its
final state, is attributed to the call during which it appeared: the first call after which
its table's mark reached its key, or the first call that wrote its key (so a secret vote's
ballots, which its close deletes and writes again in digest order, go with their casts). The
floor inserts each call's rows into a third store with SQLAlchemy Core (one executemany per
table, tables in dependency order), one transaction per API call; rows that existed before the
run and were changed by it (counters, balances, a closed vote) are updated, by key, in the
last. So the floor writes every row the API left (wishes, matches, cases, case events, orders,
ledger accounts and transfers, ballots, audit …) in as many transactions as the API used, with
none of its reads, checks, locks, intermediate states or hooks. ``ratio`` is floor seconds ÷
API seconds. A progress line also gives a second floor, the same rows in one transaction per
item (an item's lifecycle), for reference.

With ``--repeat R`` each case runs R times in fresh stores and the best API time and the
best floor time are reported (the machine's speed drifts between the API run and the floors
that follow it; the best of a few runs on each side is the figure least disturbed by it).

A later participation case adds one pair to ``CASES``: a set-up (the town it needs, not timed)
and a drive (the API calls through ``api``, calling ``api.done()`` after each item); the drive
may time a part of itself with ``api.timing(name)`` and the case may time reads in the floor's
store (``floor_reads``), each reported as a field of its own (best of the runs). Last lines: one
JSON object per case and backend.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas import Postgres
from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Integer,
    Table,
    and_,
    bindparam,
    event,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)

import commgov
from commgov.kernel.tables import metadata
from commgov.testing import build_town
from commgov.votes.tables import vote_ballots

SECRET = commgov.new_secret_key()
START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in Beijing, a Monday
ADMIN = commgov.Actor.system("bench")
TOWN = "411425100"
GRIDS = 8  # two communities of four grids


class Clock:
    """The stores' clock: set-up and drives move it on by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)


class Api:
    """The store as a drive sees it: ``api.wishes``, ``api.orders`` … are the store's services,
    each call followed by ``after_call`` (in the untimed run, reading the tables' high-water
    marks); the drive calls ``done()`` after each item. A drive does the same work every time it
    runs (its clock is moved by hand), so the timed run and the attributed one write alike.
    ``with api.timing(name):`` times a part of the drive on its own (``times``, reported from
    the timed run as a field ``name``)."""

    def __init__(
        self, cg: commgov.Commgov, after_call: Callable[[], None], done: Callable[[], None]
    ) -> None:
        self._cg, self._after_call, self.done = cg, after_call, done
        self.times: dict[str, float] = {}

    def __getattr__(self, name: str) -> Any:
        return Watched(getattr(self._cg, name), self._after_call)

    @contextmanager
    def timing(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.times[name] = self.times.get(name, 0.0) + time.perf_counter() - started


class Watched:
    def __init__(self, service: object, after_call: Callable[[], None]) -> None:
        self._service, self._after_call = service, after_call

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._service, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            finally:
                self._after_call()

        return call


Setup = Callable[[commgov.Commgov, int], Any]
Drive = Callable[[Api, Clock, Any, int], None]
FloorReads = Callable[[Engine, Any], dict[str, float]]


@dataclass(frozen=True)
class Case:
    setup: Setup  # the town the case needs (not timed); returns what the drive needs
    drive: Drive  # the API calls for n items or wishes (``api.done()`` after each item)
    n: int
    quick: int
    # reads timed in the floor's store (a transaction per call) once its rows are in, given
    # the set-up's state: field name -> seconds
    floor_reads: FloorReads | None = None


# -- a town ---------------------------------------------------------------------------------
@dataclass
class Town:
    grids: list[str]
    communities: list[str]
    workers: dict[str, commgov.Actor]  # grid code -> its grid worker
    clerks: dict[str, commgov.Actor]  # grid code -> its community's staff member
    residents: list[tuple[int, commgov.Actor, str]]  # (resident id, their actor, grid)
    officers: dict[str, commgov.Actor] = field(default_factory=dict)  # department code -> staff


def town_of(cg: commgov.Commgov, households: int, care_every: int = 0) -> Town:
    """Two communities of four grids, a worker per grid, a clerk per community and
    ``households`` one-person households spread over the grids in turn (every ``care_every``-th a
    resident living alone)."""
    built = build_town(cg, code=TOWN, communities=2, grids_per_community=4, admin=ADMIN)
    clerks_by_community = {
        c: built.add_staff("community_staff", c, name=f"社工{i}")
        for i, c in enumerate(built.communities)
    }
    workers, clerks = {}, {}
    for i, grid in enumerate(built.grids):
        workers[grid] = built.add_staff("grid_worker", grid, name=f"网格员{i}")
        clerks[grid] = clerks_by_community[built.communities[i // 4]]
    residents = []
    for h in range(households):
        grid = built.grids[h % GRIDS]
        person: dict[str, Any] = {"name": f"居民{h}", "birth_date": "1960-01-01", "sex": "F"}
        if care_every and h % care_every == 0:
            person["care_groups"] = ["living_alone"]
        home = built.household(grid, person)
        actor = commgov.Actor.resident(f"居民{h}", home.id)
        residents.append((home.member_ids[0], actor, grid))
    return Town(built.grids, built.communities, workers, clerks, residents)


# -- wishes ---------------------------------------------------------------------------------
CATEGORIES = ("elder.repair", "elder.meal", "neighbour", "study", "health")


def households(n: int) -> int:
    """About one household for 25 items, 40 to 400, a whole number of rounds of the grids."""
    return min(400, max(40, n // 25)) // GRIDS * GRIDS


def setup_wishes(cg: commgov.Commgov, n: int) -> Town:
    return town_of(cg, households(n))


def drive_wishes(api: Api, clock: Clock, town: Town, n: int) -> None:
    """Until n wishes are posted: a want met by the offer of a neighbour on the same grid, or
    (every fifth item) a partner's three gift packs meeting three wants on one grid.
    Households go round the grids, so people ``GRIDS`` apart share one."""
    wishes = api.wishes
    people = town.residents
    posted = item = 0
    while posted < n:
        category = CATEGORIES[item % len(CATEGORIES)]
        wanted_by = (clock.now + dt.timedelta(days=7)).date()
        first = (item * 2) % len(people)
        if item % 5 == 4 and n - posted >= 4:
            grid = people[first][2]
            clerk = town.clerks[grid]
            offer = wishes.post(
                clerk, kind="offer", unit=grid, category=category, text="爱心企业捐赠礼包",
                author_kind="partner", author_name="爱心超市", quantity=3,
            )  # fmt: skip
            wants = []
            for k in range(3):
                resident_id, actor, _ = people[(first + k * GRIDS) % len(people)]
                want = wishes.post(
                    clerk, kind="want", resident_id=resident_id, category=category,
                    text="家里困难，想要一份生活物资", wanted_by=wanted_by,
                )  # fmt: skip
                wants.append((want.id, actor))
            for want_id, actor in wants:
                wishes.triage(clerk, want_id)
                match = wishes.propose(clerk, want_id, offer.id)
                wishes.accept_match(actor, match.id)
                wishes.fulfil(actor, want_id, evidence=["oss://gift.jpg"], rating=5)
            posted += 4
        else:
            want_id_, want_actor, grid = people[first]
            offer_id_, offer_actor, _ = people[(first + GRIDS) % len(people)]
            offer = wishes.post(
                offer_actor, kind="offer", resident_id=offer_id_, category=category,
                text="周末有空，可以帮忙",
            )  # fmt: skip
            want = wishes.post(
                want_actor, kind="want", resident_id=want_id_, category=category,
                text="想请邻居帮个忙", wanted_by=wanted_by,
            )  # fmt: skip
            worker = town.workers[grid]
            wishes.triage(worker, want.id)
            match = wishes.propose(worker, want.id, offer.id)
            wishes.accept_match(want_actor, match.id)
            wishes.fulfil(
                want_actor, want.id, evidence=["oss://after.jpg"], rating=4 + item % 2, note="谢谢"
            )
            posted += 2
        item += 1
        clock.advance(30)
        api.done()


# -- orders ---------------------------------------------------------------------------------
DEPARTMENTS = {
    "police": "T-police",
    "civil_affairs": "T-civil",
    "health": "T-health",
    "market_regulation": "T-market",
    "justice": "T-justice",
}
ORDERS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("residence_proof", "T-police", {"purpose": "子女入学"}),
    ("legal_advice", "T-justice", {"question": "邻里纠纷如何调解"}),
    ("old_age_allowance", "T-civil", {"age": "82"}),
    ("business_licence", "T-market", {"business": "社区便利店"}),
    ("home_care", "T-health", {"address": "3栋201", "care_needed": "每周助浴一次"}),
)
CARE_EVERY = 5  # every fifth household a resident living alone (who may order home care)


def setup_orders(cg: commgov.Commgov, n: int) -> Town:
    town = town_of(cg, households(n), care_every=CARE_EVERY)
    for kind, code in DEPARTMENTS.items():
        cg.staff.add_department(ADMIN, code=code, name=code, kind=kind, unit=TOWN)
        officer = cg.staff.add(
            ADMIN, name=f"{code}员", role="department_staff", units=[TOWN], department=code
        )
        town.officers[code] = cg.staff.actor(officer.id)
    return town


def drive_orders(api: Api, clock: Clock, town: Town, n: int) -> None:
    """n orders, each through place, assign, respond, complete and rate."""
    orders = api.orders
    people = town.residents
    for i in range(n):
        index = i % len(people)
        resident_id, actor, grid = people[index]
        choices = len(ORDERS) if index % CARE_EVERY == 0 else len(ORDERS) - 1
        item, department, fields = ORDERS[i % choices]
        clerk, officer = town.clerks[grid], town.officers[department]
        order = orders.place(actor, resident_id=resident_id, item=item, fields=fields)
        if i % 10 == 3:
            orders.assign(clerk, order.id, provider_kind="partner", provider="康乐服务社")
            orders.respond(clerk, order.id, accept=False, reason="本周人手不足")
        orders.assign(clerk, order.id, provider_kind="department", provider=department)
        orders.respond(officer, order.id, accept=True)
        orders.complete(officer, order.id, note="已办结", attachments=["oss://done.jpg"])
        if i % 10 == 7:
            orders.rate(actor, order.id, rating=2, note="还没解决")
            orders.complete(officer, order.id, note="再次上门办结")
        orders.rate(actor, order.id, rating=4 + i % 2)
        clock.advance(20)
        api.done()


# -- ballots --------------------------------------------------------------------------------
CHOICES = ("yes", "no", "yes", "abstain", "yes", "yes", "no")  # by i % 7: paper ballots vary too
PAPER_EVERY = 10  # every tenth ballot on paper, entered by the town's staff


@dataclass
class Ballots:
    vote_id: int
    staff: commgov.Actor  # the town's staff member: opens and closes, enters paper ballots
    voters: list[tuple[int, commgov.Actor]]  # (household id, its resident as an actor)


def setup_ballots(cg: commgov.Commgov, n: int) -> Ballots:
    """The town of ``town_of`` (two communities of four grids) with n one-person households,
    imported in one go (``town_of`` adds them one call each: minutes a store at 50,000), a
    town staff member, and a secret yes/no vote of the town's households opened (its roll
    frozen)."""
    built = build_town(cg, code=TOWN, communities=2, grids_per_community=4, admin=ADMIN)
    rows = []
    for h in range(n):
        grid = built.grids[h % GRIDS]
        rows.append(
            {"household": f"H{h}", "unit": grid, "address": f"{grid} {h}号", "name": f"居民{h}",
             "birth_date": "1960-01-01", "sex": "F"}
        )  # fmt: skip
    cg.imports.import_rows(ADMIN, rows, source="bench")
    homes = {
        int(home.address.split()[-1].removesuffix("号")): home.id
        for home in cg.residents.households_under(ADMIN, TOWN)
    }
    voters = [(homes[h], commgov.Actor.resident(f"居民{h}", homes[h])) for h in range(n)]
    staff = built.add_staff("town_admin", TOWN, name="镇民政办")
    vote = cg.votes.open(
        staff, question="是否同意在各小区增设电动车集中充电点？", electorate="households", unit=TOWN
    )
    if vote.roll_headcount != n:
        raise RuntimeError(f"the roll has {vote.roll_headcount} households, not {n}")
    return Ballots(vote.id, staff, voters)


def drive_ballots(api: Api, clock: Clock, state: Ballots, n: int) -> None:
    """n ballots, one per household (every tenth on paper, entered by the town's staff), then
    the close: the tally, timed on its own as ``tally_s``. An item is one ballot, or the close.
    """
    votes = api.votes
    for i, (household_id, actor) in enumerate(state.voters[:n]):
        choices = [CHOICES[i % len(CHOICES)]]
        if i % PAPER_EVERY == PAPER_EVERY - 1:
            voter = f"household:{household_id}"
            votes.cast_paper(state.staff, state.vote_id, voter=voter, choices=choices)
        else:
            votes.cast(actor, state.vote_id, choices=choices)
        clock.now += dt.timedelta(seconds=15)
        api.done()
    with api.timing("tally_s"):
        votes.close(state.staff, state.vote_id)
    api.done()


def floor_tally(engine: Engine, state: Ballots) -> dict[str, float]:
    """The tally as plain SQL: the ballots' count and weights by choice, one GROUP BY."""
    b = vote_ballots.c
    query = (
        select(b.choices, func.count(), func.sum(b.headcount), func.sum(b.area))
        .where(b.vote_id == state.vote_id)
        .group_by(b.choices)
    )
    with engine.connect() as conn:
        started = time.perf_counter()
        counted = conn.execute(query).all()
        seconds = time.perf_counter() - started
    if sum(row[1] for row in counted) != len(state.voters):
        raise RuntimeError(f"the floor counts {sum(r[1] for r in counted)} ballots")
    return {"floor_tally_s": seconds}


# -- meetings -------------------------------------------------------------------------------
RESIDENTS_AT_MEETINGS = 200  # the residents who register, check in and attend, in turn
ATTENDEES = 12  # people whose attendance staff record at each meeting
CHECK_INS = 3  # residents who check in with the meeting's code


@dataclass
class Meetings:
    staff: commgov.Actor  # the town's staff member: runs the meetings
    councils: list[int]  # the meetings' councils, in turn
    residents: list[tuple[int, commgov.Actor]]  # (resident id, the resident as themselves)


def setup_meetings(cg: commgov.Commgov, n: int) -> Meetings:
    """The town of ``town_of`` with a residents' hall of the town and 200 one-person
    households (imported in one go), their residents acting as themselves."""
    built = build_town(cg, code=TOWN, communities=2, grids_per_community=4, admin=ADMIN)
    rows = [
        {"household": f"H{h}", "unit": built.grids[h % GRIDS], "address": f"会{h}号",
         "name": f"居民{h}", "birth_date": "1960-01-01", "sex": "F"}
        for h in range(RESIDENTS_AT_MEETINGS)
    ]  # fmt: skip
    cg.imports.import_rows(ADMIN, rows, source="bench")
    residents = []
    for home in cg.residents.households_under(ADMIN, TOWN):
        (person,) = cg.residents.members(ADMIN, home.id)
        residents.append((person.id, commgov.Actor.resident(person.name, home.id, person.id)))
    staff = built.add_staff("town_admin", TOWN, name="镇民政办")
    council = cg.councils.create(staff, unit=TOWN, name="镇居民议事厅", kind="residents_hall")
    return Meetings(staff, [council.id], sorted(residents))


def drive_meetings(api: Api, clock: Clock, state: Meetings, n: int) -> None:
    """n meetings, each an item: scheduled (hybrid), two topics proposed and accepted (one by a
    resident), three residents registering and checking in with the code, the attendance of 12
    people taken by staff, a resolution on the first topic, minutes for both, closed."""
    meetings, staff = api.meetings, state.staff
    people = state.residents
    for i in range(n):
        council = state.councils[i % len(state.councils)]
        start = clock.now + dt.timedelta(minutes=30)
        meeting = meetings.schedule(
            staff, council, title=f"第{i + 1}次议事会", starts_at=start,
            ends_at=start + dt.timedelta(hours=2), mode="hybrid", place="社区活动室",
            link="https://meeting.example/bench",
        )  # fmt: skip
        code = meeting.code
        assert code is not None
        first = people[(i * CHECK_INS) % len(people)]
        raised = meetings.propose(first[1], council, title=f"议题{i}-1", description="楼道堆物")
        staffs = meetings.propose(staff, council, title=f"议题{i}-2")
        for topic in (raised, staffs):
            meetings.accept(staff, topic.id, meeting_id=meeting.id)
        for k in range(CHECK_INS):
            _, resident = people[(i * CHECK_INS + k) % len(people)]
            meetings.register(resident, meeting.id)
            meetings.check_in(resident, meeting.id, code=code)
        present = [
            f"resident:{people[(i * ATTENDEES + k) % len(people)][0]}" for k in range(ATTENDEES)
        ]
        meetings.record_attendance(staff, meeting.id, people=present)
        meetings.resolve(
            staff, meeting.id, topic_id=raised.id, text="一周内清理", follow_up="task",
            owner_staff_id=staff.staff_id, due_on=(clock.now + dt.timedelta(days=7)).date(),
        )  # fmt: skip
        meetings.record_minutes(
            staff, meeting.id, summary=f"到会{ATTENDEES}人，议题2项",
            topics={raised.id: "同意清理", staffs.id: "下次再议"},
        )  # fmt: skip
        meetings.close(staff, meeting.id)
        clock.advance(45)
        api.done()


# -- activities -----------------------------------------------------------------------------
VOLUNTEERS = 400
SIGN_UPS = 25


@dataclass
class Activities:
    leader: commgov.Actor  # the team's leader, a resident: publishes and takes attendance
    team: int
    grids: list[str]
    residents: list[tuple[int, commgov.Actor]]  # (resident id, the resident as themselves)


def setup_activities(cg: commgov.Commgov, n: int) -> Activities:
    """The town of ``town_of`` with 400 one-person households (imported in one go) and a
    volunteer team of the town led by one of them."""
    built = build_town(cg, code=TOWN, communities=2, grids_per_community=4, admin=ADMIN)
    rows = [
        {"household": f"H{h}", "unit": built.grids[h % GRIDS], "address": f"志{h}号",
         "name": f"志愿者{h}", "birth_date": "1960-01-01", "sex": "F"}
        for h in range(VOLUNTEERS)
    ]  # fmt: skip
    cg.imports.import_rows(ADMIN, rows, source="bench")
    residents = []
    for home in cg.residents.households_under(ADMIN, TOWN):
        (person,) = cg.residents.members(ADMIN, home.id)
        residents.append((person.id, commgov.Actor.resident(person.name, home.id, person.id)))
    residents.sort()
    team = cg.organisations.register(ADMIN, unit=TOWN, name="镇志愿服务总队", kind="volunteer_team")
    leader_id, leader = residents[0]
    cg.organisations.add_member(ADMIN, team.id, resident_id=leader_id, role="leader")
    return Activities(leader, team.id, built.grids, residents[1:])


def drive_activities(api: Api, clock: Clock, state: Activities, n: int) -> None:
    """n activities, each an item: published by the team's leader on a grid in turn (two hours,
    25 places), 25 residents signing up themselves, and once it is over the leader's register
    of all 25 present — each paid the town's volunteer points and two hours in the time bank."""
    activities, people = api.activities, state.residents
    for i in range(n):
        start = clock.now + dt.timedelta(hours=1)
        activity = activities.publish(
            state.leader, organisation_id=state.team, title=f"志愿服务{i}", kind="service",
            unit=state.grids[i % GRIDS], starts_at=start, ends_at=start + dt.timedelta(hours=2),
            places=SIGN_UPS,
        )  # fmt: skip
        came = [people[(i * SIGN_UPS + k) % len(people)] for k in range(SIGN_UPS)]
        for _, resident in came:
            activities.sign_up(resident, activity.id)
        clock.advance(180)
        activities.take_attendance(state.leader, activity.id, present=[rid for rid, _ in came])
        api.done()


# -- bookings -------------------------------------------------------------------------------
PLACES = 3  # each resource's capacity
BOOKERS = 200  # one-person households, spread over the grids
BEIJING = dt.timezone(dt.timedelta(hours=8))
BLOCKS = range(8, 22)  # the one-hour blocks of a day the resources are open
CLASH_EVERY = 3  # every third block a fourth booker: a tenth of the bookings clash
STAFF_EVERY = 10  # every tenth booking made by the community's staff


@dataclass
class Bookings:
    resources: list[tuple[int, int, bool]]  # (resource id, its community's index, shared)
    residents: list[list[commgov.Actor]]  # each community's residents, as themselves
    clerks: list[commgov.Actor]  # each community's staff member


def setup_bookings(cg: commgov.Commgov, n: int) -> Bookings:
    """The town of ``town_of`` with 200 one-person households (imported in one go), a staff
    member per community and four resources of three places each (a room and a ground shared
    with the other community, two not)."""
    built = build_town(cg, code=TOWN, communities=2, grids_per_community=4, admin=ADMIN)
    rows = [
        {"household": f"H{h}", "unit": built.grids[h % GRIDS], "address": f"约{h}号",
         "name": f"居民{h}", "birth_date": "1960-01-01", "sex": "F"}
        for h in range(BOOKERS)
    ]  # fmt: skip
    cg.imports.import_rows(ADMIN, rows, source="bench")
    residents, clerks, resources = [], [], []
    for c, community in enumerate(built.communities):
        people = []
        for home in cg.residents.households_under(ADMIN, community):
            (person,) = cg.residents.members(ADMIN, home.id)
            people.append(commgov.Actor.resident(person.name, home.id, person.id))
        residents.append(people)
        clerks.append(built.add_staff("community_staff", community, name=f"社工{c}"))
        for k in range(4):
            shared = k < 2
            view = cg.resources.publish(
                clerks[c], unit=community, name=f"活动室{c}{k}", kind=("room", "ground")[k % 2],
                capacity=PLACES, hours={"daily": ["08:00-22:00"]}, shared=shared,
                horizon_days=7, longest_minutes=120,
            )  # fmt: skip
            resources.append((view.id, c, shared))
    return Bookings(resources, residents, clerks)


def drive_bookings(api: Api, clock: Clock, state: Bookings, n: int) -> None:
    """n bookings, each an item, made the day before: each one-hour block of each resource by
    three bookers and, every third block, a fourth who finds it full."""
    book = api.resources.book
    made = clashes = turn = 0
    day = START.astimezone(BEIJING).date()
    while made < n:
        day += dt.timedelta(days=1)
        clock.now = dt.datetime.combine(day, dt.time(8), tzinfo=BEIJING) - dt.timedelta(days=1)
        for block, hour in enumerate(BLOCKS):
            start = dt.datetime.combine(day, dt.time(hour), tzinfo=BEIJING)
            for r, (resource_id, c, shared) in enumerate(state.resources):
                takers = PLACES + ((block * len(state.resources) + r) % CLASH_EVERY == 0)
                for _ in range(takers):
                    if made == n:
                        return
                    if turn % STAFF_EVERY == 0:
                        actor = state.clerks[c]
                    else:
                        home = 1 - c if shared and turn % 2 else c
                        people = state.residents[home]
                        actor = people[turn % len(people)]
                    try:
                        book(actor, resource_id, starts_at=start,
                             ends_at=start + dt.timedelta(hours=1), purpose="活动")  # fmt: skip
                    except commgov.ConflictError:
                        clashes += 1
                    made, turn = made + 1, turn + 1
                    api.done()


CASES: dict[str, Case] = {
    "wishes": Case(setup_wishes, drive_wishes, n=10_000, quick=1_000),
    "orders": Case(setup_orders, drive_orders, n=10_000, quick=1_000),
    "ballots": Case(setup_ballots, drive_ballots, n=50_000, quick=5_000, floor_reads=floor_tally),
    "meetings": Case(setup_meetings, drive_meetings, n=1_000, quick=100),
    "bookings": Case(setup_bookings, drive_bookings, n=20_000, quick=2_000),
    "activities": Case(setup_activities, drive_activities, n=2_000, quick=200),
}


# -- rows -----------------------------------------------------------------------------------
Key = tuple[Any, ...]


def keyed(table: Table) -> str | None:
    """The table's single integer key column, if it has one (its high-water mark)."""
    columns = list(table.primary_key.columns)
    if len(columns) == 1 and isinstance(getattr(columns[0].type, "impl", None), Integer):
        return columns[0].name
    return None


def key_of(table: Table, row: dict[str, Any]) -> Key:
    return tuple(row[c.name] for c in table.primary_key.columns)


def snapshot(engine: Engine) -> dict[str, dict[Key, dict[str, Any]]]:
    """Every row of every table, by key."""
    out: dict[str, dict[Key, dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(select(table)).mappings()
            out[table.name] = {key_of(table, dict(r)): dict(r) for r in rows}
    return out


class Marks:
    """High-water marks of the integer-keyed tables, read in one statement."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.tables = [t for t in metadata.sorted_tables if keyed(t) is not None]
        self.query = union_all(
            *(
                select(literal(t.name).label("t"), func.max(t.c[str(keyed(t))]).label("m"))
                for t in self.tables
            )
        )

    def read(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {name: top or 0 for name, top in conn.execute(self.query)}


class Written:
    """The keys each call's INSERT statements wrote into the tables without an integer key
    (a vote's roll, turnout and ballots: composite keys), read from the statements as the
    engine runs them and kept once their transaction commits: ``first[table][key]`` is the
    index of the first call that wrote it. (Reading those tables' keys after each call costs
    a scan of them each time, n² rows in all.)"""

    def __init__(self, engine: Engine) -> None:
        self.names = {t.name for t in metadata.sorted_tables if keyed(t) is None}
        self.first: dict[str, dict[Key, int]] = {name: {} for name in self.names}
        self.call = 0
        self._pending: dict[Connection, list[tuple[str, Key]]] = {}
        event.listen(engine, "after_execute", self._executed)
        event.listen(engine, "commit", self._committed)
        event.listen(engine, "rollback", self._rolled_back)

    def next_call(self) -> None:
        self.call += 1

    def _executed(
        self,
        conn: Connection,
        clause: Any,
        _multi: Any,
        _params: Any,
        _options: Any,
        result: CursorResult[Any],
    ) -> None:
        table = getattr(clause, "table", None)
        if not result.context.isinsert or table is None or table.name not in self.names:
            return
        columns = [c.key for c in table.primary_key.columns]
        pending = self._pending.setdefault(conn, [])
        for values in result.context.compiled_parameters:
            pending.append((table.name, tuple(values.get(c) for c in columns)))

    def _committed(self, conn: Connection) -> None:
        for name, key in self._pending.pop(conn, []):
            self.first[name].setdefault(key, self.call)

    def _rolled_back(self, conn: Connection) -> None:
        self._pending.pop(conn, None)


Rows = list[tuple[Table, list[dict[str, Any]]]]  # a transaction's rows, table by table


def attribute(
    before: dict[str, dict[Key, dict[str, Any]]],
    after: dict[str, dict[Key, dict[str, Any]]],
    marks: Sequence[dict[str, int]],
    written: dict[str, dict[Key, int]],
) -> tuple[list[Rows], list[tuple[Table, dict[str, Any]]]]:
    """Each call's new rows (by table, in dependency order), and the rows changed in place.
    A new row of an integer-keyed table goes with the first call after which the table's mark
    reached its key; of another table, with the first call that wrote its key (``written``)."""
    calls: list[Rows] = [[] for _ in marks[1:]]
    changed: list[tuple[Table, dict[str, Any]]] = []
    for table in metadata.sorted_tables:
        old, new = before[table.name], after[table.name]
        added = [row for key, row in new.items() if key not in old]
        changed += [(table, row) for key, row in new.items() if key in old and old[key] != row]
        column = keyed(table)
        if column is None:
            by_call: dict[int, list[dict[str, Any]]] = {}
            for row in added:
                call = written[table.name].get(key_of(table, row))
                if call is None or call >= len(calls):
                    raise RuntimeError(f"{table.name}: no call wrote {key_of(table, row)}")
                by_call.setdefault(call, []).append(row)
            for call, part in sorted(by_call.items()):
                calls[call].append((table, part))
            continue
        added.sort(key=lambda r: r[column])
        cursor = 0
        for index, rows in enumerate(calls):
            top = marks[index + 1][table.name]
            start = cursor
            while cursor < len(added) and added[cursor][column] <= top:
                cursor += 1
            if cursor > start:
                rows.append((table, added[start:cursor]))
        if cursor != len(added):
            raise RuntimeError(f"{table.name}: {len(added) - cursor} rows after the last mark")
    return calls, changed


def by_item(calls: Sequence[Rows], ends: Sequence[int]) -> list[Rows]:
    """The calls' rows gathered item by item (``ends``: the number of calls after each item),
    table by table in dependency order."""
    order = {t.name: i for i, t in enumerate(metadata.sorted_tables)}
    items: list[Rows] = []
    first = 0
    for end in ends:
        gathered: dict[str, tuple[Table, list[dict[str, Any]]]] = {}
        for rows in calls[first:end]:
            for table, part in rows:
                gathered.setdefault(table.name, (table, []))[1].extend(part)
        items.append(sorted(gathered.values(), key=lambda pair: order[pair[0].name]))
        first = end
    return items


# -- running --------------------------------------------------------------------------------
def open_store(url: str, clock: Clock) -> commgov.Commgov:
    return commgov.open(url, secret_key=SECRET, clock=clock, discover_plugins=False)


@dataclass
class Result:
    seconds: float
    floor_seconds: float  # one transaction per API call
    item_floor_seconds: float  # one transaction per item
    times: dict[str, float]  # the timed run's ``api.timing`` parts and the case's floor reads


def run_case(case: Case, n: int, urls: Sequence[str]) -> Result:
    """The API timed in the first store and run again, untimed, in the second to attribute
    its rows to its calls; the floors in the others (per call, per item)."""
    seconds, left, times = timed_api(case, n, urls[0])
    clock = Clock()
    with open_store(urls[1], clock) as cg:
        engine = cg.context.engine
        state = case.setup(cg, n)
        before = snapshot(engine)
        marks = Marks(engine)
        written = Written(engine)
        seen = [marks.read()]
        ends: list[int] = []

        def after_call() -> None:
            seen.append(marks.read())
            written.next_call()

        def done() -> None:
            ends.append(len(seen) - 1)

        case.drive(Api(cg, after_call, done), clock, state, n)
        after = snapshot(engine)
    if left != seen[-1]:
        raise RuntimeError(f"the timed run and the attributed one differ: {left} != {seen[-1]}")
    calls, changed = attribute(before, after, seen, written.first)
    if not ends or ends[-1] != len(calls):
        ends.append(len(calls))
    rows = sum(len(r) for call in calls for _, r in call) + len(changed)
    print(
        f"  API {seconds:.1f}s: {len(ends):,} items, {len(calls):,} calls, {rows:,} rows",
        flush=True,
    )
    floor, reads = run_floor(case, n, urls[2], before=before, groups=calls, changed=changed)
    print(f"  floor, a transaction per call: {floor:.1f}s (ratio {floor / seconds:.3f})")
    items, _ = run_floor(
        case, n, urls[3], before=before, groups=by_item(calls, ends), changed=changed
    )
    print(f"  floor, a transaction per item: {items:.1f}s (ratio {items / seconds:.3f})")
    times |= reads
    if times:
        print("  " + ", ".join(f"{name} {value:.3f}s" for name, value in times.items()))
    return Result(seconds, floor, items, times)


def timed_api(case: Case, n: int, url: str) -> tuple[float, dict[str, int], dict[str, float]]:
    """Seconds the drive spends in the API, in a fresh store after the set-up (untimed), the
    high-water marks it left and the parts it timed (``api.timing``)."""
    clock = Clock()
    with open_store(url, clock) as cg:
        state = case.setup(cg, n)
        api = Api(cg, lambda: None, lambda: None)
        started = time.perf_counter()
        case.drive(api, clock, state, n)
        seconds = time.perf_counter() - started
        return seconds, Marks(cg.context.engine).read(), api.times


def run_floor(
    case: Case,
    n: int,
    url: str,
    *,
    before: dict[str, dict[Key, dict[str, Any]]],
    groups: Sequence[Rows],
    changed: list[tuple[Table, dict[str, Any]]],
) -> tuple[float, dict[str, float]]:
    """The same set-up, then each group's rows inserted in a transaction of its own and the
    changed rows updated in the last; the seconds, and the case's floor reads timed after."""
    clock = Clock()
    with open_store(url, clock) as cg:
        state = case.setup(cg, n)
        engine = cg.context.engine
        mine = snapshot(engine)
        for table in metadata.sorted_tables:
            if set(mine[table.name]) != set(before[table.name]):
                raise RuntimeError(f"{table.name}: the floor's set-up differs from the API's")
        updates = [(_updater(t), {f"k_{k}": v for k, v in row.items()}) for t, row in changed]
        started = time.perf_counter()
        for index, group in enumerate(groups):
            with engine.begin() as conn:
                for table, rows in group:
                    conn.execute(insert(table), rows)
                if index == len(groups) - 1:
                    for statement, values in updates:
                        conn.execute(statement, values)
        seconds = time.perf_counter() - started
        return seconds, {} if case.floor_reads is None else case.floor_reads(engine, state)


def _updater(table: Table) -> Any:
    keys = [c.name for c in table.primary_key.columns]
    where = and_(*(table.c[k] == bindparam(f"k_{k}") for k in keys))
    values: dict[str, Any] = {
        c.name: bindparam(f"k_{c.name}") for c in table.columns if c.name not in keys
    }
    return update(table).where(where).values(values)


def stores(tmp: Path, pg: Postgres | None) -> Iterator[tuple[str, Callable[[int], list[str]]]]:
    """(backend, the urls of four fresh stores for run r: the timed API's, the attributed
    API's and the two floors') for each backend."""

    def sqlite(run: int) -> list[str]:
        names = ("api", "attributed", "calls", "items")
        return [f"sqlite:///{tmp / f'{name}{run}.db'}" for name in names]

    yield "sqlite", sqlite
    if pg is not None:
        yield "postgresql", lambda _run: [pg.url() for _ in range(4)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="about 1,000 a case")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated case names")
    parser.add_argument(
        "--sqlite-only", action="store_true", help="skip PostgreSQL even if it is configured"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each case this many times in fresh stores; report the best time of each side",
    )
    args = parser.parse_args()
    names = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in names if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")
    pg_base = None if args.sqlite_only else os.environ.get("COMMGOV_TEST_PG_URL")
    pg = Postgres(pg_base) if pg_base else None
    results = []
    try:
        for name in names:
            case = CASES[name]
            n = case.quick if args.quick else case.n
            with tempfile.TemporaryDirectory() as tmp:
                for backend, urls in stores(Path(tmp), pg):
                    runs = []
                    for run in range(args.repeat):
                        print(f"{name} on {backend}: n={n:,} (run {run + 1})", flush=True)
                        runs.append(run_case(case, n, urls(run)))
                    seconds = min(r.seconds for r in runs)  # best of the runs, each side
                    floor = min(r.floor_seconds for r in runs)
                    results.append(
                        {
                            "bench": "participation",
                            "backend": backend,
                            "case": name,
                            "n": n,
                            "seconds": round(seconds, 3),
                            "floor_seconds": round(floor, 3),
                            "ratio": round(floor / seconds, 3),
                        }
                        | {t: round(min(r.times[t] for r in runs), 4) for t in runs[0].times}
                    )
    finally:
        if pg is not None:
            pg.drop()
    for line in results:
        print(json.dumps(line))


if __name__ == "__main__":
    main()
