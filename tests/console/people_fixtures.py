"""What the console's statement and participation tests share: signing in over HTTP with an
API key, and a town holding points, time-bank hours, wishes, a council with a meeting and a
closed vote, and a booked resource, in community A (grid A1) and community B (grid B1)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Final

import attrs
import httpx
import pytest
from tests.api.conftest import live
from tests.conftest import NOW, Town

import commgov
from commgov.api import create_app

HOUR: Final = dt.timedelta(hours=1)
ROOM_HOURS: Final = {"daily": ["08:00-21:00"]}
BOOKED_DAY: Final = dt.date(2025, 7, 2)
"""The day the room of community A is booked (a Wednesday; the clock says 30 June 2025)."""


def csrf(page: httpx.Response) -> str:
    """The CSRF token of the page's first form that has one."""
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def signed_in(console: str, key: str) -> tuple[httpx.Client, str]:
    """A client signed in with ``key``, and where the sign-in sent it."""
    client = httpx.Client(base_url=console, follow_redirects=False, timeout=30)
    form = client.get("/signin")
    answer = client.post("/signin", data={"key": key, "csrf": csrf(form)})
    assert answer.status_code == 303, answer.text
    return client, answer.headers["location"]


def staff_key(town: Town, actor: commgov.Actor) -> str:
    assert actor.staff_id is not None
    return town.cg.api_keys.create(town.admin, staff_id=actor.staff_id).secret


def main_text(page: httpx.Response) -> str:
    """The page's ``<main>``, tags dropped and spaces folded (what a reader sees)."""
    found = re.search(r"(?s)<main>(.*)</main>", page.text)
    assert found is not None, page.text
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@attrs.frozen
class People:
    """The town with its people and what the services hold for them."""

    town: Town
    elder: int  # 老张, grid A1, receives an hour of care
    child: int  # 小张, same household: earned points, served the hour
    elder_home: int
    other: int  # 王建国, grid B1
    other_home: int
    worker_a: commgov.Actor  # grid worker of A1
    clerk_a: commgov.Actor  # community staff of A
    worker_b: commgov.Actor  # grid worker of B1
    wish_a: int  # a want in A1, triaged for now
    idea_a: int  # a suggestion in A1, triaged for the future
    wish_b: int  # a want in B1
    council: int  # the council of community A
    meeting: int
    vote: int  # closed: 2 yes of 2
    room: int  # community A's room, booked on BOOKED_DAY
    gym: int  # community B's, not shared
    booking: int

    @property
    def cg(self) -> commgov.Commgov:
        return self.town.cg

    def resident(self, resident_id: int, household_id: int, name: str) -> commgov.Actor:
        return commgov.Actor.resident(name, household_id, resident_id)


def build_people(town: Town) -> People:
    """Points, hours, wishes, a council, a vote and bookings through the services."""
    cg, admin = town.cg, town.admin
    home = town.household(
        town.grid_a1,
        {"name": "老张", "birth_date": "1940-01-01", "sex": "M"},
        {"name": "小张", "birth_date": "1990-01-01", "sex": "M"},
    )
    elder, child = home.member_ids
    away = town.household(town.grid_b1, {"name": "王建国", "birth_date": "1958-04-01", "sex": "M"})
    other = away.member_ids[0]
    cg.points.earn(admin, child, "volunteer", quantity=2, client_id="v1")
    cg.points.earn(admin, other, "volunteer", client_id="v2")
    service = cg.timebank.record(
        admin, provider_id=child, recipient_id=elder, kind="陪伴", start=NOW - HOUR, end=NOW,
        client_id="svc",
    )  # fmt: skip
    cg.timebank.confirm(admin, service.id)
    child_actor = commgov.Actor.resident("小张", home.id, child)
    other_actor = commgov.Actor.resident("王建国", away.id, other)
    want = cg.wishes.post(
        child_actor, kind="want", category="elder.repair", text="修水龙头", resident_id=child
    )
    idea = cg.wishes.post(
        child_actor, kind="suggestion", category="culture", text="办读书会", resident_id=child
    )
    far = cg.wishes.post(
        other_actor, kind="want", category="elder.repair", text="换灯泡", resident_id=other
    )
    cg.wishes.triage(admin, want.id, tier="now")
    cg.wishes.triage(admin, idea.id, tier="future")
    council = cg.councils.create(admin, unit=town.community_a, name="下洋邻里议事会")
    first, last = dt.date(2025, 1, 1), dt.date(2027, 12, 31)
    cg.councils.seat(
        admin, council.id, seat="residents_rep", role="chair", resident_id=child,
        term_start=first, term_end=last,
    )  # fmt: skip
    cg.councils.seat(
        admin, council.id, seat="police", name="王警官", represents="城关派出所",
        term_start=first, term_end=last,
    )  # fmt: skip
    topic = cg.meetings.propose(child_actor, council.id, title="小区停车难", description="车位不够")
    starts = NOW + dt.timedelta(days=1)
    meeting = cg.meetings.schedule(
        admin, council.id, title="七月议事会", starts_at=starts, ends_at=starts + 2 * HOUR,
        place="社区活动室",
    )  # fmt: skip
    cg.meetings.accept(admin, topic.id, meeting_id=meeting.id)
    vote = cg.votes.open(
        admin, question="小区停车改造方案", electorate="council", council=council.id
    )
    cg.votes.cast(child_actor, vote.id, choices=["yes"])
    cg.votes.cast_paper(admin, vote.id, voter=_police_key(cg, admin, council.id), choices=["同意"])
    cg.votes.close(admin, vote.id)
    room = cg.resources.publish(
        admin, unit=town.community_a, name="活动室", kind="room", hours=ROOM_HOURS
    )
    gym = cg.resources.publish(
        admin, unit=town.community_b, name="健身房", kind="room", hours=ROOM_HOURS
    )
    begins = dt.datetime.combine(BOOKED_DAY, dt.time(9), tzinfo=cg.time_zone)
    booked = cg.resources.book(
        child_actor, room.id, starts_at=begins, ends_at=begins + HOUR, purpose="读书会"
    )
    return People(
        town=town, elder=elder, child=child, elder_home=home.id, other=other,
        other_home=away.id, worker_a=town.worker(town.grid_a1),
        clerk_a=town.worker(town.community_a, "community_staff"),
        worker_b=town.worker(town.grid_b1), wish_a=want.id, idea_a=idea.id, wish_b=far.id,
        council=council.id, meeting=meeting.id, vote=vote.id, room=room.id, gym=gym.id,
        booking=booked.id,
    )  # fmt: skip


def _police_key(cg: commgov.Commgov, admin: commgov.Actor, council: int) -> str:
    """The voter key of the council's police seat."""
    members = cg.councils.get(admin, council).members
    return next(m.voter_key for m in members if m.seat == "police")


@pytest.fixture
def people(town: Town) -> People:
    return build_people(town)


@pytest.fixture
def console(people: People) -> Iterator[str]:
    """The app served live; its console's URL."""
    with live(create_app(people.cg)) as url:
        yield f"{url}/console"
