"""The ledger under a hostile probe (issue 17): retries racing a redemption, amounts and running
balances at their bounds, times in a zone other than UTC, client ids callers must not take,
retries that differ, values of the wrong type or range, reads by actors without reach, and
racing confirmations of a time-bank service. Every case on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from tests.conftest import NOW, Town
from tests.ledger.helpers import family, one_hour_of_care, seeded_book

import commgov
from commgov.kernel.times import EARLIEST, LATEST
from commgov.ledger.model import MAX_AMOUNT, MAX_TOTAL, RESERVED
from commgov.ledger.tables import ledger_transfers, reward_items, timebank_services

A = commgov.Actor.system("probe")
SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = dt.timedelta(hours=1)


# -- helpers -------------------------------------------------------------------------------
def written(cg: commgov.Commgov) -> tuple[Any, ...]:
    """What the ledger holds: equal before and after a refused call = nothing written."""
    with cg.context.uow(readonly=True) as uow:
        count = uow.conn.execute(select(func.count()).select_from(ledger_transfers)).scalar_one()
        stock = uow.conn.execute(select(func.coalesce(func.sum(reward_items.c.stock), 0)))
        services = uow.conn.execute(select(func.count()).select_from(timebank_services))
        return (
            count,
            int(stock.scalar_one()),
            services.scalar_one(),
            cg.ledger.books(A, "points"),
            cg.ledger.books(A, "time"),
        )


def fund(cg: commgov.Commgov, resident: int, amount: int, ledger: str = "points") -> None:
    """Give ``resident`` ``amount`` on ``ledger`` straight from issuance."""
    cg.ledger.ensure_account(A, ledger=ledger, code="system:issuance", kind="system")
    cg.ledger.ensure_account(
        A, ledger=ledger, code=f"resident:{resident}", kind="resident", resident_id=resident
    )
    cg.ledger.transfer(
        A,
        client_id=f"fund-{ledger}-{resident}-{amount}",
        ledger=ledger,
        debit="system:issuance",
        credit=f"resident:{resident}",
        amount=amount,
        reason="seed",
    )


def move(client_id: str, amount: int = 10, **more: Any) -> dict[str, Any]:
    fields = {"ledger": "points", "debit": "alice", "credit": "bob", "reason": "gift"}
    return {"client_id": client_id, "amount": amount, **fields, **more}


def shanghai_clock(cg: commgov.Commgov, start: dt.datetime) -> list[dt.datetime]:
    """Set the store's clock to answer in Asia/Shanghai; move it by changing ``clock[0]``."""
    clock = [start]
    cg.context.clock = lambda: clock[0]
    return clock


def utc_clock(cg: commgov.Commgov, start: dt.datetime) -> list[dt.datetime]:
    """Set the store's clock to answer in UTC (as the real one does) from ``start``."""
    clock = [start.astimezone(dt.UTC)]
    cg.context.clock = lambda: clock[0]
    return clock


def is_utc(moment: dt.datetime | None) -> bool:
    return moment is not None and moment.utcoffset() == dt.timedelta(0)


# -- 1. redemptions retried concurrently take stock once ----------------------------------------
def test_redemptions_each_sent_twice_at_once_take_stock_and_points_once(
    any_town: Town,
) -> None:
    """40 redemptions, each submitted by two threads at the same moment with one client id."""
    cg, admin = any_town.cg, any_town.admin
    _, child, _ = family(any_town)
    price, count = 5, 40
    fund(cg, child, 1000)
    reward = cg.points.add_reward(
        admin, unit=any_town.community_a, name="券", price=price, stock=100
    )

    def redeem_twice(i: int) -> list[bool]:
        start = threading.Barrier(2)

        def once() -> bool:
            start.wait()
            view = cg.points.redeem(admin, child, reward.id, client_id=f"redeem-{i}")
            return view.replayed

        with ThreadPoolExecutor(2) as pool:
            return sorted(pool.map(lambda _: once(), range(2)))

    answers = [redeem_twice(i) for i in range(count)]
    assert answers == [[False, True]] * count  # one applied, one replayed, every time
    assert cg.points.reward(admin, reward.id).stock == 100 - count
    mine = cg.ledger.account(admin, "points", f"resident:{child}")
    assert mine.debits_posted == count * price and mine.balance == 1000 - count * price
    assert cg.ledger.account(admin, "points", "system:redemption").balance == count * price


# -- 2. amounts and running balances are bounded --------------------------------------------
@pytest.mark.parametrize("amount", [MAX_AMOUNT + 1, 2**62, 2**63, 2**64, -(2**63) - 1])
def test_an_amount_past_the_bound_is_refused_and_writes_nothing(
    any_store: commgov.Commgov, amount: int
) -> None:
    book = any_store.ledger
    seeded_book(book, systems=("system:free",))
    before = written(any_store)
    with pytest.raises(commgov.ValidationError) as caught:
        book.transfer(A, **move("big", amount, debit="system:free"))
    assert caught.value.field == "amount" and caught.value.value == amount
    assert written(any_store) == before
    # the largest allowed amount goes through, twice, and the account reads back exactly
    for n in range(2):
        book.transfer(A, **move(f"max{n}", MAX_AMOUNT, debit="system:free"))
    assert book.account(A, "points", "bob").balance == 2 * MAX_AMOUNT


def test_running_balances_stop_at_max_total_and_stay_readable(
    any_store: commgov.Commgov,
) -> None:
    """Every running column an account keeps is checked as the batch updates it."""
    book = any_store.ledger
    seeded_book(book, systems=("system:free",))
    whole, rest = divmod(MAX_TOTAL, MAX_AMOUNT)
    many = [move(f"m{i}", MAX_AMOUNT, debit="system:free") for i in range(whole + 1)]
    before = written(any_store)
    with pytest.raises(commgov.ValidationError) as caught:
        book.submit(A, many)  # the last one would take bob's credits past MAX_TOTAL
    assert caught.value.field == "amount" and str(MAX_TOTAL) in str(caught.value)
    assert caught.value.context == f"transfer {whole} (client_id 'm{whole}')"
    assert written(any_store) == before
    book.submit(A, [*many[:whole], move("rest", rest, debit="system:free")])
    bob = book.account(A, "points", "bob")
    assert bob.credits_posted == bob.balance == MAX_TOTAL
    with pytest.raises(commgov.ValidationError, match=str(MAX_TOTAL)) as caught:
        book.transfer(A, **move("one", 1, debit="system:free"))
    assert caught.value.field == "amount"
    book.transfer(A, **move("held", 1, kind="pending"))  # pending credits: a column of its own
    assert book.account(A, "points", "system:free").debits_posted == MAX_TOTAL
    books = book.books(A, "points")
    assert books["debits_posted"] == books["credits_posted"]


def test_points_and_minutes_are_bounded_too(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    elder, child, _ = family(any_town)
    fund(cg, child, 100, "time")
    before = written(cg)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.points.earn(admin, child, "volunteer", quantity=MAX_AMOUNT, client_id="e")
    assert caught.value.field == "quantity"
    with pytest.raises(commgov.ValidationError) as caught:
        cg.points.earn(admin, child, "volunteer", quantity=2**63, client_id="e")
    assert caught.value.field == "quantity"
    for call in (
        lambda: cg.timebank.redeem_care(admin, child, minutes=2**62, client_id="c"),
        lambda: cg.timebank.give(admin, child, elder, minutes=2**63, client_id="g"),
        lambda: cg.timebank.donate(
            admin, child, minutes=MAX_AMOUNT + 1, community=any_town.community_a, client_id="d"
        ),
    ):
        with pytest.raises(commgov.ValidationError) as caught:
            call()
        assert caught.value.field == "minutes"
    for field, fields in (("price", {"price": 2**62}), ("stock", {"stock": 2**31})):
        with pytest.raises(commgov.ValidationError) as caught:
            cg.points.add_reward(
                admin, unit=any_town.community_a, name="券", **({"price": 5, "stock": 1} | fields)
            )
        assert caught.value.field == field
    assert written(cg) == before


# -- 3. times: aware, UTC, days counted in the store's zone -------------------------------------
def test_a_one_hour_hold_expires_after_one_hour_with_a_clock_in_shanghai(
    any_store: commgov.Commgov,
) -> None:
    book = any_store.ledger
    seeded_book(book, systems=("system:free",))
    clock = shanghai_clock(any_store, dt.datetime(2025, 6, 30, 17, 0, tzinfo=SHANGHAI))
    held = [book.transfer(A, **move(f"h{i}", 10, kind="pending", timeout=HOUR)) for i in range(2)]
    expected = dt.datetime(2025, 6, 30, 10, 0, tzinfo=dt.UTC)
    assert held[0].timeout_at == expected and is_utc(held[0].timeout_at)
    assert held[0].created_at == expected - HOUR and is_utc(held[0].created_at)
    for view in book.history(A, "points", "alice"):
        assert is_utc(view.created_at)
        assert view.timeout_at is None or (view.timeout_at == expected and is_utc(view.timeout_at))
    clock[0] = dt.datetime(2025, 6, 30, 17, 59, tzinfo=SHANGHAI)
    assert book.expire_pending(A) == 0
    clock[0] = dt.datetime(2025, 6, 30, 18, 0, 1, tzinfo=SHANGHAI)
    with pytest.raises(commgov.StateError, match="timed out"):
        book.post(A, client_id="h1-post", ledger="points", pending="h1")
    assert book.expire_pending(A) == 2
    assert book.account(A, "points", "alice").available == 100


def test_moments_from_callers_must_carry_a_zone(any_store: commgov.Commgov) -> None:
    book = any_store.ledger
    seeded_book(book, systems=("system:free",))
    naive = dt.datetime(2025, 6, 30, 18, 0)
    before = written(any_store)
    for field, call in (
        ("now", lambda: book.expire_pending(A, now=naive)),
        ("at", lambda: book.balance_as_of(A, "points", "alice", naive)),
        ("until", lambda: book.history(A, "points", "alice", until=naive)),
        ("now", lambda: any_store.points.expire(A, now=naive)),
    ):
        with pytest.raises(commgov.ValidationError) as caught:
            call()
        assert caught.value.field == field
    assert written(any_store) == before


def test_balance_as_of_the_same_instant_in_two_zones_agrees(any_store: commgov.Commgov) -> None:
    book = any_store.ledger
    seeded_book(book, systems=("system:free",))  # 100 to alice at 09:00 UTC
    later = [NOW + 3 * HOUR]
    any_store.context.clock = lambda: later[0]
    book.transfer(A, **move("noon", 20))  # 12:00 UTC = 20:00 in Shanghai
    instant = NOW + HOUR  # 10:00 UTC, 18:00 in Shanghai: after the seed, before noon
    in_utc = book.balance_as_of(A, "points", "bob", instant)
    in_shanghai = book.balance_as_of(A, "points", "bob", instant.astimezone(SHANGHAI))
    assert in_utc == in_shanghai == 0
    assert book.balance_as_of(A, "points", "bob", (NOW + 3 * HOUR).astimezone(SHANGHAI)) == 20
    assert [t.client_id for t in book.history(A, "points", "bob", until=instant)] == []


def test_service_times_read_back_aware_and_in_utc(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    _, child, alone = family(any_town)
    start = dt.datetime(2025, 6, 30, 14, 0, tzinfo=SHANGHAI)  # 06:00 UTC, before NOW
    service = cg.timebank.record(
        admin,
        provider_id=child,
        recipient_id=alone,
        kind="陪诊",
        start=start,
        end=start + 2 * HOUR,
        client_id="svc",
    )
    confirmed = cg.timebank.confirm(admin, service.id)
    for view in (service, confirmed):
        assert view.started_at == start and is_utc(view.started_at)
        assert view.ended_at == start + 2 * HOUR and is_utc(view.ended_at)
    again = cg.timebank.record(
        admin,
        provider_id=child,
        recipient_id=alone,
        kind="陪诊",
        start=start.astimezone(dt.UTC),  # the same instant, written in UTC: the same service
        end=start + 2 * HOUR,
        client_id="svc",
    )
    assert again.id == service.id and is_utc(again.started_at)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.timebank.record(
            admin,
            provider_id=child,
            recipient_id=alone,
            kind="陪诊",
            start=dt.datetime(2025, 6, 30, 9),
            end=dt.datetime(2025, 6, 30, 10),
            client_id="naive",
        )
    assert caught.value.field == "start"


def test_caps_per_day_and_month_reset_at_local_midnight(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    _, child, _ = family(any_town)
    # a clock answering in UTC: the days and months of the caps are the store's zone's all the same
    clock = utc_clock(cg, dt.datetime(2025, 6, 30, 23, 30, tzinfo=SHANGHAI))
    assert cg.points.earn(admin, child, "volunteer", quantity=4, client_id="v1").granted == 40
    assert cg.points.earn(admin, child, "volunteer", client_id="v2").granted == 0  # 40 a day
    assert (
        cg.points.earn(admin, child, "suggestion_accepted", quantity=3, client_id="s1").granted
        == 60
    )
    # 00:30 on 1 July in Shanghai (still 30 June in UTC): a new day and a new month
    clock[0] = dt.datetime(2025, 7, 1, 0, 30, tzinfo=SHANGHAI).astimezone(dt.UTC)
    assert cg.points.earn(admin, child, "volunteer", quantity=4, client_id="v3").granted == 40
    assert cg.points.earn(admin, child, "suggestion_accepted", client_id="s2").granted == 20


def test_points_expire_at_the_end_of_the_local_year(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    _, child, _ = family(any_town)
    # 00:30 on 1 January 2025 in Shanghai, still 2024 in UTC: earned in 2025, kept until 2027
    utc_clock(cg, dt.datetime(2025, 1, 1, 0, 30, tzinfo=SHANGHAI))
    cg.points.earn(admin, child, "suggestion_accepted", client_id="s")
    assert cg.points.expire(admin, now=dt.datetime(2026, 1, 1, 12, tzinfo=SHANGHAI)) == 0
    assert cg.points.expire(admin, now=dt.datetime(2027, 1, 1, 0, 0, tzinfo=SHANGHAI)) == 20


# -- 4. client ids the library makes are out of callers' reach ----------------------------------
def test_callers_cannot_take_the_ledgers_own_client_ids(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    elder, child, _ = family(any_town)
    fund(cg, child, 100)
    fund(cg, child, 100, "time")
    reward = cg.points.add_reward(admin, unit=any_town.community_a, name="券", price=5, stock=3)
    cid = f"{RESERVED}anything"
    cg.ledger.open_account(A, ledger="points", code="bob", kind="resident")
    before = written(cg)
    calls: list[Callable[[], object]] = [
        lambda: cg.ledger.transfer(
            A,
            client_id=cid,
            ledger="points",
            debit=f"resident:{child}",
            credit="bob",
            amount=1,
            reason="x",
        ),
        lambda: cg.ledger.submit(A, [move("fine", debit=f"resident:{child}"), move(cid)]),
        lambda: cg.ledger.post(A, client_id=cid, ledger="points", pending="p"),
        lambda: cg.ledger.void(A, client_id=cid, ledger="points", pending="p"),
        lambda: cg.points.earn(admin, child, "volunteer", client_id=cid),
        lambda: cg.points.earn_many(
            admin, [{"resident_id": child, "activity": "volunteer", "client_id": cid}]
        ),
        lambda: cg.points.redeem(admin, child, reward.id, client_id=cid),
        lambda: cg.points.settle_partner(admin, partner="x", amount=1, client_id=cid),
        lambda: cg.timebank.record(
            admin,
            provider_id=child,
            recipient_id=elder,
            kind="陪伴",
            start=NOW - HOUR,
            end=NOW,
            client_id=cid,
        ),
        lambda: cg.timebank.redeem_care(admin, child, minutes=1, client_id=cid),
        lambda: cg.timebank.give(admin, child, elder, minutes=1, client_id=cid),
        lambda: cg.timebank.donate(
            admin, child, minutes=1, community=any_town.community_a, client_id=cid
        ),
        lambda: cg.timebank.grant(
            admin, community=any_town.community_a, elder_id=elder, minutes=1, client_id=cid
        ),
    ]
    for call in calls:
        with pytest.raises(commgov.ValidationError) as caught:
            call()
        assert caught.value.field == "client_id" and RESERVED in caught.value.reason
    assert written(cg) == before


def test_a_caller_can_no_longer_block_the_expiry_of_holds(any_store: commgov.Commgov) -> None:
    book = any_store.ledger
    seeded_book(book, systems=("system:free",))
    hold = book.transfer(A, **move("hold", 10, kind="pending", timeout=HOUR))
    book.transfer(A, **move(f"expire:{hold.id}", 1))  # the id the expiry job used to take
    assert book.expire_pending(A, now=NOW + 2 * HOUR) == 1
    assert book.account(A, "points", "alice").available == 99  # the hold released


def test_a_caller_can_no_longer_block_points_expiry(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    _, child, _ = family(any_town)
    cg.points.earn(admin, child, "suggestion_accepted", client_id="s")
    account = cg.ledger.account(admin, "points", f"resident:{child}")
    cg.ledger.open_account(A, ledger="points", code="bob", kind="resident")
    when = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    cg.ledger.transfer(  # the id the expiry job used to take
        A,
        client_id=f"expire:{account.id}:{when.date().isoformat()}",
        ledger="points",
        debit=account.code,
        credit="bob",
        amount=1,
        reason="gift",
    )
    assert cg.points.expire(admin, now=when) == 19
    assert cg.points.expire(admin, now=when) == 0


def test_a_caller_can_no_longer_make_a_service_unconfirmable(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    _, child, alone = family(any_town)
    service = one_hour_of_care(cg, admin, child, alone)
    fund(cg, alone, 5, "time")
    cg.ledger.transfer(  # the id the confirmation used to take
        A,
        client_id="post:svc",
        ledger="time",
        debit=f"resident:{alone}",
        credit="system:issuance",
        amount=1,
        reason="x",
    )
    assert cg.timebank.confirm(admin, service.id).state == "confirmed"
    assert cg.ledger.account(admin, "time", f"resident:{child}").balance == 60


# -- 5. a retry that differs is a conflict --------------------------------------------------
BASE = move("t", 10, kind="pending", timeout=HOUR)
CHANGES = {
    "amount": {"amount": 11},
    "debit": {"debit": "system:free"},
    "credit": {"credit": "carol"},
    "reason": {"reason": "other"},
    "kind": {"kind": "posted", "timeout": None},
    "timeout": {"timeout": 2 * HOUR},
}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_a_retry_that_changes_any_field_is_a_conflict(
    any_store: commgov.Commgov, field: str
) -> None:
    book = any_store.ledger
    seeded_book(book, systems=("system:free",))
    book.open_account(A, ledger="points", code="carol", kind="resident")
    first = book.transfer(A, **BASE)
    assert book.transfer(A, **BASE).replayed
    before = written(any_store)
    with pytest.raises(commgov.ConflictError, match=rf"differs in .*{field}"):
        book.transfer(A, **(BASE | CHANGES[field]))
    assert written(any_store) == before
    assert book.transfer(A, **BASE).id == first.id


def test_retries_of_reversals_and_posts_compare_what_they_point_at(
    any_store: commgov.Commgov,
) -> None:
    book = any_store.ledger
    seeded_book(book, systems=("system:free",))
    book.transfer(A, **move("a", 10))
    book.transfer(A, **move("b", 10))
    fix = move("fix", 5, debit="bob", credit="alice", reverses="a")
    book.transfer(A, **fix)
    for changed, field in (({"reverses": "b"}, "reverses"), ({"reverses": None}, "reverses")):
        with pytest.raises(commgov.ConflictError, match=field):
            book.transfer(A, **(fix | changed))
    plain = move("plain", 5, debit="bob", credit="alice")
    book.transfer(A, **plain)
    with pytest.raises(commgov.ConflictError, match="reverses"):
        book.transfer(A, **(plain | {"reverses": "b"}))
    book.transfer(A, **move("hold", 30, kind="pending"))
    book.post(A, client_id="part", ledger="points", pending="hold", amount=20)
    assert book.post(A, client_id="part", ledger="points", pending="hold", amount=20).replayed
    with pytest.raises(commgov.ConflictError, match="amount"):
        book.post(A, client_id="part", ledger="points", pending="hold")  # all of it: 30


OTHERS = {  # a second value for each field of BASE a retry may change
    "amount": 11,
    "debit": "system:free",
    "credit": "carol",
    "reason": "other",
    "kind": "posted",
    "timeout": None,
    "reverses": "seed",
}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changed=st.sets(st.sampled_from(sorted(OTHERS)), max_size=3), timeout=st.sampled_from((1, 2))
)
def test_a_retry_replays_exactly_when_nothing_differs(
    store: commgov.Commgov, changed: set[str], timeout: int
) -> None:
    book = store.ledger
    if not book.books(A, "points")["credits_posted"]:
        seeded_book(book, systems=("system:free",))
        book.open_account(A, ledger="points", code="carol", kind="resident")
        book.transfer(A, **BASE)
    asked = BASE | {field: OTHERS[field] for field in changed} | {"timeout": timeout * HOUR}
    if "timeout" in changed or asked["kind"] == "posted":
        asked["timeout"] = None
    before = written(store)
    if asked == BASE:
        assert book.transfer(A, **asked).replayed
    else:
        with pytest.raises(commgov.CommgovError):  # a conflict, or refused before it is compared
            book.transfer(A, **asked)
        assert written(store) == before


def test_points_and_time_bank_retries_that_differ_are_conflicts(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    elder, child, alone = family(any_town)
    cg.points.earn(admin, child, "volunteer", quantity=1, client_id="e")  # 10, no cap reached
    cg.points.earn(admin, child, "volunteer", quantity=3, client_id="big")  # 30
    fund(cg, elder, 100)
    cheap = cg.points.add_reward(admin, unit=any_town.community_a, name="券", price=5, stock=3)
    dear = cg.points.add_reward(admin, unit=any_town.community_a, name="米", price=7, stock=3)
    cg.points.redeem(admin, child, cheap.id, client_id="r")
    service = one_hour_of_care(cg, admin, child, alone)
    before = written(cg)
    for field, call in (
        ("resident_id", lambda: cg.points.earn(admin, elder, "volunteer", client_id="e")),
        ("activity", lambda: cg.points.earn(admin, child, "meeting", client_id="e")),
        ("quantity", lambda: cg.points.earn(admin, child, "volunteer", quantity=2, client_id="e")),
        (
            "quantity",
            lambda: cg.points.earn(admin, child, "volunteer", quantity=2, client_id="big"),
        ),
        ("reward_id", lambda: cg.points.redeem(admin, child, dear.id, client_id="r")),
        ("resident_id", lambda: cg.points.redeem(admin, elder, cheap.id, client_id="r")),
        (
            "recipient_id",
            lambda: cg.timebank.record(
                admin,
                provider_id=child,
                recipient_id=elder,
                kind="陪伴",
                start=NOW - HOUR,
                end=NOW,
                client_id="svc",
            ),
        ),
        (
            "start",
            lambda: cg.timebank.record(
                admin,
                provider_id=child,
                recipient_id=alone,
                kind="陪伴",
                start=NOW - 2 * HOUR,
                end=NOW - HOUR,
                client_id="svc",
            ),
        ),
    ):
        with pytest.raises(commgov.ConflictError, match=field):
            call()
    assert written(cg) == before
    assert cg.points.earn(admin, child, "volunteer", client_id="e").granted == 10  # the same
    assert cg.points.redeem(admin, child, cheap.id, client_id="r").replayed
    assert cg.points.reward(admin, cheap.id).stock == 2
    assert (
        cg.timebank.record(
            admin,
            provider_id=child,
            recipient_id=alone,
            kind="陪伴",
            start=NOW - HOUR,
            end=NOW,
            client_id="svc",
        )
        == service
    )


# -- 6. values of the wrong type or range name their field and write nothing -------------------
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"timeout": 3600, "kind": "pending"}, "timeout"),
        ({"timeout": dt.timedelta(days=10**6), "kind": "pending"}, "timeout"),
        ({"timeout": -HOUR, "kind": "pending"}, "timeout"),
        ({"timeout": HOUR}, "timeout"),  # on a posted transfer
        ({"amount": "10"}, "amount"),
        ({"amount": float("inf")}, "amount"),
        ({"amount": True}, "amount"),
        ({"client_id": 7}, "client_id"),
        ({"client_id": "x" * 121}, "client_id"),
        ({"client_id": "a\x00b"}, "client_id"),
        ({"ledger": ["points"]}, "ledger"),
        ({"debit": None}, "debit"),
        ({"credit": {"bob": 1}}, "credit"),
        ({"reason": 3}, "reason"),
        ({"pending": "p"}, "pending"),  # on a posted transfer
        ({"kind": ["posted"]}, "kind"),
    ],
)
def test_transfers_of_the_wrong_type_or_range(
    any_store: commgov.Commgov, fields: dict[str, Any], field: str
) -> None:
    book = any_store.ledger
    seeded_book(book, systems=("system:free",))
    before = written(any_store)
    with pytest.raises(commgov.ValidationError) as caught:
        book.submit(A, [move("ok", 1), move("t") | fields])
    assert caught.value.field == field
    assert caught.value.context is not None and caught.value.context.startswith("transfer 1")
    assert written(any_store) == before


BAD_IDS = [float("inf"), float("-inf"), "12", True, 0, -3, 2**40, None, 1.0]


def test_ids_of_the_wrong_type_or_range(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    _, child, alone = family(any_town)
    reward = cg.points.add_reward(admin, unit=any_town.community_a, name="券", price=5, stock=3)
    service = one_hour_of_care(cg, admin, child, alone)
    before = written(cg)
    for bad in BAD_IDS:
        for field, call in (
            ("resident_id", lambda b=bad: cg.points.earn(admin, b, "volunteer", client_id="e")),
            ("resident_id", lambda b=bad: cg.points.balance(admin, b)),
            ("resident_id", lambda b=bad: cg.points.redeem(admin, b, reward.id, client_id="r")),
            ("reward_id", lambda b=bad: cg.points.redeem(admin, child, b, client_id="r")),
            ("reward_id", lambda b=bad: cg.points.reward(admin, b)),
            ("service_id", lambda b=bad: cg.timebank.confirm(admin, b)),
            ("service_id", lambda b=bad: cg.timebank.dispute(admin, b, reason="no")),
            ("elder_id", lambda b=bad: cg.timebank.grant(
                admin, community=any_town.community_a, elder_id=b, minutes=1, client_id="g"
            )),
            ("recipient_id", lambda b=bad: cg.timebank.record(
                admin, provider_id=child, recipient_id=b, kind="陪伴",
                start=NOW - HOUR, end=NOW, client_id="s2",
            )),
        ):  # fmt: skip
            with pytest.raises(commgov.ValidationError) as caught:
                call()
            assert (caught.value.field, caught.value.value) == (field, bad)
        if bad is not None:  # an account without a resident is one of the system's own
            with pytest.raises(commgov.ValidationError) as caught:
                cg.ledger.open_account(
                    A, ledger="points", code="x", kind="resident", resident_id=bad
                )
            assert (caught.value.field, caught.value.value) == ("resident_id", bad)
    assert written(cg) == before
    assert cg.timebank.confirm(admin, service.id).state == "confirmed"


def test_service_times_out_of_range_are_refused_and_a_stored_one_can_be_closed(
    any_town: Town,
) -> None:
    cg, admin = any_town.cg, any_town.admin
    _, child, alone = family(any_town)

    def record(start: Any, end: Any, client_id: str = "s") -> commgov.ServiceView:
        return cg.timebank.record(
            admin,
            provider_id=child,
            recipient_id=alone,
            kind="陪伴",
            start=start,
            end=end,
            client_id=client_id,
        )

    far = dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC)
    before = written(cg)
    for field, start, end in (
        ("start", dt.datetime.max.replace(tzinfo=dt.timezone(dt.timedelta(hours=-5))), far),
        ("start", far, far + dt.timedelta(minutes=59)),
        ("end", LATEST - HOUR, LATEST + HOUR),  # would end in the year the store cannot hold
        ("start", dt.datetime.min.replace(tzinfo=dt.UTC), NOW),
        ("start", "2025-06-30T09:00:00+00:00", NOW),
        ("end", NOW - dt.timedelta(hours=13), NOW),
    ):
        with pytest.raises(commgov.ValidationError) as caught:
            record(start, end)
        assert caught.value.field == field
    assert written(cg) == before
    cg.context.clock = lambda: LATEST  # a service is stored once it happened
    last = record(LATEST - HOUR, LATEST, "last")
    first = record(EARLIEST, EARLIEST + HOUR, "first")
    assert cg.timebank.confirm(admin, last.id).ended_at == LATEST
    assert cg.timebank.dispute(admin, first.id, reason="never happened").state == "voided"


def test_moments_out_of_range_for_the_ledger(any_store: commgov.Commgov) -> None:
    book = any_store.ledger
    seeded_book(book, systems=("system:free",))
    huge = dt.datetime.max.replace(tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    before = written(any_store)
    for field, call in (
        ("now", lambda: book.expire_pending(A, now=huge)),
        ("at", lambda: book.balance_as_of(A, "points", "alice", huge)),
        ("at", lambda: book.balance_as_of(A, "points", "alice", "2025-06-30")),
        ("until", lambda: book.history(A, "points", "alice", until=NOW.date())),
        ("now", lambda: any_store.points.expire(A, now=huge)),
    ):
        with pytest.raises(commgov.ValidationError) as caught:
            call()
        assert caught.value.field == field
    assert written(any_store) == before


# -- 7. reads take an actor and are checked -------------------------------------------------
def test_reads_are_refused_to_a_worker_of_another_grid(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    _, child, _ = family(any_town)  # in grid A1
    cg.points.earn(admin, child, "volunteer", client_id="e")
    reward = cg.points.add_reward(admin, unit=any_town.community_a, name="券", price=5, stock=3)
    pool = f"pool:{any_town.community_a}"
    cg.ledger.ensure_account(
        admin, ledger="time", code=pool, kind="organisation", unit=any_town.community_a
    )
    stranger = any_town.worker(any_town.grid_b1)
    code = f"resident:{child}"
    for call in (
        lambda: cg.ledger.account(stranger, "points", code),
        lambda: cg.ledger.history(stranger, "points", code),
        lambda: cg.ledger.balance_as_of(stranger, "points", code, NOW),
        lambda: cg.ledger.account(stranger, "time", pool),
        lambda: cg.ledger.account(stranger, "points", "system:issuance"),
        lambda: cg.ledger.books(stranger, "points"),
        lambda: cg.ledger.ensure_account(stranger, ledger="points", code=code, kind="resident"),
        lambda: cg.points.reward(stranger, reward.id),
    ):
        with pytest.raises(commgov.PermissionDenied):
            call()
    # those with reach read as before: the resident's own household, their grid's worker
    me = commgov.Actor.resident("小张", household_id=cg.residents.get(admin, child).household_id)
    worker = any_town.worker(any_town.grid_a1)
    for reader in (me, worker, admin):
        assert cg.ledger.account(reader, "points", code).balance == 10
        assert [t.amount for t in cg.ledger.history(reader, "points", code)] == [10]
        assert cg.ledger.balance_as_of(reader, "points", code, NOW) == 10
    staff = any_town.worker(any_town.community_a, "community_staff")
    assert cg.points.reward(staff, reward.id).stock == 3
    assert cg.ledger.account(staff, "time", pool).balance == 0


def test_the_books_of_an_unknown_ledger_are_not_found(any_store: commgov.Commgov) -> None:
    with pytest.raises(commgov.NotFoundError):
        any_store.ledger.books(A, "gold")
    with pytest.raises(commgov.NotFoundError):
        any_store.ledger.account(A, "gold", "alice")
    assert any_store.ledger.books(A, "points")["debits_posted"] == 0


# -- 8. racing confirmations answer alike ----------------------------------------------------
def record_services(town: Town, n: int) -> tuple[int, list[commgov.ServiceView]]:
    _, child, alone = family(town)
    services = [
        town.cg.timebank.record(
            town.admin,
            provider_id=child,
            recipient_id=alone,
            kind="陪伴",
            start=NOW - (i + 1) * HOUR,
            end=NOW - (i + 1) * HOUR + dt.timedelta(minutes=30),
            client_id=f"svc{i}",
        )
        for i in range(n)
    ]
    return child, services


def test_confirming_twice_answers_the_same_and_pays_once(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    child, (service, other) = record_services(any_town, 2)
    worker = any_town.worker(any_town.grid_a1)
    first = cg.timebank.confirm(admin, service.id)
    assert cg.timebank.confirm(admin, service.id) == first
    assert cg.timebank.confirm(worker, service.id) == first  # another allowed actor
    assert cg.ledger.account(admin, "time", f"resident:{child}").balance == 30
    with pytest.raises(commgov.StateError):
        cg.timebank.dispute(admin, service.id, reason="late")
    disputed = cg.timebank.dispute(admin, other.id, reason="did not happen")
    assert cg.timebank.dispute(worker, other.id, reason="again") == disputed
    with pytest.raises(commgov.StateError):
        cg.timebank.confirm(admin, other.id)
    stranger = any_town.worker(any_town.grid_b1)
    with pytest.raises(commgov.PermissionDenied):
        cg.timebank.confirm(stranger, service.id)
    assert cg.ledger.account(admin, "time", f"resident:{child}").balance == 30


def test_racing_confirmations_both_succeed_and_pay_once(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    n = 20
    child, services = record_services(any_town, n)
    worker = any_town.worker(any_town.grid_a1)

    def confirm_twice(service_id: int) -> list[str]:
        start = threading.Barrier(2)

        def once(actor: commgov.Actor) -> str:
            start.wait()
            return cg.timebank.confirm(actor, service_id).state

        with ThreadPoolExecutor(2) as pool:
            return list(pool.map(once, (admin, worker)))

    assert [confirm_twice(s.id) for s in services] == [["confirmed"] * 2] * n
    assert cg.ledger.account(admin, "time", f"resident:{child}").balance == 30 * n
    with cg.context.uow(readonly=True) as uow:
        posts = uow.conn.execute(
            select(func.count()).where(
                ledger_transfers.c.ledger == "time", ledger_transfers.c.kind == "post"
            )
        ).scalar_one()
    assert posts == n
