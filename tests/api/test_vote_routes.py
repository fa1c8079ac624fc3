"""Votes over HTTP: a council vote cast one ballot per voter, no peeking before close, the
result and a receipt verified; someone off the roll refused; bad ballots named; retries
under one Idempotency-Key (an open ballot replayed, a secret one never kept); the flow on
PostgreSQL; a unit's votes a page at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests.api.participation_fixtures import Headers, Site, open_site, pages, problem

import commgov
from commgov.kernel.web.pages import encode_cursor


@pytest.fixture
def site() -> Iterator[Site]:
    with open_site() as served:
        yield served


def council_vote(site: Site, *, secret: bool = True) -> tuple[int, list[commgov.Actor]]:
    """A council of two staff members and a resident, and an open yes/no vote of it."""
    community = site.town.communities[0]
    council = site.cg.councils.create(site.admin, unit=community, name="下洋邻里议事会")
    members = [
        site.staff("community_staff", community),
        site.staff("grid_worker", site.town.grids[0]),
    ]
    term = {"term_start": dt.date(2025, 1, 1), "term_end": dt.date(2027, 12, 31)}
    for member in members:
        site.cg.councils.seat(site.admin, council.id, seat="community_staff",
                              staff_id=member.staff_id, **term)  # fmt: skip
    opened = site.client.post(
        "/votes",
        json={"question": "小区停车改造方案", "electorate": "council", "council": council.id,
              "secret": secret},
        headers=site.headers(site.admin),
    )  # fmt: skip
    assert opened.status_code == 201, opened.text
    assert opened.json()["roll_headcount"] == 2
    return int(opened.json()["id"]), members


def cast(site: Site, vote: int, headers: Headers, choice: str = "yes") -> dict[str, object]:
    answer = site.client.post(f"/votes/{vote}/ballots", json={"choices": [choice]}, headers=headers)
    assert answer.status_code == 201, answer.text
    found: dict[str, object] = answer.json()
    return found


def vote_flow(site: Site) -> None:
    vote, (first, second) = council_vote(site)
    mine, theirs = site.headers(first), site.headers(second)
    receipt = cast(site, vote, mine)["receipt"]
    again = site.client.post(f"/votes/{vote}/ballots", json={"choices": ["no"]}, headers=mine)
    assert "already voted" in problem(again, 409)["detail"]
    cast(site, vote, theirs, "no")
    admin = site.headers(site.admin)
    problem(site.client.get(f"/votes/{vote}/result", headers=admin), 409)  # no peeking
    turnout = site.client.get(f"/votes/{vote}/turnout", headers=mine).json()
    assert (turnout["voted"], turnout["roll_headcount"]) == (2, 2)
    closed = site.client.post(f"/votes/{vote}/closing", headers=admin)
    assert closed.status_code == 200, closed.text
    result = site.client.get(f"/votes/{vote}/result", headers=mine).json()
    assert [(o["label"], o["headcount"]) for o in result["options"]] == [
        ("同意", 1), ("不同意", 1), ("弃权", 0)
    ]  # fmt: skip
    assert result == closed.json()
    verified = site.client.post(
        f"/votes/{vote}/verification", json={"receipt": receipt}, headers=mine
    )
    assert verified.json() == {"counted": True}
    assert site.client.get(f"/votes/{vote}/recount", headers=admin).json()["matches"] is True


def test_each_voter_casts_one_ballot_counted_after_close(site: Site) -> None:
    vote_flow(site)


@pytest.mark.postgres
def test_each_voter_casts_one_ballot_on_postgresql(pg_url: str) -> None:
    with open_site(pg_url) as served:
        vote_flow(served)
        vote, (member, _) = council_vote(served, secret=False)
        keyed = served.headers(member, key="ballot-pg")
        first = served.client.post(
            f"/votes/{vote}/ballots", json={"choices": ["no"]}, headers=keyed
        )
        again = served.client.post(
            f"/votes/{vote}/ballots", json={"choices": ["no"]}, headers=keyed
        )
        assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"


def test_someone_off_the_roll_is_refused_and_nothing_is_written(site: Site) -> None:
    vote, _members = council_vote(site)
    outsiders = [
        site.headers(site.resident(site.town.grids[0], "李秀英")),
        site.headers(site.staff("grid_worker", site.town.grids[-1])),
    ]
    before = site.rows()
    for headers in outsiders:
        answer = site.client.post(
            f"/votes/{vote}/ballots", json={"choices": ["yes"]}, headers=headers
        )
        problem(answer, 403)
    assert site.rows() == before


@pytest.mark.parametrize(
    ("choices", "field"),
    [
        ([], "body.choices"),
        (["maybe"], "choices"),
        (["yes", "yes"], "choices"),
        ("yes", "body.choices"),
    ],
)
def test_bad_ballots_are_named_and_nothing_is_written(
    site: Site, choices: object, field: str
) -> None:
    vote, (member, _) = council_vote(site)
    headers = site.headers(member)
    before = site.rows()
    answer = site.client.post(f"/votes/{vote}/ballots", json={"choices": choices}, headers=headers)
    assert problem(answer, 422)["field"] == field
    assert site.rows() == before


def test_an_open_ballot_retried_under_one_key_is_replayed(site: Site) -> None:
    vote, (member, _) = council_vote(site, secret=False)
    keyed = site.headers(member, key="ballot-1")
    first = site.client.post(f"/votes/{vote}/ballots", json={"choices": ["yes"]}, headers=keyed)
    again = site.client.post(f"/votes/{vote}/ballots", json={"choices": ["yes"]}, headers=keyed)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert site.cg.votes.turnout(site.admin, vote).voted == 1


def test_a_secret_ballot_is_never_kept_by_the_key_store(site: Site) -> None:
    vote, (member, _) = council_vote(site)
    keyed = site.headers(member, key="ballot-2")
    first = site.client.post(f"/votes/{vote}/ballots", json={"choices": ["yes"]}, headers=keyed)
    assert first.status_code == 201
    assert site.rows()["api_requests"] == 0  # neither the receipt nor the request is kept
    again = site.client.post(f"/votes/{vote}/ballots", json={"choices": ["yes"]}, headers=keyed)
    problem(again, 409)  # the store's one ballot per voter refuses the retry
    assert site.cg.votes.turnout(site.admin, vote).voted == 1


def test_votes_come_a_page_at_a_time(site: Site) -> None:
    first, _members = council_vote(site)
    admin = site.headers(site.admin)
    council = site.client.get(f"/votes/{first}", headers=admin).json()["council_id"]
    more = [
        site.client.post(
            "/votes",
            json={"question": f"第{n}项议题", "electorate": "council", "council": council},
            headers=admin,
        ).json()["id"]
        for n in range(4)
    ]
    made = [first, *more]
    unit = {"unit": site.town.communities[0]}
    assert pages(site, "/votes", {**unit, "limit": 2}, admin) == [made[:2], made[2:4], made[4:]]
    elsewhere = {"unit": site.town.communities[-1]}
    assert pages(site, "/votes", {**elsewhere, "limit": 2}, admin) == [[]]
    for cursor in ("not-a-cursor", encode_cursor(0)):
        answer = site.client.get("/votes", params={**unit, "cursor": cursor}, headers=admin)
        assert problem(answer, 422)["field"] == "cursor"
