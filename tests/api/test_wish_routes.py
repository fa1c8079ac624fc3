"""Micro-wishes over HTTP: a want met by a neighbour's offer and paid once, pages, another
community's resident refused, bad input named, a retried fulfilment acting once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.api.participation_fixtures import Site, open_site, problem

from commgov.kernel.web.pages import encode_cursor


@pytest.fixture
def site() -> Iterator[Site]:
    with open_site() as served:
        yield served


def want_and_offer(site: Site) -> tuple[dict[str, object], dict[str, object]]:
    grid = site.town.grids[0]
    li, zhang = site.resident(grid, "李秀英"), site.resident(grid, "张伟")
    want = site.client.post(
        "/wishes",
        json={"kind": "want", "resident_id": li.resident_id, "category": "elder.repair",
              "text": "厨房水龙头漏水", "wanted_by": "2025-07-05"},
        headers=site.headers(li),
    )  # fmt: skip
    offer = site.client.post(
        "/wishes",
        json={"kind": "offer", "resident_id": zhang.resident_id, "category": "elder.repair",
              "text": "会修水电", "quantity": 3},
        headers=site.headers(zhang),
    )  # fmt: skip
    assert (want.status_code, offer.status_code) == (201, 201), (want.text, offer.text)
    return want.json(), offer.json()


def test_a_neighbour_claims_a_want_and_its_fulfilment_pays_them(site: Site) -> None:
    grid = site.town.grids[0]
    want, offer = want_and_offer(site)
    author = site.resident(grid, "王芳")
    worker = site.headers(site.staff("grid_worker", grid))
    read = site.client.get(f"/wishes/{want['id']}", headers=site.headers(author))
    assert read.json()["author"] == "李**" and read.json()["masked"] is True
    candidates = site.client.get(f"/wishes/{want['id']}/candidates", headers=worker).json()
    assert [c["offer"]["id"] for c in candidates] == [offer["id"]]
    claimed = site.client.post(
        f"/wishes/{want['id']}/matches", json={"offer_id": offer["id"]}, headers=worker
    )
    assert claimed.status_code == 201 and claimed.json()["state"] == "proposed"
    match = claimed.json()["id"]
    assert (
        site.client.post(f"/wish-matches/{match}/acceptance", headers=worker).json()["state"]
        == "accepted"
    )
    done = site.client.post(
        f"/wishes/{want['id']}/fulfilment",
        json={"evidence": ["oss://wishes/1.jpg"], "rating": 5, "note": "修好了"},
        headers=worker,
    )
    assert done.status_code == 200, done.text
    assert done.json()["wish"]["state"] == "fulfilled"
    assert [(p["activity"], p["points"]) for p in done.json()["payments"]] == [
        ("neighbour_help", 5)
    ]
    helper = offer["author_id"]
    assert site.cg.points.balance(site.admin, helper).balance == 5
    again = site.client.post(f"/wishes/{want['id']}/fulfilment", json={}, headers=worker)
    problem(again, 409)
    assert site.cg.points.balance(site.admin, helper).balance == 5


def test_wishes_come_a_page_at_a_time(site: Site) -> None:
    grid = site.town.grids[0]
    worker = site.headers(site.staff("grid_worker", grid))
    made = [
        site.client.post(
            "/wishes",
            json={"kind": "suggestion", "unit": grid, "category": "facilities", "text": f"建议{n}"},
            headers=worker,
        ).json()["id"]
        for n in range(5)
    ]
    seen: list[int] = []
    params: dict[str, str | int] = {"unit": grid, "limit": 2}
    while True:
        page = site.client.get("/wishes", params=params, headers=worker).json()
        seen += [w["id"] for w in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == made
    for cursor in ("?", encode_cursor(0)):  # not ours; ours in form but no row's id
        answer = site.client.get("/wishes", params={"unit": grid, "cursor": cursor}, headers=worker)
        assert problem(answer, 422)["field"] == "cursor"


def test_a_resident_of_another_community_is_refused_and_nothing_is_written(site: Site) -> None:
    want, _offer = want_and_offer(site)
    stranger = site.headers(site.resident(site.town.grids[-1], "赵强"))
    outsider = site.headers(site.staff("grid_worker", site.town.grids[-1]))
    before = site.rows()
    problem(site.client.get(f"/wishes/{want['id']}", headers=stranger), 403)
    problem(site.client.post(f"/wishes/{want['id']}/triage", json={}, headers=outsider), 403)
    assert site.rows() == before
    assert site.cg.wishes.get(site.admin, want["id"]).tier is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "want", "category": "elder.repair", "text": "x", "quantity": 0}, "body.quantity"),
        ({"kind": "wish", "category": "elder.repair", "text": "x"}, "body.kind"),
        ({"kind": "want", "category": "elder.repair", "text": "x", "colour": 1}, "body.colour"),
        ({"kind": "want", "category": "no.such", "text": "x"}, "category"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(
    site: Site, body: dict[str, object], field: str
) -> None:
    grid = site.town.grids[0]
    worker = site.headers(site.staff("grid_worker", grid))
    before = site.rows()
    found = problem(site.client.post("/wishes", json={**body, "unit": grid}, headers=worker), 422)
    assert found["field"] == field
    assert site.rows() == before


def test_a_retried_fulfilment_under_one_key_pays_once(site: Site) -> None:
    want, offer = want_and_offer(site)
    worker = site.staff("grid_worker", site.town.grids[0])
    plain = site.headers(worker)
    match = site.client.post(
        f"/wishes/{want['id']}/matches", json={"offer_id": offer["id"]}, headers=plain
    ).json()["id"]
    site.client.post(f"/wish-matches/{match}/acceptance", headers=plain)
    keyed = site.headers(worker, key="fulfil-1")
    first = site.client.post(f"/wishes/{want['id']}/fulfilment", json={"rating": 4}, headers=keyed)
    again = site.client.post(f"/wishes/{want['id']}/fulfilment", json={"rating": 4}, headers=keyed)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert site.cg.points.balance(site.admin, offer["author_id"]).balance == 5


def test_suggestions_are_adopted_as_a_case_or_referred(site: Site) -> None:
    grid = site.town.grids[0]
    worker = site.headers(site.staff("community_staff", site.town.communities[0]))
    made = [
        site.client.post(
            "/wishes",
            json={"kind": "suggestion", "unit": grid, "category": "facilities", "text": text},
            headers=worker,
        ).json()["id"]
        for text in ("加几张座椅", "修缮凉亭")
    ]
    as_case = site.client.post(f"/wishes/{made[0]}/adoption", json={"to": "case"}, headers=worker)
    assert as_case.status_code == 200, as_case.text
    assert as_case.json()["wish"]["case_id"] is not None
    unnamed = site.client.post(f"/wishes/{made[1]}/adoption", json={"to": "topic"}, headers=worker)
    assert problem(unnamed, 422)["field"] == "body.topic.reference"
    referred = site.client.post(
        f"/wishes/{made[1]}/adoption",
        json={"to": "topic", "reference": "council:3"},
        headers=worker,
    )
    assert referred.json()["wish"]["referred_to"] == "topic", referred.text
