"""The double-entry ledger service: accounts, transfers, two-phase transfers, reversals,
balances and history. Points (积分) and the time bank (时间银行) are built on it."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import attrs
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DBAPIError

from commgov.errors import ConflictError, NotFoundError, ValidationError
from commgov.kernel.access import LEDGER_WRITE, Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.ledger.model import KINDS, LEDGERS, TransferRequest, default_flags
from commgov.ledger.repository import POSTING_KINDS, IdBlocks, LedgerRepository
from commgov.ledger.service.batch import LedgerBatch
from commgov.people.repository import ResidentRepository, UnitRepository
from commgov.people.service.grids import load_unit

T = TypeVar("T")
RETRY_STATES = {"40001", "40P01", "23505"}  # serialization, deadlock, a racing duplicate id
ATTEMPTS = 8


class AccountView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    ledger: str
    code: str
    kind: str
    balance: int
    available: int
    debits_posted: int
    credits_posted: int
    debits_pending: int
    credits_pending: int
    no_overdraft: bool
    no_positive: bool


@attrs.frozen
class TransferView:
    """A transfer as stored (a light attrs record: batches return thousands of them)."""

    id: int
    ledger: str
    client_id: str
    kind: str
    debit_id: int
    credit_id: int
    amount: int
    reason: str
    actor: str
    created_at: dt.datetime
    pending_id: int | None = None
    reverses_id: int | None = None
    timeout_at: dt.datetime | None = None
    replayed: bool = False

    def model_dump(self) -> dict[str, Any]:
        return attrs.asdict(self)


def transfer_view(row: dict[str, Any], replayed: bool = False) -> TransferView:
    """A view of a row the ledger itself wrote or read."""
    return TransferView(
        row["id"],
        row["ledger"],
        row["client_id"],
        row["kind"],
        row["debit_id"],
        row["credit_id"],
        row["amount"],
        row["reason"],
        row["actor"],
        row["created_at"],
        row.get("pending_id"),
        row.get("reverses_id"),
        row.get("timeout_at"),
        replayed,
    )


def as_request(item: TransferRequest | dict[str, Any]) -> TransferRequest:
    if isinstance(item, TransferRequest):
        return item
    try:
        return TransferRequest(**item)
    except TypeError as exc:
        raise ValidationError("transfer", sorted(item), str(exc)) from None


class LedgerService:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._ids = IdBlocks()

    # -- running work ---------------------------------------------------------------------
    def run(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run ``work`` in a unit of work, again on a serialization failure, a deadlock or a
        racing duplicate client id (PostgreSQL), with a short random back-off."""
        for attempt in range(ATTEMPTS):
            try:
                with self._ctx.uow() as uow:
                    return work(uow)
            except DBAPIError as exc:
                state = getattr(exc.orig, "sqlstate", None)
                if state not in RETRY_STATES or attempt == ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0, 0.005 * 2**attempt))
        raise AssertionError("unreachable")

    def apply(
        self, uow: UnitOfWork, actor: Actor, requests: Sequence[TransferRequest]
    ) -> list[TransferView]:
        """Apply ``requests`` as one linked batch in ``uow`` (for services built on the ledger)."""
        batch = LedgerBatch(LedgerRepository(uow.conn, self._ids), actor.label(), self._ctx.clock())
        batch.prepare(list(requests))
        views = [transfer_view(*batch.apply(i, r)) for i, r in enumerate(requests)]
        batch.write()
        return views

    # -- accounts -------------------------------------------------------------------------
    def open_account(
        self,
        actor: Actor,
        *,
        ledger: str,
        code: str,
        kind: str,
        unit: str | None = None,
        resident_id: int | None = None,
        no_overdraft: bool | None = None,
        no_positive: bool | None = None,
    ) -> AccountView:
        """Open an account (``code`` unique per ledger, e.g. ``resident:12``). People,
        organisations and partners may not go below zero; ``system:issuance…`` accounts may
        not go above it; the flags can be given instead."""
        if ledger not in LEDGERS:
            raise ValidationError("ledger", ledger, f"expected one of {', '.join(LEDGERS)}")
        if kind not in KINDS:
            raise ValidationError("kind", kind, f"expected one of {', '.join(KINDS)}")
        if not code or len(code) > 120:
            raise ValidationError("code", code, "1 to 120 characters")
        overdraft, positive = default_flags(kind, code)

        def work(uow: UnitOfWork) -> AccountView:
            unit_row = load_unit(uow, unit, live=True) if unit else None
            if resident_id is not None:
                home = uow.repo(UnitRepository).get(
                    uow.repo(ResidentRepository).get(resident_id).unit_id
                )
                unit_row = unit_row or home
            self._ctx.authorize(actor, LEDGER_WRITE, _target(unit_row, f"ledger account {code}"))
            repo = LedgerRepository(uow.conn)
            if repo.account_rows(ledger, [code]):
                raise ConflictError(
                    f"code={code!r}: an account with this code exists on {ledger!r}"
                )
            account_id = repo.add_account(
                {
                    "ledger": ledger,
                    "code": code,
                    "kind": kind,
                    "unit_id": unit_row.id if unit_row else None,
                    "resident_id": resident_id,
                    "no_overdraft": overdraft if no_overdraft is None else no_overdraft,
                    "no_positive": positive if no_positive is None else no_positive,
                    "debits_posted": 0,
                    "credits_posted": 0,
                    "debits_pending": 0,
                    "credits_pending": 0,
                    "created_at": self._ctx.clock(),
                }
            )
            return _account_view(repo.lock([account_id])[account_id])

        return self.run(work)

    def ensure_account(
        self,
        actor: Actor,
        *,
        ledger: str,
        code: str,
        kind: str,
        unit: str | None = None,
        resident_id: int | None = None,
    ) -> AccountView:
        """The account ``code``, opened with ``open_account``'s defaults if it does not exist
        (a concurrent opening of the same account is read back, not an error)."""
        try:
            return self.account(ledger, code)
        except NotFoundError:
            pass
        try:
            return self.open_account(
                actor, ledger=ledger, code=code, kind=kind, unit=unit, resident_id=resident_id
            )
        except ConflictError:
            return self.account(ledger, code)

    def account(self, ledger: str, code: str) -> AccountView:
        with self._ctx.uow(readonly=True) as uow:
            repo = LedgerRepository(uow.conn)
            rows = repo.account_rows(ledger, [code])
            if not rows:
                raise NotFoundError(f"{ledger} account", code)
            return _account_view(repo.lock([rows[code].id])[rows[code].id])

    # -- transfers ------------------------------------------------------------------------
    def submit(
        self, actor: Actor, transfers: Sequence[TransferRequest | dict[str, Any]]
    ) -> list[TransferView]:
        """Apply transfers as one linked batch: all succeed or none does (the error names the
        first that failed). A transfer whose ``client_id`` was seen before returns the first
        result (``replayed=True``) if it asks for the same thing, else ``ConflictError``."""
        requests = [as_request(t) for t in transfers]
        if not requests:
            return []

        def work(uow: UnitOfWork) -> list[TransferView]:
            self._authorize_accounts(uow, actor, requests)
            return self.apply(uow, actor, requests)

        return self.run(work)

    def transfer(self, actor: Actor, **fields: Any) -> TransferView:
        """One transfer: ``client_id, ledger, debit, credit, amount, reason`` (and ``kind``,
        ``pending``, ``reverses``, ``timeout`` as for ``TransferRequest``)."""
        return self.submit(actor, [fields])[0]

    def post(
        self,
        actor: Actor,
        *,
        client_id: str,
        ledger: str,
        pending: str,
        amount: int = 0,
        reason: str = "post",
    ) -> TransferView:
        """Post a pending transfer, in full (``amount=0``) or in part (the rest is released)."""
        return self.transfer(
            actor,
            client_id=client_id,
            ledger=ledger,
            debit="",
            credit="",
            amount=amount,
            reason=reason,
            kind="post",
            pending=pending,
        )

    def void(
        self, actor: Actor, *, client_id: str, ledger: str, pending: str, reason: str = "void"
    ) -> TransferView:
        """Release a pending transfer without posting it."""
        return self.transfer(
            actor,
            client_id=client_id,
            ledger=ledger,
            debit="",
            credit="",
            amount=0,
            reason=reason,
            kind="void",
            pending=pending,
        )

    def expire_pending(self, actor: Actor, *, now: dt.datetime | None = None) -> int:
        """Expire every pending transfer past its timeout; safe to run twice. Returns how many."""
        moment = now or self._ctx.clock()

        def work(uow: UnitOfWork) -> int:
            repo = LedgerRepository(uow.conn, self._ids)
            due = repo.timed_out(moment)
            if not due:
                return 0
            batch = LedgerBatch(repo, actor.label(), moment)
            batch.accounts = repo.lock({r.debit_id for r in due} | {r.credit_id for r in due})
            # read again under the locks: a post or void may have closed one meanwhile
            states = repo.pending_states(r.id for r in due)
            due = [r for r in due if states.get(r.id) == "pending"]
            if not due:
                return 0
            batch.track()
            batch.ids = repo.reserve_transfer_ids(len(due))[::-1]
            for row in due:
                request = TransferRequest(
                    client_id=f"expire:{row.id}",
                    ledger=row.ledger,
                    debit="",
                    credit="",
                    amount=0,
                    reason="expired",
                    kind="void",
                    pending=row.client_id,
                )
                batch.settle(attrs.evolve(request, kind="expire"), dict(row._mapping), 0)
            batch.write()
            return len(due)

        return self.run(work)

    # -- reading --------------------------------------------------------------------------
    def history(
        self, ledger: str, code: str, *, until: dt.datetime | None = None
    ) -> list[TransferView]:
        with self._ctx.uow(readonly=True) as uow:
            repo = LedgerRepository(uow.conn)
            account_id = self._id(repo, ledger, code)
            return [transfer_view(dict(r._mapping)) for r in repo.history(account_id, until=until)]

    def balance_as_of(self, ledger: str, code: str, at: dt.datetime) -> int:
        """The posted balance (credits − debits) as it stood at ``at``."""
        with self._ctx.uow(readonly=True) as uow:
            repo = LedgerRepository(uow.conn)
            account_id = self._id(repo, ledger, code)
            total = 0
            for row in repo.history(account_id, until=at):
                if row.kind in POSTING_KINDS:
                    total += row.amount if row.credit_id == account_id else -row.amount
            return total

    def books(self, ledger: str) -> dict[str, int]:
        """Σ debits and Σ credits over the ledger, posted and pending (they always agree)."""
        with self._ctx.uow(readonly=True) as uow:
            dp, cp, dq, cq = LedgerRepository(uow.conn).books(ledger)
        return {
            "debits_posted": dp,
            "credits_posted": cp,
            "debits_pending": dq,
            "credits_pending": cq,
        }

    # -- helpers --------------------------------------------------------------------------
    @staticmethod
    def _id(repo: LedgerRepository, ledger: str, code: str) -> int:
        rows = repo.account_rows(ledger, [code])
        if not rows:
            raise NotFoundError(f"{ledger} account", code)
        return int(rows[code].id)

    def _authorize_accounts(
        self, uow: UnitOfWork, actor: Actor, requests: Sequence[TransferRequest]
    ) -> None:
        """The actor must be allowed to write where the debited accounts live (system accounts:
        the system role only, under the default policy)."""
        if actor.role == "system":
            return
        repo = LedgerRepository(uow.conn)
        for ledger in {r.ledger for r in requests}:
            codes = {
                r.debit for r in requests if r.ledger == ledger and r.kind in ("posted", "pending")
            }
            for code, row in repo.account_rows(ledger, codes).items():
                unit = uow.repo(UnitRepository).get(row.unit_id) if row.unit_id else None
                self._ctx.authorize(actor, LEDGER_WRITE, _target(unit, f"{ledger} account {code}"))


def _target(unit: Any, description: str) -> Target:
    return Target(description, unit.path if unit is not None else None)


def _account_view(account: Any) -> AccountView:
    return AccountView(
        id=account.id,
        ledger=account.ledger,
        code=account.code,
        kind=account.kind,
        balance=account.balance,
        available=account.available,
        debits_posted=account.debits_posted,
        credits_posted=account.credits_posted,
        debits_pending=account.debits_pending,
        credits_pending=account.credits_pending,
        no_overdraft=account.no_overdraft,
        no_positive=account.no_positive,
    )
