"""The ledger's errors: an overdraft is an ``InsufficientFunds`` callers can read (and still a
``ValidationError``), and an error raised inside a batch keeps its class and fields when it is
given the transfer's place in the batch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.conftest import NOW, Town, make_identity
from tests.ledger.helpers import seeded_book

import commgov
from commgov.errors import RowError

A = commgov.Actor.system("test")


@pytest.fixture
def book(any_store: commgov.Commgov) -> Any:
    return seeded_book(any_store.ledger)


def move(amount: int, client_id: str = "t", **more: Any) -> dict[str, Any]:
    fields = {"ledger": "points", "debit": "alice", "credit": "bob", "reason": "gift"}
    return {"client_id": client_id, "amount": amount, **fields, **more}


def test_an_overdraft_is_insufficient_funds_with_its_fields(book: Any) -> None:
    before = book.books(A, "points")
    with pytest.raises(commgov.InsufficientFunds) as caught:
        book.transfer(A, **move(101))
    error = caught.value
    assert (error.account, error.balance, error.amount) == ("alice", 100, 101)
    assert isinstance(error, commgov.ValidationError)  # callers catching that keep working
    assert (error.field, error.value) == ("amount", 101)
    assert str(error) == "amount=101: transfer 0 (client_id 't'): overdraws alice (available 100)"
    assert error.context == "transfer 0 (client_id 't')"  # one transfer is a batch of one
    assert book.books(A, "points") == before


def test_the_balance_of_insufficient_funds_leaves_out_what_is_held(book: Any) -> None:
    book.transfer(A, **move(60, "hold", kind="pending"))
    with pytest.raises(commgov.ValidationError) as caught:  # caught as the parent class
        book.transfer(A, **move(50))
    assert isinstance(caught.value, commgov.InsufficientFunds)
    assert (caught.value.balance, caught.value.amount) == (40, 50)


def test_going_above_zero_is_a_plain_validation_error(book: Any) -> None:
    book.open_account(A, ledger="points", code="system:pool", kind="system")  # no limits
    book.transfer(A, **move(500, "fund", debit="system:pool", credit="alice"))
    with pytest.raises(commgov.ValidationError, match="above zero") as caught:
        book.transfer(A, **move(101, debit="alice", credit="system:issuance"))
    assert not isinstance(caught.value, commgov.InsufficientFunds)
    assert caught.value.field == "amount"


def test_insufficient_funds_in_a_batch_keeps_its_class_and_fields(book: Any) -> None:
    before = book.books(A, "points")
    batch = [move(70, "b0"), move(10, "b1", debit="bob", credit="alice"), move(50, "b2")]
    with pytest.raises(commgov.InsufficientFunds) as caught:
        book.submit(A, batch)
    error = caught.value
    assert (error.account, error.balance, error.amount) == ("alice", 40, 50)
    assert (error.field, error.value) == ("amount", 50)
    assert error.context == "transfer 2 (client_id 'b2')"
    assert str(error) == ("amount=50: transfer 2 (client_id 'b2'): overdraws alice (available 40)")
    assert book.books(A, "points") == before


def test_other_errors_in_a_batch_keep_their_class_and_name_the_transfer(book: Any) -> None:
    book.transfer(A, **move(5, "oops"))
    book.transfer(A, **move(5, "fix", debit="bob", credit="alice", reverses="oops"))
    again = move(1, "fix2", debit="bob", credit="alice", reverses="oops")
    with pytest.raises(commgov.ConflictError) as conflict:
        book.submit(A, [move(1, "c0"), again])
    assert type(conflict.value) is commgov.ConflictError
    assert str(conflict.value).startswith("transfer 1 (client_id 'fix2'): reverses='oops'")
    book.transfer(A, **move(5, "held", kind="pending"))
    book.void(A, client_id="held:void", ledger="points", pending="held")
    post = {"client_id": "held:post", "ledger": "points", "debit": "", "credit": ""}
    with pytest.raises(commgov.StateError, match=r"^transfer 0 .*already voided"):
        book.submit(A, [post | {"amount": 0, "reason": "post", "kind": "post", "pending": "held"}])


def test_a_mapping_with_an_unknown_field_names_the_transfer(book: Any) -> None:
    with pytest.raises(commgov.ValidationError) as caught:
        book.submit(A, [move(1) | {"colour": "red"}])
    assert caught.value.field == "transfer" and "colour" in caught.value.value


class DeadlinePassed(commgov.StateError):
    """A plugin's own error whose constructor takes several arguments."""

    def __init__(self, case: int, deadline: dt.datetime, now: dt.datetime) -> None:
        self.case, self.deadline, self.now = case, deadline, now
        super().__init__(f"case {case} was due at {deadline:%H:%M}, it is {now:%H:%M}")


@pytest.mark.parametrize(
    ("error", "fields"),
    [
        (commgov.ValidationError("amount", 5, "too big"), {"field", "value"}),
        (commgov.InsufficientFunds("alice", 3, 5), {"account", "balance", "amount", "field"}),
        (commgov.NotFoundError("reward", 7), {"kind", "key"}),
        (commgov.PermissionDenied("worker 3", "write", "resident 9"), {"actor", "action"}),
        (commgov.ImportRejected("f.csv", [RowError(2, "name", "", "empty")]), {"errors"}),
        (DeadlinePassed(4, NOW, NOW + dt.timedelta(hours=1)), {"case", "deadline", "now"}),
        (commgov.ConflictError("taken"), set()),
    ],
)
def test_with_context_keeps_the_class_and_the_fields(
    error: commgov.CommgovError, fields: set[str]
) -> None:
    message = str(error)
    found = error.with_context("item 3")
    assert type(found) is type(error) and found is not error
    assert {f: getattr(found, f) for f in fields} == {f: getattr(error, f) for f in fields}
    assert found.context == "item 3" and error.context is None
    assert "item 3: " in str(found) and str(error) == message  # the original is untouched
    if isinstance(error, commgov.ValidationError):
        assert str(found).startswith(f"{error.field}={error.value!r}: item 3: ")
    else:
        assert str(found) == f"item 3: {message}"
    assert found.with_context("batch 1").context == "batch 1: item 3"


def test_points_and_time_bank_overdrafts_are_insufficient_funds(town: Town) -> None:
    cg, admin = town.cg, town.admin
    home = town.household(
        town.grid_a1,
        {"name": "老张", "identity_number": make_identity("19400101", 1)},
        {"name": "小张", "identity_number": make_identity("19900101", 3)},
    )
    elder, child = home.member_ids
    cg.points.earn(admin, child, "volunteer", quantity=1, client_id="v")
    dear = cg.points.add_reward(admin, unit=town.community_a, name="电饭煲", price=500, stock=3)
    with pytest.raises(commgov.InsufficientFunds) as points:
        cg.points.redeem(admin, child, dear.id, client_id="r")
    assert (points.value.account, points.value.balance) == (f"resident:{child}", 10)
    assert points.value.amount == 500
    assert cg.points.reward(admin, dear.id).stock == 3
    service = cg.timebank.record(
        admin,
        provider_id=child,
        recipient_id=elder,
        kind="陪伴",
        start=NOW - dt.timedelta(minutes=30),
        end=NOW,
        client_id="s",
    )
    cg.timebank.confirm(town.worker(town.grid_a1), service.id)
    with pytest.raises(commgov.InsufficientFunds) as minutes:
        cg.timebank.redeem_care(admin, child, minutes=45, client_id="care")
    assert (minutes.value.account, minutes.value.balance, minutes.value.amount) == (
        f"resident:{child}",
        30,
        45,
    )
