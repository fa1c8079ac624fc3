"""One linked batch of transfers inside one unit of work: look everything up once, lock the
touched accounts in id order, check every transfer against the running balances, then write
all rows and balance changes together (or nothing, if any transfer fails)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import attrs

from commgov.errors import CommgovError, ConflictError, StateError, ValidationError
from commgov.ledger.model import Account, TransferRequest, check_limits
from commgov.ledger.repository import LedgerRepository


def _row(row: Any) -> dict[str, Any]:
    return dict(row._mapping)


@attrs.define
class LedgerBatch:
    repo: LedgerRepository
    actor: str
    now: dt.datetime
    known: dict[tuple[str, str], dict[str, Any]] = attrs.Factory(dict)
    accounts: dict[int, Account] = attrs.Factory(dict)
    codes: dict[tuple[str, str], int] = attrs.Factory(dict)
    pending_state: dict[int, str] = attrs.Factory(dict)
    new_rows: list[dict[str, Any]] = attrs.Factory(list)
    opened: list[dict[str, Any]] = attrs.Factory(list)
    closed: list[tuple[int, str, int]] = attrs.Factory(list)
    deltas: dict[int, list[int]] = attrs.Factory(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    current: dict[int, list[int]] = attrs.Factory(dict)
    reversed_ids: set[int] = attrs.Factory(set)
    ids: list[int] = attrs.Factory(list)

    # -- preparation ----------------------------------------------------------------------
    def prepare(self, requests: list[TransferRequest]) -> None:
        for ledger in {r.ledger for r in requests}:
            mine = [r for r in requests if r.ledger == ledger]
            wanted = {r.client_id for r in mine} | {r.pending for r in mine if r.pending}
            wanted |= {r.reverses for r in mine if r.reverses}
            for cid, row in self.repo.transfers_by_client(ledger, wanted).items():
                self.known[(ledger, cid)] = _row(row)
            codes = {
                c for r in mine if r.kind in ("posted", "pending") for c in (r.debit, r.credit)
            }
            for account in self.repo.lock_codes(ledger, codes).values():
                self.accounts[account.id] = account
                self.codes[(ledger, account.code)] = account.id
        # accounts of earlier transfers (a pending one being posted, one being reversed)
        others = {k["debit_id"] for k in self.known.values()}
        others |= {k["credit_id"] for k in self.known.values()}
        if others - set(self.accounts):
            self.accounts = self.repo.lock(set(self.accounts) | others)
        self.track()
        pendings = [k["id"] for k in self.known.values() if k["kind"] == "pending"]
        if pendings:
            self.pending_state = self.repo.pending_states(pendings)
        if any(r.reverses for r in requests):
            self.reversed_ids = self.repo.reversed_among([k["id"] for k in self.known.values()])
        self.ids = self.repo.reserve_transfer_ids(len(requests))[::-1]  # popped from the end

    # -- one transfer ---------------------------------------------------------------------
    def apply(self, index: int, request: TransferRequest) -> tuple[dict[str, Any], bool]:
        """The transfer's row and whether it was a replay of an earlier submission."""
        try:
            request.check()
            earlier = self.known.get((request.ledger, request.client_id))
            if earlier is not None:
                self._same_as(request, earlier)
                return earlier, True
            if request.kind in ("posted", "pending"):
                row = self._move(request)
            else:
                row = self._close(request)
            self.known[(request.ledger, request.client_id)] = row
            return row, False
        except CommgovError as exc:
            raise _numbered(index, request, exc) from None

    def track(self) -> None:
        """Start the running balances from the locked accounts."""
        self.current = {
            a.id: [a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending]
            for a in self.accounts.values()
        }

    def _add(self, account_id: int, column: int, amount: int) -> None:
        self.deltas[account_id][column] += amount
        self.current[account_id][column] += amount

    def _account(self, ledger: str, code: str, field: str) -> Account:
        account_id = self.codes.get((ledger, code))
        if account_id is None:
            raise ValidationError(field, code, f"no account with this code on ledger {ledger!r}")
        return self.accounts[account_id]

    def _new_row(self, request: TransferRequest, **values: Any) -> dict[str, Any]:
        row = {
            "id": self.ids.pop(),
            "ledger": request.ledger,
            "client_id": request.client_id,
            "kind": request.kind,
            "reason": request.reason,
            "actor": self.actor,
            "pending_id": None,
            "reverses_id": None,
            "timeout_at": None,
            "created_at": self.now,
        } | values
        self.new_rows.append(row)
        return row

    def _move(self, request: TransferRequest) -> dict[str, Any]:
        debit = self._account(request.ledger, request.debit, "debit")
        credit = self._account(request.ledger, request.credit, "credit")
        reverses_id = self._reversal_target(request, debit, credit) if request.reverses else None
        limit = check_limits(
            debit, self.current[debit.id], credit, self.current[credit.id], request.amount
        )
        if limit is not None:
            raise ValidationError(limit.field, request.amount, limit.reason)
        posted = request.kind == "posted"
        self._add(debit.id, 0 if posted else 2, request.amount)
        self._add(credit.id, 1 if posted else 3, request.amount)
        timeout_at = self.now + request.timeout if request.timeout else None
        row = self._new_row(
            request,
            debit_id=debit.id,
            credit_id=credit.id,
            amount=request.amount,
            reverses_id=reverses_id,
            timeout_at=timeout_at,
        )
        if not posted:
            self.opened.append({"transfer_id": row["id"], "state": "pending", "closed_by": None})
            self.pending_state[row["id"]] = "pending"
        return row

    def _reversal_target(self, request: TransferRequest, debit: Account, credit: Account) -> int:
        original = self.known.get((request.ledger, str(request.reverses)))
        if original is None or original["kind"] not in ("posted", "post"):
            raise ValidationError(
                "reverses", request.reverses, "no posted transfer with this client id"
            )
        if (debit.id, credit.id) != (original["credit_id"], original["debit_id"]):
            raise ValidationError(
                "reverses", request.reverses, "a reversal swaps the original's accounts"
            )
        if request.amount > original["amount"]:
            raise ValidationError(
                "amount", request.amount, f"more than the original's {original['amount']}"
            )
        if original["id"] in self.reversed_ids:
            raise ConflictError(f"reverses={request.reverses!r}: that transfer is already reversed")
        self.reversed_ids.add(original["id"])
        return int(original["id"])

    def _close(self, request: TransferRequest) -> dict[str, Any]:
        target = self.known.get((request.ledger, str(request.pending)))
        if target is None or target["kind"] != "pending":
            raise ValidationError(
                "pending", request.pending, "no pending transfer with this client id"
            )
        state = self.pending_state.get(target["id"], "pending")
        if state != "pending":
            raise StateError(
                f"pending transfer {request.pending!r} is already {state}; cannot {request.kind}"
            )
        if target["timeout_at"] is not None and _aware(target["timeout_at"]) <= self.now:
            raise StateError(
                f"pending transfer {request.pending!r} timed out; cannot {request.kind}"
            )
        held = int(target["amount"])
        amount = (request.amount or held) if request.kind == "post" else held
        if amount > held:
            raise ValidationError("amount", request.amount, f"more than the {held} pending")
        return self.settle(request, target, amount)

    def settle(
        self, request: TransferRequest, target: dict[str, Any], amount: int
    ) -> dict[str, Any]:
        """Release ``target``'s pending amount; for a post, book ``amount`` of it as posted."""
        held = int(target["amount"])
        debit, credit = target["debit_id"], target["credit_id"]
        self._add(debit, 2, -held)
        self._add(credit, 3, -held)
        if request.kind == "post":
            self._add(debit, 0, amount)
            self._add(credit, 1, amount)
        row = self._new_row(
            request, debit_id=debit, credit_id=credit, amount=amount, pending_id=target["id"]
        )
        self.closed.append(
            (
                int(target["id"]),
                {"post": "posted", "void": "voided"}.get(request.kind, "expired"),
                row["id"],
            )
        )
        self.pending_state[target["id"]] = self.closed[-1][1]
        return row

    def _same_as(self, request: TransferRequest, earlier: dict[str, Any]) -> None:
        """A replay must ask for exactly what the first submission asked for."""
        asked: dict[str, Any] = {"kind": request.kind, "reason": request.reason}
        if request.kind in ("posted", "pending"):
            asked |= {
                "amount": request.amount,
                "debit_id": self.codes.get((request.ledger, request.debit)),
                "credit_id": self.codes.get((request.ledger, request.credit)),
            }
        else:
            target = self.known.get((request.ledger, str(request.pending)))
            asked["pending_id"] = target["id"] if target else None
            if request.kind == "post" and request.amount:
                asked["amount"] = request.amount
        different = sorted(k for k, v in asked.items() if earlier.get(k) != v)
        if different:
            raise ConflictError(
                f"client_id={request.client_id!r} was used before for a different transfer "
                f"(differs in {', '.join(different)})"
            )

    # -- writing --------------------------------------------------------------------------
    def write(self) -> None:
        self.repo.add_transfers(self.new_rows)
        self.repo.open_pending(self.opened)
        for transfer_id, state, closed_by in self.closed:
            if not self.repo.close_pending(transfer_id, state, closed_by):  # never twice
                raise StateError(f"pending transfer {transfer_id} was closed meanwhile")
        self.repo.add_to_balances({k: v for k, v in self.deltas.items() if any(v)})


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _numbered(index: int, request: TransferRequest, exc: CommgovError) -> CommgovError:
    """The same error, naming the transfer in the batch that failed."""
    where = f"transfer {index} (client_id {request.client_id!r})"
    if isinstance(exc, ValidationError):
        return ValidationError(exc.field, exc.value, f"{where}: {exc.reason}")
    return type(exc)(f"{where}: {exc}")
