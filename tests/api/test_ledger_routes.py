"""The ledger routes over HTTP: accounts, paged history, books, transfers and linked batches,
with the client id defaulting to the Idempotency-Key and a retry acting once."""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.conftest import Api
from tests.api.core_fixtures import SYSTEM, all_rows, family, problem, system_headers
from tests.conftest import NOW
from tests.ledger.helpers import HOUR

ISSUE = {"debit": "system:issuance", "reason": "seed"}


def _book(api: Api) -> None:
    """system:issuance, alice and bob (residents' kind of account) on points."""
    api.cg.ledger.open_account(SYSTEM, ledger="points", code="system:issuance", kind="system")
    for code in ("alice", "bob"):
        api.cg.ledger.open_account(SYSTEM, ledger="points", code=code, kind="resident")


def _balance(api: Api, code: str) -> int:
    return api.cg.ledger.account(SYSTEM, "points", code).balance


def test_a_retried_transfer_under_one_key_moves_the_balance_once(any_api: Api) -> None:
    _book(any_api)
    headers = system_headers(any_api, **{"Idempotency-Key": "seed-alice-1"})
    body = {**ISSUE, "credit": "alice", "amount": 100}
    first = any_api.client.post("/ledgers/points/transfers", json=body, headers=headers)
    assert first.status_code == 201, first.text
    made = first.json()
    assert (made["client_id"], made["amount"], made["kind"]) == ("seed-alice-1", 100, "posted")
    assert made["created_at"].endswith("Z") or made["created_at"].endswith("+00:00")
    again = any_api.client.post("/ledgers/points/transfers", json=body, headers=headers)
    assert again.status_code == 201 and again.json() == made
    assert again.headers["idempotent-replayed"] == "true"
    assert _balance(any_api, "alice") == 100
    account = any_api.client.get("/ledgers/points/accounts/alice", headers=headers).json()
    assert (account["balance"], account["credits_posted"]) == (100, 100)


def test_the_client_id_in_the_body_is_the_ledgers_key(api: Api) -> None:
    _book(api)
    headers = system_headers(api)
    body = {**ISSUE, "credit": "alice", "amount": 30, "client_id": "c-1"}
    first = api.client.post("/ledgers/points/transfers", json=body, headers=headers)
    again = api.client.post("/ledgers/points/transfers", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert (first.json()["replayed"], again.json()["replayed"]) == (False, True)
    assert _balance(api, "alice") == 30


def test_without_a_client_id_or_a_key_nothing_is_written(api: Api) -> None:
    _book(api)
    headers = system_headers(api)
    before = all_rows(api.cg)
    body = {**ISSUE, "credit": "alice", "amount": 5}
    problem(
        api.client.post("/ledgers/points/transfers", json=body, headers=headers), 422, "client_id"
    )
    batch = {"transfers": [{**body, "client_id": "b-0"}, body]}
    refused = api.client.post("/ledgers/points/transfer-batches", json=batch, headers=headers)
    assert "transfer 1" in str(problem(refused, 422, "client_id")["detail"])
    assert all_rows(api.cg) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": -1}, "body.amount"),
        ({"amount": "5"}, "body.amount"),
        ({"kind": "maybe"}, "body.kind"),
        ({"colour": "red"}, "body.colour"),
        ({"reason": ""}, "body.reason"),
        ({"client_id": "x" * 121}, "body.client_id"),
        ({"timeout_seconds": 0}, "body.timeout_seconds"),
        ({"client_id": "commgov:mine"}, "client_id"),
        ({"credit": "alice\x00"}, "credit"),
    ],
)
def test_bad_transfers_name_the_field_and_write_nothing(
    api: Api, change: dict[str, Any], field: str
) -> None:
    _book(api)
    headers = system_headers(api, **{"Idempotency-Key": "k-bad"})
    before = all_rows(api.cg)
    body = {**ISSUE, "credit": "alice", "amount": 5, **change}
    problem(api.client.post("/ledgers/points/transfers", json=body, headers=headers), 422, field)
    assert all_rows(api.cg) == before


def test_a_grid_worker_may_not_debit_the_system(api: Api) -> None:
    _book(api)
    worker = api.town.worker(api.town.grid_a1)
    headers = {**api.headers(worker), "Idempotency-Key": "w-1"}
    before = all_rows(api.cg)
    body = {**ISSUE, "credit": "alice", "amount": 5}
    problem(api.client.post("/ledgers/points/transfers", json=body, headers=headers), 403)
    problem(api.client.get("/ledgers/points/books", headers=headers), 403)
    problem(api.client.get("/ledgers/points/accounts/system:issuance", headers=headers), 403)
    assert all_rows(api.cg) == before


def test_a_linked_batch_is_all_or_nothing(api: Api) -> None:
    _book(api)
    headers = system_headers(api, **{"Idempotency-Key": "pay-day"})
    good = {
        "transfers": [
            {**ISSUE, "credit": "alice", "amount": 50},
            {"debit": "alice", "credit": "bob", "amount": 20, "reason": "gift"},
        ]
    }
    made = api.client.post("/ledgers/points/transfer-batches", json=good, headers=headers)
    assert made.status_code == 201, made.text
    assert [t["client_id"] for t in made.json()] == ["pay-day:0", "pay-day:1"]
    again = api.client.post("/ledgers/points/transfer-batches", json=good, headers=headers)
    assert again.json() == made.json() and again.headers["idempotent-replayed"] == "true"
    assert (_balance(api, "alice"), _balance(api, "bob")) == (30, 20)
    short = {
        "transfers": [
            {**ISSUE, "credit": "bob", "amount": 5, "client_id": "s-0"},
            {"debit": "alice", "credit": "bob", "amount": 31, "reason": "x", "client_id": "s-1"},
        ]
    }
    plain = system_headers(api)
    before = all_rows(api.cg)
    refused = api.client.post("/ledgers/points/transfer-batches", json=short, headers=plain)
    assert "transfer 1" in str(problem(refused, 422, "amount")["detail"])
    assert all_rows(api.cg) == before
    empty = api.client.post(
        "/ledgers/points/transfer-batches", json={"transfers": []}, headers=headers
    )
    problem(empty, 422, "body.transfers")


def test_history_comes_a_page_at_a_time_and_books_agree(api: Api) -> None:
    _book(api)
    headers = system_headers(api)
    made = [
        api.client.post(
            "/ledgers/points/transfers",
            json={**ISSUE, "credit": "alice", "amount": n, "client_id": f"h-{n}"},
            headers=headers,
        ).json()["id"]
        for n in range(1, 6)
    ]
    seen: list[int] = []
    params: dict[str, str | int] = {"limit": 2}
    while True:
        page = api.client.get(
            "/ledgers/points/accounts/alice/history", params=params, headers=headers
        )
        assert page.status_code == 200, page.text
        seen += [t["id"] for t in page.json()["items"]]
        if page.json()["next_cursor"] is None:
            break
        params["cursor"] = page.json()["next_cursor"]
    assert seen == made
    books = api.client.get("/ledgers/points/books", headers=headers).json()
    assert books["debits_posted"] == books["credits_posted"] == 15
    problem(api.client.get("/ledgers/points/accounts/carol", headers=headers), 404)
    problem(api.client.get("/ledgers/gold/books", headers=headers), 404)
    naive = api.client.get(
        "/ledgers/points/accounts/alice/history",
        params={"until": "2025-01-01T00:00"},
        headers=headers,
    )
    problem(naive, 422, "query.until")


def test_a_pending_transfer_is_posted_by_its_client_id(api: Api) -> None:
    _book(api)
    headers = system_headers(api)
    hold = {**ISSUE, "credit": "alice", "amount": 40, "kind": "pending", "client_id": "p-1"}
    hold["timeout_seconds"] = 3600
    held = api.client.post("/ledgers/points/transfers", json=hold, headers=headers)
    assert held.status_code == 201 and held.json()["timeout_at"] is not None
    post = {"kind": "post", "pending": "p-1", "amount": 0, "reason": "post", "client_id": "p-2"}
    posted = api.client.post("/ledgers/points/transfers", json=post, headers=headers)
    assert posted.status_code == 201, posted.text
    assert posted.json()["pending_id"] == held.json()["id"] and _balance(api, "alice") == 40


# -- points ------------------------------------------------------------------------------


def test_points_are_earned_redeemed_and_stated(any_api: Api) -> None:
    t = any_api.town
    _elder, child, _alone = family(t)
    reward = t.cg.points.add_reward(t.admin, unit=t.town, name="大米", price=15, stock=1)
    headers = any_api.headers(t.worker(t.grid_a1))
    earn = {"activity": "volunteer", "quantity": 2}
    keyed = {**headers, "Idempotency-Key": "earn-1"}
    first = any_api.client.post(f"/residents/{child}/points/earnings", json=earn, headers=keyed)
    assert first.status_code == 201, first.text
    assert (first.json()["granted"], first.json()["transfer"]["amount"]) == (20, 20)
    again = any_api.client.post(f"/residents/{child}/points/earnings", json=earn, headers=keyed)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    catalogue = any_api.client.get(f"/units/{t.grid_a1}/rewards", headers=headers).json()
    assert [(r["id"], r["stock"]) for r in catalogue] == [(reward.id, 1)]
    redeem = {"reward_id": reward.id}
    keyed = {**headers, "Idempotency-Key": "rice-1"}
    spent = any_api.client.post(
        f"/residents/{child}/points/redemptions", json=redeem, headers=keyed
    )
    assert spent.status_code == 201 and spent.json()["amount"] == 15
    again = any_api.client.post(
        f"/residents/{child}/points/redemptions", json=redeem, headers=keyed
    )
    assert again.json() == spent.json()
    assert t.cg.points.balance(t.admin, child).balance == 5
    assert t.cg.points.reward(t.admin, reward.id).stock == 0
    statement = any_api.client.get(
        f"/residents/{child}/points/statement", params={"month": "2025-06"}, headers=headers
    ).json()
    assert [line["amount"] for line in statement["lines"]] == [20, -15]
    assert (statement["opening"], statement["closing"]) == (0, 5)
    board = any_api.client.get(
        f"/units/{t.grid_a1}/points/leaderboard", params={"month": "2025-06"}, headers=headers
    ).json()
    assert [(r["resident_id"], r["earned"]) for r in board["rows"]] == [(child, 20)]


def test_points_beyond_reach_are_refused_and_nothing_is_written(api: Api) -> None:
    t = api.town
    _elder, child, _alone = family(t)
    reward = t.cg.points.add_reward(t.admin, unit=t.grid_a1, name="毛巾", price=1, stock=5)
    headers = {**api.headers(t.worker(t.grid_b1)), "Idempotency-Key": "x-1"}
    before = all_rows(api.cg)
    earn = {"activity": "volunteer"}
    problem(api.client.post(f"/residents/{child}/points/earnings", json=earn, headers=headers), 403)
    redeem = {"reward_id": reward.id}
    refused = api.client.post(
        f"/residents/{child}/points/redemptions", json=redeem, headers=headers
    )
    problem(refused, 403)
    problem(api.client.get(f"/residents/{child}/points/statement", headers=headers), 403)
    problem(api.client.get(f"/units/{t.grid_a1}/rewards", headers=headers), 403)
    problem(api.client.get(f"/units/{t.grid_a1}/points/leaderboard", headers=headers), 403)
    assert all_rows(api.cg) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"activity": "flying", "client_id": "e-1"}, "activity"),
        ({"activity": "volunteer", "quantity": 0, "client_id": "e-1"}, "body.quantity"),
        ({"activity": "volunteer", "client_id": "e-1", "points": 99}, "body.points"),
        ({"activity": "volunteer"}, "client_id"),
    ],
)
def test_bad_earnings_name_the_field_and_write_nothing(
    api: Api, body: dict[str, Any], field: str
) -> None:
    t = api.town
    _elder, child, _alone = family(t)
    headers = api.headers(t.worker(t.grid_a1))
    before = all_rows(api.cg)
    answer = api.client.post(f"/residents/{child}/points/earnings", json=body, headers=headers)
    problem(answer, 422, field)
    assert all_rows(api.cg) == before
    bad_month = api.client.get(
        f"/residents/{child}/points/statement", params={"month": "June"}, headers=headers
    )
    problem(bad_month, 422, "query.month")


# -- time bank ---------------------------------------------------------------------------


def _service(child: int, alone: int, **change: Any) -> dict[str, Any]:
    """An hour of 陪伴 from ``child`` to ``alone`` ending at ``NOW``."""
    start, end = (NOW - HOUR).isoformat(), NOW.isoformat()
    body = {"provider_id": child, "recipient_id": alone, "kind": "陪伴", "start": start, "end": end}
    return {**body, **change}


def test_a_service_is_recorded_confirmed_and_given_on(any_api: Api) -> None:
    t = any_api.town
    elder, child, alone = family(t)
    headers = any_api.headers(t.worker(t.grid_a1))
    keyed = {**headers, "Idempotency-Key": "svc-1"}
    body = _service(child, alone)
    recorded = any_api.client.post("/timebank/services", json=body, headers=keyed)
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["state"], recorded.json()["minutes"]) == ("pending", 60)
    again = any_api.client.post("/timebank/services", json=body, headers=keyed)
    assert again.json() == recorded.json()
    service_id = recorded.json()["id"]
    confirmed = any_api.client.post(
        f"/timebank/services/{service_id}/confirmation", headers=headers
    )
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    twice = any_api.client.post(f"/timebank/services/{service_id}/confirmation", headers=headers)
    assert twice.status_code == 200 and twice.json()["state"] == "confirmed"
    gift = {"receiver_id": elder, "minutes": 20}
    keyed = {**headers, "Idempotency-Key": "gift-1"}
    given = any_api.client.post(f"/residents/{child}/timebank/gifts", json=gift, headers=keyed)
    assert given.status_code == 201 and given.json()["client_id"] == "gift-1"
    again = any_api.client.post(f"/residents/{child}/timebank/gifts", json=gift, headers=keyed)
    assert again.json() == given.json()
    statement = any_api.client.get(
        f"/residents/{child}/timebank/statement", params={"month": "2025-06"}, headers=headers
    ).json()
    assert [line["amount"] for line in statement["lines"]] == [60, -20]
    assert statement["closing"] == 40
    assert t.cg.timebank.person(t.admin, elder).held == 20


def test_the_time_bank_beyond_reach_is_refused_and_nothing_is_written(api: Api) -> None:
    t = api.town
    elder, child, alone = family(t)
    service = t.cg.timebank.record(
        t.admin, provider_id=child, recipient_id=alone, kind="陪伴",
        start=NOW - HOUR, end=NOW, client_id="svc",
    )  # fmt: skip
    headers = {**api.headers(t.worker(t.grid_b1)), "Idempotency-Key": "o-1"}
    before = all_rows(api.cg)
    record = api.client.post("/timebank/services", json=_service(child, alone), headers=headers)
    problem(record, 403)
    confirm = api.client.post(f"/timebank/services/{service.id}/confirmation", headers=headers)
    problem(confirm, 403)
    gift = {"receiver_id": elder, "minutes": 5}
    problem(api.client.post(f"/residents/{child}/timebank/gifts", json=gift, headers=headers), 403)
    problem(api.client.get(f"/residents/{child}/timebank/statement", headers=headers), 403)
    assert all_rows(api.cg) == before
    assert t.cg.timebank.person(t.admin, child).held == 0


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/timebank/services", {"start": "2025-06-30T08:00:00"}, "body.start"),
        ("/timebank/services", {"provider_id": 0}, "body.provider_id"),
        ("/timebank/services", {"kind": ""}, "body.kind"),
        ("/timebank/services", {"client_id": None}, "client_id"),
        ("/timebank/services", {"end": "2099-01-01T00:00:00Z"}, "end"),
        ("gifts", {"minutes": 0}, "body.minutes"),
        ("gifts", {"receiver_id": "alone"}, "body.receiver_id"),
        ("gifts", {"receiver_id": 999_999}, None),
    ],
)
def test_bad_time_bank_requests_name_the_field_and_write_nothing(
    api: Api, path: str, body: dict[str, Any], field: str | None
) -> None:
    t = api.town
    elder, child, alone = family(t)
    headers = api.headers(t.worker(t.grid_a1))
    if path == "gifts":
        path = f"/residents/{child}/timebank/gifts"
        sent = {"receiver_id": elder, "minutes": 5, "client_id": "g", **body}
    else:
        sent = _service(child, alone, **{"client_id": "s", **body})
    sent = {k: v for k, v in sent.items() if v is not None}
    before = all_rows(api.cg)
    answer = api.client.post(path, json=sent, headers=headers)
    assert answer.status_code in (404, 422), answer.text
    if field is not None:
        problem(answer, 422, field)
    assert all_rows(api.cg) == before


def test_a_gift_outside_the_household_is_refused(api: Api) -> None:
    t = api.town
    _elder, child, alone = family(t)
    headers = api.headers(t.worker(t.grid_a1))
    before = all_rows(api.cg)
    gift = {"receiver_id": alone, "minutes": 5, "client_id": "g-out"}
    answer = api.client.post(f"/residents/{child}/timebank/gifts", json=gift, headers=headers)
    problem(answer, 422, "receiver_id")
    assert all_rows(api.cg) == before
