"""A hypothesis state machine drives the ledger beside a plain-Python model of it (the oracle):
every operation must succeed or fail as the model says, and leave the same balances."""

from __future__ import annotations

import datetime as dt
import os
import unittest
from contextlib import ExitStack
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from tests.conftest import PG_ENV, SECRET, fresh_pg_schema

import commgov

A = commgov.Actor.system("machine")
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
CODES = ("system:issuance", "system:free", "r1", "r2", "r3")
IDS = tuple(f"c{i}" for i in range(12))


class Model:
    """The oracle: balances and transfers as plain dicts."""

    def __init__(self) -> None:
        self.accounts: dict[str, list[int]] = {}  # code -> [dp, cp, dq, cq]
        self.flags: dict[str, tuple[bool, bool]] = {}
        self.transfers: dict[str, tuple[Any, ...]] = {}  # client id -> what was asked
        self.pending: dict[str, dict[str, Any]] = {}  # client id -> pending transfer
        self.overdraft: tuple[str, int, int] | None = None  # the last: account, balance, amount

    def open(self, code: str) -> bool:
        if code in self.accounts:
            return False
        self.accounts[code] = [0, 0, 0, 0]
        system = code.startswith("system:")
        self.flags[code] = (not system, code == "system:issuance")
        return True

    def available(self, code: str) -> int:
        dp, cp, dq, _ = self.accounts[code]
        return cp - dp - dq

    def overdraws(self, debit: str, amount: int) -> bool:
        return self.flags[debit][0] and amount > self.available(debit)

    def fits(self, debit: str, credit: str, amount: int) -> bool:
        cdp, ccp, _, ccq = self.accounts[credit]
        return not (self.flags[credit][1] and ccp + ccq + amount > cdp)

    def move(
        self, cid: str, kind: str, debit: str, credit: str, amount: int, *, timeout_at: Any
    ) -> str:
        """'ok', 'replay', 'overdraft' (an ``InsufficientFunds``, its fields in
        ``self.overdraft``) or 'error' — applying it when 'ok'."""
        if amount <= 0 or debit == credit:
            return "error"
        asked = (kind, debit, credit, amount)
        if cid in self.transfers:
            return "replay" if self.transfers[cid] == asked else "error"
        if debit not in self.accounts or credit not in self.accounts:
            return "error"
        if self.overdraws(debit, amount):
            self.overdraft = (debit, self.available(debit), amount)
            return "overdraft"
        if not self.fits(debit, credit, amount):
            return "error"
        column = 0 if kind == "posted" else 2
        self.accounts[debit][column] += amount
        self.accounts[credit][column + 1] += amount
        self.transfers[cid] = asked
        if kind == "pending":
            self.pending[cid] = {
                "debit": debit,
                "credit": credit,
                "amount": amount,
                "state": "pending",
                "timeout_at": timeout_at,
            }
        return "ok"

    def close(self, cid: str, kind: str, target: str, amount: int, now: dt.datetime) -> str:
        asked = (kind, target, amount)
        if cid in self.transfers:
            return "replay" if self.transfers[cid] == asked else "error"
        held = self.pending.get(target)
        if held is None or held["state"] != "pending":
            return "error"
        if held["timeout_at"] is not None and held["timeout_at"] <= now:
            return "error"
        if amount > held["amount"]:
            return "error"
        self._release(held)
        if kind == "post":
            self.accounts[held["debit"]][0] += amount
            self.accounts[held["credit"]][1] += amount
        held["state"] = kind
        self.transfers[cid] = asked
        return "ok"

    def _release(self, held: dict[str, Any]) -> None:
        self.accounts[held["debit"]][2] -= held["amount"]
        self.accounts[held["credit"]][3] -= held["amount"]

    def expire(self, now: dt.datetime) -> int:
        due = [
            h
            for h in self.pending.values()
            if h["state"] == "pending" and h["timeout_at"] is not None and h["timeout_at"] <= now
        ]
        for held in due:
            self._release(held)
            held["state"] = "expired"
        return len(due)


class LedgerMachine(RuleBasedStateMachine):
    url_factory: Any = None

    def __init__(self) -> None:
        super().__init__()
        self.stack = ExitStack()
        url = self.stack.enter_context(type(self).url_factory())
        self.now = START
        self.cg = self.stack.enter_context(
            commgov.open(url, secret_key=SECRET, discover_plugins=False, clock=lambda: self.now)
        )
        self.model = Model()
        self.results: dict[str, Any] = {}

    def teardown(self) -> None:
        self.stack.close()

    def _run(
        self,
        expected: str,
        call: Any,
        overdraft: tuple[str, int, int] | None = None,
        context: str | None = None,
    ) -> None:
        """``call`` must do what the model expects; an expected ``overdraft`` must be an
        ``InsufficientFunds`` with these fields (and ``context``, inside a batch), and no
        other refusal may be one."""
        event(f"expected {expected}")
        try:
            result = call()
        except commgov.CommgovError as exc:
            refused = ("error", "overdraft")
            assert expected in refused, f"the ledger refused what the model accepts ({expected})"
            insufficient = isinstance(exc, commgov.InsufficientFunds)
            assert insufficient == (expected == "overdraft"), f"{expected}, but {exc!r}"
            if isinstance(exc, commgov.InsufficientFunds):
                assert (exc.account, exc.balance, exc.amount) == overdraft
                assert isinstance(exc, commgov.ValidationError) and exc.field == "amount"
                if context is not None:
                    assert exc.context == context
            return
        assert expected not in ("error", "overdraft"), "the ledger accepted what the model refuses"
        for view in result if isinstance(result, list) else [result]:
            if expected == "replay":
                assert view.replayed and self.results[view.client_id] == view.id
            else:
                self.results[view.client_id] = view.id

    @initialize()
    def seed(self) -> None:
        for code in CODES:
            self.model.open(code)
            kind = "system" if code.startswith("system:") else "resident"
            self.cg.ledger.open_account(A, ledger="points", code=code, kind=kind)

    @rule(code=st.sampled_from(CODES))
    def open_again(self, code: str) -> None:
        assert not self.model.open(code)
        with pytest.raises(commgov.ConflictError):
            self.cg.ledger.open_account(A, ledger="points", code=code, kind="resident")

    @rule(
        cid=st.sampled_from(IDS),
        debit=st.sampled_from((*CODES, "ghost")),
        credit=st.sampled_from(CODES),
        amount=st.integers(-5, 150),
        pending=st.booleans(),
        timeout=st.sampled_from((None, 1, 3)),
    )
    def transfer(
        self, *, cid: str, debit: str, credit: str, amount: int, pending: bool, timeout: int | None
    ) -> None:
        kind = "pending" if pending else "posted"
        hours = dt.timedelta(hours=timeout) if pending and timeout else None
        expected = self.model.move(
            cid, kind, debit, credit, amount, timeout_at=self.now + hours if hours else None
        )
        self._run(
            expected,
            lambda: self.cg.ledger.transfer(
                A,
                client_id=cid,
                ledger="points",
                debit=debit,
                credit=credit,
                amount=amount,
                reason="r",
                kind=kind,
                timeout=hours,
            ),
            overdraft=self.model.overdraft,
        )

    @rule(
        cid=st.sampled_from(IDS),
        held_id=st.sampled_from(IDS),
        amount=st.integers(1, 150),
        post=st.booleans(),
    )
    def close(self, cid: str, held_id: str, amount: int, post: bool) -> None:
        kind = "post" if post else "void"
        if kind == "void":
            held = self.model.pending.get(held_id)
            amount = held["amount"] if held else 1
        expected = self.model.close(cid, kind, held_id, amount if kind == "post" else 0, self.now)

        def call() -> Any:
            if kind == "post":
                return self.cg.ledger.post(
                    A, client_id=cid, ledger="points", pending=held_id, amount=amount, reason="post"
                )
            return self.cg.ledger.void(
                A, client_id=cid, ledger="points", pending=held_id, reason="void"
            )

        self._run(expected, call)

    @rule(hours=st.integers(1, 2))
    def expire(self, hours: int) -> None:
        self.now += dt.timedelta(hours=hours)
        assert self.cg.ledger.expire_pending(A) == self.model.expire(self.now)

    @rule(
        first=st.tuples(st.sampled_from(CODES), st.sampled_from(CODES), st.integers(1, 120)),
        second=st.tuples(st.sampled_from(CODES), st.sampled_from(CODES), st.integers(1, 120)),
        tag=st.integers(0, 10**6),
    )
    def linked(self, first: tuple[str, str, int], second: tuple[str, str, int], tag: int) -> None:
        trial = Model()
        trial.accounts = {k: list(v) for k, v in self.model.accounts.items()}
        trial.flags, trial.transfers = dict(self.model.flags), dict(self.model.transfers)
        trial.pending = {k: dict(v) for k, v in self.model.pending.items()}
        ids = (f"L{tag}a", f"L{tag}b")
        outcomes, overdrafts = [], []
        for cid, (d, c, a) in zip(ids, (first, second), strict=True):
            outcomes.append(trial.move(cid, "posted", d, c, a, timeout_at=None))
            overdrafts.append(trial.overdraft)
        ok = all(o == "ok" for o in outcomes)
        if ok:
            self.model = trial
        batch = [
            {
                "client_id": cid,
                "ledger": "points",
                "debit": d,
                "credit": c,
                "amount": a,
                "reason": "r",
            }
            for cid, (d, c, a) in zip(ids, (first, second), strict=True)
        ]
        if ids[0] in self.model.transfers and not ok:
            return  # a reused tag: skip rather than model partial replays
        if ok:
            self._run("ok", lambda: self.cg.ledger.submit(A, batch))
            return
        failed = next(i for i, o in enumerate(outcomes) if o != "ok")  # the batch stops there
        self._run(
            "overdraft" if outcomes[failed] == "overdraft" else "error",
            lambda: self.cg.ledger.submit(A, batch),
            overdraft=overdrafts[failed],
            context=f"transfer {failed} (client_id {ids[failed]!r})",
        )

    @invariant()
    def books_balance_and_match_the_model(self) -> None:
        books = self.cg.ledger.books(A, "points")
        assert books["debits_posted"] == books["credits_posted"]
        assert books["debits_pending"] == books["credits_pending"]
        for code, (dp, cp, dq, cq) in self.model.accounts.items():
            account = self.cg.ledger.account(A, "points", code)
            assert (
                account.debits_posted,
                account.credits_posted,
                account.debits_pending,
                account.credits_pending,
            ) == (dp, cp, dq, cq), code
            if account.no_overdraft:
                assert account.debits_posted + account.debits_pending <= account.credits_posted
            if account.no_positive:
                assert account.credits_posted + account.credits_pending <= account.debits_posted


def _sqlite() -> Any:
    from contextlib import nullcontext

    return nullcontext("sqlite:///:memory:")


class SQLiteLedgerMachine(LedgerMachine):
    url_factory = staticmethod(_sqlite)


class PostgresLedgerMachine(LedgerMachine):
    url_factory = staticmethod(lambda: fresh_pg_schema(os.environ[PG_ENV]))


TestLedgerOnSQLite = SQLiteLedgerMachine.TestCase
TestLedgerOnSQLite.settings = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

TestLedgerOnPostgres = unittest.skipUnless(os.environ.get(PG_ENV), f"{PG_ENV} is not set")(
    PostgresLedgerMachine.TestCase
)
TestLedgerOnPostgres.settings = settings(
    max_examples=12,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
