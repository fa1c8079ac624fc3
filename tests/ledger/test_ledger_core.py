"""The double-entry core: limits, idempotency, two phases, linked batches, reversals, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.conftest import NOW

import commgov

A = commgov.Actor.system("test")


@pytest.fixture
def ledger(any_store: commgov.Commgov) -> Any:
    book = any_store.ledger
    book.open_account(A, ledger="points", code="system:issuance", kind="system")
    book.open_account(A, ledger="time", code="system:issuance", kind="system")
    for code in ("alice", "bob"):
        book.open_account(A, ledger="points", code=code, kind="resident")
    book.open_account(A, ledger="time", code="carol", kind="resident")
    book.transfer(
        A,
        client_id="seed",
        ledger="points",
        debit="system:issuance",
        credit="alice",
        amount=100,
        reason="seed",
    )
    return book


def state(book: Any) -> tuple[Any, ...]:
    return (
        book.books(A, "points"),
        book.books(A, "time"),
        book.account(A, "points", "alice"),
        book.account(A, "points", "bob"),
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": -5}, "amount"),
        ({"amount": 2.5}, "amount"),
        ({"credit": "nobody"}, "credit"),
        ({"debit": "carol"}, "debit"),  # carol's account is on the time ledger: cross-ledger
        ({"amount": 101}, "amount"),  # overdraft
        ({"ledger": "gold"}, "ledger"),
        ({"credit": "alice"}, "credit"),  # debit and credit the same
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_transfers_name_the_field_and_write_nothing(
    ledger: Any, fields: dict[str, Any], field: str
) -> None:
    before = state(ledger)
    good = {
        "client_id": "t1",
        "ledger": "points",
        "debit": "alice",
        "credit": "bob",
        "amount": 10,
        "reason": "gift",
    }
    with pytest.raises(commgov.ValidationError) as caught:
        ledger.transfer(A, **(good | fields))
    assert caught.value.field == field
    assert state(ledger) == before


def test_retry_returns_the_first_result_and_a_changed_retry_conflicts(ledger: Any) -> None:
    first = ledger.transfer(
        A, client_id="t1", ledger="points", debit="alice", credit="bob", amount=10, reason="gift"
    )
    again = ledger.transfer(
        A, client_id="t1", ledger="points", debit="alice", credit="bob", amount=10, reason="gift"
    )
    assert again.replayed and again.id == first.id and not first.replayed
    assert ledger.account(A, "points", "bob").balance == 10
    with pytest.raises(commgov.ConflictError, match="amount"):
        ledger.transfer(
            A,
            client_id="t1",
            ledger="points",
            debit="alice",
            credit="bob",
            amount=11,
            reason="gift",
        )


def test_pending_then_partial_post_releases_the_rest(ledger: Any) -> None:
    ledger.transfer(
        A,
        client_id="hold",
        ledger="points",
        debit="alice",
        credit="bob",
        amount=60,
        reason="hold",
        kind="pending",
    )
    alice = ledger.account(A, "points", "alice")
    assert (alice.balance, alice.available, alice.debits_pending) == (100, 40, 60)
    with pytest.raises(commgov.ValidationError):  # the held points cannot be spent twice
        ledger.transfer(
            A,
            client_id="t2",
            ledger="points",
            debit="alice",
            credit="bob",
            amount=50,
            reason="gift",
        )
    ledger.post(A, client_id="hold:post", ledger="points", pending="hold", amount=45)
    alice, bob = ledger.account(A, "points", "alice"), ledger.account(A, "points", "bob")
    assert (alice.balance, alice.debits_pending, bob.balance, bob.credits_pending) == (55, 0, 45, 0)
    with pytest.raises(commgov.StateError, match="already posted"):
        ledger.void(A, client_id="hold:void", ledger="points", pending="hold")


def test_void_and_timeout(ledger: Any, any_store: commgov.Commgov) -> None:
    ledger.transfer(
        A,
        client_id="p1",
        ledger="points",
        debit="alice",
        credit="bob",
        amount=30,
        reason="hold",
        kind="pending",
    )
    ledger.void(A, client_id="p1:void", ledger="points", pending="p1")
    assert ledger.account(A, "points", "alice").available == 100
    ledger.transfer(
        A,
        client_id="p2",
        ledger="points",
        debit="alice",
        credit="bob",
        amount=30,
        reason="hold",
        kind="pending",
        timeout=dt.timedelta(hours=1),
    )
    later = NOW + dt.timedelta(hours=2)
    assert ledger.expire_pending(A, now=later) == 1
    assert ledger.expire_pending(A, now=later) == 0  # safe to run twice
    assert ledger.account(A, "points", "alice").available == 100
    with pytest.raises(commgov.StateError, match="expired"):
        ledger.post(A, client_id="p2:post", ledger="points", pending="p2")


def test_linked_batch_is_all_or_nothing_and_names_the_first_failure(ledger: Any) -> None:
    before = state(ledger)
    batch = [
        {
            "client_id": "b0",
            "ledger": "points",
            "debit": "alice",
            "credit": "bob",
            "amount": 70,
            "reason": "x",
        },
        {
            "client_id": "b1",
            "ledger": "points",
            "debit": "bob",
            "credit": "alice",
            "amount": 10,
            "reason": "x",
        },
        {
            "client_id": "b2",
            "ledger": "points",
            "debit": "alice",
            "credit": "bob",
            "amount": 50,
            "reason": "x",
        },
    ]
    with pytest.raises(commgov.ValidationError, match=r"transfer 2 \(client_id 'b2'\)"):
        ledger.submit(A, batch)
    assert state(ledger) == before
    assert [t.client_id for t in ledger.submit(A, batch[:2])] == ["b0", "b1"]


def test_reversal_points_to_the_original_once(ledger: Any) -> None:
    ledger.transfer(
        A, client_id="oops", ledger="points", debit="alice", credit="bob", amount=25, reason="gift"
    )
    fix = ledger.transfer(
        A,
        client_id="fix",
        ledger="points",
        debit="bob",
        credit="alice",
        amount=25,
        reason="correction",
        reverses="oops",
    )
    assert fix.reverses_id is not None
    assert ledger.account(A, "points", "alice").balance == 100
    with pytest.raises(commgov.ConflictError, match="already reversed"):
        ledger.transfer(
            A,
            client_id="fix2",
            ledger="points",
            debit="bob",
            credit="alice",
            amount=1,
            reason="correction",
            reverses="oops",
        )
    with pytest.raises(commgov.ValidationError, match="swaps"):
        ledger.transfer(
            A,
            client_id="fix3",
            ledger="points",
            debit="alice",
            credit="bob",
            amount=1,
            reason="correction",
            reverses="seed",
        )


def test_history_and_balance_as_of(any_store: commgov.Commgov) -> None:
    clock = [NOW]
    any_store.context.clock = lambda: clock[0]
    book = any_store.ledger
    book.open_account(A, ledger="points", code="system:issuance", kind="system")
    book.open_account(A, ledger="points", code="dan", kind="resident")
    for day, amount in ((0, 10), (1, 20), (2, 30)):
        clock[0] = NOW + dt.timedelta(days=day)
        book.transfer(
            A,
            client_id=f"d{day}",
            ledger="points",
            debit="system:issuance",
            credit="dan",
            amount=amount,
            reason="earn",
        )
    assert [t.amount for t in book.history(A, "points", "dan")] == [10, 20, 30]
    assert book.balance_as_of(A, "points", "dan", NOW + dt.timedelta(days=1, hours=1)) == 30
    assert book.balance_as_of(A, "points", "dan", NOW - dt.timedelta(seconds=1)) == 0
    issuance = book.account(A, "points", "system:issuance")
    assert issuance.balance == -60 and issuance.no_positive
    books = book.books(A, "points")
    assert books["debits_posted"] == books["credits_posted"] == 60


def test_issuance_may_not_go_above_zero(ledger: Any) -> None:
    ledger.open_account(A, ledger="points", code="system:pool", kind="system")  # no limits
    ledger.transfer(
        A,
        client_id="fund",
        ledger="points",
        debit="system:pool",
        credit="alice",
        amount=500,
        reason="x",
    )
    ledger.transfer(
        A,
        client_id="back",
        ledger="points",
        debit="alice",
        credit="system:issuance",
        amount=100,
        reason="x",
    )
    with pytest.raises(commgov.ValidationError, match="above zero"):
        ledger.transfer(
            A,
            client_id="up",
            ledger="points",
            debit="alice",
            credit="system:issuance",
            amount=101,
            reason="x",
        )


def test_staff_reach_and_unknown_accounts(any_town: Any) -> None:
    cg = any_town.cg
    home = any_town.household(
        any_town.grid_b1, {"name": "乙", "birth_date": "1980-01-01", "sex": "F"}
    )
    (member,) = home.member_ids
    cg.ledger.open_account(A, ledger="points", code="system:issuance", kind="system")
    cg.ledger.open_account(
        A, ledger="points", code=f"resident:{member}", kind="resident", resident_id=member
    )
    worker = any_town.worker(any_town.grid_a1)
    with pytest.raises(commgov.PermissionDenied):
        cg.ledger.transfer(
            worker,
            client_id="x",
            ledger="points",
            debit=f"resident:{member}",
            credit="system:issuance",
            amount=1,
            reason="x",
        )
    with pytest.raises(commgov.NotFoundError):
        cg.ledger.account(A, "points", "resident:999")


def test_ensure_account_opens_once(any_town: Any) -> None:
    cg, admin = any_town.cg, any_town.admin
    first = cg.ledger.ensure_account(
        admin, ledger="points", code="staff:7", kind="staff", unit=any_town.grid_a1
    )
    again = cg.ledger.ensure_account(admin, ledger="points", code="staff:7", kind="staff")
    assert first.id == again.id and first.code == "staff:7"
    with pytest.raises(commgov.ValidationError) as caught:
        cg.ledger.ensure_account(admin, ledger="points", code="x:1", kind="robot")
    assert caught.value.field == "kind"
    with pytest.raises(commgov.NotFoundError):
        cg.ledger.account(A, "points", "x:1")
