"""Statements and leaderboards as pure rules: an account's lines over a period with a running
balance, each line's reason in words, and the ranking of residents by points earned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from commgov.ledger.model.transfers import POSTING_KINDS, Transfer

FIXED_LABELS = {
    "expire": "过期 expired",
    "partner_settlement": "合伙人结算 partner settlement",
    "care": "护理 care received",
    "donation": "捐赠 donated to a community pool",
    "pool_grant": "社区划拨 granted from a community pool",
}


def merge_reason(duplicate_id: int, kept_id: int) -> str:
    """The reason of the transfer that moves a merged duplicate's balance to the kept record."""
    return f"merge:{duplicate_id}:{kept_id}"


def describe(
    reason: str,
    incoming: bool,
    *,
    activities: Mapping[str, str] | None = None,
    rewards: Mapping[int, str] | None = None,
) -> str:
    """A transfer's reason code in a clerk's words (``earn:volunteer`` → ``志愿服务
    volunteering`` with the town's table); an unknown code is shown as it is."""
    kind, _, rest = reason.partition(":")
    if kind == "earn" and rest:
        return (activities or {}).get(rest, rest)
    if kind == "redeem" and rest.isdigit():
        name = (rewards or {}).get(int(rest), f"reward {rest}")
        return f"兑换 redeemed: {name}"
    if kind == "service" and rest:
        return f"服务 service: {rest}"
    if kind == "merge" and rest:
        duplicate, _, kept = rest.partition(":")
        if incoming:
            return f"合并 merged from resident {duplicate}"
        return f"合并 merged into resident {kept or '?'}"
    if kind == "gift":
        return "赠与 gift received" if incoming else "赠与 gift given"
    return FIXED_LABELS.get(reason, reason)


@attrs.frozen
class Line:
    """One line of a statement: a posting that moved the account's balance."""

    transfer: Transfer
    reason: str
    """The reason that says what happened: a confirmed service's own (``service:陪伴``), not
    its confirmation's."""
    amount: int
    """Signed: what came in is positive, what went out negative."""
    balance: int


@attrs.frozen
class Lines:
    opening: int
    lines: tuple[Line, ...]

    @property
    def closing(self) -> int:
        return self.lines[-1].balance if self.lines else self.opening


def statement_lines(
    transfers: Sequence[Transfer], account_id: int, since: dt.datetime, until: dt.datetime
) -> Lines:
    """The opening balance at ``since`` and the lines from ``since`` up to (not including)
    ``until`` of ``account_id``, from its ``transfers`` (its history: oldest first, pending
    ones included so a post can say what it confirmed)."""
    by_id = {t.id: t for t in transfers}
    opening = 0
    lines: list[Line] = []
    for t in transfers:
        if t.kind not in POSTING_KINDS or t.created_at >= until:
            continue
        amount = t.amount if t.credit_id == account_id else -t.amount
        if t.created_at < since:
            opening += amount
            continue
        reason = t.reason
        if t.kind == "post" and t.pending_id is not None and t.pending_id in by_id:
            reason = by_id[t.pending_id].reason
        balance = (lines[-1].balance if lines else opening) + amount
        lines.append(Line(t, reason, amount, balance))
    return Lines(opening, tuple(lines))


def final_owner(resident_id: int, merged_into: Mapping[int, int | None]) -> int:
    """The record ``resident_id``'s points belong to now: itself, or the record it was merged
    into (following merges of merges)."""
    seen = {resident_id}
    current = resident_id
    while (nxt := merged_into.get(current)) is not None and nxt not in seen:
        seen.add(nxt)
        current = nxt
    return current


def fold(
    totals: Iterable[tuple[int, int]], merged_into: Mapping[int, int | None]
) -> dict[int, int]:
    """Sum ``(resident_id, amount)`` pairs per final owner (see ``final_owner``)."""
    out: dict[int, int] = {}
    for resident_id, amount in totals:
        owner = final_owner(resident_id, merged_into)
        out[owner] = out.get(owner, 0) + amount
    return out


def ranked(totals: Mapping[int, int], limit: int) -> list[tuple[int, int, int]]:
    """``(rank, resident_id, earned)`` for the ``limit`` residents who earned most (more than
    nothing), most first; ties share a rank and the next rank skips (1, 2, 2, 4), ties listed
    by resident id."""
    order = sorted(((-v, k) for k, v in totals.items() if v > 0))[:limit]
    out: list[tuple[int, int, int]] = []
    for position, (negative, resident_id) in enumerate(order, start=1):
        earned = -negative
        rank = out[-1][0] if out and out[-1][2] == earned else position
        out.append((rank, resident_id, earned))
    return out
