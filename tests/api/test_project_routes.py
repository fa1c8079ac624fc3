"""Projects over HTTP: set up, funded with donated points, progress to finished, rated once
per household (a low rating opening a case); pages; a household of another community
refused; bad input named; a retried donation given once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.api.participation_fixtures import Headers, Site, open_site, problem

import commgov
from commgov.kernel.web.pages import encode_cursor


@pytest.fixture
def site() -> Iterator[Site]:
    with open_site() as served:
        yield served


def project(site: Site, staff: Headers, title: str = "下洋小区微改造") -> int:
    made = site.client.post(
        "/projects",
        json={"unit": site.town.communities[0], "title": title, "budget_fen": 8_000_000},
        headers=staff,
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def finished(site: Site, staff: Headers) -> int:
    plan = project(site, staff)
    tree = site.client.post(f"/projects/{plan}/items", json={"title": "施工"}, headers=staff)
    item = tree.json()["items"][0]["id"]
    site.client.post(
        f"/projects/{plan}/items/{item}/progress",
        json={"percent_done": 100, "note": "完成"},
        headers=staff,
    )
    done = site.client.post(f"/projects/{plan}/completion", json={"note": "竣工"}, headers=staff)
    assert done.json()["state"] == "finished", done.text
    return plan


def rich_resident(site: Site) -> commgov.Actor:
    elder = site.resident(site.town.grids[0], "李秀英")
    assert elder.resident_id is not None
    for n in range(3):
        site.cg.points.earn(site.admin, elder.resident_id, "volunteer", client_id=f"v-{n}")
    return elder


def test_a_project_is_funded_finished_and_rated(site: Site) -> None:
    staff = site.headers(site.staff("community_staff", site.town.communities[0]))
    elder = rich_resident(site)
    mine = site.headers(elder)
    plan = project(site, staff)
    funded = site.client.post(
        f"/projects/{plan}/funding",
        json={"source": "government", "amount_fen": 5_000_000, "funder": "街道办事处"},
        headers=staff,
    )
    assert funded.status_code == 201, funded.text
    gift = site.client.post(
        f"/projects/{plan}/donations",
        json={"resident_id": elder.resident_id, "points": 20, "client_id": "gift-1"},
        headers=mine,
    )
    assert (gift.json()["funded"], gift.json()["points_donated"]) == (5_000_000, 20), gift.text
    problem(site.client.post(f"/projects/{plan}/ratings", json={"rating": 5}, headers=mine), 409)
    item = site.client.post(f"/projects/{plan}/items", json={"title": "施工"}, headers=staff)
    leaf = item.json()["items"][0]["id"]
    site.client.post(
        f"/projects/{plan}/items/{leaf}/progress",
        json={"percent_done": 100, "note": "完成"},
        headers=staff,
    )
    site.client.post(f"/projects/{plan}/completion", json={"note": "竣工"}, headers=staff)
    rated = site.client.post(
        f"/projects/{plan}/ratings", json={"rating": 2, "comment": "座椅太少"}, headers=mine
    )
    assert rated.status_code == 201 and rated.json()["case_id"] is not None, rated.text
    problem(site.client.post(f"/projects/{plan}/ratings", json={"rating": 4}, headers=mine), 409)
    shown = site.client.get(f"/projects/{plan}", headers=mine).json()
    assert (shown["ratings"], shown["cases_opened"]) == (1, 1)
    timeline = site.client.get(f"/projects/{plan}/timeline", headers=mine).json()
    assert [e["kind"] for e in timeline][-2:] == ["finished", "rated"]


def test_projects_come_a_page_at_a_time(site: Site) -> None:
    staff = site.headers(site.staff("community_staff", site.town.communities[0]))
    made = [project(site, staff, f"项目{n}") for n in range(3)]
    unit = site.town.communities[0]
    first = site.client.get("/projects", params={"unit": unit, "limit": 2}, headers=staff).json()
    rest = site.client.get(
        "/projects", params={"unit": unit, "limit": 2, "cursor": first["next_cursor"]},
        headers=staff,
    ).json()  # fmt: skip
    assert [p["id"] for p in first["items"] + rest["items"]] == made
    assert rest["next_cursor"] is None
    for cursor in ("not-a-cursor", encode_cursor(0)):
        answer = site.client.get(
            "/projects", params={"unit": unit, "cursor": cursor}, headers=staff
        )
        assert problem(answer, 422)["field"] == "cursor"


def test_a_household_of_another_community_may_not_rate(site: Site) -> None:
    plan = finished(site, site.headers(site.staff("community_staff", site.town.communities[0])))
    stranger = site.headers(site.resident(site.town.grids[-1], "赵强"))
    before = site.rows()
    answer = site.client.post(f"/projects/{plan}/ratings", json={"rating": 1}, headers=stranger)
    problem(answer, 403)
    assert site.rows() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"budget_fen": -1}, "body.budget_fen"),
        ({"budget_fen": 1, "rollup": "median"}, "body.rollup"),
        ({"budget_fen": 1, "resolution": 0}, "body.resolution"),
        ({"budget_fen": 1, "title": "  "}, "title"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(
    site: Site, body: dict[str, object], field: str
) -> None:
    staff = site.headers(site.staff("community_staff", site.town.communities[0]))
    before = site.rows()
    given = {"unit": site.town.communities[0], "title": "微改造", **body}
    assert problem(site.client.post("/projects", json=given, headers=staff), 422)["field"] == field
    assert site.rows() == before


def test_a_retried_donation_under_one_key_gives_once(site: Site) -> None:
    plan = project(site, site.headers(site.admin))
    elder = rich_resident(site)
    keyed = site.headers(elder, key="donate-1")
    body = {"resident_id": elder.resident_id, "points": 10, "client_id": "gift-9"}
    first = site.client.post(f"/projects/{plan}/donations", json=body, headers=keyed)
    again = site.client.post(f"/projects/{plan}/donations", json=body, headers=keyed)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert elder.resident_id is not None
    assert site.cg.points.balance(site.admin, elder.resident_id).balance == 20
