"""The case loop over HTTP: a report, every step to closed, pages, another grid's case, and
retries under an Idempotency-Key."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from tests.api.conftest import Api, serving
from tests.conftest import NOW, SECRET, build_town, row_counts

import commgov
from commgov.kernel.tables import api_requests

LOOP = (
    {"action": "accept"},
    {"action": "triage", "category": "environment"},
    {"action": "dispatch"},
    {"action": "start"},
    {"action": "resolve", "note": "已清理"},
    {"action": "inform"},
    {"action": "visit", "rating": 5},
    {"action": "close"},
)


def test_a_grid_worker_takes_a_report_from_reported_to_closed(any_api: Api) -> None:
    worker = any_api.town.worker(any_api.town.grid_a1)
    headers = any_api.headers(worker)
    made = any_api.client.post(
        "/cases",
        json={"text": "楼道堆放杂物", "unit": any_api.town.grid_a1, "photos": ["photo/1.jpg"]},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    case = made.json()
    assert (case["state"], case["photos"]) == ("reported", ["photo/1.jpg"])
    assert case["reported_at"].endswith("Z")  # RFC 3339 with its zone
    for step in LOOP:
        answer = any_api.client.post(f"/cases/{case['id']}/actions", json=step, headers=headers)
        assert answer.status_code == 200, (step, answer.text)
    assert answer.json()["state"] == "closed"
    events = any_api.client.get(f"/cases/{case['id']}/events", headers=headers).json()
    assert [e["action"] for e in events] == ["report"] + [s["action"] for s in LOOP]


def test_pages_follow_the_cursor_without_gaps_or_repeats(api: Api) -> None:
    worker = api.town.worker(api.town.grid_a1)
    headers = api.headers(worker)
    made = [
        api.client.post(
            "/cases", json={"text": f"r{i}", "unit": api.town.grid_a1}, headers=headers
        ).json()["id"]
        for i in range(7)
    ]
    seen: list[int] = []
    params: dict[str, str | int] = {"unit": api.town.grid_a1, "limit": 3}
    while True:
        page = api.client.get("/cases", params=params, headers=headers).json()
        seen += [c["id"] for c in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == made
    bad = api.client.get(
        "/cases", params={"unit": api.town.grid_a1, "cursor": "xyz"}, headers=headers
    )
    assert bad.status_code == 422 and bad.json()["field"] == "cursor"


def test_another_grids_case_is_refused_and_nothing_is_written(api: Api) -> None:
    mine = api.town.worker(api.town.grid_a1)
    other = api.town.worker(api.town.grid_b1)
    case = api.client.post(
        "/cases", json={"text": "井盖缺失", "unit": api.town.grid_a1}, headers=api.headers(mine)
    ).json()
    outsider = api.headers(other)
    before = row_counts(api.cg)
    read = api.client.get(f"/cases/{case['id']}", headers=outsider)
    acted = api.client.post(
        f"/cases/{case['id']}/actions", json={"action": "accept"}, headers=outsider
    )
    listed = api.client.get("/cases", params={"unit": api.town.grid_a1}, headers=outsider)
    for answer in (read, acted, listed):
        assert answer.status_code == 403, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == 403
    assert row_counts(api.cg) == before
    assert api.cg.cases.get(api.town.admin, case["id"]).state == "reported"


def test_a_retried_report_under_one_key_makes_one_case(any_api: Api) -> None:
    worker = any_api.town.worker(any_api.town.grid_a1)
    headers = {**any_api.headers(worker), "Idempotency-Key": "report-7f3a"}
    body = {"text": "路灯不亮", "unit": any_api.town.grid_a1}
    first = any_api.client.post("/cases", json=body, headers=headers)
    again = any_api.client.post("/cases", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    listed = any_api.client.get("/cases", params={"unit": any_api.town.grid_a1}, headers=headers)
    assert [c["id"] for c in listed.json()["items"]] == [first.json()["id"]]
    other = any_api.client.post("/cases", json={**body, "text": "另一件事"}, headers=headers)
    assert other.status_code == 409 and "Idempotency-Key" in other.json()["detail"]


def test_a_failed_request_does_not_use_up_its_key(api: Api) -> None:
    worker = api.town.worker(api.town.grid_a1)
    headers = {**api.headers(worker), "Idempotency-Key": "k-1"}
    refused = api.client.post("/cases", json={"text": "x", "unit": "999"}, headers=headers)
    assert refused.status_code in (404, 422)
    fixed = api.client.post("/cases", json={"text": "x", "unit": api.town.grid_a1}, headers=headers)
    assert fixed.status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b'{"text": "x", "unit": ', 400, None),
        (b'{"text": 5, "unit": "411425100001001"}', 422, "body.text"),
        (b'{"text": "x", "unit": "411425100001001", "colour": "red"}', 422, "body.colour"),
        (b'{"text": "x", "unit": "411425100001001", "severity": "huge"}', 422, "body.severity"),
        (b'{"text": "x", "lat": "north", "unit": "411425100001001"}', 422, "body.lat"),
        (b"[]", 422, "body"),
    ],
)
def test_bad_bodies_get_a_problem_naming_the_field_and_write_nothing(
    api: Api, body: bytes, status: int, field: str | None
) -> None:
    headers = {**api.headers(api.town.worker(api.town.grid_a1)), "content-type": "application/json"}
    before = row_counts(api.cg)
    answer = api.client.post("/cases", content=body, headers=headers)
    assert answer.status_code == status, answer.text
    problem = answer.json()
    assert answer.headers["content-type"] == "application/problem+json"
    assert problem["status"] == status and "Traceback" not in answer.text
    if field is not None:
        assert problem["field"] == field
    assert row_counts(api.cg) == before


def test_a_huge_body_is_refused_before_it_is_read(api: Api) -> None:
    headers = {**api.headers(api.town.worker(api.town.grid_a1)), "content-type": "application/json"}
    before = row_counts(api.cg)
    text = "长" * 600_000  # 1.8 MB of UTF-8
    answer = api.client.post(
        "/cases", json={"text": text, "unit": api.town.grid_a1}, headers=headers
    )
    assert answer.status_code == 413 and answer.json()["title"] == "Request body too large"
    assert row_counts(api.cg) == before


def test_the_openapi_document_names_every_problem(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    post = document["paths"]["/cases"]["post"]
    assert {"401", "403", "409", "422"} <= set(post["responses"])
    assert "Idempotency-Key" in [p["name"] for p in post["parameters"]]


@pytest.mark.postgres
def test_concurrent_retries_under_one_key_act_once_on_postgresql(pg_url: str) -> None:
    store = commgov.open(pg_url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW)
    with store as cg, serving(build_town(cg)) as api:
        worker = api.town.worker(api.town.grid_a1)
        headers = {**api.headers(worker), "Idempotency-Key": "burst-1"}
        body = {"text": "同一件事", "unit": api.town.grid_a1}

        def post(_: int) -> tuple[int, int]:
            answer = api.client.post("/cases", json=body, headers=headers)
            return answer.status_code, answer.json().get("id", 0)

        with ThreadPoolExecutor(max_workers=12) as pool:
            answers = list(pool.map(post, range(24)))
        assert {status for status, _ in answers} == {201}
        assert len({case_id for _, case_id in answers}) == 1
        assert len(cg.cases.under(api.town.admin, api.town.grid_a1)) == 1


def test_a_remembered_answer_is_kept_encrypted(api: Api) -> None:
    worker = api.town.worker(api.town.grid_a1)
    headers = {**api.headers(worker), "Idempotency-Key": "sealed-1"}
    body = {"text": "回电", "unit": api.town.grid_a1, "reporter_phone": "13812345678"}
    made = api.client.post("/cases", json=body, headers=headers).json()
    with api.cg.context.uow(readonly=True) as uow:
        stored = uow.conn.execute(select(api_requests.c.body_cipher)).scalar_one()
    assert b"1381" not in stored and "回电".encode() not in stored
    assert api.client.post("/cases", json=body, headers=headers).json() == made
