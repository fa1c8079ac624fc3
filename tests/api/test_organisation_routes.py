"""Organisations and activities over HTTP: a volunteer team, its leader publishing an
activity, sign-ups with a waiting list, a withdrawal, attendance paid once; a member who
does not lead refused; bad input named; a retried register paying once; both lists read a
page at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from tests.api.participation_fixtures import BAD_PAGING, Site, open_site, pages, problem

import commgov

STARTS = "2025-07-01T09:00:00+08:00"
ENDS = "2025-07-01T11:00:00+08:00"


@pytest.fixture
def site() -> Iterator[Site]:
    with open_site() as served:
        yield served


@attrs.frozen
class Team:
    organisation: int
    leader: commgov.Actor
    members: list[commgov.Actor]


def team(site: Site) -> Team:
    """A volunteer team of community A with a leader and three residents of grid A1."""
    grid = site.town.grids[0]
    made = site.client.post(
        "/organisations",
        json={"unit": site.town.communities[0], "name": "夕阳红志愿服务队",
              "kind": "volunteer_team", "contact_name": "王队长", "contact_phone": "13800138000"},
        headers=site.headers(site.admin),
    )  # fmt: skip
    assert made.status_code == 201, made.text
    leader = site.resident(grid, "李秀英", phone="13900000000")
    joined = site.client.post(
        f"/organisations/{made.json()['id']}/members",
        json={"resident_id": leader.resident_id, "role": "leader"},
        headers=site.headers(site.admin),
    )
    assert joined.status_code == 201, joined.text
    members = [site.resident(grid, name) for name in ("张伟", "王芳", "赵强")]
    return Team(int(made.json()["id"]), leader, members)


def activity(site: Site, crew: Team, places: int = 2) -> int:
    made = site.client.post(
        "/activities",
        json={"organisation_id": crew.organisation, "title": "重阳敬老探访", "kind": "elder_care",
              "starts_at": STARTS, "ends_at": ENDS, "places": places},
        headers=site.headers(crew.leader),
    )  # fmt: skip
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_residents_sign_up_wait_withdraw_and_attendance_pays_them(site: Site) -> None:
    crew = team(site)
    visit = activity(site, crew)
    a, b, c = crew.members
    states = [
        site.client.post(f"/activities/{visit}/signups", json={}, headers=site.headers(who))
        for who in (a, b, c)
    ]
    assert [s.status_code for s in states] == [201, 201, 201]
    assert [s.json()["state"] for s in states] == ["signed", "signed", "waiting"]
    twice = site.client.post(f"/activities/{visit}/signups", json={}, headers=site.headers(a))
    problem(twice, 409)
    left = site.client.post(f"/activities/{visit}/withdrawals", json={}, headers=site.headers(a))
    assert left.json()["state"] == "withdrawn", left.text
    lead = site.headers(crew.leader)
    signups = site.client.get(f"/activities/{visit}/signups", headers=lead).json()
    assert [(s["resident_id"], s["state"]) for s in signups][-1] == (c.resident_id, "signed")
    listed = site.client.get(
        "/activities", params={"organisation_id": crew.organisation}, headers=site.headers(b)
    ).json()
    assert [x["id"] for x in listed["items"]] == [visit] and listed["next_cursor"] is None
    site.clock.advance(days=1, hours=2)  # 1 July, 11:00 in Beijing: it has ended
    register = {"present": [b.resident_id, c.resident_id]}
    taken = site.client.post(f"/activities/{visit}/attendance", json=register, headers=lead)
    assert taken.status_code == 200 and {s["points"] for s in taken.json()} == {20}, taken.text
    assert b.resident_id is not None
    assert site.cg.points.balance(site.admin, b.resident_id).balance == 20
    members = site.client.get(f"/organisations/{crew.organisation}/members", headers=lead).json()
    assert [m["phone"] for m in members] == ["13900000000"]


def test_a_member_who_does_not_lead_may_not_publish(site: Site) -> None:
    crew = team(site)
    member = crew.members[0]
    site.client.post(
        f"/organisations/{crew.organisation}/members",
        json={"resident_id": member.resident_id},
        headers=site.headers(crew.leader),
    )
    headers = site.headers(member)
    before = site.rows()
    answer = site.client.post(
        "/activities",
        json={"organisation_id": crew.organisation, "title": "广场舞", "kind": "culture",
              "starts_at": STARTS, "ends_at": ENDS, "places": 10},
        headers=headers,
    )  # fmt: skip
    problem(answer, 403)
    assert site.rows() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"places": 0}, "body.places"),
        ({"ends_at": "2025-07-01T08:00:00+08:00"}, "ends_at"),
        ({"points_activity": "juggling"}, "points_activity"),
        ({"unit": "411425100002001"}, "unit"),
    ],
)
def test_bad_activities_are_named_and_nothing_is_written(
    site: Site, body: dict[str, object], field: str
) -> None:
    crew = team(site)
    headers = site.headers(crew.leader)
    before = site.rows()
    given = {"organisation_id": crew.organisation, "title": "探访", "kind": "elder_care",
             "starts_at": STARTS, "ends_at": ENDS, "places": 5, **body}  # fmt: skip
    assert (
        problem(site.client.post("/activities", json=given, headers=headers), 422)["field"] == field
    )
    assert site.rows() == before


def test_a_retried_register_under_one_key_pays_once(site: Site) -> None:
    crew = team(site)
    visit = activity(site, crew)
    helper = crew.members[0]
    site.client.post(f"/activities/{visit}/signups", json={}, headers=site.headers(helper))
    site.clock.advance(days=1, hours=2)
    keyed = site.headers(crew.leader, key="register-1")
    register = {"present": [helper.resident_id]}
    first = site.client.post(f"/activities/{visit}/attendance", json=register, headers=keyed)
    again = site.client.post(f"/activities/{visit}/attendance", json=register, headers=keyed)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert helper.resident_id is not None
    assert site.cg.points.balance(site.admin, helper.resident_id).balance == 20


def register(site: Site, unit: str, name: str, kind: str = "grassroots") -> int:
    made = site.client.post(
        "/organisations",
        json={"unit": unit, "name": name, "kind": kind},
        headers=site.headers(site.admin),
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def publish(site: Site, organisation: int, day: int) -> int:
    made = site.client.post(
        "/activities",
        json={"organisation_id": organisation, "title": f"7月{day}日探访", "kind": "elder_care",
              "starts_at": f"2025-07-{day:02d}T09:00:00+08:00",
              "ends_at": f"2025-07-{day:02d}T11:00:00+08:00", "places": 5},
        headers=site.headers(site.admin),
    )  # fmt: skip
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_organisations_and_activities_come_a_page_at_a_time_by_id(
    backend: str, request: pytest.FixtureRequest
) -> None:
    url = "sqlite:///:memory:" if backend == "sqlite" else request.getfixturevalue("pg_url")
    with open_site(url) as site:
        town, community, grid = site.town.town, site.town.communities[0], site.town.grids[0]
        admin = site.headers(site.admin)
        # registered bottom up: by id the grid's comes first, by unit the town's
        made = [register(site, grid, "楼道互助组"), register(site, town, "乡贤理事会"),
                register(site, community, "广场舞队"), register(site, grid, "读书会")]  # fmt: skip
        register(site, town, "城关镇党委", kind="party_committee")  # not listed: party=false
        query = {"unit": town, "party": False, "limit": 3}
        assert pages(site, "/organisations", query, admin) == [made[:3], made[3:]]
        assert pages(site, "/organisations", {**query, "limit": 4}, admin) == [made]
        found = pages(site, "/organisations", {"unit": grid, "limit": 1}, admin)
        assert found == [[made[0]], [made[3]]]
        # a Python caller who asks for no page still reads the tree top down
        tree = site.cg.organisations.under(site.admin, unit=town, party=False)
        assert [o.id for o in tree] == [made[1], made[2], made[0], made[3]]

        team = made[2]
        held = [publish(site, team, day) for day in (20, 15, 10, 5, 1)]  # latest first
        publish(site, made[1], 12)  # another organisation's: not listed
        query = {"organisation_id": team, "limit": 2}
        assert pages(site, "/activities", query, admin) == [held[:2], held[2:4], held[4:]]
        days = {"unit": community, "start": "2025-07-05", "end": "2025-07-15", "limit": 1}
        assert pages(site, "/activities", days, admin) == [[held[1]], [held[2]], [held[3]]]
        by_start = site.cg.activities.find(site.admin, organisation_id=team)
        assert [a.id for a in by_start] == held[::-1]


@pytest.mark.parametrize("path", ["/organisations", "/activities"])
@pytest.mark.parametrize(("params", "field"), BAD_PAGING)
def test_a_cursor_not_ours_or_a_limit_out_of_range_is_named(
    site: Site, path: str, params: dict[str, Any], field: str
) -> None:
    query = {"unit": site.town.communities[0], **params}
    answer = site.client.get(path, params=query, headers=site.headers(site.admin))
    assert problem(answer, 422)["field"] == field
