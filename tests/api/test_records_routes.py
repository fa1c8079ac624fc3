"""Plugin records over HTTP: keep one, find them under a unit in time order a page at a time,
refused beyond reach, bad input named, a retry kept once."""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.conftest import Api
from tests.api.core_fixtures import all_rows, problem


def _note(unit: str, topic: str, at: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": "note", "unit": unit, "data": {"topic": topic}}
    return body if at is None else {**body, "at": at}


def test_records_are_kept_and_found_in_time_order_by_pages(any_api: Api) -> None:
    t = any_api.town
    headers = any_api.headers(t.worker(t.community_a, "community_staff"))
    days = ["2025-06-05T10:00:00+08:00", "2025-06-01T10:00:00+08:00", "2025-06-03T10:00:00Z"]
    units = [t.grid_a1, t.grid_a2, t.grid_a1]
    for n, (unit, at) in enumerate(zip(units, days, strict=True)):
        made = any_api.client.post("/records", json=_note(unit, f"t{n}", at), headers=headers)
        assert made.status_code == 201, made.text
        assert made.json()["actor"].startswith("community_staff")
    any_api.client.post("/records", json=_note(t.community_a, "later"), headers=headers)
    seen: list[str] = []
    params: dict[str, str | int] = {"kind": "note", "under": t.community_a, "limit": 2}
    params["until"] = "2025-06-30T00:00:00Z"
    while True:
        page = any_api.client.get("/records", params=params, headers=headers)
        assert page.status_code == 200, page.text
        seen += [r["data"]["topic"] for r in page.json()["items"]]
        if page.json()["next_cursor"] is None:
            break
        params["cursor"] = page.json()["next_cursor"]
    assert seen == ["t1", "t2", "t0"]
    kinds = any_api.client.get("/record-kinds", headers=headers).json()
    assert "note" in kinds


def test_a_retried_record_under_one_key_is_kept_once(api: Api) -> None:
    t = api.town
    headers = {**api.headers(t.worker(t.grid_a1)), "Idempotency-Key": "minutes-1"}
    body = {**_note(t.grid_a1, "楼道议事"), "ref": "meeting:1"}
    first = api.client.post("/records", json=body, headers=headers)
    again = api.client.post("/records", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    found = api.cg.records.find(t.admin, kind="note", under=t.grid_a1, ref="meeting:1")
    assert [r.id for r in found] == [first.json()["id"]]


def test_records_beyond_reach_are_refused_and_nothing_is_written(api: Api) -> None:
    t = api.town
    headers = {**api.headers(t.worker(t.grid_a1)), "Idempotency-Key": "k-1"}
    before = all_rows(api.cg)
    problem(api.client.post("/records", json=_note(t.grid_b1, "x"), headers=headers), 403)
    problem(api.client.post("/records", json=_note(t.community_a, "x"), headers=headers), 403)
    found = api.client.get("/records", params={"kind": "note", "under": t.town}, headers=headers)
    problem(found, 403)
    assert all_rows(api.cg) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "diary"}, "kind"),
        ({"data": [1, 2]}, "body.data"),
        ({"data": {"blob": "长" * 30_000}}, "data"),
        ({"at": "2025-06-01T10:00:00"}, "body.at"),
        ({"ref": ""}, "body.ref"),
        ({"colour": "red"}, "body.colour"),
        ({"unit": "411425999999"}, None),
    ],
)
def test_bad_records_name_the_field_and_write_nothing(
    api: Api, change: dict[str, Any], field: str | None
) -> None:
    t = api.town
    headers = api.headers(t.worker(t.grid_a1))
    before = all_rows(api.cg)
    answer = api.client.post("/records", json={**_note(t.grid_a1, "x"), **change}, headers=headers)
    problem(answer, 404 if field is None else 422, field)
    assert all_rows(api.cg) == before


def test_bad_searches_name_the_field(api: Api) -> None:
    t = api.town
    headers = api.headers(t.worker(t.grid_a1))
    query = {"kind": "note", "under": t.grid_a1}
    problem(
        api.client.get("/records", params={"under": t.grid_a1}, headers=headers), 422, "query.kind"
    )
    problem(
        api.client.get("/records", params={**query, "kind": "diary"}, headers=headers), 422, "kind"
    )
    naive = {**query, "since": "2025-06-01T00:00:00"}
    problem(api.client.get("/records", params=naive, headers=headers), 422, "query.since")
    stale = {**query, "cursor": "eyJhZnRlciI6OTk5OX0"}  # {"after":9999}: no such record here
    problem(api.client.get("/records", params=stale, headers=headers), 422, "cursor")
