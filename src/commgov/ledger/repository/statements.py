"""PostgreSQL's set-based statements of the ledger (``commgov.kernel.arrays``): the lock of a
batch's accounts by their codes, and the one statement that writes a batch — its transfers,
the pending holds it opens, its balance changes and an outbox event per transfer, built by the
server with ``transfer_payload``'s fields in its order. Each statement's text depends on how
many rows it carries only up to ``FEW`` (bound value by value); more go in as arrays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Final

from commgov.kernel.arrays import FEW, any_of, bound, rows_of, table_columns, uniform
from commgov.ledger.model import TRANSFER_EVENTS, Account, Transfer
from commgov.ledger.tables import ledger_accounts, ledger_transfers

ACCOUNT_COLUMNS: Final = (
    "id", "ledger", "code", "kind", "no_overdraft", "no_positive", "debits_posted",
    "credits_posted", "debits_pending", "credits_pending", "unit_id", "resident_id",
)  # fmt: skip
"""``Account``'s fields in order: a locked row becomes one positionally (``Account(*row)``)."""
if Account._fields != ACCOUNT_COLUMNS:  # pragma: no cover - a change of Account
    raise RuntimeError("ACCOUNT_COLUMNS must list commgov.ledger.model.Account's fields in order")


def _shape(count: int) -> int:
    """A count as the statements' text depends on it: past ``FEW`` all counts read alike."""
    return min(count, FEW + 1)


def lock_by_code(count: int) -> str:
    """Lock ``count`` accounts of a ledger by code, in id order (so concurrent writers never
    deadlock); parameters ``lock_parameters``."""
    return _lock_by_code(_shape(count))


@cache
def _lock_by_code(count: int) -> str:
    return (
        f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM {ledger_accounts.name} "
        f"WHERE ledger = %(ledger)s AND code {any_of('codes', 'VARCHAR', count)} "
        "ORDER BY id FOR UPDATE"
    )


def lock_parameters(ledger: str, codes: Sequence[str]) -> dict[str, Any]:
    return {"ledger": ledger, **bound({"codes": codes}, len(codes))}


TRANSFER_COLUMNS: Final = tuple(ledger_transfers.c.keys())
_NEW_COLUMNS = [
    *table_columns(ledger_transfers, TRANSFER_COLUMNS, "t_"),
    ("debit_code", "t_debit_code", "VARCHAR"),
    ("credit_code", "t_credit_code", "VARCHAR"),
]
_CHANGES = ("dp", "cp", "dq", "cq")
"""What a batch adds to an account's debits and credits, posted then pending."""
_BALANCES = [("id", "b_id", "INTEGER")] + [(name, f"b_{name}", "BIGINT") for name in _CHANGES]
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


def _open_pending(count: int) -> str:
    return (
        "opened AS (INSERT INTO ledger_pending (transfer_id, state) SELECT transfer_id, "
        f"'pending' FROM {rows_of([('transfer_id', 'p_id', 'INTEGER')], 'p', count)})"
    )


def _add_balances(count: int, same: frozenset[str]) -> str:
    return (
        "UPDATE ledger_accounts AS a SET debits_posted = a.debits_posted + b.dp, "
        "credits_posted = a.credits_posted + b.cp, debits_pending = a.debits_pending + b.dq, "
        f"credits_pending = a.credits_pending + b.cq FROM {rows_of(_BALANCES, 'b', count, same)} "
        f"WHERE a.id = b.id AND a.id {any_of('i', 'INTEGER', count)}"
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


def write_batch(*, rows: int, opens: int, changes: int, same: frozenset[str] = frozenset()) -> str:
    """The statement writing a batch's ``rows`` transfers, the pending holds it ``opens`` and
    its balance ``changes`` (how many accounts; without rows, only the balance changes);
    ``same``: the columns bound once (``batch_parameters`` says which)."""
    return _write_batch(_shape(rows), _shape(opens), _shape(changes), same)


@cache
def _write_batch(rows: int, opens: int, changes: int, same: frozenset[str]) -> str:
    if not rows:
        return _add_balances(changes, same)
    new = rows_of(_NEW_COLUMNS, "r", rows, same)
    parts = [f"new AS (SELECT * FROM {new})", _WRITE_TRANSFERS]
    parts += [_open_pending(opens)] if opens else []
    parts += [f"added AS ({_add_balances(changes, same)})"] if changes else []
    return f"WITH {', '.join(parts)} {_WRITE_EVENTS}"


def batch_parameters(
    rows: Sequence[Transfer],
    *,
    opened: Sequence[int],
    changes: Sequence[tuple[int, Sequence[int]]],
    accounts: Mapping[int, Account],
) -> tuple[dict[str, Any], frozenset[str]]:
    """``write_batch``'s parameters (``accounts`` by id give the events their codes), and the
    columns that hold one value throughout (the actor and the time; usually the ledger, the
    kind, the reason and the pending changes), bound once instead of as arrays."""
    params: dict[str, Any] = {}
    same: frozenset[str] = frozenset()
    if rows:
        values = zip(TRANSFER_COLUMNS, zip(*rows, strict=True), strict=True)
        columns = {f"t_{column}": column_values for column, column_values in values}
        columns["t_debit_code"] = tuple(account_code(accounts, t.debit_id) for t in rows)
        columns["t_credit_code"] = tuple(account_code(accounts, t.credit_id) for t in rows)
        same = uniform(columns, len(rows))
        params = bound(columns, len(rows), same)
        params["at"] = rows[0].created_at.isoformat()
    if opened:
        params |= bound({"p_id": opened}, len(opened))
    if changes:
        balances = {"b_id": [k for k, _ in changes]}
        balances |= {f"b_{name}": [v[i] for _, v in changes] for i, name in enumerate(_CHANGES)}
        same_balances = uniform(balances, len(changes))
        balances["i"] = balances["b_id"]
        params |= bound(balances, len(changes), same_balances)
        same |= same_balances
    return params, same


def account_code(accounts: Mapping[int, Account], account_id: int) -> str | None:
    found = accounts.get(account_id)
    return None if found is None else found.code
