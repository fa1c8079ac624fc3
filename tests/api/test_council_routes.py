"""Councils and meetings over HTTP: a council, a topic, a meeting residents register for and
check in to, minutes and closing; a resident of another community refused; bad input named;
a retried registration acting once; a council's meetings a page at a time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.api.participation_fixtures import Headers, Site, open_site, pages, problem

import commgov


@pytest.fixture
def site() -> Iterator[Site]:
    with open_site() as served:
        yield served


def council_and_meeting(site: Site, staff: Headers) -> tuple[int, dict[str, object]]:
    council = site.client.post(
        "/councils",
        json={"unit": site.town.communities[0], "name": "下洋邻里议事会"},
        headers=staff,
    )
    assert council.status_code == 201, council.text
    meeting = site.client.post(
        f"/councils/{council.json()['id']}/meetings",
        json={"title": "七月议事会", "starts_at": "2025-06-30T09:30:00+08:00",
              "ends_at": "2025-06-30T11:30:00+08:00", "mode": "in_person",
              "place": "社区活动室", "capacity": 2},
        headers=staff,
    )  # fmt: skip
    assert meeting.status_code == 201, meeting.text
    return int(council.json()["id"]), meeting.json()


def test_residents_register_check_in_and_the_meeting_closes_with_minutes(site: Site) -> None:
    clerk = site.staff("community_staff", site.town.communities[0])
    staff = site.headers(clerk)
    council, meeting = council_and_meeting(site, staff)
    elder = site.resident(site.town.grids[0], "李秀英")
    mine = site.headers(elder)
    seated = site.client.post(
        f"/councils/{council}/members",
        json={"seat": "residents_rep", "role": "chair", "resident_id": elder.resident_id,
              "term_start": "2025-01-01", "term_end": "2027-12-31"},
        headers=staff,
    )  # fmt: skip
    assert seated.status_code == 201 and seated.json()["name"] == "李秀英", seated.text
    topic = site.client.post(
        f"/councils/{council}/topics", json={"title": "小区停车难"}, headers=mine
    ).json()
    assert (topic["source"], topic["state"]) == ("resident", "proposed")
    accepted = site.client.post(
        f"/council-topics/{topic['id']}/actions",
        json={"action": "accept", "meeting_id": meeting["id"]},
        headers=staff,
    )
    assert accepted.json()["state"] == "accepted", accepted.text
    registered = site.client.post(f"/meetings/{meeting['id']}/registrations", headers=mine)
    assert registered.status_code == 201 and registered.json()["registered"] == 1
    assert registered.json()["code"] is None  # the code is for staff who run it
    problem(site.client.post(f"/meetings/{meeting['id']}/registrations", headers=mine), 409)
    code = site.client.get(f"/meetings/{meeting['id']}", headers=staff).json()["code"]
    attended = site.client.post(
        f"/meetings/{meeting['id']}/check-ins", json={"code": code}, headers=mine
    )
    assert attended.status_code == 201 and attended.json()["how"] == "code", attended.text
    site.client.post(
        f"/meetings/{meeting['id']}/attendance",
        json={"people": [f"staff:{clerk.staff_id}"]},
        headers=staff,
    )
    people = site.client.get(f"/meetings/{meeting['id']}/attendance", headers=staff).json()
    assert len(people) == 2
    problem(site.client.post(f"/meetings/{meeting['id']}/closing", headers=staff), 409)
    resolved = site.client.post(
        f"/meetings/{meeting['id']}/resolutions",
        json={"text": "夜间开放操场停车", "topic_id": topic["id"], "follow_up": "vote"},
        headers=staff,
    )
    assert resolved.status_code == 201, resolved.text
    site.client.post(
        f"/meetings/{meeting['id']}/minutes",
        json={"summary": "到会18人", "topics": {str(topic["id"]): "同意提交表决"}},
        headers=staff,
    )
    closed = site.client.post(f"/meetings/{meeting['id']}/closing", headers=staff)
    assert closed.json()["state"] == "closed", closed.text
    listed = site.client.get(f"/councils/{council}/resolutions", headers=staff).json()
    assert [r["id"] for r in listed] == [resolved.json()["id"]]


def test_a_resident_of_another_community_may_not_register(site: Site) -> None:
    _council, meeting = council_and_meeting(site, site.headers(site.admin))
    stranger = site.headers(site.resident(site.town.grids[-1], "赵强"))
    before = site.rows()
    problem(site.client.post(f"/meetings/{meeting['id']}/registrations", headers=stranger), 403)
    assert site.rows() == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("check-ins", {"code": "12"}, "body.code"),
        ("check-ins", {"code": "000000x"}, "body.code"),
        ("attendance", {"people": []}, "body.people"),
        ("attendance", {"people": ["nobody:1"]}, "people[0]"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(
    site: Site, path: str, body: dict[str, object], field: str
) -> None:
    staff = site.headers(site.staff("community_staff", site.town.communities[0]))
    _council, meeting = council_and_meeting(site, staff)
    before = site.rows()
    answer = site.client.post(f"/meetings/{meeting['id']}/{path}", json=body, headers=staff)
    assert problem(answer, 422)["field"] == field
    assert site.rows() == before


def test_a_retried_registration_under_one_key_registers_once(site: Site) -> None:
    _council, meeting = council_and_meeting(site, site.headers(site.admin))
    elder: commgov.Actor = site.resident(site.town.grids[0], "李秀英")
    keyed = site.headers(elder, key="register-1")
    first = site.client.post(f"/meetings/{meeting['id']}/registrations", headers=keyed)
    again = site.client.post(f"/meetings/{meeting['id']}/registrations", headers=keyed)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert site.cg.meetings.get(site.admin, int(str(meeting["id"]))).registered == 1


def meeting_on(site: Site, staff: Headers, council: int, day: str) -> int:
    """A meeting of ``council`` from 19:00 to 20:00 in Beijing on ``day`` (ISO)."""
    made = site.client.post(
        f"/councils/{council}/meetings",
        json={"title": f"议事会 {day}", "starts_at": f"{day}T19:00:00+08:00",
              "ends_at": f"{day}T20:00:00+08:00", "place": "社区活动室"},
        headers=staff,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def meetings_come_a_page_at_a_time_by_start(site: Site) -> None:
    staff = site.headers(site.staff("community_staff", site.town.communities[0]))
    council, first = council_and_meeting(site, staff)  # 30 June
    july_3, july_1, also_july_1, july_2 = (
        meeting_on(site, staff, council, day)
        for day in ("2025-07-03", "2025-07-01", "2025-07-01", "2025-07-02")
    )
    by_start = [first["id"], july_1, also_july_1, july_2, july_3]
    path = f"/councils/{council}/meetings"
    assert pages(site, path, {"limit": 2}, staff) == [by_start[:2], by_start[2:4], by_start[4:]]
    assert pages(site, path, {"limit": 5}, staff) == [by_start]
    other = site.client.post(
        "/councils", json={"unit": site.town.communities[0], "name": "物业议事会"}, headers=staff
    ).json()["id"]
    meeting_on(site, staff, other, "2025-07-01")
    meeting_on(site, staff, other, "2025-07-02")
    theirs = site.client.get(f"/councils/{other}/meetings", params={"limit": 1}, headers=staff)
    for cursor in (theirs.json()["next_cursor"], "not-a-cursor"):
        answer = site.client.get(path, params={"cursor": cursor}, headers=staff)
        assert problem(answer, 422)["field"] == "cursor"


def test_meetings_come_a_page_at_a_time_by_start(site: Site) -> None:
    meetings_come_a_page_at_a_time_by_start(site)


@pytest.mark.postgres
def test_meetings_come_a_page_at_a_time_on_postgresql(pg_url: str) -> None:
    with open_site(pg_url) as served:
        meetings_come_a_page_at_a_time_by_start(served)
