"""Points (积分) and the time bank (时间银行) as residents and workers use them."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import event
from tests.conftest import NOW, SECRET, Town, build_town, make_identity
from tests.ledger.helpers import family

import commgov


def test_earning_follows_the_table_and_its_caps(any_town: Town) -> None:
    _, child, _ = family(any_town)
    points, admin = any_town.cg.points, any_town.admin
    assert points.earn(admin, child, "volunteer", quantity=3, client_id="v1").granted == 30
    capped = points.earn(admin, child, "volunteer", quantity=3, client_id="v2")
    assert (capped.asked, capped.granted) == (30, 10)  # 40 a day
    assert points.earn(admin, child, "volunteer", quantity=1, client_id="v3").transfer is None
    assert (
        points.earn(admin, child, "volunteer", quantity=3, client_id="v2").granted == 10
    )  # a retry
    assert points.balance(admin, child).balance == 40  # type: ignore[union-attr]
    with pytest.raises(commgov.ValidationError) as caught:
        points.earn(admin, child, "karaoke", client_id="k")
    assert (caught.value.field, caught.value.value) == ("activity", "karaoke")


def test_redemption_never_oversells(any_town: Town) -> None:
    _, child, _ = family(any_town)
    cg, admin = any_town.cg, any_town.admin
    cg.points.earn(admin, child, "volunteer", quantity=4, client_id="v")
    reward = cg.points.add_reward(
        admin, unit=any_town.community_a, name="物业费抵扣券", price=15, stock=2
    )
    cg.points.redeem(admin, child, reward.id, client_id="r1")
    assert cg.points.redeem(admin, child, reward.id, client_id="r1").replayed  # no second item
    cg.points.redeem(admin, child, reward.id, client_id="r2")
    before = cg.points.balance(admin, child)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.points.redeem(admin, child, reward.id, client_id="r3")
    assert caught.value.field == "stock"
    assert cg.points.balance(admin, child) == before
    assert cg.points.reward(admin, reward.id).stock == 0
    dear = cg.points.add_reward(admin, unit=any_town.community_a, name="电饭煲", price=500, stock=3)
    with pytest.raises(commgov.InsufficientFunds, match="the reward needs 500"):
        cg.points.redeem(admin, child, dear.id, client_id="r4")
    assert cg.points.reward(admin, dear.id).stock == 3  # back with the failed payment


def test_concurrent_redemptions_sell_exactly_the_stock(pg_url: str) -> None:
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW) as cg:
        town = build_town(cg)
        buyers = [
            m
            for i in range(6)
            for m in town.household(
                town.grid_a1,
                {"name": f"居民{i}", "identity_number": make_identity("19800101", 2 * i + 1)},
            ).member_ids
        ]
        for b in buyers:
            cg.points.earn(town.admin, b, "suggestion_accepted", client_id=f"earn{b}")
        reward = cg.points.add_reward(
            town.admin, unit=town.community_a, name="体检券", price=20, stock=4
        )

        def buy(b: int) -> bool:
            try:
                cg.points.redeem(town.admin, b, reward.id, client_id=f"buy{b}")
                return True
            except commgov.ValidationError:
                return False

        with ThreadPoolExecutor(6) as pool:
            sold = sum(pool.map(buy, buyers))
        assert sold == 4 and cg.points.reward(town.admin, reward.id).stock == 0
        assert cg.ledger.account(town.admin, "points", "system:redemption").balance == 80


def test_expiry_runs_twice_safely_and_spends_oldest_first(store: commgov.Commgov) -> None:
    clock = [dt.datetime(2024, 5, 1, tzinfo=dt.UTC)]
    store.context.clock = lambda: clock[0]
    town = build_town(store)
    _, child, _ = family(town)
    pts = store.points
    pts.earn(town.admin, child, "suggestion_accepted", client_id="old")  # 20 in 2024
    clock[0] = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)
    pts.earn(town.admin, child, "suggestion_accepted", client_id="new")  # 20 in 2025
    reward = pts.add_reward(town.admin, unit=town.community_a, name="券", price=5, stock=9)
    pts.redeem(town.admin, child, reward.id, client_id="spend")  # takes 5 of the 2024 points
    assert pts.expire(town.admin, now=dt.datetime(2025, 12, 31, tzinfo=dt.UTC)) == 0
    assert pts.expire(town.admin, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)) == 15
    assert pts.expire(town.admin, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)) == 0
    assert pts.expire(town.admin, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC)) == 0
    assert pts.balance(town.admin, child).balance == 20  # type: ignore[union-attr]
    assert pts.expire(town.admin, now=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)) == 20


def test_honour_tiers_and_partners(town: Town) -> None:
    _, child, _ = family(town)
    cg, admin = town.cg, town.admin
    for month in range(1, 6):
        town.cg.context.clock = lambda m=month: dt.datetime(2025, m, 3, tzinfo=dt.UTC)
        cg.points.earn(admin, child, "suggestion_accepted", client_id=f"s{month}")
    assert cg.points.honour(admin, child) == (100, "热心居民 caring resident")
    cg.points.open_partner(admin, name="华联超市", unit=town.community_a)
    goods = cg.points.add_reward(
        admin, unit=town.community_a, name="米", price=30, stock=5, partner="华联超市"
    )
    cg.points.redeem(admin, child, goods.id, client_id="rice")
    assert cg.ledger.account(admin, "points", "partner:华联超市").balance == 30
    cg.points.settle_partner(admin, partner="华联超市", amount=30, client_id="settle-1")
    assert cg.ledger.account(admin, "points", "partner:华联超市").balance == 0
    assert cg.points.honour(admin, child)[0] == 100  # spending does not lower lifetime points


def test_time_bank_service_is_pending_until_confirmed(any_town: Town) -> None:
    elder, child, alone = family(any_town)
    cg, admin = any_town.cg, any_town.admin
    start = NOW - dt.timedelta(hours=3)
    service = cg.timebank.record(
        admin,
        provider_id=child,
        recipient_id=alone,
        kind="上门照料",
        start=start,
        end=start + dt.timedelta(hours=2),
        client_id="svc1",
    )
    assert cg.ledger.account(admin, "time", f"resident:{child}").credits_pending == 120
    stranger = commgov.Actor.resident(
        "小张", household_id=cg.residents.get(admin, child).household_id
    )
    with pytest.raises(commgov.PermissionDenied):  # only the recipient's side may confirm
        cg.timebank.confirm(stranger, service.id)
    recipient = commgov.Actor.resident(
        "李奶奶", household_id=cg.residents.get(admin, alone).household_id
    )
    assert cg.timebank.confirm(recipient, service.id).state == "confirmed"
    with pytest.raises(commgov.StateError):
        cg.timebank.dispute(recipient, service.id, reason="late")
    disputed = cg.timebank.record(
        admin,
        provider_id=child,
        recipient_id=alone,
        kind="陪诊",
        start=start,
        end=start + dt.timedelta(hours=1),
        client_id="svc2",
    )
    assert (
        cg.timebank.dispute(
            any_town.worker(any_town.grid_a1), disputed.id, reason="did not happen"
        ).state
        == "voided"
    )
    assert cg.ledger.account(admin, "time", f"resident:{child}").balance == 120
    cg.timebank.give(admin, child, elder, minutes=30, client_id="gift")
    with pytest.raises(commgov.ValidationError, match="household"):
        cg.timebank.give(admin, child, alone, minutes=30, client_id="gift2")
    cg.timebank.donate(admin, child, minutes=60, community=any_town.community_a, client_id="don")
    with pytest.raises(commgov.ValidationError, match="holds 30"):
        cg.timebank.grant(
            admin, community=any_town.community_a, elder_id=elder, minutes=30, client_id="g0"
        )
    cg.timebank.grant(
        admin, community=any_town.community_a, elder_id=alone, minutes=60, client_id="g1"
    )
    cg.timebank.redeem_care(admin, alone, minutes=45, client_id="care")
    rows = {r.resident_id: r for r in cg.timebank.statement(admin, any_town.town)}
    assert (rows[child].served, rows[child].held) == (120, 30)
    assert (rows[alone].received, rows[alone].held) == (120, 15)
    assert cg.timebank.totals(admin, any_town.community_a)["served"] == 120
    books = cg.ledger.books(admin, "time")
    assert books["debits_posted"] == books["credits_posted"]


def test_time_bank_bad_input(town: Town) -> None:
    _, child, alone = family(town)
    with pytest.raises(commgov.ValidationError) as caught:
        town.cg.timebank.record(
            town.admin,
            provider_id=child,
            recipient_id=alone,
            kind="x",
            start=NOW,
            end=NOW,
            client_id="z",
        )
    assert caught.value.field == "end"
    with pytest.raises(commgov.ValidationError) as caught:
        town.cg.timebank.record(
            town.admin,
            provider_id=child,
            recipient_id=child,
            kind="x",
            start=NOW - dt.timedelta(hours=1),
            end=NOW,
            client_id="z",
        )
    assert caught.value.field == "recipient_id"


def test_earn_many_applies_caps_in_order_and_replays(town: Town) -> None:
    elder, child, _ = family(town)
    register = [
        {"resident_id": child, "activity": "volunteer", "quantity": 3, "client_id": "r1"},
        {"resident_id": child, "activity": "volunteer", "quantity": 3, "client_id": "r2"},
        {"resident_id": elder, "activity": "waste_sorting", "client_id": "r3"},
        {"resident_id": elder, "activity": "waste_sorting", "client_id": "r4"},
    ]
    granted = [e.granted for e in town.cg.points.earn_many(town.admin, register)]
    assert granted == [30, 10, 2, 0]  # 40 a day for volunteering, 2 a day for sorting
    assert [e.granted for e in town.cg.points.earn_many(town.admin, register[:2])] == [30, 10]
    assert town.cg.points.balance(town.admin, child).balance == 40  # type: ignore[union-attr]
    before = town.cg.ledger.books(town.admin, "points")
    with pytest.raises(commgov.ValidationError):
        town.cg.points.earn_many(
            town.admin,
            [
                register[0] | {"client_id": "x"},
                {"resident_id": child, "activity": "nap", "client_id": "y"},
            ],
        )
    assert town.cg.ledger.books(town.admin, "points") == before


def test_time_bank_statements_per_person_organisation_and_community(town: Town) -> None:
    elder, child, alone = family(town)
    cg, admin = town.cg, town.admin
    served = cg.timebank.record(
        admin,
        provider_id=child,
        recipient_id=alone,
        kind="上门照料",
        start=NOW - dt.timedelta(minutes=90),
        end=NOW,
        client_id="s1",
    )
    cg.timebank.confirm(town.worker(town.grid_a1), served.id)
    cg.timebank.donate(admin, child, minutes=50, community=town.community_a, client_id="d")
    cg.timebank.grant(admin, community=town.community_a, elder_id=alone, minutes=20, client_id="g")
    me = commgov.Actor.resident("小张", household_id=cg.residents.get(admin, child).household_id)
    assert cg.timebank.person(me, child) == commgov.StatementRow(
        resident_id=child, served=90, received=0, held=40
    )
    with pytest.raises(commgov.PermissionDenied):  # not someone else's
        cg.timebank.person(me, alone)
    (pool,) = cg.timebank.organisations(admin, town.town)
    assert (pool.code, pool.unit_code) == (f"pool:{town.community_a}", town.community_a)
    assert (pool.received, pool.given, pool.held) == (50, 20, 30)
    assert cg.timebank.totals(admin, town.community_a) == {
        "served": 90,
        "received": 90,
        "held": 60,  # 40 with the volunteer, 20 granted to the elder
        "held_by_organisations": 30,
    }
    assert cg.timebank.totals(admin, town.community_b)["served"] == 0
    assert elder not in {r.resident_id for r in cg.timebank.statement(admin, town.town)}


def test_a_volunteers_own_household_cannot_confirm_their_service(town: Town) -> None:
    elder, child, _ = family(town)
    cg, admin = town.cg, town.admin
    service = cg.timebank.record(
        admin,
        provider_id=child,
        recipient_id=elder,  # the volunteer's own parent, in the same household
        kind="陪伴",
        start=NOW - dt.timedelta(hours=1),
        end=NOW,
        client_id="own",
    )
    family_member = commgov.Actor.resident(
        "老张", household_id=cg.residents.get(admin, elder).household_id
    )
    with pytest.raises(commgov.PermissionDenied, match="own household"):
        cg.timebank.confirm(family_member, service.id)
    assert cg.ledger.account(admin, "time", f"resident:{child}").balance == 0
    assert cg.timebank.confirm(town.worker(town.grid_a1), service.id).state == "confirmed"


def test_earn_and_earn_many_share_one_cap_rule_and_replays_do_not_count_twice(
    town: Town,
) -> None:
    elder, child, _ = family(town)
    points, admin = town.cg.points, town.admin
    assert points.earn(admin, child, "volunteer", quantity=3, client_id="v1").granted == 30
    register: list[commgov.EarnRequest | dict[str, Any]] = [
        commgov.EarnRequest(child, "volunteer", "v1", 3),  # a retry of the earn above
        commgov.EarnRequest(child, "volunteer", "v2", 3),  # 10 left of the day's 40
        {"resident_id": elder, "activity": "waste_sorting", "client_id": "w1"},
    ]
    earned = points.earn_many(admin, register)
    assert [(e.asked, e.granted) for e in earned] == [(30, 30), (30, 10), (2, 2)]
    assert earned[0].transfer is not None and earned[0].transfer.replayed
    assert earned[1].transfer is not None and earned[1].transfer.amount == 10
    assert points.earn(admin, child, "volunteer", client_id="v3").granted == 0
    assert points.balance(admin, child).balance == 40  # type: ignore[union-attr]
    with pytest.raises(commgov.ValidationError) as caught:
        points.earn_many(admin, [{"resident_id": child, "activity": "volunteer"}])
    assert caught.value.field == "earning"
    with pytest.raises(commgov.ValidationError) as caught:
        points.earn_many(admin, [commgov.EarnRequest(child, "volunteer", "q", 0)])
    assert (caught.value.field, caught.value.value) == ("quantity", 0)


def test_an_earning_reads_its_accounts_and_client_id_once(town: Town) -> None:
    _, child, _ = family(town)
    cg, admin = town.cg, town.admin
    cg.points.earn(admin, child, "volunteer", client_id="first")  # opens the accounts
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(cg.context.engine, "before_cursor_execute", seen)
    try:
        assert cg.points.earn(admin, child, "volunteer", client_id="second").granted == 10
    finally:
        event.remove(cg.context.engine, "before_cursor_execute", seen)
    account_reads = [s for s in statements if s.startswith("SELECT ledger_accounts.id")]
    client_reads = [s for s in statements if "ledger_transfers.client_id IN" in s]
    assert len(account_reads) == 1, account_reads  # locked and read once, caps read under it
    assert len(client_reads) == 1, client_reads
