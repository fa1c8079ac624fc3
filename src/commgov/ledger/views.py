"""What the ledger services hand out: accounts, transfers, earnings, rewards, recorded services,
statements, leaderboards and time-bank summaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from pydantic import ConfigDict

from commgov.kernel.views import View
from commgov.ledger.model import Account, Service, Transfer


class AccountView(View):
    """An account with its balances: ``balance`` is credits minus debits, posted;
    ``available`` is what can still be debited (the balance less pending debits)."""

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

    @classmethod
    def of(cls, account: Account) -> AccountView:
        return cls(
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


@attrs.frozen
class TransferView:
    """A transfer as stored (a light attrs record: batches return thousands of them), its
    times aware in UTC; ``replayed`` when a retry with the same client id returned the first
    result."""

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

    @classmethod
    def of(cls, t: Transfer, replayed: bool = False) -> TransferView:
        return cls(
            t.id,
            t.ledger,
            t.client_id,
            t.kind,
            t.debit_id,
            t.credit_id,
            t.amount,
            t.reason,
            t.actor,
            t.created_at,
            t.pending_id,
            t.reverses_id,
            t.timeout_at,
            replayed,
        )

    def model_dump(self) -> dict[str, Any]:
        return attrs.asdict(self)


class Earning(View):
    """What an earning gave: ``granted`` may be less than asked when a cap was reached (then
    ``cap`` says which, ``day`` or ``month``, and ``note`` says it in a clerk's words);
    ``transfer`` is ``None`` when nothing was granted."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    activity: str
    asked: int
    granted: int
    transfer: TransferView | None = None
    cap: str | None = None
    note: str | None = None


class RewardView(View):
    id: int
    unit_code: str
    name: str
    price: int
    stock: int
    partner: str | None = None


class ServiceView(View):
    """A volunteer's recorded service: ``pending``, ``confirmed`` or ``voided``; its start and
    end in UTC."""

    id: int
    provider_id: int
    recipient_id: int
    kind: str
    started_at: dt.datetime
    ended_at: dt.datetime
    minutes: int
    state: str
    note: str | None = None

    @classmethod
    def of(cls, service: Service) -> ServiceView:
        return cls(
            id=service.id,
            provider_id=service.provider_id,
            recipient_id=service.recipient_id,
            kind=service.kind,
            started_at=service.started_at,
            ended_at=service.ended_at,
            minutes=service.minutes,
            state=service.state,
            note=service.note,
        )


class PendingService(View):
    """A service waiting for confirmation, as a worker's list shows it: the names masked as
    the reader's rights require; ``unit_code`` is where the recipient lives; ``recorded_at``
    when it was entered (UTC)."""

    id: int
    provider_id: int
    provider_name: str
    recipient_id: int
    recipient_name: str
    unit_code: str
    kind: str
    started_at: dt.datetime
    ended_at: dt.datetime
    minutes: int
    recorded_at: dt.datetime


class StatementLine(View):
    """One line of a statement: ``date`` is the day in the store's zone (``at`` the moment, in
    UTC); ``reason`` the code kept with the transfer and ``label`` the same in words;
    ``amount`` is signed (in: positive, out: negative) and ``balance`` is after the line."""

    at: dt.datetime
    date: dt.date
    reason: str
    label: str
    amount: int
    balance: int
    transfer_id: int


class AccountStatement(View):
    """A resident's points (``ledger="points"``) or time-bank minutes (``"time"``) over a
    period, from ``start`` to ``end`` (days in the store's zone, both included): the balance
    at its opening, each posting, the balance at its close. ``waiting`` is what is held for
    them now, waiting for confirmation (not in the balance). ``name`` is masked as the
    reader's rights require; ``left`` says how they left, when they did (the balance stays
    readable)."""

    resident_id: int
    name: str
    ledger: str
    start: dt.date
    end: dt.date
    opening: int
    lines: tuple[StatementLine, ...]
    closing: int
    waiting: int = 0
    left: str | None = None


class LeaderboardRow(View):
    """A resident on a leaderboard: points earned in the period, lifetime points earned by
    its end, and the highest honour tier (荣誉) those reach (``None``: none yet)."""

    rank: int
    resident_id: int
    name: str
    unit_code: str
    earned: int
    lifetime: int
    tier: str | None


class Leaderboard(View):
    """The residents under ``unit_code`` who earned most points from ``start`` to ``end``
    (days in the store's zone, both included), most first."""

    unit_code: str
    start: dt.date
    end: dt.date
    rows: tuple[LeaderboardRow, ...]


class StatementRow(View):
    """Minutes served (confirmed), received and held, for one resident."""

    resident_id: int
    served: int
    received: int
    held: int


class OrganisationRow(View):
    """Minutes an organisation's account (a community pool, a volunteer team) took in, gave out
    and holds."""

    code: str
    kind: str
    unit_code: str
    received: int
    given: int
    held: int


class PoolTransfer(View):
    """Hours moved from one community's pool to another's: ``via`` is the town whose pool they
    went through (two linked postings), ``None`` when they went straight; ``transfer_ids`` the
    postings in order; ``reason`` the caller's; ``replayed`` when a retry with the same client
    id returned the first move."""

    client_id: str
    from_community: str
    to_community: str
    via: str | None
    minutes: int
    reason: str
    transfer_ids: tuple[int, ...]
    at: dt.datetime
    replayed: bool = False


class ExchangeLine(View):
    """One movement of hours between a community and another: a service across communities
    settled (``service_id`` set) or a move between pools. ``date`` is the day in the store's
    zone (``at`` the moment, in UTC); ``counterpart`` the unit at the other end; ``via`` the
    town whose pool a move went through; ``client_id`` the movement's, the same on both sides;
    ``balance`` the community's balance after the line."""

    at: dt.datetime
    date: dt.date
    counterpart: str
    via: str | None
    minutes_in: int
    minutes_out: int
    reason: str
    label: str
    service_id: int | None
    client_id: str
    transfer_id: int
    balance: int


class ExchangeStatement(View):
    """A community's exchanges with other communities from ``start`` to ``end`` (days in the
    store's zone, both included). The balance is its pool's minutes plus its clearing position
    (below zero: what it owes for services its residents received from other communities):
    ``opening`` + ``minutes_in`` − ``minutes_out`` + ``other`` = ``closing``, where ``other``
    nets the pool's postings that are not exchanges (donations, grants). ``pool`` and
    ``clearing`` split the closing balance."""

    community: str
    name: str
    start: dt.date
    end: dt.date
    opening: int
    lines: tuple[ExchangeLine, ...]
    minutes_in: int
    minutes_out: int
    other: int
    closing: int
    pool: int
    clearing: int
