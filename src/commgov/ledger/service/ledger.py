"""The double-entry ledger service: accounts, transfers, two-phase transfers, reversals,
balances and history. Points (积分) and the time bank (时间银行) are built on it."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from typing import Any, TypeVar

import attrs

from commgov.errors import ConflictError, NotFoundError, ValidationError
from commgov.kernel.access import LEDGER_WRITE, READ, Target
from commgov.kernel.actors import Actor
from commgov.kernel.collector import collector_paused
from commgov.kernel.context import Context
from commgov.kernel.times import as_utc, optional_utc
from commgov.kernel.uow import UnitOfWork, current_unit_of_work
from commgov.kernel.values import row_id, whole_number
from commgov.ledger.model import (
    KINDS,
    LEDGERS,
    Account,
    TransferRequest,
    default_flags,
    entity_id,
    internal_id,
    posted_balance,
    text,
)
from commgov.ledger.model.bounds import CODE_MAX
from commgov.ledger.repository import LedgerRepository, is_transient, transfer_ids
from commgov.ledger.service.batch import MOVES, PART, LedgerBatch
from commgov.ledger.views import AccountView, TransferView
from commgov.people.model.units import Unit
from commgov.people.repository import ResidentRepository, UnitRepository
from commgov.people.service.grids import load_unit
from commgov.people.service.residents import authorized_resident

T = TypeVar("T")
ATTEMPTS = 8


def as_request(item: TransferRequest | Mapping[str, Any]) -> TransferRequest:
    if isinstance(item, TransferRequest):
        return item
    if not isinstance(item, Mapping):
        raise ValidationError("transfer", item, "expected a TransferRequest or a mapping")
    try:
        return TransferRequest(**item)
    except TypeError as exc:
        raise ValidationError("transfer", sorted(map(str, item)), str(exc)) from None


def ledger_name(value: object) -> str:
    """A ledger a caller names: ``ValidationError`` unless text, ``NotFoundError`` unless one
    of ``LEDGERS``."""
    name = text("ledger", value, CODE_MAX)
    if name not in LEDGERS:
        raise NotFoundError("ledger", name)
    return name


class LedgerService:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._ids = transfer_ids()

    # -- running work ---------------------------------------------------------------------
    def run(self, work: Callable[[UnitOfWork], T], *, savepoint: bool = True) -> T:
        """Run ``work`` in a unit of work, again on a serialization failure, a deadlock or a
        racing duplicate client id (PostgreSQL), with a short random back-off. Inside an outer
        unit of work (``Commgov.transaction()``, a hook) each attempt runs under its own
        savepoint, so a retry starts from where the outer one stood; with ``savepoint=False``
        (the library's internal calls), or in a unit of work that fails whole, ``work`` runs
        once in the outer one, which retries or fails."""
        return self._attempts(lambda uow, _guess: work(uow), savepoint=savepoint, guess=False)

    def _attempts(
        self, work: Callable[[UnitOfWork, bool], T], *, savepoint: bool, guess: bool
    ) -> T:
        """``run``, where ``work`` is told whether it may guess that its client ids are new
        (``LedgerBatch.recall_own``): with ``guess`` on PostgreSQL, in a unit of work that can
        be rolled back by itself, the first attempt guesses, and any failure of it (a client
        id used before conflicts on the store's unique key; a replay may fail a check its
        first run passed) is run again without guessing, which answers the replay or raises
        the error."""
        outer = current_unit_of_work(self._ctx.engine)
        if outer is not None and (not savepoint or outer.whole):  # the outer one retries
            with self._ctx.uow(savepoint=False) as joined:
                return work(joined, False)
        guessing = guess and self._ctx.engine.dialect.name == "postgresql"
        for attempt in range(ATTEMPTS):
            try:
                with self._ctx.uow() as uow:
                    return work(uow, guessing)
            except Exception as exc:
                if guessing:
                    guessing = False
                    continue
                if not is_transient(exc) or attempt == ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0, 0.005 * 2**attempt))
        raise AssertionError("unreachable")

    def batch(
        self, uow: UnitOfWork, actor: Actor, *, now: dt.datetime | None = None
    ) -> LedgerBatch:
        """A linked batch in ``uow`` (for services built on the ledger: ``hold`` and ``recall``
        what they need to decide, then ``apply`` their requests with it); ``now`` (UTC) is
        the time its transfers are written at, the clock's by default."""
        repo = uow.repo(LedgerRepository)
        moment = self._ctx.clock() if now is None else as_utc("now", now)
        return LedgerBatch(repo, actor.label(), moment, self._ids)

    def apply(
        self,
        uow: UnitOfWork,
        actor: Actor,
        requests: Sequence[TransferRequest],
        *,
        batch: LedgerBatch | None = None,
    ) -> list[TransferView]:
        """Apply ``requests`` as one linked batch in ``uow`` (for services built on the ledger),
        with ``batch`` when the service loaded accounts or client ids into it already."""
        return self._apply(uow, actor, requests, batch or self.batch(uow, actor))

    def _apply(
        self,
        uow: UnitOfWork,
        actor: Actor,
        requests: Sequence[TransferRequest],
        batch: LedgerBatch,
        *,
        from_callers: bool = False,
    ) -> list[TransferView]:
        """``apply``; for requests from callers (``submit``), their client ids are checked
        against the reserved prefix and the actor must be allowed to debit each account."""
        checked = batch.prepare(requests, from_callers=from_callers)
        if from_callers:
            self._authorize_debits(uow, actor, batch, checked)
        return batch.apply_all(requests)

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
        if not isinstance(ledger, str) or ledger not in LEDGERS:
            raise ValidationError("ledger", ledger, f"expected one of {', '.join(LEDGERS)}")
        if not isinstance(kind, str) or kind not in KINDS:
            raise ValidationError("kind", kind, f"expected one of {', '.join(KINDS)}")
        text("code", code, CODE_MAX)
        if unit is not None:
            text("unit", unit, CODE_MAX)
        if resident_id is not None:
            entity_id("resident_id", resident_id)
        for field, flag in (("no_overdraft", no_overdraft), ("no_positive", no_positive)):
            if flag is not None and not isinstance(flag, bool):
                raise ValidationError(field, flag, "expected True or False")
        overdraft, positive = default_flags(kind, code)

        def work(uow: UnitOfWork) -> AccountView:
            home = load_unit(uow, unit, live=True) if unit else None
            if resident_id is not None:
                lives = uow.repo(ResidentRepository).get(resident_id).unit_id
                home = home or uow.repo(UnitRepository).get(lives)
            self._ctx.authorize(actor, LEDGER_WRITE, _target(home, f"ledger account {code}"))
            repo = uow.repo(LedgerRepository)
            if repo.accounts_by_code(ledger, [code]):
                raise ConflictError(
                    f"code={code!r}: an account with this code exists on {ledger!r}"
                )
            account = repo.add_account(
                ledger=ledger,
                code=code,
                kind=kind,
                unit_id=home.id if home else None,
                resident_id=resident_id,
                no_overdraft=overdraft if no_overdraft is None else no_overdraft,
                no_positive=positive if no_positive is None else no_positive,
                now=self._ctx.clock(),
            )
            return AccountView.of(account)

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
        (a concurrent opening of the same account is read back, not an error). An account that
        exists is returned to an actor who may read it (as ``account``)."""
        try:
            return self.account(actor, ledger, code)
        except NotFoundError:
            pass
        try:
            return self.open_account(
                actor, ledger=ledger, code=code, kind=kind, unit=unit, resident_id=resident_id
            )
        except ConflictError:
            return self.account(actor, ledger, code)

    def account(self, actor: Actor, ledger: str, code: str) -> AccountView:
        """The account ``code`` of ``ledger``, to an actor who may read it: a resident's account
        as the resident's household (``points.balance``'s rule), an account of a unit as the
        unit, any other (the system accounts) under the rule for a target without a unit (the
        system role only, by default)."""
        with self._ctx.uow(readonly=True) as uow:
            found = self._readable(uow, actor, ledger, code)
        return AccountView.of(found)

    # -- transfers ------------------------------------------------------------------------
    def submit(
        self, actor: Actor, transfers: Sequence[TransferRequest | Mapping[str, Any]]
    ) -> list[TransferView]:
        """Apply transfers as one linked batch: all succeed or none does (the error names the
        first that failed). A transfer whose ``client_id`` was seen before returns the first
        result (``replayed=True``) if it asks for the same thing, else ``ConflictError``. Each
        item is a ``TransferRequest`` or a mapping of its fields. ``replayed`` means the store
        held the transfer before this attempt: a call whose commit lost its connection runs
        again by itself, and answers ``replayed=True`` for what its first attempt committed.
        A batch of more than ``PART`` transfers runs with Python's cyclic collector paused
        (``commgov.kernel.collector``)."""
        with collector_paused() if len(transfers) > PART else nullcontext():
            requests = [as_request(t) for t in transfers]
            if not requests:
                return []

            def work(uow: UnitOfWork, guess: bool) -> list[TransferView]:
                batch = self.batch(uow, actor)
                batch.recall_own = not guess
                return self._apply(uow, actor, requests, batch, from_callers=True)

            return self._attempts(work, savepoint=True, guess=True)

    def transfer(
        self,
        actor: Actor,
        *,
        client_id: str,
        ledger: str,
        debit: str,
        credit: str,
        amount: int,
        reason: str,
        kind: str = "posted",
        pending: str | None = None,
        reverses: str | None = None,
        timeout: dt.timedelta | None = None,
    ) -> TransferView:
        """One transfer, as ``TransferRequest`` describes it: ``kind`` is ``posted`` (single
        phase) or ``pending`` (held until posted or voided; ``timeout`` makes it expire), or
        ``post``/``void`` of the pending transfer whose client id is ``pending``; ``reverses``
        names a transfer this one corrects."""
        request = TransferRequest(
            client_id=client_id,
            ledger=ledger,
            debit=debit,
            credit=credit,
            amount=amount,
            reason=reason,
            kind=kind,
            pending=pending,
            reverses=reverses,
            timeout=timeout,
        )
        return self.submit(actor, [request])[0]

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
        """Expire every pending transfer past its timeout at ``now`` (aware; the clock's time
        by default); safe to run twice. Returns how many."""
        moment = self._ctx.clock() if now is None else as_utc("now", now)

        def work(uow: UnitOfWork) -> int:
            repo = uow.repo(LedgerRepository)
            due = repo.timed_out(moment)
            if not due:
                return 0
            batch = self.batch(uow, actor, now=moment)
            batch.hold_ids({t.debit_id for t in due} | {t.credit_id for t in due})
            # read again under the locks: a post or void may have closed one meanwhile
            states = repo.pending_states(t.id for t in due)
            due = [t for t in due if states.get(t.id) == "pending"]
            if not due:
                return 0
            batch.track()
            batch.reserve(len(due))
            for held in due:
                request = TransferRequest(
                    client_id=internal_id("hold-expired", held.id),
                    ledger=held.ledger,
                    debit="",
                    credit="",
                    amount=0,
                    reason="expired",
                    kind="void",
                    pending=held.client_id,
                )
                batch.settle(attrs.evolve(request, kind="expire"), held, 0)
            batch.write()
            return len(due)

        return self.run(work)

    # -- reading --------------------------------------------------------------------------
    def history(
        self,
        actor: Actor,
        ledger: str,
        code: str,
        *,
        until: dt.datetime | None = None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[TransferView]:
        """The account's transfers, oldest first, up to ``until`` (aware), to an actor who may
        read the account (as ``account``). ``limit`` caps the rows; ``after_id`` continues
        after that transfer of the account (the last of a previous page)."""
        moment = optional_utc("until", until)
        if after_id is not None:
            row_id("after_id", after_id)
        if limit is not None:
            whole_number("limit", limit, 1, 100_000)
        with self._ctx.uow(readonly=True) as uow:
            account = self._readable(uow, actor, ledger, code)
            repo = uow.repo(LedgerRepository)
            rows = repo.history(account.id, until=moment, after_id=after_id, limit=limit)
            if after_id is not None and not rows and not repo.history_holds(account.id, after_id):
                raise ValidationError("after_id", after_id, "no such transfer of this account")
        return [TransferView.of(t) for t in rows]

    def balance_as_of(self, actor: Actor, ledger: str, code: str, at: dt.datetime) -> int:
        """The posted balance (credits − debits) as it stood at ``at`` (aware), to an actor who
        may read the account (as ``account``)."""
        moment = as_utc("at", at)
        with self._ctx.uow(readonly=True) as uow:
            account = self._readable(uow, actor, ledger, code)
            rows = uow.repo(LedgerRepository).history(account.id, until=moment)
        return posted_balance(rows, account.id)

    def books(self, actor: Actor, ledger: str) -> dict[str, int]:
        """Σ debits and Σ credits over the ledger, posted and pending (they always agree): to
        an actor who may read the whole store's ledger (a target without a unit: the system
        role only, by default). An unknown ledger is a ``NotFoundError``."""
        name = ledger_name(ledger)
        self._ctx.authorize(actor, READ, Target(f"the books of the {name} ledger"))
        with self._ctx.uow(readonly=True) as uow:
            dp, cp, dq, cq = uow.repo(LedgerRepository).books(name)
        return {
            "debits_posted": dp,
            "credits_posted": cp,
            "debits_pending": dq,
            "credits_pending": cq,
        }

    # -- helpers --------------------------------------------------------------------------
    def _readable(self, uow: UnitOfWork, actor: Actor, ledger: str, code: str) -> Account:
        """The account, once ``actor`` may read it (``NotFoundError`` if there is none)."""
        name = ledger_name(ledger)
        text("code", code, CODE_MAX)
        found = uow.repo(LedgerRepository).accounts_by_code(name, [code])
        if not found:
            raise NotFoundError(f"{name} account", code)
        account = found[code]
        if account.resident_id is not None:
            authorized_resident(self._ctx, uow, actor, account.resident_id, READ)
        else:
            home = uow.repo(UnitRepository).get(account.unit_id) if account.unit_id else None
            target = _target(home, f"{name} account {code}")
            self._ctx.authorize(actor, READ, target)
        return account

    def _authorize_debits(
        self,
        uow: UnitOfWork,
        actor: Actor,
        batch: LedgerBatch,
        requests: Sequence[TransferRequest],
    ) -> None:
        """The actor must be allowed to write where the debited accounts live (system accounts:
        the system role only, under the default policy); the batch has them locked."""
        if actor.role == "system":
            return
        units = uow.repo(UnitRepository)
        for r in requests:
            account_id = batch.codes.get((r.ledger, r.debit)) if r.kind in MOVES else None
            if account_id is None:
                continue  # no such account: the transfer says so in its turn
            account = batch.accounts[account_id]
            unit = units.get(account.unit_id) if account.unit_id else None
            where = _target(unit, f"{r.ledger} account {account.code}")
            self._ctx.authorize(actor, LEDGER_WRITE, where)


def _target(unit: Unit | None, description: str) -> Target:
    return Target(description, unit.path if unit is not None else None)
