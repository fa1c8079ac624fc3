"""The pure rules behind the front desk, without a store: periods, statement lines, rankings,
the caps' words, a service dated after now, and the sentences a clerk reads."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import commgov
from commgov.ledger.model import (
    SERVICE_SKEW,
    Transfer,
    capped,
    check_happened,
    choose_period,
    describe,
    final_owner,
    fold,
    month_period,
    posted_balance,
    ranked,
    statement_lines,
    trimmed_by,
)
from commgov.ledger.model.rules import PointsRule
from commgov.ledger.model.words import has_left, service_closed, short_of_points

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
ACCOUNT, OTHER = 7, 9


# -- periods ---------------------------------------------------------------------------------
def test_a_month_is_its_days_and_its_bounds_are_local_midnights() -> None:
    november = month_period("2026-11")
    assert (november.start, november.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert november.label == "2026-11"
    since, until = november.bounds(SHANGHAI)
    assert since == dt.datetime(2026, 10, 31, 16, tzinfo=dt.UTC)  # 00:00 in Beijing
    assert until == dt.datetime(2026, 11, 30, 16, tzinfo=dt.UTC)
    assert month_period("2026-02").end == dt.date(2026, 2, 28)
    assert month_period("2026-12").end == dt.date(2026, 12, 31)


def test_choose_period_defaults_and_refusals() -> None:
    today = dt.date(2026, 11, 17)
    assert choose_period(month=None, start=None, end=None, today=today) == month_period("2026-11")
    span = choose_period(month=None, start=dt.date(2026, 11, 3), end=None, today=today)
    assert (span.start, span.end) == (dt.date(2026, 11, 3), today)
    assert span.label == "2026-11-03 – 2026-11-17"
    for fields, field in (
        ({"month": "2026-13"}, "month"),
        ({"month": "26-11"}, "month"),
        ({"month": 202611}, "month"),
        ({"month": "2026-11", "start": today}, "month"),
        ({"end": today}, "start"),
        ({"start": today, "end": dt.date(2026, 11, 1)}, "end"),
        ({"start": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)}, "start"),
        ({"start": "2026-11-01"}, "start"),
    ):
        asked = {"month": None, "start": None, "end": None} | fields
        with pytest.raises(commgov.ValidationError) as caught:
            choose_period(**asked, today=today)
        assert caught.value.field == field


# -- statement lines -------------------------------------------------------------------------
def transfer(
    i: int, *, incoming: bool, amount: int, minutes: int, kind: str = "posted"
) -> Transfer:
    debit, credit = (OTHER, ACCOUNT) if incoming else (ACCOUNT, OTHER)
    at = T0 + dt.timedelta(minutes=minutes)
    return Transfer(
        i, "points", f"c{i}", kind, debit, credit, amount, "r", "a", None, None, None, at
    )


moves = st.lists(
    st.tuples(
        st.booleans(),
        st.integers(1, 1000),
        st.integers(0, 10_000),
        st.sampled_from(["posted", "posted", "pending", "void"]),
    ),
    max_size=30,
)


@pytest.mark.property
@given(moves, st.integers(0, 10_000), st.integers(0, 10_000))
def test_statement_lines_add_up(found: list[tuple[bool, int, int, str]], a: int, b: int) -> None:
    history = sorted(
        (transfer(i, incoming=inc, amount=amt, minutes=m, kind=k) for i, (inc, amt, m, k) in
         enumerate(found, start=1)),
        key=lambda t: (t.created_at, t.id),
    )  # fmt: skip
    since, until = sorted((T0 + dt.timedelta(minutes=a), T0 + dt.timedelta(minutes=b)))
    built = statement_lines(history, ACCOUNT, since, until)
    before = [t for t in history if t.created_at < since]
    within = [t for t in history if t.created_at < until]
    assert built.opening == posted_balance(before, ACCOUNT)
    assert built.closing == posted_balance(within, ACCOUNT)
    running = built.opening
    for line in built.lines:
        assert since <= line.transfer.created_at < until
        assert line.transfer.kind == "posted"
        running += line.amount
        assert line.balance == running
    assert running == built.closing


def test_a_post_says_what_it_confirmed() -> None:
    held = Transfer(1, "time", "s", "pending", OTHER, ACCOUNT, 60, "service:陪伴", "a", None,
                    None, None, T0)  # fmt: skip
    post = Transfer(2, "time", "p", "post", OTHER, ACCOUNT, 60, "confirmed", "a", 1, None, None,
                    T0 + dt.timedelta(hours=1))  # fmt: skip
    (line,) = statement_lines([held, post], ACCOUNT, T0, T0 + dt.timedelta(days=1)).lines
    assert (line.reason, line.amount, line.balance) == ("service:陪伴", 60, 60)


def test_reasons_in_words() -> None:
    activities = {"volunteer": "志愿服务 volunteering"}
    assert describe("earn:volunteer", True, activities=activities) == "志愿服务 volunteering"
    assert describe("earn:karaoke", True, activities=activities) == "karaoke"
    assert describe("redeem:5", False, rewards={5: "电饭煲"}) == "兑换 redeemed: 电饭煲"
    assert describe("redeem:6", False) == "兑换 redeemed: reward 6"
    assert describe("merge:8:12", True) == "合并 merged from resident 8"
    assert describe("merge:8:12", False) == "合并 merged into resident 12"
    assert describe("gift", True) == "赠与 gift received"
    assert describe("gift", False) == "赠与 gift given"
    assert describe("expire", False) == "过期 expired"
    assert describe("bench", True) == "bench"


# -- rankings and merged records -------------------------------------------------------------
@pytest.mark.property
@given(st.dictionaries(st.integers(1, 50), st.integers(-5, 100)), st.integers(1, 60))
def test_ranks_follow_the_points(totals: dict[int, int], limit: int) -> None:
    board = ranked(totals, limit)
    earners = {k: v for k, v in totals.items() if v > 0}
    assert len(board) == min(limit, len(earners))
    for rank, resident, earned in board:
        assert earned == earners[resident]
        assert rank == 1 + sum(1 for v in earners.values() if v > earned)  # ties share a rank
    assert [-e for _, _, e in board] == sorted(-e for _, _, e in board)


def test_merged_records_count_for_the_one_kept() -> None:
    merged_into = {3: 5, 5: 8, 8: None, 4: None, 9: 9}
    assert final_owner(3, merged_into) == 8
    assert final_owner(4, merged_into) == 4
    assert final_owner(9, merged_into) == 9  # a loop stops
    assert fold([(3, 10), (5, 1), (8, 2), (4, 7)], merged_into) == {8: 13, 4: 7}


# -- caps ------------------------------------------------------------------------------------
rules = st.builds(
    PointsRule,
    points=st.integers(1, 50),
    cap_per_day=st.none() | st.integers(0, 100),
    cap_per_month=st.none() | st.integers(0, 300),
)


@pytest.mark.property
@given(rules, st.integers(1, 200), st.integers(0, 150), st.integers(0, 400))
def test_a_cap_is_named_exactly_when_it_trims(
    rule: PointsRule, asked: int, today: int, month: int
) -> None:
    trimmed = trimmed_by(rule, asked, today, month)
    granted = capped(rule, asked, today, month)
    assert (trimmed is None) == (granted == asked)
    if trimmed is not None:
        which, cap = trimmed
        earned = today if which == "day" else month
        assert cap == (rule.cap_per_day if which == "day" else rule.cap_per_month)
        assert granted == max(cap - earned, 0)


# -- a service dated after now ---------------------------------------------------------------
@pytest.mark.property
@given(st.integers(-600, 600), st.integers(1, 720))
def test_a_service_is_refused_when_it_ends_past_the_skew(offset: int, length: int) -> None:
    now = T0
    end = now + dt.timedelta(minutes=offset)
    start = end - dt.timedelta(minutes=length)
    if end <= now + SERVICE_SKEW:
        check_happened(start, end, now, SHANGHAI)
        return
    with pytest.raises(commgov.ValidationError) as caught:
        check_happened(start, end, now, SHANGHAI)
    field = "start" if start > now + SERVICE_SKEW else "end"
    assert caught.value.field == field
    assert caught.value.value == (start if field == "start" else end).isoformat()


def test_a_future_service_is_said_in_local_time() -> None:
    now = dt.datetime(2026, 11, 3, 1, 0, tzinfo=dt.UTC)
    with pytest.raises(commgov.ValidationError) as caught:
        check_happened(now, now + dt.timedelta(hours=1), now, SHANGHAI)
    assert str(caught.value) == (
        "the service ends at 2026-11-03 10:00, later than now (2026-11-03 09:00): record a "
        "service once it has happened (服务结束时间晚于现在，请在服务结束后登记)"
    )
    assert caught.value.field == "end" and caught.value.worded


# -- the clerk's sentences -------------------------------------------------------------------
def test_the_clerks_sentences() -> None:
    assert short_of_points("张三丰", 15, 500) == (
        "张** has 15 points; the reward needs 500 (张** 现有 15 积分，兑换需要 500)"
    )
    day = dt.date(2026, 11, 3)
    assert has_left("张三", "moved_out", day, None) == (
        "张* moved out on 2026-11-03 (张* 已于 2026-11-03 迁出)"
    )
    assert (
        has_left("张三", "died", day, None) == "张* died on 2026-11-03 (张* 已于 2026-11-03 去世)"
    )
    assert "merged into resident 12" in has_left("张三", "merged", day, 12)
    assert service_closed(4, "confirmed", by="resident:李四", note=None, asked="void") == (
        "service 4 was already confirmed by resident 李*; it cannot be disputed now "
        "(服务 4 已由 resident 李* 确认，不能再提出异议)"
    )


def test_a_worded_error_keeps_its_fields_and_takes_a_context() -> None:
    error = commgov.InsufficientFunds("resident:8", 15, 500, message="张** has 15 points")
    assert (error.account, error.balance, error.amount, error.field) == (
        "resident:8",
        15,
        500,
        "amount",
    )
    assert str(error) == "张** has 15 points"
    assert str(error.with_context("earning 2")) == "earning 2: 张** has 15 points"
    plain = commgov.NotFoundError("reward", 9, message="no reward number 9")
    assert (plain.kind, plain.key, str(plain)) == ("reward", 9, "no reward number 9")
