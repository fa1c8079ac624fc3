"""One linked batch of transfers inside one unit of work: look everything up once, lock the
touched accounts in id order, check every transfer against the running balances, then write
all rows and balance changes together (or nothing, if any transfer fails), with one outbox
event per new transfer (``docs/events.md``).

Services built on the ledger may ``hold`` accounts (locking them, opening missing ones) and
``recall`` earlier client ids before they decide what to ask; the batch then uses what they
loaded instead of reading it again."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import attrs

from commgov.errors import CommgovError, ConflictError, StateError, ValidationError
from commgov.ledger.model import (
    BALANCE_COLUMNS,
    MAX_TOTAL,
    POSTING_KINDS,
    Account,
    AccountSpec,
    Transfer,
    TransferRequest,
    caller_client_id,
    check_limits,
    default_flags,
)
from commgov.ledger.repository import IdBlocks, LedgerRepository
from commgov.ledger.views import TransferView

MOVES = ("posted", "pending")
CLOSED_STATE = {"post": "posted", "void": "voided", "expire": "expired"}
PART: Final = 250
"""Transfers written in one statement while the next are checked (``apply_all``)."""


@attrs.define
class LedgerBatch:
    repo: LedgerRepository
    actor: str
    now: dt.datetime
    id_blocks: IdBlocks | None = None
    recall_own: bool = attrs.field(default=True, kw_only=True)
    """Look up the requests' own client ids before applying them (a replay is then found and
    answered). ``False`` skips that read: a client id used before makes the write fail on the
    store's unique key, and the caller must run the whole batch again with ``True`` (only
    for a unit of work that can be rolled back by itself: ``LedgerService.submit``)."""
    known: dict[tuple[str, str], Transfer] = attrs.Factory(dict)
    looked_up: dict[str, set[str]] = attrs.Factory(dict)  # client ids, per ledger
    accounts: dict[int, Account] = attrs.Factory(dict)
    codes: dict[tuple[str, str], int] = attrs.Factory(dict)
    pending_state: dict[int, str] = attrs.Factory(dict)
    new_rows: list[Transfer] = attrs.Factory(list)
    opened: list[int] = attrs.Factory(list)
    closed: list[tuple[int, str, int]] = attrs.Factory(list)
    deltas: dict[int, list[int]] = attrs.Factory(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    current: dict[int, list[int]] = attrs.Factory(dict)
    reversed_ids: set[int] = attrs.Factory(set)
    ids: list[int] = attrs.Factory(list)
    malformed: tuple[int, CommgovError] | None = None
    """The first request that failed its field checks and its error, raised in its turn."""
    written: int = 0
    """How many of ``new_rows`` (and of ``opened``) were written already, by ``apply_all``."""
    opened_written: int = 0

    # -- what a service loads before it asks ----------------------------------------------
    def hold(
        self,
        ledger: str,
        codes: Iterable[str] = (),
        *,
        opening: Mapping[str, AccountSpec] | None = None,
    ) -> dict[str, Account]:
        """Lock the accounts ``codes`` and those of ``opening`` for this unit of work, in id
        order (with any this batch holds already), opening the accounts of ``opening`` that
        do not exist yet, with the limits of their kind. Returns them by code; a code of
        ``codes`` without an account is left out (a transfer naming it will say so)."""
        opening = opening or {}
        wanted = set(codes) | set(opening)
        self._lock_codes(ledger, wanted)
        for code in sorted(code for code in opening if (ledger, code) not in self.codes):
            self._adopt(self._open(ledger, code, opening[code]))
        found = ((code, self.codes.get((ledger, code))) for code in wanted)
        return {code: self.accounts[i] for code, i in found if i is not None}

    def _lock_codes(self, ledger: str, codes: set[str]) -> None:
        """Lock these accounts with those held already on ``ledger`` (one id order)."""
        held = {code for (on, code) in self.codes if on == ledger} if self.codes else set()
        found = self.repo.lock_codes(ledger, codes | held)
        self.accounts.update(found)
        self.codes.update({(ledger, account.code): i for i, account in found.items()})

    def ensure(self, ledger: str, opening: Mapping[str, AccountSpec]) -> dict[str, Account]:
        """The accounts of ``opening`` by code, opening those that do not exist yet, without
        locking them: for accounts the service must know of but the transfers do not touch."""
        found = self.repo.accounts_by_code(ledger, opening)
        for code in sorted(set(opening) - set(found)):
            found[code] = self._open(ledger, code, opening[code])
        return found

    def recall(self, ledger: str, client_ids: Iterable[str]) -> dict[str, Transfer]:
        """Earlier transfers with these client ids, by client id; each id is looked up once
        per batch."""
        wanted = set(client_ids)
        self._recall(ledger, wanted)
        found = ((cid, self.known.get((ledger, cid))) for cid in wanted)
        return {cid: t for cid, t in found if t is not None}

    def _recall(self, ledger: str, client_ids: set[str]) -> None:
        looked_up = self.looked_up.setdefault(ledger, set())
        new = client_ids - looked_up
        if new:
            for cid, found in self.repo.transfers_by_client(ledger, new).items():
                self.known.setdefault((ledger, cid), found)
            looked_up |= new

    def hold_ids(self, account_ids: Iterable[int]) -> None:
        """Lock these accounts (with those held already, in id order)."""
        for account in self.repo.lock(set(self.accounts) | set(account_ids)).values():
            self._adopt(account)

    def _adopt(self, account: Account) -> None:
        self.accounts[account.id] = account
        self.codes[(account.ledger, account.code)] = account.id

    def _open(self, ledger: str, code: str, spec: AccountSpec) -> Account:
        no_overdraft, no_positive = default_flags(spec.kind, code)
        return self.repo.add_account(
            ledger=ledger,
            code=code,
            kind=spec.kind,
            unit_id=spec.unit_id,
            resident_id=spec.resident_id,
            no_overdraft=no_overdraft,
            no_positive=no_positive,
            now=self.now,
        )

    # -- preparation ----------------------------------------------------------------------
    def prepare(
        self, requests: Sequence[TransferRequest], *, from_callers: bool = False
    ) -> Sequence[TransferRequest]:
        """Check ``requests`` (``check_request``) and load what they need that was not loaded
        yet; call it before any ``apply``. Loading stops before the first request that fails
        its checks: ``apply`` raises its error in its turn, so the error of an earlier request
        comes first. Returns the requests that passed, in order."""
        total = len(requests)
        for index, request in enumerate(requests):
            try:
                check_request(request, from_callers=from_callers)
            except CommgovError as exc:
                self.malformed = (index, exc)
                requests = requests[:index]
                break
        for ledger in {r.ledger for r in requests}:
            mine = [r for r in requests if r.ledger == ledger]
            wanted = {r.client_id for r in mine} if self.recall_own else set()
            wanted |= {r.pending for r in mine if r.pending}
            wanted |= {r.reverses for r in mine if r.reverses}
            self._recall(ledger, wanted)
            codes = {c for r in mine if r.kind in MOVES for c in (r.debit, r.credit)}
            if not self.codes or any((ledger, code) not in self.codes for code in codes):
                self._lock_codes(ledger, codes)
        # accounts of earlier transfers (a pending one being posted, one being reversed)
        others = {t.debit_id for t in self.known.values()}
        others |= {t.credit_id for t in self.known.values()}
        if others - set(self.accounts):
            self.hold_ids(others)
        self.track()
        pendings = [t.id for t in self.known.values() if t.kind == "pending"]
        if pendings:
            self.pending_state = self.repo.pending_states(pendings)
        if any(r.reverses is not None for r in requests):
            self.reversed_ids = self.repo.reversed_among([t.id for t in self.known.values()])
        self.reserve(total)
        return requests

    def track(self) -> None:
        """Start the running balances from the locked accounts."""
        self.current = {
            a.id: [a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending]
            for a in self.accounts.values()
        }

    def reserve(self, n: int) -> None:
        """Ids for ``n`` new transfers."""
        self.ids = self.repo.reserve_transfer_ids(n, self.id_blocks)[::-1]  # popped from the end

    # -- one transfer ---------------------------------------------------------------------
    def apply(self, index: int, request: TransferRequest) -> tuple[Transfer, bool]:
        """The transfer and whether it was a replay of an earlier submission."""
        try:
            if self.malformed is not None and self.malformed[0] == index:
                raise self.malformed[1]
            earlier = self.known.get((request.ledger, request.client_id))
            if earlier is not None:
                self._same_as(request, earlier)
                return earlier, True
            row = self._move(request) if request.kind in MOVES else self._close(request)
            self.known[(request.ledger, request.client_id)] = row
            return row, False
        except CommgovError as exc:
            raise exc.with_context(_where(index, request)) from None

    def _within(self, account: Account, column: int, amount: int) -> None:
        """Refuse ``amount`` more in ``column`` of ``account`` past ``MAX_TOTAL``."""
        if self.current[account.id][column] + amount > MAX_TOTAL:
            raise ValidationError(
                "amount",
                amount,
                f"would take the {BALANCE_COLUMNS[column]} of {account.code} past {MAX_TOTAL}, "
                "the most an account keeps",
            )

    def _add(self, account_id: int, column: int, amount: int) -> None:
        self.deltas[account_id][column] += amount
        self.current[account_id][column] += amount

    def _account(self, ledger: str, code: str, field: str) -> Account:
        account_id = self.codes.get((ledger, code))
        if account_id is None:
            raise ValidationError(field, code, f"no account with this code on ledger {ledger!r}")
        return self.accounts[account_id]

    def _new_row(
        self,
        request: TransferRequest,
        *,
        debit_id: int,
        credit_id: int,
        amount: int,
        pending_id: int | None = None,
        reverses_id: int | None = None,
        timeout_at: dt.datetime | None = None,
    ) -> Transfer:
        row = Transfer(
            self.ids.pop(),
            request.ledger,
            request.client_id,
            request.kind,
            debit_id,
            credit_id,
            amount,
            request.reason,
            self.actor,
            pending_id,
            reverses_id,
            timeout_at,
            self.now,
        )
        self.new_rows.append(row)
        return row

    def _move(self, request: TransferRequest) -> Transfer:
        debit = self._account(request.ledger, request.debit, "debit")
        credit = self._account(request.ledger, request.credit, "credit")
        reverses_id = self._reversal_target(request, debit, credit) if request.reverses else None
        limit = check_limits(
            debit, self.current[debit.id], credit, self.current[credit.id], request.amount
        )
        if limit is not None:
            raise limit.error(request.amount)
        posted = request.kind == "posted"
        self._within(debit, 0 if posted else 2, request.amount)
        self._within(credit, 1 if posted else 3, request.amount)
        self._add(debit.id, 0 if posted else 2, request.amount)
        self._add(credit.id, 1 if posted else 3, request.amount)
        row = self._new_row(
            request,
            debit_id=debit.id,
            credit_id=credit.id,
            amount=request.amount,
            reverses_id=reverses_id,
            timeout_at=self.now + request.timeout if request.timeout else None,
        )
        if not posted:
            self.opened.append(row.id)
            self.pending_state[row.id] = "pending"
        return row

    def _reversal_target(self, request: TransferRequest, debit: Account, credit: Account) -> int:
        original = self.known.get((request.ledger, str(request.reverses)))
        if original is None or original.kind not in POSTING_KINDS:
            raise ValidationError(
                "reverses", request.reverses, "no posted transfer with this client id"
            )
        if (debit.id, credit.id) != (original.credit_id, original.debit_id):
            raise ValidationError(
                "reverses", request.reverses, "a reversal swaps the original's accounts"
            )
        if request.amount > original.amount:
            raise ValidationError(
                "amount", request.amount, f"more than the original's {original.amount}"
            )
        if original.id in self.reversed_ids:
            raise ConflictError(f"reverses={request.reverses!r}: that transfer is already reversed")
        self.reversed_ids.add(original.id)
        return original.id

    def _close(self, request: TransferRequest) -> Transfer:
        target = self.known.get((request.ledger, str(request.pending)))
        if target is None or target.kind != "pending":
            raise ValidationError(
                "pending", request.pending, "no pending transfer with this client id"
            )
        state = self.pending_state.get(target.id, "pending")
        if state != "pending":
            raise StateError(
                f"pending transfer {request.pending!r} is already {state}; cannot {request.kind}"
            )
        if target.timeout_at is not None and target.timeout_at <= self.now:
            raise StateError(
                f"pending transfer {request.pending!r} timed out; cannot {request.kind}"
            )
        for field, given, account_id in (
            ("debit", request.debit, target.debit_id),
            ("credit", request.credit, target.credit_id),
        ):
            if given and given != self.accounts[account_id].code:
                raise ValidationError(field, given, "a post or void keeps its hold's accounts")
        held = target.amount
        amount = (request.amount or held) if request.kind == "post" else held
        if amount > held:
            raise ValidationError("amount", request.amount, f"more than the {held} pending")
        return self.settle(request, target, amount)

    def settle(self, request: TransferRequest, target: Transfer, amount: int) -> Transfer:
        """Release ``target``'s pending amount; for a post, book ``amount`` of it as posted."""
        held = target.amount
        debit, credit = target.debit_id, target.credit_id
        if request.kind == "post":
            self._within(self.accounts[debit], 0, amount)
            self._within(self.accounts[credit], 1, amount)
        self._add(debit, 2, -held)
        self._add(credit, 3, -held)
        if request.kind == "post":
            self._add(debit, 0, amount)
            self._add(credit, 1, amount)
        row = self._new_row(
            request, debit_id=debit, credit_id=credit, amount=amount, pending_id=target.id
        )
        state = CLOSED_STATE[request.kind]
        self.closed.append((target.id, state, row.id))
        self.pending_state[target.id] = state
        return row

    def _same_as(self, request: TransferRequest, earlier: Transfer) -> None:
        """A replay must ask for exactly what the first submission asked for: every field is
        compared (the accounts, the transfer a post or void closes and the one a reversal
        corrects by their ids, a timeout as the time from creation to expiry)."""
        ledger = request.ledger
        asked: dict[str, object] = {"kind": request.kind, "reason": request.reason}
        found: dict[str, object] = {"kind": earlier.kind, "reason": earlier.reason}
        if request.kind in MOVES:
            reverses = self.known.get((ledger, request.reverses)) if request.reverses else None
            asked |= {
                "amount": request.amount,
                "debit": self.codes.get((ledger, request.debit)),
                "credit": self.codes.get((ledger, request.credit)),
                "pending": None,
                "reverses": None if request.reverses is None else _missing_or_id(reverses),
                "timeout": request.timeout,
            }
            waited = earlier.timeout_at - earlier.created_at if earlier.timeout_at else None
            found |= {
                "amount": earlier.amount,
                "debit": earlier.debit_id,
                "credit": earlier.credit_id,
                "pending": earlier.pending_id,
                "reverses": earlier.reverses_id,
                "timeout": waited,
            }
        else:
            target = self.known.get((ledger, str(request.pending)))
            held = target.amount if target is not None else None
            asked |= {
                "pending": target.id if target is not None else None,
                "amount": (request.amount or held) if request.kind == "post" else held,
                "reverses": None,
            }
            found |= {
                "pending": earlier.pending_id,
                "amount": earlier.amount,
                "reverses": earlier.reverses_id,
            }
        different = sorted(k for k, v in asked.items() if found[k] != v)
        if different:
            raise ConflictError(
                f"client_id={request.client_id!r} was used before for a different transfer "
                f"(differs in {', '.join(different)})"
            )

    # -- writing --------------------------------------------------------------------------
    def apply_all(self, requests: Sequence[TransferRequest]) -> list[TransferView]:
        """``apply`` each request in turn, then ``write``; the views of the transfers. A batch
        of more than ``PART`` transfers is written in parts as it goes, sent without waiting
        (pipelined on PostgreSQL), so the server writes one part while the next is checked
        and the views of the last are made; a request that fails still leaves nothing, as the
        whole unit of work is rolled back."""
        if len(requests) <= PART:
            found = [self.apply(index, request) for index, request in enumerate(requests)]
            self.write()
            return [TransferView.of(*pair) for pair in found]
        views: list[TransferView] = []
        part: list[tuple[Transfer, bool]] = []
        with self.repo.sending():
            for index, request in enumerate(requests):
                part.append(self.apply(index, request))
                last = index + 1 == len(requests)
                if last or len(self.new_rows) - self.written >= PART:
                    self._write_rows(with_balances=last)
                    views += [TransferView.of(*pair) for pair in part]
                    part = []
        self._close_holds()
        return views

    def write(self) -> None:
        """Write the new transfers, the balance changes and an outbox event per transfer
        (one statement on PostgreSQL), then close the pending transfers posted or voided."""
        self._write_rows(with_balances=True)
        self._close_holds()

    def _write_rows(self, *, with_balances: bool) -> None:
        """Write the new transfers not written yet (with the balance changes of the whole
        batch, at its end)."""
        rows, opened = self.new_rows[self.written :], self.opened[self.opened_written :]
        self.written, self.opened_written = len(self.new_rows), len(self.opened)
        deltas = self.deltas if with_balances else {}
        self.repo.write_batch(rows, opened=opened, deltas=deltas, accounts=self.accounts)

    def _close_holds(self) -> None:
        for transfer_id, state, closed_by in self.closed:
            if not self.repo.close_pending(transfer_id, state, closed_by):  # never twice
                raise StateError(f"pending transfer {transfer_id} was closed meanwhile")


def check_request(request: TransferRequest, *, from_callers: bool) -> None:
    """The field checks of a request. Client ids from callers (``from_callers``) may not
    start with ``RESERVED``, the prefix of the ids the library makes itself."""
    if from_callers:
        caller_client_id(request.client_id)
    request.check()


def _where(index: int, request: TransferRequest) -> str:
    return f"transfer {index} (client_id {request.client_id!r})"


def _missing_or_id(transfer: Transfer | None) -> int:
    """The transfer's id; ``-1`` (no id) for one that does not exist."""
    return -1 if transfer is None else transfer.id
