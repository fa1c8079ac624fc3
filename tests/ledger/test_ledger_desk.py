"""What a front desk and a grid worker need from the ledger: no service dated in the future,
the lists (services waiting, the reward catalogue), statements, leaderboards, and errors in
words a clerk understands."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import NOW, Town, make_identity
from tests.ledger.helpers import HOUR, family, one_hour_of_care

import commgov


def written(cg: commgov.Commgov) -> tuple[dict[str, int], dict[str, int]]:
    admin = commgov.Actor.system("check")
    return cg.ledger.books(admin, "points"), cg.ledger.books(admin, "time")


def at(cg: commgov.Commgov, moment: dt.datetime) -> None:
    cg.context.clock = lambda: moment


def an_hour(
    cg: commgov.Commgov, provider: int, recipient: int, *, hours_ago: int, client_id: str
) -> commgov.ServiceView:
    """An hour of 助餐 that ended ``hours_ago - 1`` hours before ``NOW``."""
    start = NOW - hours_ago * HOUR
    return cg.timebank.record(
        commgov.Actor.system("desk"), provider_id=provider, recipient_id=recipient,
        kind="助餐", start=start, end=start + HOUR, client_id=client_id,
    )  # fmt: skip


# -- 1. a service dated in the future --------------------------------------------------------
def test_a_service_dated_in_the_future_is_refused_naming_the_field(any_town: Town) -> None:
    _, child, alone = family(any_town)
    cg, admin = any_town.cg, any_town.admin
    before = written(cg)

    def record(start: dt.datetime, end: dt.datetime, client_id: str) -> commgov.ServiceView:
        return cg.timebank.record(
            admin, provider_id=child, recipient_id=alone, kind="陪伴", start=start, end=end,
            client_id=client_id,
        )  # fmt: skip

    three_days = NOW + dt.timedelta(days=3)
    for start, end, field, value in (
        (three_days, three_days + HOUR, "start", three_days),
        (NOW - HOUR, NOW + dt.timedelta(minutes=6), "end", NOW + dt.timedelta(minutes=6)),
    ):
        with pytest.raises(commgov.ValidationError) as caught:
            record(start, end, "future")
        assert (caught.value.field, caught.value.value) == (field, value.isoformat())
        assert "later than now (2025-06-30 17:00)" in str(caught.value)  # the store's zone
    assert written(cg) == before
    assert cg.timebank.pending(admin, any_town.town) == []
    skewed = record(NOW - HOUR, NOW + dt.timedelta(minutes=5), "skew")  # a fast phone clock
    assert skewed.minutes == 65


# -- 2. lists --------------------------------------------------------------------------------
def test_services_waiting_under_a_unit_with_names_masked_as_rights_require(
    any_town: Town,
) -> None:
    cg, admin = any_town.cg, any_town.admin
    elder, child, alone = family(any_town)
    cared = any_town.household(
        any_town.grid_b1,
        {"name": "王独居", "identity_number": make_identity("19400303", 4),
         "care_groups": ["living_alone"]},
        {"name": "王志愿", "identity_number": make_identity("19800303", 5)},
    ).member_ids  # fmt: skip
    first = one_hour_of_care(cg, admin, child, alone)
    done = an_hour(cg, child, elder, hours_ago=3, client_id="done")
    cg.timebank.confirm(admin, done.id)
    far = an_hour(cg, cared[1], cared[0], hours_ago=5, client_id="b1")
    in_a1 = cg.timebank.pending(any_town.worker(any_town.grid_a1), any_town.grid_a1)
    assert [(s.id, s.provider_name, s.recipient_name, s.minutes) for s in in_a1] == [
        (first.id, "小张", "李奶奶", 60)
    ]
    assert in_a1[0].unit_code == any_town.grid_a1 and in_a1[0].recorded_at == NOW
    everywhere = cg.timebank.pending(admin, any_town.town)
    assert [s.id for s in everywhere] == [far.id, first.id]  # the oldest service first
    assert everywhere[0].recipient_name == "王独居"  # the system may read personal data
    b1 = cg.grids.get(any_town.grid_b1).id
    reader = commgov.Actor("department_staff", "民政办", units={b1})  # reads, not personal data
    (seen,) = cg.timebank.pending(reader, any_town.grid_b1)
    assert (seen.recipient_name, seen.provider_name) == ("王**", "王志愿")
    with pytest.raises(commgov.PermissionDenied):
        cg.timebank.pending(any_town.worker(any_town.grid_a2), any_town.grid_a1)
    with pytest.raises(commgov.ValidationError):
        cg.timebank.pending(admin, any_town.town, limit=0)


def test_the_reward_catalogue_of_a_unit(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    add = cg.points.add_reward
    town_wide = add(admin, unit=any_town.town, name="体检券", price=200, stock=5)
    community = add(admin, unit=any_town.community_a, name="物业费抵扣券", price=15, stock=0)
    grid = add(admin, unit=any_town.grid_a1, name="理发券", price=10, stock=3)
    elsewhere = add(admin, unit=any_town.community_b, name="电饭煲", price=500, stock=1)
    worker = any_town.worker(any_town.grid_a1)
    at_grid = cg.points.rewards(worker, any_town.grid_a1)
    assert [r.id for r in at_grid] == [town_wide.id, community.id, grid.id]  # above it first
    assert at_grid[1] == community  # sold out, still listed (stock 0)
    assert [r.id for r in cg.points.rewards(admin, any_town.community_a)] == [
        town_wide.id, community.id, grid.id,
    ]  # fmt: skip
    assert [r.id for r in cg.points.rewards(admin, any_town.town)] == [
        town_wide.id, community.id, elsewhere.id, grid.id,
    ]  # fmt: skip
    with pytest.raises(commgov.PermissionDenied):
        cg.points.rewards(worker, any_town.community_b)
    with pytest.raises(commgov.NotFoundError):
        cg.points.rewards(admin, "999999")


# -- statements ------------------------------------------------------------------------------
def test_a_points_statement_counts_months_in_the_stores_zone(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    _, child, _ = family(any_town)
    reward = cg.points.add_reward(
        admin, unit=any_town.community_a, name="理发券", price=15, stock=9
    )
    at(cg, dt.datetime(2025, 5, 20, 2, tzinfo=dt.UTC))
    cg.points.earn(admin, child, "volunteer", quantity=2, client_id="may")
    at(cg, dt.datetime(2025, 6, 2, 2, tzinfo=dt.UTC))
    cg.points.earn(admin, child, "meeting", client_id="june")
    cg.points.redeem(admin, child, reward.id, client_id="cut")
    # 2025-06-30 16:30 UTC is 2025-07-01 00:30 in Beijing: July's, in the store's zone
    at(cg, dt.datetime(2025, 6, 30, 16, 30, tzinfo=dt.UTC))
    cg.points.earn(admin, child, "neighbour_help", client_id="july")
    june = cg.points.account_statement(admin, child, month="2025-06")
    assert (june.resident_id, june.name, june.ledger) == (child, "小张", "points")
    assert (june.start, june.end) == (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    assert june.opening == 20
    assert [(x.date, x.label, x.amount, x.balance) for x in june.lines] == [
        (dt.date(2025, 6, 2), "议事会 attending a deliberation meeting", 5, 25),
        (dt.date(2025, 6, 2), "兑换 redeemed: 理发券", -15, 10),
    ]
    assert [x.reason for x in june.lines] == ["earn:meeting", f"redeem:{reward.id}"]
    assert june.closing == 10
    july = cg.points.account_statement(admin, child, month="2025-07")
    assert (july.opening, [x.amount for x in july.lines], july.closing) == (10, [5], 15)
    assert july.lines[0].date == dt.date(2025, 7, 1)
    this_month = cg.points.account_statement(admin, child)  # the clock's month, in Beijing
    assert this_month == july
    span = cg.points.account_statement(
        admin, child, start=dt.date(2025, 5, 1), end=dt.date(2025, 6, 30)
    )
    assert (span.opening, len(span.lines), span.closing) == (0, 3, 10)
    me = commgov.Actor.resident("小张", household_id=cg.residents.get(admin, child).household_id)
    assert cg.points.account_statement(me, child, month="2025-06") == june  # their own
    with pytest.raises(commgov.PermissionDenied):
        cg.points.account_statement(any_town.worker(any_town.grid_b1), child)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.points.account_statement(admin, child, month="June")
    assert caught.value.field == "month"


def test_a_time_bank_statement_and_what_waits(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    elder, child, alone = family(any_town)
    empty = cg.timebank.account_statement(admin, child)
    assert (empty.opening, empty.lines, empty.closing, empty.waiting) == (0, (), 0, 0)
    served = one_hour_of_care(cg, admin, child, alone)
    cg.timebank.confirm(any_town.worker(any_town.grid_a1), served.id)
    cg.timebank.give(admin, child, elder, minutes=20, client_id="gift")
    an_hour(cg, child, alone, hours_ago=3, client_id="later")
    found = cg.timebank.account_statement(admin, child, month="2025-06")
    assert [(x.label, x.amount, x.balance) for x in found.lines] == [
        ("服务 service: 陪伴", 60, 60),
        ("赠与 gift given", -20, 40),
    ]
    assert (found.closing, found.waiting) == (40, 60)
    assert [x.label for x in cg.timebank.account_statement(admin, elder).lines] == [
        "赠与 gift received"
    ]


# -- leaderboards ----------------------------------------------------------------------------
def test_a_leaderboard_ranks_masks_and_gives_the_honour_tier(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    elder, child, alone = family(any_town)
    cared = any_town.household(
        any_town.grid_a2,
        {"name": "赵独居", "identity_number": make_identity("19400404", 6),
         "care_groups": ["living_alone"]},
    ).member_ids[0]  # fmt: skip
    outside = any_town.household(
        any_town.grid_b1, {"name": "钱外区", "identity_number": make_identity("19800404", 7)}
    ).member_ids[0]
    at(cg, dt.datetime(2025, 5, 10, 2, tzinfo=dt.UTC))
    for day in range(3):  # 120 points in May: past the first tier (100)
        at(cg, dt.datetime(2025, 5, 10 + day, 2, tzinfo=dt.UTC))
        cg.points.earn(admin, child, "volunteer", quantity=4, client_id=f"may{day}")
    at(cg, NOW)
    cg.points.earn(admin, child, "meeting", client_id="c")
    cg.points.earn(admin, cared, "meeting", client_id="z")
    cg.points.earn(admin, alone, "suggestion_accepted", client_id="a")
    cg.points.earn(admin, outside, "suggestion_accepted", client_id="o")
    a = cg.grids.get(any_town.community_a).id
    reader = commgov.Actor("department_staff", "民政办", units={a})
    board = cg.points.leaderboard(reader, any_town.community_a, month="2025-06")
    assert (board.unit_code, board.start, board.end) == (
        any_town.community_a, dt.date(2025, 6, 1), dt.date(2025, 6, 30),
    )  # fmt: skip
    assert [(r.rank, r.name, r.earned, r.lifetime, r.tier) for r in board.rows] == [
        (1, "李奶奶", 20, 20, None),
        (2, "小张", 5, 125, "热心居民 caring resident"),
        (2, "赵**", 5, 5, None),  # a care-group member: masked to a reader of no personal data
    ]
    assert board.rows[2].unit_code == any_town.grid_a2
    assert elder not in {r.resident_id for r in board.rows}  # earned nothing
    top = cg.points.leaderboard(admin, any_town.community_a, month="2025-06", limit=1)
    assert [r.resident_id for r in top.rows] == [alone]
    may = cg.points.leaderboard(admin, any_town.town, month="2025-05")
    assert [(r.resident_id, r.earned, r.lifetime) for r in may.rows] == [(child, 120, 120)]
    assert cg.points.leaderboard(admin, any_town.town, month="2025-07").rows == ()
    with pytest.raises(commgov.PermissionDenied):
        cg.points.leaderboard(any_town.worker(any_town.grid_b1), any_town.community_a)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.points.leaderboard(admin, any_town.town, limit=0)
    assert caught.value.field == "limit"


# -- 3. errors in a clerk's words ------------------------------------------------------------
def test_too_few_points_says_so_in_a_clerks_words(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    home = any_town.household(
        any_town.grid_a1, {"name": "张三丰", "identity_number": make_identity("19800505", 9)}
    )
    (resident,) = home.member_ids
    cg.points.earn(admin, resident, "true_report", quantity=3, client_id="e")
    dear = cg.points.add_reward(admin, unit=any_town.community_a, name="电饭煲", price=500, stock=3)
    before = written(cg)
    with pytest.raises(commgov.InsufficientFunds) as caught:
        cg.points.redeem(admin, resident, dear.id, client_id="r2-rice")
    error = caught.value
    assert (
        str(error) == "张** has 15 points; the reward needs 500 (张** 现有 15 积分，兑换需要 500)"
    )
    assert "client_id" not in str(error) and "overdraws" not in str(error)
    assert (error.account, error.balance, error.amount) == (f"resident:{resident}", 15, 500)
    assert (error.field, error.value) == ("amount", 500)
    assert written(cg) == before and cg.points.reward(admin, dear.id).stock == 3
    with pytest.raises(commgov.InsufficientFunds) as minutes:
        cg.timebank.redeem_care(admin, resident, minutes=30, client_id="care")
    assert str(minutes.value) == (
        "张** has 0 minutes banked; 30 asked (张** 时间银行现有 0 分钟，需要 30 分钟)"
    )


def test_the_other_desk_errors_in_a_clerks_words(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    _, child, alone = family(any_town)
    cg.points.earn(admin, child, "volunteer", quantity=4, client_id="v")
    gone = cg.points.add_reward(admin, unit=any_town.community_a, name="理发券", price=5, stock=0)
    with pytest.raises(commgov.ValidationError) as sold:
        cg.points.redeem(admin, child, gone.id, client_id="r")
    assert (sold.value.field, sold.value.value) == ("stock", 0)
    assert str(sold.value) == f"reward {gone.id} (理发券) is out of stock (奖品 理发券 已兑完)"
    with pytest.raises(commgov.NotFoundError) as reward:
        cg.points.redeem(admin, child, 999, client_id="r")
    assert (reward.value.kind, reward.value.key) == ("reward", 999)
    assert str(reward.value) == "no reward number 999 (没有编号为 999 的奖品)"
    with pytest.raises(commgov.NotFoundError) as resident:
        cg.points.earn(admin, 888, "volunteer", client_id="x")
    assert str(resident.value) == "no resident number 888 (没有编号为 888 的居民)"
    with pytest.raises(commgov.NotFoundError) as service:
        cg.timebank.confirm(admin, 777)
    assert str(service.value) == "no time-bank service number 777 (没有编号为 777 的服务记录)"
    capped = cg.points.earn(admin, child, "volunteer", quantity=2, client_id="v2")
    assert (capped.granted, capped.cap) == (0, "day")
    assert capped.note == (
        "小* reached today's cap of 40 points for 志愿服务 volunteering: 0 of 20 given "
        "(小* 今日 志愿服务 volunteering 积分已达上限 40，本次给予 0)"
    )
    assert cg.points.earn(admin, child, "volunteer", quantity=2, client_id="v2").cap == "day"
    assert cg.points.earn(admin, child, "meeting", client_id="m").note is None
    served = one_hour_of_care(cg, admin, child, alone)
    worker = any_town.worker(any_town.grid_a1)
    cg.timebank.confirm(worker, served.id)
    with pytest.raises(commgov.StateError) as confirmed:
        cg.timebank.dispute(admin, served.id, reason="never came")
    assert str(confirmed.value) == (
        f"service {served.id} was already confirmed by {worker.label()}; it cannot be disputed "
        f"now (服务 {served.id} 已由 {worker.label()} 确认，不能再提出异议)"
    )
    disputed = an_hour(cg, child, alone, hours_ago=3, client_id="d")
    cg.timebank.dispute(admin, disputed.id, reason="没来")
    with pytest.raises(commgov.StateError, match=r"was voided by system:test town \(没来\)"):
        cg.timebank.confirm(worker, disputed.id)
    with pytest.raises(commgov.ValidationError) as gift:
        cg.timebank.give(admin, child, alone, minutes=10, client_id="g")
    assert gift.value.field == "receiver_id"
    assert str(gift.value).startswith("李** is not of 小*'s household")
