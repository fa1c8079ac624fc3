"""Accounts, transfers and pending transfers of the double-entry ledger, for one unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    and_,
    any_,
    bindparam,
    case,
    func,
    insert,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError

from commgov.kernel.driver import Send, driver_errors, fetch_rows, pipelined
from commgov.kernel.ids import IdBlocks, reserve_ids
from commgov.kernel.outbox import Event, outbox_rows
from commgov.kernel.repository import Repository
from commgov.kernel.tables import outbox_events
from commgov.kernel.times import stored
from commgov.ledger.model import (
    POSTING_KINDS,
    TRANSFER_EVENTS,
    Account,
    CapKey,
    Transfer,
    transfer_aggregate,
    transfer_payload,
)
from commgov.ledger.repository.statements import (
    ACCOUNT_COLUMNS,
    account_code,
    batch_parameters,
    lock_by_code,
    lock_parameters,
    write_batch,
)
from commgov.ledger.tables import ledger_accounts as accounts
from commgov.ledger.tables import ledger_pending as pending
from commgov.ledger.tables import ledger_transfers as transfers
from commgov.people.tables import residents

RETRY_STATES: Final = {"40001", "40P01", "23505"}  # serialization, deadlock, a racing duplicate


def is_transient(exc: BaseException) -> bool:
    """Is ``exc`` a database error that a retry of the whole unit of work may get past (a
    serialization failure, a deadlock, a racing duplicate key, on PostgreSQL)?"""
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in RETRY_STATES


# The statements every transfer runs, built once (building them is a good share of the cost of
# a single transfer). On SQLite lists go in as expanding parameters; on PostgreSQL as one array
# each (``= ANY(…)``), so the statement's text and plan do not change with their length.
_c = accounts.c
_ACCOUNT_COLUMNS = [accounts.c[name] for name in ACCOUNT_COLUMNS]


def _among(column: Any, name: str, item: Any) -> dict[str, ColumnElement[bool]]:
    """``column IN (…)`` for SQLite and ``column = ANY(:name)`` for PostgreSQL, by dialect."""
    return {
        "sqlite": column.in_(bindparam(name, expanding=True)),
        "postgresql": column == any_(bindparam(name, type_=ARRAY(item))),
    }


_BY_CLIENT = {
    dialect: select(transfers).where(transfers.c.ledger == bindparam("ledger"), among)
    for dialect, among in _among(transfers.c.client_id, "client_ids", String).items()
}
_BY_CODE = {
    dialect: select(*_ACCOUNT_COLUMNS)
    .where(_c.ledger == bindparam("ledger"), among)
    .order_by(_c.id)
    for dialect, among in _among(_c.code, "codes", String).items()
}
_BY_ID = {
    dialect: select(*_ACCOUNT_COLUMNS).where(among).order_by(_c.id)
    for dialect, among in _among(_c.id, "ids", Integer).items()
}
_LOCK_BY_ID = _BY_ID["postgresql"].with_for_update()
_ADD_TO_BALANCES = (
    update(accounts)
    .where(_c.id == bindparam("account"))
    .values(
        debits_posted=_c.debits_posted + bindparam("dp"),
        credits_posted=_c.credits_posted + bindparam("cp"),
        debits_pending=_c.debits_pending + bindparam("dq"),
        credits_pending=_c.credits_pending + bindparam("cq"),
    )
)
_INSERT_TRANSFERS = insert(transfers)
_INSERT_EVENTS = insert(outbox_events)
_PENDING_STATES = {
    dialect: select(pending.c.transfer_id, pending.c.state).where(among)
    for dialect, among in _among(pending.c.transfer_id, "ids", Integer).items()
}


if Transfer._fields != tuple(transfers.c.keys()):  # pragma: no cover - a schema change
    raise RuntimeError("commgov.ledger.model.Transfer must list ledger_transfers' columns in order")


def account_of(row: Any) -> Account:
    """An ``Account`` from a row of ``ledger_accounts`` (positional: it runs for every locked
    account)."""
    return Account(
        row.id,
        row.ledger,
        row.code,
        row.kind,
        row.no_overdraft,
        row.no_positive,
        row.debits_posted,
        row.credits_posted,
        row.debits_pending,
        row.credits_pending,
        row.unit_id,
        row.resident_id,
    )


_make = Transfer._make


def _transfer(row: Any) -> Transfer:
    """A row of ``select(ledger_transfers)``, column by column, its times aware in UTC."""
    t = _make(row)
    timeout_at = None if t.timeout_at is None else stored(t.timeout_at)
    return t._replace(created_at=stored(t.created_at), timeout_at=timeout_at)


def _events(rows: Sequence[Transfer], accounts: Mapping[int, Account]) -> list[Event]:
    """The outbox event of each new transfer (``transfer_payload``), in order."""
    events = []
    for t in rows:
        debit, credit = account_code(accounts, t.debit_id), account_code(accounts, t.credit_id)
        aggregate = transfer_aggregate(t.debit_id, t.credit_id)
        events.append(Event(TRANSFER_EVENTS[t.kind], aggregate, transfer_payload(t, debit, credit)))
    return events


def _transfer_values(t: Transfer) -> dict[str, Any]:
    return {
        "id": t.id,
        "ledger": t.ledger,
        "client_id": t.client_id,
        "kind": t.kind,
        "debit_id": t.debit_id,
        "credit_id": t.credit_id,
        "amount": t.amount,
        "reason": t.reason,
        "actor": t.actor,
        "pending_id": t.pending_id,
        "reverses_id": t.reverses_id,
        "timeout_at": t.timeout_at,
        "created_at": t.created_at,
    }


def transfer_ids() -> IdBlocks:
    """The store's allocator of transfer ids (``IdBlocks``): the ledger service keeps one and
    passes it to ``LedgerRepository.reserve_transfer_ids``."""
    return IdBlocks(transfers)


_t = transfers.c
_EARNED = select(
    _t.credit_id.label("account"),
    _t.reason.label("reason"),
    case((_t.created_at >= bindparam("day"), _t.amount), else_=0).label("day"),
    case((_t.created_at >= bindparam("month"), _t.amount), else_=0).label("month"),
).where(
    _t.kind.in_(POSTING_KINDS),
    _t.credit_id.in_(bindparam("ids", expanding=True)),
    _t.reason.in_(bindparam("reasons", expanding=True)),
    _t.created_at >= bindparam("since"),
)
_undo, _earning = transfers.alias("undo"), transfers.alias("earning")
_UNDONE = (
    select(
        _earning.c.credit_id,
        _earning.c.reason,
        -case((_earning.c.created_at >= bindparam("day"), _undo.c.amount), else_=0),
        -case((_earning.c.created_at >= bindparam("month"), _undo.c.amount), else_=0),
    )
    .select_from(_undo.join(_earning, _earning.c.id == _undo.c.reverses_id))
    .where(
        _undo.c.kind.in_(POSTING_KINDS),
        _undo.c.debit_id.in_(bindparam("ids", expanding=True)),
        _undo.c.created_at >= bindparam("since"),
        _earning.c.reason.in_(bindparam("reasons", expanding=True)),
        _earning.c.created_at >= bindparam("since"),
    )
)
"""Reversals of earnings in the window (an attendance corrected): what they took back does
not count towards the caps. A reversal comes after its earning, so the debit index finds it."""
_ALL_EARNED = union_all(_EARNED, _UNDONE).subquery()
_EARNED_SINCE = select(
    _ALL_EARNED.c.account,
    _ALL_EARNED.c.reason,
    func.sum(_ALL_EARNED.c.day),
    func.sum(_ALL_EARNED.c.month),
).group_by(_ALL_EARNED.c.account, _ALL_EARNED.c.reason)
"""Built once (with its values bound at each call): built anew it cost more than it ran."""


class LedgerRepository(Repository):
    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._send: Send = self._execute

    # -- accounts -------------------------------------------------------------------------
    def add_account(
        self,
        *,
        ledger: str,
        code: str,
        kind: str,
        unit_id: int | None,
        resident_id: int | None,
        no_overdraft: bool,
        no_positive: bool,
        now: dt.datetime,
    ) -> Account:
        """Open an account with zero balances."""
        values = {
            "ledger": ledger,
            "code": code,
            "kind": kind,
            "unit_id": unit_id,
            "resident_id": resident_id,
            "no_overdraft": no_overdraft,
            "no_positive": no_positive,
            "debits_posted": 0,
            "credits_posted": 0,
            "debits_pending": 0,
            "credits_pending": 0,
            "created_at": now,
        }
        stmt = insert(accounts).returning(accounts.c.id)
        account_id = int(self.conn.execute(stmt, values).scalar_one())
        return Account(
            id=account_id,
            ledger=ledger,
            code=code,
            kind=kind,
            no_overdraft=no_overdraft,
            no_positive=no_positive,
            unit_id=unit_id,
            resident_id=resident_id,
        )

    def accounts_by_code(self, ledger: str, codes: Iterable[str]) -> dict[str, Account]:
        """The accounts with these codes that exist, by code (read, not locked)."""
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        rows = self.conn.execute(_BY_CODE[self.dialect], {"ledger": ledger, "codes": wanted})
        return {row.code: Account(*row) for row in rows}

    def lock(self, ids: Iterable[int]) -> dict[int, Account]:
        """Load accounts for update, in id order (so concurrent writers never deadlock)."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        # SQLite's writer holds the database lock already
        query = _LOCK_BY_ID if self.dialect == "postgresql" else _BY_ID["sqlite"]
        rows = self.conn.execute(query, {"ids": wanted})
        return {row[0]: Account(*row) for row in rows}

    def lock_codes(self, ledger: str, codes: Iterable[str]) -> dict[int, Account]:
        """Load the accounts with these codes for update, in id order (the query's: the codes
        need no order)."""
        wanted = list(set(codes))
        if not wanted:
            return {}
        rows: Iterable[Any] = (
            fetch_rows(self.conn, lock_by_code(len(wanted)), lock_parameters(ledger, wanted))
            if self.dialect == "postgresql"
            else self.conn.execute(_BY_CODE["sqlite"], {"ledger": ledger, "codes": wanted})
        )
        return {row[0]: Account(*row) for row in rows}

    def add_to_balances(self, deltas: Mapping[int, Sequence[int]]) -> None:
        """Add (debits_posted, credits_posted, debits_pending, credits_pending) per account, in
        one statement executed for every account (in id order)."""
        if not deltas:
            return
        rows = [
            {"account": k, "dp": v[0], "cp": v[1], "dq": v[2], "cq": v[3]}
            for k, v in sorted(deltas.items())
        ]
        self.conn.execute(_ADD_TO_BALANCES, rows)

    def write_batch(
        self,
        rows: Sequence[Transfer],
        *,
        opened: Sequence[int],
        deltas: Mapping[int, Sequence[int]],
        accounts: Mapping[int, Account],
    ) -> None:
        """Write a batch: its new transfers, the pending ones it ``opened`` (by id), the
        balance changes (``deltas``: debits and credits posted, then pending, per account) and
        an outbox event per transfer (``accounts`` by id give the events their codes). On
        PostgreSQL one statement from arrays (a client id used before conflicts there, before
        anything is kept); on SQLite one per table."""
        changes = sorted((k, v) for k, v in deltas.items() if any(v))
        if self.dialect != "postgresql":
            self.add_transfers(rows)
            self.open_pending(opened)
            self.add_to_balances(dict(changes))
            if rows:
                events = outbox_rows(rows[0].created_at, _events(rows, accounts))
                self.conn.execute(_INSERT_EVENTS, events)
            return
        if rows or changes:
            params, same = batch_parameters(rows, opened=opened, changes=changes, accounts=accounts)
            statement = write_batch(
                rows=len(rows), opens=len(opened), changes=len(changes), same=same
            )
            self._send(statement, params)

    @contextmanager
    def sending(self) -> Iterator[None]:
        """While open, ``write_batch`` on PostgreSQL sends its statement without waiting for
        the answer (``commgov.kernel.pipeline``): errors are raised when it closes. SQLite
        writes at once."""
        if self.dialect != "postgresql":
            yield
            return
        with pipelined(self.conn) as send:
            self._send = send
            try:
                yield
            finally:
                self._send = self._execute

    def _execute(self, statement: str, params: Mapping[str, Any]) -> None:
        with driver_errors(self.conn) as driver:
            driver.execute(statement, params)

    def code_of(self, account_id: int) -> str:
        query = select(accounts.c.code).where(accounts.c.id == account_id)
        return str(self.conn.execute(query).scalar_one())

    def accounts_of_residents(self, ledger: str, resident_ids: Iterable[int]) -> dict[int, Account]:
        """The accounts of these residents on ``ledger``, by resident id (read, not locked)."""
        wanted = sorted(set(resident_ids))
        found: dict[int, Account] = {}
        for start in range(0, len(wanted), 900):
            query = select(accounts).where(
                accounts.c.ledger == ledger,
                accounts.c.resident_id.in_(wanted[start : start + 900]),
                accounts.c.kind == "resident",
            )
            for row in self.conn.execute(query):
                found[int(row.resident_id)] = account_of(row)
        return found

    def rehome_resident(self, resident_id: int, unit_id: int) -> int:
        """Move the accounts of a resident to the unit they live in now; how many moved."""
        result = self.conn.execute(
            update(accounts)
            .where(accounts.c.resident_id == resident_id, accounts.c.unit_id != unit_id)
            .values(unit_id=unit_id)
        )
        return int(result.rowcount)

    def accounts_of_kind(self, ledger: str, kind: str) -> list[Account]:
        query = select(accounts).where(accounts.c.ledger == ledger, accounts.c.kind == kind)
        return [account_of(row) for row in self.conn.execute(query.order_by(accounts.c.id))]

    def books(self, ledger: str) -> tuple[int, int, int, int]:
        """Σ debits and Σ credits, posted and pending, over every account of ``ledger``."""
        c = accounts.c
        query = select(
            func.coalesce(func.sum(c.debits_posted), 0),
            func.coalesce(func.sum(c.credits_posted), 0),
            func.coalesce(func.sum(c.debits_pending), 0),
            func.coalesce(func.sum(c.credits_pending), 0),
        ).where(c.ledger == ledger)
        row = self.conn.execute(query).one()
        return int(row[0]), int(row[1]), int(row[2]), int(row[3])

    # -- transfers ------------------------------------------------------------------------
    def transfers_by_client(self, ledger: str, client_ids: Iterable[str]) -> dict[str, Transfer]:
        """The transfers with these client ids on ``ledger``, by client id."""
        wanted = sorted(set(client_ids))
        found: dict[str, Transfer] = {}
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            query = _BY_CLIENT[self.dialect]
            rows = self.conn.execute(query, {"ledger": ledger, "client_ids": chunk})
            found.update({row.client_id: _transfer(row) for row in rows})
        return found

    def client_ids_of(self, transfer_ids: Iterable[int]) -> dict[int, str]:
        """The client ids of these transfers, by transfer id."""
        wanted = sorted(set(transfer_ids))
        if not wanted:
            return {}
        query = select(transfers.c.id, transfers.c.client_id).where(transfers.c.id.in_(wanted))
        return {int(i): str(c) for i, c in self.conn.execute(query)}

    def client_id_of(self, transfer_id: int) -> str:
        query = select(transfers.c.client_id).where(transfers.c.id == transfer_id)
        return str(self.conn.execute(query).scalar_one())

    def reversed_among(self, ids: Sequence[int]) -> set[int]:
        """Which of these transfers some later transfer reverses."""
        if not ids:
            return set()
        query = select(transfers.c.reverses_id).where(transfers.c.reverses_id.in_(sorted(set(ids))))
        return {int(i) for i in self.conn.execute(query).scalars()}

    def reserve_transfer_ids(self, n: int, blocks: IdBlocks | None = None) -> list[int]:
        """``n`` fresh transfer ids, from ``blocks`` when given (the store's allocator)."""
        if blocks is not None:
            return blocks.take(self.conn, n)
        return reserve_ids(self.conn, transfers, n)

    def add_transfers(self, rows: Sequence[Transfer]) -> None:
        if rows:
            self.conn.execute(_INSERT_TRANSFERS, [_transfer_values(t) for t in rows])

    def pending_states(self, transfer_ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(transfer_ids))
        if not wanted:
            return {}
        rows = self.conn.execute(_PENDING_STATES[self.dialect], {"ids": wanted})
        return {row.transfer_id: row.state for row in rows}

    def open_pending(self, transfer_ids: Sequence[int]) -> None:
        """Record these new transfers as pending."""
        if transfer_ids:
            rows = [{"transfer_id": i, "state": "pending", "closed_by": None} for i in transfer_ids]
            self.conn.execute(insert(pending), rows)

    def close_pending(self, transfer_id: int, state: str, closed_by: int) -> bool:
        """Close a pending transfer that is still open; ``False`` when it was not."""
        result = self.conn.execute(
            update(pending)
            .where(pending.c.transfer_id == transfer_id, pending.c.state == "pending")
            .values(state=state, closed_by=closed_by)
        )
        return result.rowcount == 1

    def timed_out(self, now: dt.datetime) -> list[Transfer]:
        """Pending transfers still open whose timeout is at or before ``now``."""
        query = (
            select(transfers)
            .join(pending, pending.c.transfer_id == transfers.c.id)
            .where(pending.c.state == "pending", transfers.c.timeout_at <= now)
            .order_by(transfers.c.id)
        )
        return [_transfer(row) for row in self.conn.execute(query)]

    def history(
        self,
        account_id: int,
        *,
        until: dt.datetime | None = None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[Transfer]:
        """The account's transfers, oldest first (up to ``until``); ``after_id`` continues
        after that transfer (by time, then id), ``limit`` caps the rows."""
        query = select(transfers).where(
            or_(transfers.c.debit_id == account_id, transfers.c.credit_id == account_id)
        )
        if until is not None:
            query = query.where(transfers.c.created_at <= until)
        if after_id is not None:
            last = select(transfers.c.created_at).where(transfers.c.id == after_id)
            at = last.scalar_subquery()
            query = query.where(
                or_(
                    transfers.c.created_at > at,
                    and_(transfers.c.created_at == at, transfers.c.id > after_id),
                )
            )
        query = query.order_by(transfers.c.created_at, transfers.c.id).limit(limit)
        return [_transfer(row) for row in self.conn.execute(query)]

    def history_holds(self, account_id: int, transfer_id: int) -> bool:
        """Is ``transfer_id`` a transfer of the account?"""
        query = select(transfers.c.id).where(
            transfers.c.id == transfer_id,
            or_(transfers.c.debit_id == account_id, transfers.c.credit_id == account_id),
        )
        return self.conn.execute(query).first() is not None

    def posted_sum(
        self,
        *,
        credit_id: int | None = None,
        debit_id: int | None = None,
        reason: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        exclude_reason: str | None = None,
    ) -> int:
        """Sum of posted amounts matching the filters."""
        t = transfers.c
        conditions: list[ColumnElement[bool]] = [t.kind.in_(POSTING_KINDS)]
        if credit_id is not None:
            conditions.append(t.credit_id == credit_id)
        if debit_id is not None:
            conditions.append(t.debit_id == debit_id)
        if reason is not None:
            conditions.append(t.reason == reason)
        if exclude_reason is not None:
            conditions.append(t.reason != exclude_reason)
        if since is not None:
            conditions.append(t.created_at >= since)
        if until is not None:
            conditions.append(t.created_at < until)
        query = select(func.coalesce(func.sum(t.amount), 0)).where(and_(*conditions))
        return int(self.conn.execute(query).scalar_one())

    def earned_by_resident(
        self,
        source_id: int,
        unit_ids: Sequence[int],
        *,
        since: dt.datetime,
        until: dt.datetime,
    ) -> list[tuple[int, int]]:
        """``(resident_id, amount)``: what the accounts of the residents of ``unit_ids`` were
        credited from ``source_id`` (the issuance account) by postings from ``since`` up to
        (not including) ``until``."""
        living = select(residents.c.id).where(residents.c.unit_id.in_(sorted(set(unit_ids))))
        t = transfers.c
        query = (
            select(accounts.c.resident_id, func.sum(t.amount))
            .join(accounts, accounts.c.id == t.credit_id)
            .where(
                t.kind.in_(POSTING_KINDS),
                t.debit_id == source_id,
                t.created_at >= since,
                t.created_at < until,
                accounts.c.resident_id.in_(living),
            )
            .group_by(accounts.c.resident_id)
        )
        return [(int(r), int(a)) for r, a in self.conn.execute(query)]

    def credited_from(
        self, source_id: int, account_ids: Iterable[int], *, until: dt.datetime | None = None
    ) -> dict[int, int]:
        """Per account: what it was credited from ``source_id`` by postings (before
        ``until``)."""
        wanted = sorted(set(account_ids))
        if not wanted:
            return {}
        t = transfers.c
        query = (
            select(t.credit_id, func.sum(t.amount))
            .where(t.kind.in_(POSTING_KINDS), t.debit_id == source_id, t.credit_id.in_(wanted))
            .group_by(t.credit_id)
        )
        if until is not None:
            query = query.where(t.created_at < until)
        return {int(i): int(a) for i, a in self.conn.execute(query)}

    def earned_by(self, transfer: Transfer, since: dt.datetime) -> int:
        """Posted amounts to ``transfer``'s credit account with its reason, written from
        ``since`` up to and including ``transfer`` (at its time, those of its batch before it)."""
        t = transfers.c
        query = select(func.coalesce(func.sum(t.amount), 0)).where(
            t.kind.in_(POSTING_KINDS),
            t.credit_id == transfer.credit_id,
            t.reason == transfer.reason,
            t.created_at >= since,
            or_(
                t.created_at < transfer.created_at,
                and_(t.created_at == transfer.created_at, t.id <= transfer.id),
            ),
        )
        return int(self.conn.execute(query).scalar_one())

    def earned_since(
        self,
        credit_ids: Iterable[int],
        reasons: Iterable[str],
        day: dt.datetime,
        month: dt.datetime,
    ) -> dict[CapKey, tuple[int, int]]:
        """Posted amounts per (credit account, reason) since ``day`` and since ``month``, less
        what reversals of them took back, in one query."""
        wanted_ids, wanted_reasons = sorted(set(credit_ids)), sorted(set(reasons))
        if not wanted_ids or not wanted_reasons:
            return {}
        values = {
            "ids": wanted_ids,
            "reasons": wanted_reasons,
            "day": day,
            "month": month,
            "since": min(day, month),
        }
        return {
            (int(row[0]), str(row[1])): (int(row[2]), int(row[3]))
            for row in self.conn.execute(_EARNED_SINCE, values)
        }
