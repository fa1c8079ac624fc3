"""PostgreSQL's set-based statements of the ledger (``commgov.kernel.arrays``): the lock of a
batch's accounts by one array of codes, and the one statement that writes a batch — its
transfers, the pending holds it opens, its balance changes and an outbox event per transfer,
built by the server with ``transfer_payload``'s fields in its order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Final

from commgov.kernel.arrays import array_parameter, one_row, table_columns, unnest
from commgov.ledger.model import TRANSFER_EVENTS, Account, Transfer
from commgov.ledger.tables import ledger_accounts, ledger_transfers

ACCOUNT_COLUMNS: Final = (
    "id", "ledger", "code", "kind", "no_overdraft", "no_positive", "debits_posted",
    "credits_posted", "debits_pending", "credits_pending", "unit_id", "resident_id",
)  # fmt: skip
"""``Account``'s fields in order: a locked row becomes one positionally (``Account(*row)``)."""
LOCK_BY_CODE: Final = (
    f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM {ledger_accounts.name} "
    f"WHERE ledger = %(ledger)s AND code = ANY({array_parameter('codes', 'VARCHAR')}) "
    "ORDER BY id FOR UPDATE"
)
"""Lock a ledger's accounts by code, in id order (so concurrent writers never deadlock)."""

TRANSFER_COLUMNS: Final = tuple(ledger_transfers.c.keys())
_NEW_COLUMNS = [
    *table_columns(ledger_transfers, TRANSFER_COLUMNS, "t_"),
    ("debit_code", "t_debit_code", "VARCHAR"),
    ("credit_code", "t_credit_code", "VARCHAR"),
]
_BALANCES = [("id", "b_id", "INTEGER")] + [
    (name, f"b_{name}", "BIGINT") for name in ("dp", "cp", "dq", "cq")
]
_PAYLOAD = {
    "transfer_id": "new.id",
    "ledger": "new.ledger",
    "client_id": "new.client_id",
    "kind": "new.kind",
    "debit": "new.debit_code",
    "credit": "new.credit_code",
    "debit_id": "new.debit_id",
    "credit_id": "new.credit_id",
    "amount": "new.amount",
    "pending_id": "new.pending_id",
    "reverses_id": "new.reverses_id",
    "at": "CAST(%(at)s AS TEXT)",
}
"""``transfer_payload``'s fields, in its order, as SQL over the batch's rows."""
_WRITE_TRANSFERS = (
    f"written AS (INSERT INTO {ledger_transfers.name} ({', '.join(TRANSFER_COLUMNS)}) "
    f"SELECT {', '.join(TRANSFER_COLUMNS)} FROM new)"
)
_OPEN_PENDING = (
    "opened AS (INSERT INTO ledger_pending (transfer_id, state) SELECT transfer_id, 'pending' "
    f"FROM {unnest([('transfer_id', 'p_id', 'INTEGER')], 'p')})"
)
_ADD_BALANCES = (
    "added AS (UPDATE ledger_accounts AS a SET debits_posted = a.debits_posted + b.dp, "
    "credits_posted = a.credits_posted + b.cp, debits_pending = a.debits_pending + b.dq, "
    f"credits_pending = a.credits_pending + b.cq FROM {unnest(_BALANCES, 'b')} "
    f"WHERE a.id = b.id AND a.id = ANY({array_parameter('b_id', 'INTEGER')}))"
)
_EVENT_KIND = " ".join(f"WHEN '{kind}' THEN '{event}'" for kind, event in TRANSFER_EVENTS.items())
_WRITE_EVENTS = (
    "INSERT INTO outbox_events (at, kind, aggregate, payload) "
    f"SELECT new.created_at, CASE new.kind {_EVENT_KIND} END, "
    "'accounts:' || LEAST(new.debit_id, new.credit_id) || '-' "
    "|| GREATEST(new.debit_id, new.credit_id), row_to_json(payload) FROM new CROSS JOIN LATERAL "
    f"(SELECT {', '.join(f'{sql} AS {field}' for field, sql in _PAYLOAD.items())}) AS payload "
    "ORDER BY new.ord"
)


@cache
def write_batch(*, rows: int, opens: bool, changes: bool) -> str:
    """The statement writing a batch's ``rows`` transfers (one is bound as plain values,
    several as arrays; none: only the balance changes), with or without pending holds it
    ``opens`` and balance ``changes``."""
    if not rows:
        return _ADD_BALANCES.removeprefix("added AS (").removesuffix(")")
    new = one_row(_NEW_COLUMNS, "r") if rows == 1 else unnest(_NEW_COLUMNS, "r")
    parts = [f"new AS (SELECT * FROM {new})", _WRITE_TRANSFERS]
    parts += [_OPEN_PENDING] if opens else []
    parts += [_ADD_BALANCES] if changes else []
    return f"WITH {', '.join(parts)} {_WRITE_EVENTS}"


def batch_parameters(
    rows: Sequence[Transfer],
    *,
    opened: Sequence[int],
    changes: Sequence[tuple[int, Sequence[int]]],
    accounts: Mapping[int, Account],
) -> dict[str, Any]:
    """``write_batch``'s parameters: one value a column for one row, else one array."""
    params: dict[str, Any] = {}
    if len(rows) == 1:
        (row,) = rows
        params = {f"t_{column}": value for column, value in zip(TRANSFER_COLUMNS, row, strict=True)}
        params["t_debit_code"] = account_code(accounts, row.debit_id)
        params["t_credit_code"] = account_code(accounts, row.credit_id)
    elif rows:
        columns = zip(TRANSFER_COLUMNS, zip(*rows, strict=True), strict=True)
        params = {f"t_{column}": list(values) for column, values in columns}
        params["t_debit_code"] = [account_code(accounts, t.debit_id) for t in rows]
        params["t_credit_code"] = [account_code(accounts, t.credit_id) for t in rows]
    if rows:
        params["at"] = rows[0].created_at.isoformat()
    if opened:
        params["p_id"] = list(opened)
    if changes:
        params["b_id"] = [k for k, _ in changes]
        for i, (name, _, _) in enumerate(_BALANCES[1:]):
            params[f"b_{name}"] = [v[i] for _, v in changes]
    return params


def account_code(accounts: Mapping[int, Account], account_id: int) -> str | None:
    found = accounts.get(account_id)
    return None if found is None else found.code
