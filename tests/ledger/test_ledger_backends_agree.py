"""PostgreSQL and SQLite keep the same ledger. One script of every transfer kind writes the same
transfers, balances, histories and outbox events on both (PostgreSQL builds a batch's events in
SQL, SQLite in Python). A replay answers as a replay on both, also where PostgreSQL first
guesses that the client ids are new: a retry of a transfer that emptied its account, a batch
mixing stored and new transfers, a retry that differs (a conflict that writes nothing) and a
repeated post or void. A hypothesis property drives random batches and verbatim resubmissions."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import attrs
import hypothesis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from tests.conftest import NOW, SECRET
from tests.ledger.helpers import seeded_book

import commgov
from commgov.kernel.tables import outbox_events
from commgov.ledger.model import TRANSFER_EVENTS
from commgov.ledger.service.ledger import LedgerService
from commgov.ledger.tables import ledger_pending, ledger_transfers

A = commgov.Actor.system("parity")
HOUR = dt.timedelta(hours=1)
ACCOUNTS = {
    "points": ("system:issuance", "alice", "bob", "carol", "dave"),
    "time": ("system:issuance", "erin", "frank"),
}


# -- helpers -------------------------------------------------------------------------------
@contextmanager
def opened(url: str) -> Iterator[commgov.Commgov]:
    with commgov.open(url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW) as cg:
        yield cg


def move(client_id: str, debit: str, credit: str, amount: int, **more: Any) -> dict[str, Any]:
    """A points transfer's fields (``more`` adds or overrides any)."""
    fields = {"ledger": "points", "debit": debit, "credit": credit, "reason": "gift"}
    return {"client_id": client_id, "amount": amount, **fields, **more}


def closing(client_id: str, kind: str, pending: str, amount: int = 0) -> dict[str, Any]:
    """A post (``amount`` 0: in full) or void of the pending transfer ``pending``."""
    fields = {"ledger": "points", "debit": "", "credit": "", "reason": kind, "kind": kind}
    return {"client_id": client_id, "amount": amount, "pending": pending, **fields}


def count(cg: commgov.Commgov, table: Any) -> int:
    with cg.context.uow(readonly=True) as uow:
        return int(uow.conn.execute(select(func.count()).select_from(table)).scalar_one())


def written(cg: commgov.Commgov) -> tuple[int, int, int]:
    """Rows of transfers, outbox events and pending transfers: equal = nothing written."""
    return count(cg, ledger_transfers), count(cg, outbox_events), count(cg, ledger_pending)


def balances(book: LedgerService, *codes: str) -> tuple[int, ...]:
    return tuple(book.account(A, "points", code).balance for code in codes)


# -- 1. one script, two back ends ----------------------------------------------------------
def run_script(book: LedgerService) -> None:
    """Every transfer kind: a batch of postings, holds posted in part, voided and expired, a
    reversal, then a batch of several kinds (a hold and its post among them) on two ledgers."""
    for ledger, codes in ACCOUNTS.items():
        for code in codes:
            kind = "system" if code.startswith("system:") else "resident"
            book.open_account(A, ledger=ledger, code=code, kind=kind)
    residents = ("alice", "bob", "carol", "dave")
    seeds = [move(f"seed-{c}", "system:issuance", c, 500, reason="seed") for c in residents]
    seeds.append(move("seed-erin", "system:issuance", "erin", 120, ledger="time"))
    book.submit(A, seeds)
    book.transfer(A, **move("hold-timed", "alice", "bob", 50, kind="pending", timeout=HOUR))
    book.transfer(A, **move("hold-posted", "alice", "carol", 80, kind="pending"))
    book.post(A, client_id="hold-posted:post", ledger="points", pending="hold-posted", amount=30)
    book.transfer(A, **move("hold-voided", "bob", "carol", 40, kind="pending"))
    book.void(A, client_id="hold-voided:void", ledger="points", pending="hold-voided")
    assert book.expire_pending(A, now=NOW + HOUR + dt.timedelta(seconds=1)) == 1
    book.transfer(A, **move("gift", "alice", "dave", 25))
    book.transfer(A, **move("gift:undo", "dave", "alice", 10, reverses="gift"))
    book.submit(
        A,
        [
            move("mix-posted", "bob", "dave", 5),
            move("mix-hold", "carol", "alice", 20, kind="pending"),
            closing("mix-hold:post", "post", "mix-hold"),
            move("mix-hold2", "dave", "bob", 7, kind="pending", timeout=HOUR),
            closing("mix-hold2:void", "void", "mix-hold2"),
            move("mix-open", "dave", "carol", 3, kind="pending"),  # left open
            move("mix-undo", "carol", "system:issuance", 12, reverses="seed-carol"),
            move("mix-time", "erin", "frank", 30, ledger="time"),
        ],
    )


def transfer_events(cg: commgov.Commgov) -> list[tuple[str, str, dict[str, Any]]]:
    """The ``transfer.*`` outbox events as (kind, aggregate, payload), in id order."""
    e = outbox_events.c
    query = (
        select(e.kind, e.aggregate, e.payload).where(e.kind.startswith("transfer.")).order_by(e.id)
    )
    with cg.context.engine.connect() as conn:
        return [
            (kind, aggregate, dict(payload)) for kind, aggregate, payload in conn.execute(query)
        ]


def stored_rows(cg: commgov.Commgov) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every transfer row and every pending row, in id order."""
    with cg.context.engine.connect() as conn:
        moved = conn.execute(select(ledger_transfers).order_by(ledger_transfers.c.id)).all()
        held = conn.execute(select(ledger_pending).order_by(ledger_pending.c.transfer_id)).all()
    return [tuple(r) for r in moved], [tuple(r) for r in held]


def accounts_seen(book: LedgerService) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Per account: its balances and its history (client ids, and each transfer in full)."""
    seen: dict[tuple[str, str], tuple[Any, ...]] = {}
    for ledger, codes in ACCOUNTS.items():
        for code in codes:
            history = book.history(A, ledger, code)
            seen[(ledger, code)] = (
                book.account(A, ledger, code).model_dump(),
                [t.client_id for t in history],
                [t.model_dump() for t in history],
            )
    return seen


@pytest.mark.postgres
def test_one_script_writes_the_same_transfers_and_events_on_both(
    pg_url: str, tmp_path: Any
) -> None:
    with opened(f"sqlite:///{tmp_path / 'store.db'}") as lite, opened(pg_url) as pg:
        for cg in (lite, pg):
            run_script(cg.ledger)
        events = transfer_events(lite)
        assert {kind for kind, _, _ in events} == set(TRANSFER_EVENTS.values())
        assert len(events) == count(lite, ledger_transfers) == 21
        assert transfer_events(pg) == events
        assert stored_rows(pg) == stored_rows(lite)
        assert accounts_seen(pg.ledger) == accounts_seen(lite.ledger)
        for ledger in ACCOUNTS:
            books = pg.ledger.books(A, ledger)
            assert books == lite.ledger.books(A, ledger)
            assert books["debits_posted"] == books["credits_posted"]


# -- 2. replays the guessing path must answer as replays -----------------------------------
def test_a_retry_of_a_transfer_that_emptied_its_account_is_a_replay(
    any_store: commgov.Commgov,
) -> None:
    book = seeded_book(any_store.ledger)  # alice 100, bob 0
    first = book.transfer(A, **move("all", "alice", "bob", 100))
    before = written(any_store)
    again = book.transfer(A, **move("all", "alice", "bob", 100))  # not InsufficientFunds
    assert again.replayed and not first.replayed and again.id == first.id
    assert balances(book, "alice", "bob") == (0, 100)
    assert written(any_store) == before


def test_a_batch_of_a_stored_transfer_and_a_new_one(any_store: commgov.Commgov) -> None:
    book = seeded_book(any_store.ledger)
    stored = book.transfer(A, **move("first", "alice", "bob", 60))
    batch = [move("first", "alice", "bob", 60), move("second", "alice", "bob", 40)]
    views = book.submit(A, batch)
    assert [v.replayed for v in views] == [True, False] and views[0].id == stored.id
    before = written(any_store)
    again = book.submit(A, batch)  # alice is empty now: only a look-up can answer it
    assert [v.replayed for v in again] == [True, True]
    assert [v.id for v in again] == [v.id for v in views]
    assert balances(book, "alice", "bob") == (0, 100)
    assert written(any_store) == before


def test_a_new_transfer_before_a_stored_one_is_applied_once(any_store: commgov.Commgov) -> None:
    book = seeded_book(any_store.ledger)
    book.transfer(A, **move("first", "alice", "bob", 60))
    batch = [move("back", "bob", "alice", 10), move("first", "alice", "bob", 60)]
    assert [v.replayed for v in book.submit(A, batch)] == [False, True]
    assert [v.replayed for v in book.submit(A, batch)] == [True, True]
    assert balances(book, "alice", "bob") == (50, 50)


def test_a_client_id_reused_for_another_amount_conflicts_and_writes_nothing(
    any_store: commgov.Commgov,
) -> None:
    book = seeded_book(any_store.ledger)
    book.transfer(A, **move("first", "alice", "bob", 60))
    before = (written(any_store), balances(book, "alice", "bob"))
    changed = move("first", "alice", "bob", 100)  # alice holds 40: an overdraft if applied
    with pytest.raises(commgov.ConflictError, match="client_id='first'"):
        book.transfer(A, **changed)
    with pytest.raises(commgov.ConflictError, match="client_id='first'"):
        book.submit(A, [move("fresh", "alice", "bob", 5), changed])
    assert (written(any_store), balances(book, "alice", "bob")) == before
    assert not book.transfer(A, **move("fresh", "alice", "bob", 5)).replayed  # never kept


@pytest.mark.parametrize(
    ("kind", "amount", "state", "after"),
    [("post", 20, "posted", (80, 20)), ("void", 0, "voided", (100, 0))],
)
def test_a_repeated_post_or_void_is_a_replay_and_closes_the_hold_once(
    any_store: commgov.Commgov, kind: str, amount: int, state: str, after: tuple[int, int]
) -> None:
    book = seeded_book(any_store.ledger)
    hold = book.transfer(A, **move("hold", "alice", "bob", 30, kind="pending"))
    first = book.transfer(A, **closing("hold:close", kind, "hold", amount))
    before = written(any_store)
    again = book.transfer(A, **closing("hold:close", kind, "hold", amount))
    assert again.replayed and again.id == first.id and again.amount == first.amount
    assert written(any_store) == before
    t, p = ledger_transfers.c, ledger_pending.c
    with any_store.context.engine.connect() as conn:
        closers = conn.execute(select(t.id).where(t.pending_id == hold.id)).scalars().all()
        row = conn.execute(select(p.state, p.closed_by).where(p.transfer_id == hold.id)).one()
    assert closers == [first.id] and tuple(row) == (state, first.id)
    alice, bob = book.account(A, "points", "alice"), book.account(A, "points", "bob")
    assert (alice.balance, bob.balance) == after
    assert alice.debits_pending == bob.credits_pending == 0


# -- 3. random batches and resubmissions ---------------------------------------------------
FUND = 100
PEOPLE = 4
EXAMPLES = itertools.count()

Move = tuple[str, int, int, int]  # client id, debit, credit (indexes of the accounts), amount
batches = st.lists(
    st.tuples(st.integers(0, PEOPLE - 1), st.integers(1, PEOPLE - 1), st.integers(1, 60)),
    min_size=1,
    max_size=5,
)
steps = st.lists(st.one_of(batches, batches, st.integers(0, 99)), min_size=1, max_size=8)
"""A new batch ((debit, offset to the credit, amount) each), or an earlier batch again."""


@attrs.define
class Example:
    """One example's accounts and what the ledger must hold: the client ids applied."""

    n: int
    cg: commgov.Commgov
    applied: dict[str, Move] = attrs.Factory(dict)
    sent: list[list[Move]] = attrs.Factory(list)

    @property
    def book(self) -> LedgerService:
        return self.cg.ledger

    @property
    def codes(self) -> list[str]:
        return [f"e{self.n}-p{k}" for k in range(PEOPLE)]

    def open(self) -> None:
        self.book.ensure_account(A, ledger="points", code="system:issuance", kind="system")
        for code in self.codes:
            self.book.open_account(A, ledger="points", code=code, kind="resident")
        funds = [move(f"fund-{code}", "system:issuance", code, FUND) for code in self.codes]
        self.book.submit(A, funds)

    def fields(self, m: Move) -> dict[str, Any]:
        return move(m[0], self.codes[m[1]], self.codes[m[2]], m[3])

    def balances(self) -> list[int]:
        """What each account must hold: its funding and the distinct applied client ids."""
        held = [FUND] * PEOPLE
        for _, debit, credit, amount in self.applied.values():
            held[debit] -= amount
            held[credit] += amount
        return held

    def expected(self, batch: Sequence[Move]) -> list[bool] | None:
        """Each transfer's ``replayed``, or ``None`` when the batch must be refused (an
        account would go below zero)."""
        running = self.balances()
        replayed = []
        for cid, debit, credit, amount in batch:
            replayed.append(cid in self.applied)
            if cid in self.applied:
                continue
            running[debit] -= amount
            running[credit] += amount
            if running[debit] < 0:
                return None
        return replayed

    def stored_ids(self) -> dict[str, int]:
        t = ledger_transfers.c
        query = (
            select(t.client_id, func.count())
            .where(t.client_id.startswith(f"e{self.n}-"))
            .group_by(t.client_id)
        )
        with self.cg.context.engine.connect() as conn:
            return {str(cid): int(n) for cid, n in conn.execute(query)}


def step(example: Example, chosen: list[tuple[int, int, int]] | int) -> None:
    """Submit a new batch or an earlier one verbatim and check the answer against the model."""
    if isinstance(chosen, int):
        if not example.sent:
            return
        batch = example.sent[chosen % len(example.sent)]
        hypothesis.event("an earlier batch again")
    else:
        i = len(example.sent)
        batch = [
            (f"e{example.n}-b{i}-{j}", d, (d + off) % PEOPLE, amount)
            for j, (d, off, amount) in enumerate(chosen)
        ]
        example.sent.append(batch)
    replayed = example.expected(batch)
    requests = [example.fields(m) for m in batch]
    if replayed is None:
        hypothesis.event("refused: an overdraft")
        with pytest.raises(commgov.InsufficientFunds):
            example.book.submit(A, requests)
        return
    if all(replayed):
        hypothesis.event("all replayed")
    views = example.book.submit(A, requests)
    assert [v.replayed for v in views] == replayed
    example.applied |= {m[0]: m for m in batch}


def check(example: Example) -> None:
    book = example.book
    assert [book.account(A, "points", c).balance for c in example.codes] == example.balances()
    assert example.stored_ids() == dict.fromkeys(example.applied, 1)
    books = book.books(A, "points")
    assert books["debits_posted"] == books["credits_posted"]
    assert books["debits_pending"] == books["credits_pending"] == 0


@pytest.mark.property
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(chosen=steps)
def test_random_batches_and_resubmissions_apply_each_client_id_once(
    any_store: commgov.Commgov, chosen: list[list[tuple[int, int, int]] | int]
) -> None:
    example = Example(next(EXAMPLES), any_store)  # fresh accounts, one store per test
    example.open()
    for each in chosen:
        step(example, each)
        check(example)
