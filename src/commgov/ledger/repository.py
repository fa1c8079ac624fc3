"""Loading and saving ledger rows for one unit of work."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)

from commgov.kernel.ids import reserve_ids
from commgov.ledger.model import Account
from commgov.ledger.tables import ledger_accounts as accounts
from commgov.ledger.tables import ledger_pending as pending
from commgov.ledger.tables import ledger_transfers as transfers
from commgov.ledger.tables import timebank_services
from commgov.people.tables import residents, units

POSTING_KINDS = ("posted", "post")

# The statements every transfer runs, built once (building them is a good share of the cost of
# a single transfer); lists go in as expanding parameters.
_c = accounts.c
_BY_CLIENT = select(transfers).where(
    transfers.c.ledger == bindparam("ledger"),
    transfers.c.client_id.in_(bindparam("client_ids", expanding=True)),
)
_BY_CODE = (
    select(accounts)
    .where(_c.ledger == bindparam("ledger"), _c.code.in_(bindparam("codes", expanding=True)))
    .order_by(_c.id)
)
_BY_ID = select(accounts).where(_c.id.in_(bindparam("ids", expanding=True))).order_by(_c.id)
_LOCKING = {id(q): q.with_for_update() for q in (_BY_CODE, _BY_ID)}  # PostgreSQL's
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
_PENDING_STATES = select(pending.c.transfer_id, pending.c.state).where(
    pending.c.transfer_id.in_(bindparam("ids", expanding=True))
)


def account(row: Any) -> Account:
    return Account(
        id=row.id,
        ledger=row.ledger,
        code=row.code,
        kind=row.kind,
        no_overdraft=row.no_overdraft,
        no_positive=row.no_positive,
        debits_posted=row.debits_posted,
        credits_posted=row.credits_posted,
        debits_pending=row.debits_pending,
        credits_pending=row.credits_pending,
    )


class IdBlocks:
    """Transfer ids taken from PostgreSQL's sequence a block at a time and handed out from
    memory. A sequence never gives the same value twice, committed or not, so ids stay unique
    across threads and processes (with gaps). SQLite numbers rows under its write lock and
    takes no blocks."""

    def __init__(self, block: int = 64) -> None:
        self.block = block
        self._free: list[int] = []
        self._lock = threading.Lock()

    def take(self, conn: Connection, n: int) -> list[int]:
        if conn.dialect.name != "postgresql" or n >= self.block:
            return reserve_ids(conn, transfers, n)
        with self._lock:
            if len(self._free) < n:
                self._free.extend(reserve_ids(conn, transfers, self.block))
            taken, self._free = self._free[:n], self._free[n:]
        return taken


class LedgerRepository:
    def __init__(self, conn: Connection, ids: IdBlocks | None = None) -> None:
        self.conn = conn
        self.ids = ids

    # -- accounts -------------------------------------------------------------------------
    def add_account(self, values: Mapping[str, Any]) -> int:
        stmt = insert(accounts).returning(accounts.c.id)
        return int(self.conn.execute(stmt, dict(values)).scalar_one())

    def account_rows(self, ledger: str, codes: Iterable[str]) -> dict[str, Any]:
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        rows = self.conn.execute(_BY_CODE, {"ledger": ledger, "codes": wanted})
        return {row.code: row for row in rows}

    def _for_update(self, query: Select[Any]) -> Select[Any]:
        """The query as ``SELECT … FOR UPDATE`` on PostgreSQL (SQLite's writer holds the
        database lock already)."""
        return _LOCKING[id(query)] if self.conn.dialect.name == "postgresql" else query

    def lock(self, ids: Iterable[int]) -> dict[int, Account]:
        """Load accounts for update, in id order (so concurrent writers never deadlock)."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.conn.execute(self._for_update(_BY_ID), {"ids": wanted})
        return {row.id: account(row) for row in rows}

    def lock_codes(self, ledger: str, codes: Iterable[str]) -> dict[int, Account]:
        """Load the accounts with these codes for update, in id order."""
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        rows = self.conn.execute(self._for_update(_BY_CODE), {"ledger": ledger, "codes": wanted})
        return {row.id: account(row) for row in rows}

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

    def code_of(self, account_id: int) -> str:
        query = select(accounts.c.code).where(accounts.c.id == account_id)
        return str(self.conn.execute(query).scalar_one())

    def accounts_of_kind(self, ledger: str, kind: str) -> list[Any]:
        query = select(accounts).where(accounts.c.ledger == ledger, accounts.c.kind == kind)
        return list(self.conn.execute(query.order_by(accounts.c.id)))

    def accounts_of_resident(self, resident_id: int) -> list[Account]:
        query = select(accounts).where(accounts.c.resident_id == resident_id)
        return [account(r) for r in self.conn.execute(query)]

    def accounts_under(
        self, ledger: str, unit_ids: Sequence[int], resident_ids: Sequence[int]
    ) -> list[Any]:
        query = select(accounts).where(
            accounts.c.ledger == ledger,
            or_(accounts.c.unit_id.in_(unit_ids), accounts.c.resident_id.in_(resident_ids)),
        )
        return list(self.conn.execute(query))

    # -- transfers ------------------------------------------------------------------------
    def transfers_by_client(self, ledger: str, client_ids: Iterable[str]) -> dict[str, Any]:
        wanted = sorted(set(client_ids))
        found: dict[str, Any] = {}
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            rows = self.conn.execute(_BY_CLIENT, {"ledger": ledger, "client_ids": chunk})
            found.update({row.client_id: row for row in rows})
        return found

    def reversed_among(self, ids: Sequence[int]) -> set[int]:
        """Which of these transfers some later transfer reverses."""
        if not ids:
            return set()
        query = select(transfers.c.reverses_id).where(transfers.c.reverses_id.in_(sorted(set(ids))))
        return set(self.conn.execute(query).scalars())

    def reserve_transfer_ids(self, n: int) -> list[int]:
        if self.ids is not None:
            return self.ids.take(self.conn, n)
        return reserve_ids(self.conn, transfers, n)

    def add_transfers(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.conn.execute(_INSERT_TRANSFERS, list(rows))

    def pending_states(self, transfer_ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(transfer_ids))
        if not wanted:
            return {}
        rows = self.conn.execute(_PENDING_STATES, {"ids": wanted})
        return {row.transfer_id: row.state for row in rows}

    def open_pending(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(pending), list(rows))

    def close_pending(self, transfer_id: int, state: str, closed_by: int) -> bool:
        """Close a pending transfer that is still open; ``False`` when it was not."""
        result = self.conn.execute(
            update(pending)
            .where(pending.c.transfer_id == transfer_id, pending.c.state == "pending")
            .values(state=state, closed_by=closed_by)
        )
        return result.rowcount == 1

    def timed_out(self, now: dt.datetime) -> list[Any]:
        query = (
            select(transfers)
            .join(pending, pending.c.transfer_id == transfers.c.id)
            .where(pending.c.state == "pending", transfers.c.timeout_at <= now)
            .order_by(transfers.c.id)
        )
        return list(self.conn.execute(query))

    def history(self, account_id: int, *, until: dt.datetime | None = None) -> list[Any]:
        query = select(transfers).where(
            or_(transfers.c.debit_id == account_id, transfers.c.credit_id == account_id)
        )
        if until is not None:
            query = query.where(transfers.c.created_at <= until)
        return list(self.conn.execute(query.order_by(transfers.c.created_at, transfers.c.id)))

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

    def earned_since(
        self, credit_ids: Sequence[int], reasons: Sequence[str], since: dt.datetime
    ) -> dict[tuple[int, str], int]:
        """Posted amounts per (credit account, reason) since ``since``."""
        if not credit_ids or not reasons:
            return {}
        t = transfers.c
        query = (
            select(t.credit_id, t.reason, func.sum(t.amount))
            .where(
                t.kind.in_(POSTING_KINDS),
                t.credit_id.in_(sorted(set(credit_ids))),
                t.reason.in_(sorted(set(reasons))),
                t.created_at >= since,
            )
            .group_by(t.credit_id, t.reason)
        )
        return {(row[0], row[1]): int(row[2]) for row in self.conn.execute(query)}

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


class TimeBankRepository:
    """Aggregates for time-bank statements (minutes served, received and held)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def people(self, unit_ids: Sequence[int]) -> dict[int, list[int]]:
        """Per resident living in ``unit_ids``: [served, received, held] minutes, for those with
        a time account or a confirmed service."""
        s = timebank_services.c
        living = select(residents.c.id).where(residents.c.unit_id.in_(sorted(set(unit_ids))))
        out: dict[int, list[int]] = {}
        for column, slot in ((s.provider_id, 0), (s.recipient_id, 1)):
            query = (
                select(column, func.sum(s.minutes))
                .where(s.state == "confirmed", column.in_(living))
                .group_by(column)
            )
            for rid, minutes in self.conn.execute(query):
                out.setdefault(int(rid), [0, 0, 0])[slot] = int(minutes)
        a = accounts.c
        query = select(a.resident_id, a.credits_posted - a.debits_posted).where(
            a.ledger == "time", a.resident_id.in_(living)
        )
        for rid, held in self.conn.execute(query):
            out.setdefault(int(rid), [0, 0, 0])[2] = int(held)
        return out

    def organisations(self, unit_ids: Sequence[int]) -> list[Any]:
        """Time accounts of organisations and partners (community pools among them) at these
        units, with their unit's code."""
        query = (
            select(accounts, units.c.code.label("unit_code"))
            .join(units, units.c.id == accounts.c.unit_id)
            .where(
                accounts.c.ledger == "time",
                accounts.c.kind.in_(("organisation", "partner")),
                accounts.c.unit_id.in_(sorted(set(unit_ids))),
            )
            .order_by(accounts.c.code)
        )
        return list(self.conn.execute(query))
