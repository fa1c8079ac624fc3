"""The ledger's pure rules, without a store: the points caps, earnings asked for, limits,
balances replayed from transfers and the length of a time-bank service."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import commgov
from commgov.ledger.model import (
    Account,
    CapTally,
    EarnRequest,
    Transfer,
    as_earning,
    cap_periods,
    capped,
    check_limits,
    default_flags,
    expirable,
    posted_balance,
    service_minutes,
)
from commgov.ledger.model.rules import PointsRule

DAILY = PointsRule(10, per="hour", cap_per_day=40)
BOTH = PointsRule(2, cap_per_day=2, cap_per_month=60)
FREE = PointsRule(5)


@pytest.mark.parametrize(
    ("rule", "asked", "today", "month", "granted"),
    [
        (DAILY, 30, 0, 0, 30),
        (DAILY, 30, 30, 30, 10),  # 40 a day
        (DAILY, 30, 45, 45, 0),  # never negative, even past the cap
        (BOTH, 2, 0, 59, 1),  # the month's cap binds first
        (BOTH, 2, 2, 2, 0),
        (FREE, 500, 10**6, 10**6, 500),  # no caps
    ],
)
def test_capped(rule: PointsRule, asked: int, today: int, month: int, granted: int) -> None:
    assert capped(rule, asked, today, month) == granted


def test_a_tally_applies_caps_in_order_per_account_and_activity() -> None:
    tally = CapTally({(1, "earn:volunteer"): (10, 10)})
    assert [tally.grant((1, "earn:volunteer"), DAILY, 30) for _ in range(3)] == [30, 0, 0]
    assert tally.grant((2, "earn:volunteer"), DAILY, 30) == 30  # another resident
    assert tally.grant((1, "earn:waste_sorting"), BOTH, 2) == 2  # another activity
    assert tally.earned[(1, "earn:volunteer")] == (40, 40)


def test_cap_periods_start_at_midnight_and_on_the_first() -> None:
    day, month = cap_periods(dt.datetime(2025, 6, 18, 14, 5, 3, 9, tzinfo=dt.UTC), dt.UTC)
    assert day == dt.datetime(2025, 6, 18, tzinfo=dt.UTC)
    assert month == dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def test_cap_periods_are_counted_in_the_stores_zone() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    # 16:30 UTC on 30 June is 00:30 on 1 July in Shanghai: a new day and a new month there
    day, month = cap_periods(dt.datetime(2025, 6, 30, 16, 30, tzinfo=dt.UTC), shanghai)
    assert day == month == dt.datetime(2025, 6, 30, 16, 0, tzinfo=dt.UTC)
    assert day.tzinfo is dt.UTC


def test_earn_requests() -> None:
    item = as_earning({"resident_id": 3, "activity": "meeting", "client_id": "m"})
    assert item == EarnRequest(3, "meeting", "m", 1) and item.reason == "earn:meeting"
    assert as_earning(item) is item
    for bad in (0, -1, 1.5, True):
        with pytest.raises(commgov.ValidationError) as caught:
            EarnRequest(3, "meeting", "m", bad).check()  # type: ignore[arg-type]
        assert (caught.value.field, caught.value.value) == ("quantity", bad)
    for fields in ({"resident_id": 3, "activity": "meeting"}, {"who": 3}):
        with pytest.raises(commgov.ValidationError) as caught:
            as_earning(fields)
        assert caught.value.field == "earning" and caught.value.value == sorted(fields)


def test_expirable_never_takes_spent_expired_or_held_points() -> None:
    assert expirable(earned_expired=20, spent=5, already_expired=0, available=40) == 15
    assert expirable(earned_expired=20, spent=5, already_expired=15, available=40) == 0
    assert expirable(earned_expired=20, spent=30, already_expired=0, available=40) == 0
    assert expirable(earned_expired=20, spent=0, already_expired=0, available=8) == 8


def account(code: str, kind: str, *, balances: tuple[int, int, int, int]) -> Account:
    overdraft, positive = default_flags(kind, code)
    dp, cp, dq, cq = balances
    return Account(1, "points", code, kind, overdraft, positive, dp, cp, dq, cq)


def test_limits_and_their_errors() -> None:
    alice = account("alice", "resident", balances=(0, 100, 30, 0))
    issuance = account("system:issuance", "system", balances=(100, 0, 0, 0))
    bob = account("bob", "resident", balances=(0, 0, 0, 0))
    overdraft = check_limits(alice, (0, 100, 30, 0), bob, (0, 0, 0, 0), 71)
    assert overdraft is not None and overdraft.available == 70
    error = overdraft.error(71)
    assert isinstance(error, commgov.InsufficientFunds)
    assert (error.account, error.balance, error.amount) == ("alice", 70, 71)
    assert check_limits(alice, (0, 100, 30, 0), bob, (0, 0, 0, 0), 70) is None
    above = check_limits(bob, (0, 500, 0, 0), issuance, (100, 0, 0, 0), 101)
    assert above is not None and above.available is None
    assert type(above.error(101)) is commgov.ValidationError
    assert default_flags("system", "system:care") == (False, False)
    assert default_flags("partner", "partner:x") == (True, False)


def test_posted_balance_counts_posting_transfers_only() -> None:
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    def t(kind: str, debit: int, credit: int, amount: int) -> Transfer:
        return Transfer(
            0, "points", "c", kind, debit, credit, amount, "r", "a", None, None, None, at
        )

    moves = [t("posted", 9, 1, 50), t("pending", 1, 2, 20), t("post", 1, 2, 15), t("void", 1, 2, 5)]
    assert posted_balance(moves, 1) == 35
    assert posted_balance(moves, 2) == 15


def test_service_minutes() -> None:
    start = dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC)
    assert service_minutes(start, start + dt.timedelta(minutes=90, seconds=59)) == 90
    for end in (start, start + dt.timedelta(hours=13)):
        with pytest.raises(commgov.ValidationError) as caught:
            service_minutes(start, end)
        assert caught.value.field == "end"
