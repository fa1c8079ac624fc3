"""What exchanges across communities read: units with their ancestors (which community a
home stands for), and the postings of a community's pool and clearing account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, func, or_, select

from commgov.kernel.repository import Repository
from commgov.kernel.times import stored
from commgov.ledger.model import POSTING_KINDS, Transfer
from commgov.ledger.model.exchange import Posting
from commgov.ledger.tables import ledger_accounts as accounts
from commgov.ledger.tables import ledger_transfers as transfers
from commgov.people.model.units import Unit
from commgov.people.repository import unit_from_row
from commgov.people.tables import units

TIME = "time"

_UNITS = select(units).where(units.c.id.in_(bindparam("ids", expanding=True)))

_t = transfers.c
_debit, _credit = accounts.alias("debit_account"), accounts.alias("credit_account")
_debit_unit, _credit_unit = units.alias("debit_unit"), units.alias("credit_unit")
_POSTINGS = (
    select(
        transfers,
        _debit.c.code.label("debit_code"),
        _credit.c.code.label("credit_code"),
        _debit_unit.c.code.label("debit_unit_code"),
        _credit_unit.c.code.label("credit_unit_code"),
    )
    .join(_debit, _debit.c.id == _t.debit_id)
    .join(_credit, _credit.c.id == _t.credit_id)
    .outerjoin(_debit_unit, _debit_unit.c.id == _debit.c.unit_id)
    .outerjoin(_credit_unit, _credit_unit.c.id == _credit.c.unit_id)
    .where(_t.ledger == TIME, _t.kind.in_(POSTING_KINDS))
)
_TOUCHING = or_(
    _t.debit_id.in_(bindparam("accounts", expanding=True)),
    _t.credit_id.in_(bindparam("accounts", expanding=True)),
)
_IN_PERIOD = _POSTINGS.where(
    _TOUCHING, _t.created_at >= bindparam("since"), _t.created_at < bindparam("until")
).order_by(_t.created_at, _t.id)
_BY_ID = _POSTINGS.where(_t.id.in_(bindparam("ids", expanding=True)))
_BY_CLIENT = _POSTINGS.where(_t.client_id.in_(bindparam("client_ids", expanding=True)))
_BEFORE = (
    select(_t.debit_id, _t.credit_id, func.sum(_t.amount))
    .where(
        _t.ledger == TIME,
        _t.kind.in_(POSTING_KINDS),
        _TOUCHING,
        _t.created_at < bindparam("since"),
    )
    .group_by(_t.debit_id, _t.credit_id)
)


def _posting(row: Any) -> Posting:
    values = row._mapping
    t = Transfer(*(values[name] for name in Transfer._fields))
    timeout_at = None if t.timeout_at is None else stored(t.timeout_at)
    return Posting(
        t._replace(created_at=stored(t.created_at), timeout_at=timeout_at),
        row.debit_code,
        row.credit_code,
        row.debit_unit_code,
        row.credit_unit_code,
    )


class ExchangeRepository(Repository):
    # -- where homes lie ------------------------------------------------------------------
    def units(self, ids: Iterable[int]) -> dict[int, Unit]:
        """These units, by id."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        return {row.id: unit_from_row(row) for row in self.conn.execute(_UNITS, {"ids": wanted})}

    def lineages(self, homes: Sequence[Unit | int]) -> list[tuple[Unit, ...]]:
        """Each home's lineage (its ancestors, root first, and itself), in order. A
        home is a unit or a unit's id: the units above the given units and the ids are read in
        one statement, the units above the ids that this missed in a second one."""
        given = [h for h in homes if isinstance(h, Unit)]
        found = self.units(
            [h for h in homes if isinstance(h, int)]
            + [i for home in given for i in (*home.ancestor_ids, home.id)]
        )
        units = [found[h] if isinstance(h, int) else h for h in homes]
        missing = {i for u in units for i in u.ancestor_ids} - set(found)
        found |= self.units(missing)
        return [tuple(found[i] for i in (*u.ancestor_ids, u.id)) for u in units]

    # -- a community's postings -----------------------------------------------------------
    def balances_before(self, account_ids: Iterable[int], since: dt.datetime) -> dict[int, int]:
        """Each account's posted balance (credits − debits) before ``since``."""
        mine = sorted(set(account_ids))
        out = dict.fromkeys(mine, 0)
        if not mine:
            return out
        for debit, credit, amount in self.conn.execute(_BEFORE, {"accounts": mine, "since": since}):
            if credit in out:
                out[credit] += int(amount)
            if debit in out:
                out[debit] -= int(amount)
        return out

    def postings(
        self, account_ids: Iterable[int], since: dt.datetime, until: dt.datetime
    ) -> list[Posting]:
        """The postings of these accounts from ``since`` up to (not including) ``until``,
        oldest first."""
        mine = sorted(set(account_ids))
        if not mine:
            return []
        values = {"accounts": mine, "since": since, "until": until}
        return [_posting(row) for row in self.conn.execute(_IN_PERIOD, values)]

    def postings_by_id(self, ids: Iterable[int]) -> list[Posting]:
        wanted = sorted(set(ids))
        if not wanted:
            return []
        return [_posting(row) for row in self.conn.execute(_BY_ID, {"ids": wanted})]

    def postings_by_client(self, client_ids: Iterable[str]) -> list[Posting]:
        wanted = sorted(set(client_ids))
        if not wanted:
            return []
        return [_posting(row) for row in self.conn.execute(_BY_CLIENT, {"client_ids": wanted})]
