"""Shared resources over HTTP: publish, book without overbooking, the calendar with booker
names masked, a series, check-in and cancel; a resident of another community refused;
bad input named; a retried booking made once; the list a page at a time, those the caller
may not see or book left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests.api.participation_fixtures import Headers, Site, open_site, pages, problem

from commgov.kernel.web.pages import encode_cursor

JULY_1 = dt.date(2025, 7, 1)
HOURS = {"mon-fri": ["08:00-12:00", "14:00-21:00"], "sat-sun": ["09:00-17:00"]}


@pytest.fixture
def site() -> Iterator[Site]:
    with open_site() as served:
        yield served


def room(
    site: Site, staff: Headers, capacity: int = 2, *, unit: str | None = None, shared: bool = False
) -> int:
    made = site.client.post(
        "/resources",
        json={"unit": unit or site.town.communities[0], "name": "活动室", "kind": "room",
              "capacity": capacity, "hours": HOURS, "shared": shared},
        headers=staff,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def slot(day: int, start: str, end: str) -> dict[str, str]:
    """Local times in Beijing on ``day`` July 2025."""
    return {
        "starts_at": f"2025-07-{day:02d}T{start}:00+08:00",
        "ends_at": f"2025-07-{day:02d}T{end}:00+08:00",
    }


def test_bookings_fill_a_room_and_never_overbook_it(site: Site) -> None:
    clerk = site.headers(site.staff("community_staff", site.town.communities[0]))
    hall = room(site, clerk)
    anna, ben = (
        site.resident(site.town.grids[n], name) for n, name in ((0, "王安娜"), (1, "刘本"))
    )
    hers, his = site.headers(anna), site.headers(ben)
    choir = site.client.post(
        f"/resources/{hall}/bookings",
        json={**slot(1, "19:00", "20:00"), "party_size": 1, "purpose": "合唱排练"},
        headers=hers,
    )
    assert choir.status_code == 201 and choir.json()["state"] == "approved", choir.text
    ours = site.client.post(
        f"/resources/{hall}/bookings", json=slot(1, "19:30", "20:30"), headers=clerk
    )
    assert ours.status_code == 201, ours.text
    full = site.client.post(
        f"/resources/{hall}/bookings", json=slot(1, "19:30", "20:00"), headers=his
    )
    assert "full" in problem(full, 409)["detail"]
    calendar = site.client.get(
        f"/resources/{hall}/bookings", params={"start": "2025-07-01", "end": "2025-07-01"},
        headers=his,
    ).json()  # fmt: skip
    assert [b["booked_by"] for b in calendar][:1] == ["resident:王**"]
    year = {"start": "2025-01-01", "end": "2025-12-31"}  # 365 days: one request reads them
    assert len(site.client.get(f"/resources/{hall}/bookings", params=year, headers=his).json()) == 2
    longer = {"start": "2024-01-01", "end": "2025-12-31"}  # longer: the window bounds the answer
    answer = site.client.get(f"/resources/{hall}/bookings", params=longer, headers=his)
    assert problem(answer, 422)["field"] == "end" and "366 days" in answer.json()["detail"]
    series = site.client.post(
        f"/resources/{hall}/booking-series",
        json={**slot(2, "10:00", "11:00"), "occurrences": 3},
        headers=hers,
    )
    assert series.status_code == 201 and len({b["series_id"] for b in series.json()}) == 1
    mine = site.client.get("/my-bookings", headers=hers).json()
    assert len(mine) == 4
    cancelled = site.client.post(
        f"/bookings/{choir.json()['id']}/actions",
        json={"action": "cancel", "reason": "改期"},
        headers=hers,
    )
    assert cancelled.json()["state"] == "cancelled", cancelled.text
    again = site.client.post(
        f"/resources/{hall}/bookings", json=slot(1, "19:30", "20:00"), headers=his
    )
    assert again.status_code == 201, again.text
    site.clock.advance(days=1, hours=10, minutes=10)  # 1 July, 19:10 in Beijing
    attended = site.client.post(
        f"/bookings/{ours.json()['id']}/actions", json={"action": "check_in"}, headers=clerk
    )
    assert attended.json()["state"] == "attended", attended.text


def test_a_resident_of_another_community_may_not_book(site: Site) -> None:
    hall = room(site, site.headers(site.admin))
    stranger = site.headers(site.resident(site.town.grids[-1], "赵强"))
    before = site.rows()
    answer = site.client.post(
        f"/resources/{hall}/bookings", json=slot(1, "19:00", "20:00"), headers=stranger
    )
    problem(answer, 403)
    assert site.rows() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**slot(1, "19:00", "20:00"), "party_size": 0}, "body.party_size"),
        ({**slot(1, "19:00", "20:00"), "party_size": 3}, "party_size"),
        (slot(2, "11:30", "12:30"), "ends_at"),
        ({"starts_at": "2025-07-01T19:00:00", "ends_at": "2025-07-01T20:00:00"}, "body.starts_at"),
        ({**slot(1, "19:00", "20:00"), "seats": 1}, "body.seats"),
    ],
)
def test_bad_bookings_are_named_and_nothing_is_written(
    site: Site, body: dict[str, object], field: str
) -> None:
    hall = room(site, site.headers(site.admin))
    anna = site.headers(site.resident(site.town.grids[0], "王安娜"))
    before = site.rows()
    answer = site.client.post(f"/resources/{hall}/bookings", json=body, headers=anna)
    assert problem(answer, 422)["field"] == field
    assert site.rows() == before


def test_a_retried_booking_under_one_key_is_made_once(site: Site) -> None:
    hall = room(site, site.headers(site.admin), capacity=3)
    keyed = site.headers(site.resident(site.town.grids[0], "王安娜"), key="book-1")
    first = site.client.post(
        f"/resources/{hall}/bookings", json=slot(1, "19:00", "20:00"), headers=keyed
    )
    again = site.client.post(
        f"/resources/{hall}/bookings", json=slot(1, "19:00", "20:00"), headers=keyed
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    day = site.cg.resources.bookings(site.admin, resource_id=hall, start=JULY_1, end=JULY_1)
    assert [b.id for b in day] == [first.json()["id"]]


def resources_come_a_page_at_a_time(site: Site) -> None:
    admin = site.headers(site.admin)
    ours, theirs = site.town.communities[0], site.town.communities[-1]
    a1, _b1, _b2, a2 = (room(site, admin, unit=u) for u in (ours, theirs, theirs, ours))
    shared = room(site, admin, unit=theirs, shared=True)
    _b3, a3 = (room(site, admin, unit=u) for u in (theirs, ours))
    everything = {"under": site.town.town, "limit": 2}
    anna = site.headers(site.resident(site.town.grids[0], "王安娜"))
    # not the other community's rooms
    assert pages(site, "/resources", everything, anna) == [[a1, a2], [shared, a3]]
    bookable = {"under": ours, "bookable_by": site.town.grids[0], "limit": 2}
    assert pages(site, "/resources", bookable, admin) == [[a1, a2], [shared, a3]]
    for cursor in ("not-a-cursor", encode_cursor(0)):
        answer = site.client.get(
            "/resources", params={**everything, "cursor": cursor}, headers=anna
        )
        assert problem(answer, 422)["field"] == "cursor"


def test_resources_come_a_page_at_a_time(site: Site) -> None:
    resources_come_a_page_at_a_time(site)


@pytest.mark.postgres
def test_resources_come_a_page_at_a_time_on_postgresql(pg_url: str) -> None:
    with open_site(pg_url) as served:
        resources_come_a_page_at_a_time(served)
