"""The opinion board over HTTP: a point, visits logged and answered with a case once, the
month's board, department staff who may only read, bad input (a batch all or none), a
retried visit logged once, the log read a page at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.api.participation_fixtures import BAD_PAGING, Headers, Site, open_site, pages, problem


@pytest.fixture
def site() -> Iterator[Site]:
    with open_site() as served:
        yield served


def point(site: Site, headers: Headers) -> int:
    made = site.client.post(
        "/service-points",
        json={"unit": site.town.grids[0], "name": "下洋小区服务点", "address": "下洋路1号"},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_a_visit_is_logged_answered_with_a_case_and_counted(site: Site) -> None:
    worker = site.headers(site.staff("community_staff", site.town.communities[0]))
    where = point(site, worker)
    elder = site.resident(site.town.grids[0], "李秀英")
    logged = site.client.post(
        "/visits",
        json={"point_id": where, "topic": "complaint.environment", "note": "垃圾站异味大",
              "resident_id": elder.resident_id, "at": "2025-06-29T15:00:00+08:00"},
        headers=worker,
    )  # fmt: skip
    assert logged.status_code == 201, logged.text
    visit = logged.json()
    assert visit["resident_name"] == "李秀英"
    case = site.client.post(
        f"/visits/{visit['id']}/case", json={"category": "environment"}, headers=worker
    )
    assert case.status_code == 201 and case.json()["channel"] == "grid_visit", case.text
    problem(site.client.post(f"/visits/{visit['id']}/case", json={}, headers=worker), 409)
    linked = site.client.post(
        f"/visits/{visit['id']}/links", json={"wish_id": 12}, headers=worker
    ).json()
    assert (linked["case_id"], linked["wish_id"]) == (case.json()["id"], 12)
    listed = site.client.get(
        "/visits", params={"under": site.town.communities[0], "topic": "complaint"}, headers=worker
    ).json()
    assert [v["id"] for v in listed["items"]] == [visit["id"]]
    assert listed["next_cursor"] is None
    board = site.client.get(
        f"/units/{site.town.communities[0]}/opinion-board",
        params={"year": 2025, "month": 6},
        headers=worker,
    ).json()
    (row,) = board["communities"]
    assert (row["visits"], row["cases"], row["wishes"]) == (1, 1, 1)
    department = site.headers(site.staff("department_staff", site.town.town))
    shown = site.client.get(f"/visits/{visit['id']}", headers=department).json()
    assert shown["resident_name"] == "李**"


def test_department_staff_may_not_log_and_nothing_is_written(site: Site) -> None:
    where = point(site, site.headers(site.admin))
    department = site.headers(site.staff("department_staff", site.town.town))
    before = site.rows()
    answer = site.client.post(
        "/visits", json={"point_id": where, "topic": "help", "note": "代办"}, headers=department
    )
    problem(answer, 403)
    assert site.rows() == before


@pytest.mark.parametrize(
    ("visits", "field"),
    [
        ([{"topic": "help", "note": "x", "people": 0}], "body.visits.0.people"),
        ([{"topic": "help", "note": "x"}, {"topic": "complaint.noise", "note": "y"}],
         "visits[1].topic"),
        ([{"topic": "help", "note": "x", "at": "2025-07-30T09:00:00+08:00"}], "visits[0].at"),
        ([{"topic": "help", "note": "x", "at": "2025-06-29T09:00:00"}], "body.visits.0.at"),
    ],
)  # fmt: skip
def test_a_bad_batch_is_named_and_none_of_it_is_written(
    site: Site, visits: list[dict[str, object]], field: str
) -> None:
    worker = site.headers(site.staff("community_staff", site.town.communities[0]))
    where = point(site, worker)
    before = site.rows()
    body = {"visits": [{"point_id": where, **v} for v in visits]}
    found = problem(site.client.post("/visits/batch", json=body, headers=worker), 422)
    assert found["field"] == field
    assert site.rows() == before


def test_a_retried_visit_under_one_key_is_logged_once(site: Site) -> None:
    worker = site.staff("community_staff", site.town.communities[0])
    where = point(site, site.headers(worker))
    keyed = site.headers(worker, key="visit-9")
    body = {"point_id": where, "topic": "help.printing", "note": "打印合同"}
    first = site.client.post("/visits", json=body, headers=keyed)
    again = site.client.post("/visits", json=body, headers=keyed)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert len(site.cg.opinions.visits(site.admin, site.town.town)) == 1


def visit(point_id: int, topic: str, day: int) -> dict[str, Any]:
    return {"point_id": point_id, "topic": topic, "note": f"{topic} {day}",
            "at": f"2025-06-{day:02d}T10:00:00+08:00"}  # fmt: skip


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_the_log_comes_a_page_at_a_time_in_the_order_it_was_logged(
    backend: str, request: pytest.FixtureRequest
) -> None:
    url = "sqlite:///:memory:" if backend == "sqlite" else request.getfixturevalue("pg_url")
    with open_site(url) as site:
        community = site.town.communities[0]
        admin = site.headers(site.admin)
        here = point(site, admin)
        there = site.client.post(  # in the other community
            "/service-points", json={"unit": site.town.grids[-1], "name": "东关服务点"},
            headers=admin,
        ).json()["id"]  # fmt: skip
        batch = [visit(here, "complaint.property", day) for day in (29, 27, 25, 23, 21)]
        batch[2:2] = [visit(here, "praise", 26), visit(there, "complaint", 26)]
        logged = site.client.post("/visits/batch", json={"visits": batch}, headers=admin)
        assert logged.status_code == 201, logged.text
        made = [v["id"] for v in logged.json() if v["topic"] == "complaint.property"]
        query = {"under": community, "topic": "complaint", "limit": 2}
        found = pages(site, "/visits", query, admin)
        assert [len(p) for p in found] == [2, 2, 1]
        assert [i for p in found for i in p] == made == sorted(made)  # logged newest first
        # a full last page ends it
        assert pages(site, "/visits", {**query, "limit": 5}, admin) == [made]
        since = {**query, "since": "2025-06-24T00:00:00+08:00"}
        assert pages(site, "/visits", since, admin) == [made[:2], made[2:3]]
        # a Python caller who asks for no page still gets the whole log, oldest visit first
        everything = site.cg.opinions.visits(site.admin, community, topic="complaint")
        assert [v.id for v in everything] == made[::-1]


@pytest.mark.parametrize(("params", "field"), BAD_PAGING)
def test_a_cursor_not_ours_or_a_limit_out_of_range_is_named(
    site: Site, params: dict[str, Any], field: str
) -> None:
    query = {"under": site.town.communities[0], **params}
    answer = site.client.get("/visits", params=query, headers=site.headers(site.admin))
    assert problem(answer, 422)["field"] == field
