"""Time across communities (跨社区通存通兑): services settled between communities' pools under
the town's rule, moves between pools, and the statements on both sides."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import attrs
import hypothesis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select
from tests.conftest import NOW, Town, make_identity, row_counts

import commgov
from commgov.ledger.model.exchange import settlement, sides, town_of
from commgov.ledger.model.rules import TimeBankPolicy
from commgov.ledger.tables import ledger_accounts, ledger_transfers, timebank_services
from commgov.people.model.units import Unit
from commgov.testing import build_town

HOUR = dt.timedelta(hours=1)
MONTH = "2025-06"


class Rules:
    """A town's time-bank policy that a test may change."""

    commgov_plugin_name = "exchange-rules"

    def __init__(self, policy: TimeBankPolicy) -> None:
        self.policy = policy

    @commgov.hookimpl
    def commgov_timebank_policy(self) -> TimeBankPolicy:
        return self.policy


def town_rules(town: Town, **policy: Any) -> Rules:
    rules = Rules(TimeBankPolicy(**policy))
    town.cg.enable_plugins(town.admin, town.town, [town.cg.add_plugin(rules)])
    return rules


@attrs.frozen
class People:
    volunteer: int  # grid A1, community A
    neighbour: int  # grid A2, community A
    elder: int  # grid B1, community B
    helper: int  # grid B1, community B


def people(town: Town) -> People:
    def one(grid: str, name: str, birth: str, serial: int) -> int:
        member = {"name": name, "identity_number": make_identity(birth, serial)}
        return town.household(grid, member).member_ids[0]

    return People(
        one(town.grid_a1, "甲志愿", "19900101", 1),
        one(town.grid_a2, "甲邻居", "19400101", 3),
        one(town.grid_b1, "乙老人", "19380101", 5),
        one(town.grid_b1, "乙志愿", "19920101", 7),
    )


def serve(town: Town, provider: int, recipient: int, cid: str, minutes: int = 60) -> Any:
    return town.cg.timebank.record(
        town.admin,
        provider_id=provider,
        recipient_id=recipient,
        kind="陪伴",
        start=NOW - dt.timedelta(minutes=minutes),
        end=NOW,
        client_id=cid,
    )


def written(cg: commgov.Commgov) -> tuple[Any, ...]:
    """Every row the calls here may write: equal before and after = nothing written."""
    with cg.context.uow(readonly=True) as uow:
        counts = tuple(
            uow.conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (ledger_accounts, ledger_transfers, timebank_services)
        )
    return row_counts(cg), counts, cg.ledger.books(commgov.Actor.system(), "time")


def balanced(cg: commgov.Commgov) -> None:
    books = cg.ledger.books(commgov.Actor.system(), "time")
    assert books["debits_posted"] == books["credits_posted"]
    assert books["debits_pending"] == books["credits_pending"]


def lines(town: Town, unit: str) -> list[tuple[str, str | None, int, int | None]]:
    """(counterpart, via, signed minutes, service id) of each line of the unit's statement."""
    statement = town.cg.timebank.exchanges(town.admin, unit, month=MONTH)
    return [
        (x.counterpart, x.via, x.minutes_in - x.minutes_out, x.service_id) for x in statement.lines
    ]


def mirrored(town: Town, one: str, other: str) -> None:
    """Each movement between ``one`` and ``other`` is in both statements, signs opposite."""
    mine = town.cg.timebank.exchanges(town.admin, one, month=MONTH).lines
    theirs = town.cg.timebank.exchanges(town.admin, other, month=MONTH).lines
    ours = {x.client_id: x.minutes_in - x.minutes_out for x in mine if x.counterpart == other}
    back = {x.client_id: x.minutes_out - x.minutes_in for x in theirs if x.counterpart == one}
    assert ours == back


def postings_mirrored(town: Town, *units: str) -> None:
    """Each posting between these units' accounts is a line in exactly two of their
    statements, the signs opposite (a move via the town: each leg, in the town's and one
    community's)."""
    seen: dict[int, list[int]] = {}
    for unit in units:
        for x in town.cg.timebank.exchanges(town.admin, unit, month=MONTH).lines:
            seen.setdefault(x.transfer_id, []).append(x.minutes_in - x.minutes_out)
    assert all(len(v) == 2 and sum(v) == 0 for v in seen.values()), seen


def account(town: Town, code: str) -> commgov.AccountView | None:
    try:
        return town.cg.ledger.account(town.admin, "time", code)
    except commgov.NotFoundError:
        return None


# -- services across communities ---------------------------------------------------------------
def test_the_recipients_community_pays_the_volunteers_pool_once(any_town: Town) -> None:
    cg, p = any_town.cg, people(any_town)
    a, b = any_town.community_a, any_town.community_b
    service = serve(any_town, p.volunteer, p.elder, "s1")
    worker = any_town.worker(any_town.grid_b1)  # the elder's grid worker confirms
    assert cg.timebank.confirm(worker, service.id).state == "confirmed"
    assert cg.timebank.confirm(any_town.admin, service.id).state == "confirmed"  # paid once
    assert cg.ledger.account(any_town.admin, "time", f"resident:{p.volunteer}").balance == 60
    assert cg.ledger.account(any_town.admin, "time", f"pool:{a}").balance == 60
    owed = cg.ledger.account(any_town.admin, "time", f"clearing:{b}")
    assert (owed.balance, owed.kind, owed.no_overdraft) == (-60, "clearing", False)
    assert lines(any_town, a) == [(b, None, 60, service.id)]
    assert lines(any_town, b) == [(a, None, -60, service.id)]
    mirrored(any_town, a, b)
    theirs = cg.timebank.exchanges(any_town.admin, b, month=MONTH)
    assert (theirs.opening, theirs.closing, theirs.pool, theirs.clearing) == (0, -60, 0, -60)
    assert (theirs.lines[0].date, theirs.lines[0].label) == (
        dt.date(2025, 6, 30),
        "跨社区服务结算 service across communities",
    )
    assert cg.timebank.totals(any_town.admin, a)["held_by_organisations"] == 60
    balanced(cg)


def test_a_service_within_a_community_settles_nothing(any_town: Town) -> None:
    cg, p = any_town.cg, people(any_town)
    for n, recipient in enumerate((p.neighbour, p.volunteer)):
        provider = p.volunteer if recipient == p.neighbour else p.neighbour
        cg.timebank.confirm(any_town.admin, serve(any_town, provider, recipient, f"s{n}").id)
    assert account(any_town, f"pool:{any_town.community_a}") is None
    assert account(any_town, f"clearing:{any_town.community_a}") is None
    assert lines(any_town, any_town.community_a) == []
    balanced(cg)


def test_under_town_pool_the_towns_clearing_account_pays(any_town: Town) -> None:
    town_rules(any_town, exchange="town_pool")
    cg, p = any_town.cg, people(any_town)
    a, b, t = any_town.community_a, any_town.community_b, any_town.town
    service = serve(any_town, p.helper, p.neighbour, "s1", minutes=90)  # B serves A
    cg.timebank.confirm(any_town.admin, service.id)
    assert lines(any_town, b) == [(t, None, 90, service.id)]
    assert lines(any_town, t) == [(b, None, -90, service.id)]
    assert lines(any_town, a) == []  # the recipient's community owes nothing
    mirrored(any_town, b, t)
    assert cg.ledger.account(any_town.admin, "time", f"clearing:{t}").balance == -90
    assert account(any_town, f"clearing:{a}") is None
    balanced(cg)


def test_under_none_a_service_across_communities_is_refused(any_town: Town) -> None:
    town_rules(any_town, exchange="none")
    cg, p = any_town.cg, people(any_town)
    before = written(cg)
    with pytest.raises(commgov.ValidationError) as refused:
        serve(any_town, p.volunteer, p.elder, "s1")
    assert (refused.value.field, refused.value.value) == ("recipient_id", p.elder)
    assert any_town.community_a in str(refused.value)
    assert any_town.community_b in str(refused.value)
    assert "同一社区" in str(refused.value)
    assert written(cg) == before
    within = serve(any_town, p.volunteer, p.neighbour, "s2")  # one community: recorded
    assert cg.timebank.confirm(any_town.admin, within.id).state == "confirmed"
    balanced(cg)


def test_a_rule_changed_to_none_after_recording_settles_nothing(any_town: Town) -> None:
    rules = town_rules(any_town)
    cg, p = any_town.cg, people(any_town)
    service = serve(any_town, p.volunteer, p.elder, "s1")
    rules.policy = TimeBankPolicy(exchange="none")
    assert cg.timebank.confirm(any_town.admin, service.id).state == "confirmed"
    assert lines(any_town, any_town.community_a) == []
    assert serve(any_town, p.volunteer, p.elder, "s1").id == service.id  # a retry replays


def test_a_disputed_service_is_not_settled(any_town: Town) -> None:
    cg, p = any_town.cg, people(any_town)
    service = serve(any_town, p.volunteer, p.elder, "s1")
    cg.timebank.dispute(any_town.admin, service.id, reason="did not come")
    with pytest.raises(commgov.StateError):
        cg.timebank.confirm(any_town.admin, service.id)
    assert lines(any_town, any_town.community_a) == lines(any_town, any_town.community_b) == []
    assert account(any_town, f"clearing:{any_town.community_b}") is None
    balanced(cg)


def test_confirming_within_one_home_or_community_reads_no_more_than_needed(
    any_town: Town,
) -> None:
    """Within one grid, a confirmation reads no unit more (the volunteer's account tells it
    is one home); within one community, one statement reads the units above the two homes."""
    cg, p = any_town.cg, people(any_town)
    same_grid = any_town.household(
        any_town.grid_a1, {"name": "甲老人", "identity_number": make_identity("19410101", 9)}
    ).member_ids[0]
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()))

    counts = []
    for n, recipient in enumerate((same_grid, p.neighbour)):
        service = serve(any_town, p.volunteer, recipient, f"s{n}")
        seen.clear()
        event.listen(cg.context.engine, "before_cursor_execute", note)
        try:
            cg.timebank.confirm(any_town.admin, service.id)
        finally:
            event.remove(cg.context.engine, "before_cursor_execute", note)
        counts.append(sum("FROM units WHERE" in s for s in seen))
    assert counts == [0, 1]  # nothing more; then the units above both homes, once


def test_the_recipients_town_decides_and_two_towns_meet_in_the_county(
    any_town: Town,
) -> None:
    """A second town under the same county, with the default rule; the first settles by the
    town's pool. A service for a resident of the first town is paid by the nearest common
    ancestor of the two communities (the county: no town above both); one for a resident of
    the second town by the recipient's community, under the second town's rule."""
    cg, admin = any_town.cg, any_town.admin
    town_rules(any_town, exchange="town_pool")
    second = build_town(cg, name="第二镇")
    ours = people(any_town)
    (theirs,) = any_town.household(
        second.grids[0], {"name": "丙", "identity_number": make_identity("19450101", 13)}
    ).member_ids
    county, far = "411425", second.communities[0]
    to_us = serve(any_town, theirs, ours.elder, "s1")
    to_them = serve(any_town, ours.volunteer, theirs, "s2", minutes=30)
    for service in (to_us, to_them):
        cg.timebank.confirm(admin, service.id)
    assert lines(any_town, county) == [(far, None, -60, to_us.id)]
    assert lines(any_town, far) == [
        (county, None, 60, to_us.id),
        (any_town.community_a, None, -30, to_them.id),
    ]
    assert lines(any_town, any_town.community_b) == []
    balanced(cg)


class Sometimes:
    commgov_plugin_name = "sometimes"

    @commgov.hookimpl
    def commgov_timebank_policy(self) -> TimeBankPolicy:
        return TimeBankPolicy(exchange="sometimes")


def test_a_rule_the_core_does_not_know_is_a_plugin_error(any_town: Town) -> None:
    cg, admin, p = any_town.cg, any_town.admin, people(any_town)
    service = serve(any_town, p.volunteer, p.elder, "s1")
    cg.enable_plugins(admin, any_town.town, [cg.add_plugin(Sometimes())])
    before = written(cg)
    with pytest.raises(commgov.PluginError, match=r"commgov_timebank_policy.*exchange"):
        cg.timebank.confirm(admin, service.id)
    with pytest.raises(commgov.PluginError, match="commgov_timebank_policy"):
        cg.timebank.transfer_between(
            admin,
            from_community=any_town.community_a,
            to_community=any_town.community_b,
            minutes=10,
            client_id="m",
            reason="x",
        )
    assert written(cg) == before


# -- moves between pools -------------------------------------------------------------------------
def donate(town: Town, resident: int, community: str, minutes: int, cid: str) -> None:
    cg = town.cg
    other = town.household(
        town.grid_a1, {"name": "乙", "identity_number": make_identity("19800101", 11)}
    ).member_ids[0]
    service = serve(town, resident, other, f"{cid}-earn", minutes=minutes)
    cg.timebank.confirm(town.admin, service.id)
    cg.timebank.donate(town.admin, resident, minutes=minutes, community=community, client_id=cid)


def test_a_direct_move_between_pools_and_its_retry(any_town: Town) -> None:
    cg, p = any_town.cg, people(any_town)
    a, b = any_town.community_a, any_town.community_b
    donate(any_town, p.volunteer, a, 120, "d")
    staff = any_town.worker(a, role="community_staff")
    moved = cg.timebank.transfer_between(
        staff, from_community=a, to_community=b, minutes=45, client_id="m1", reason="年度调剂"
    )
    assert (moved.via, moved.minutes, len(moved.transfer_ids), moved.replayed) == (
        None,
        45,
        1,
        False,
    )
    again = cg.timebank.transfer_between(
        staff, from_community=a, to_community=b, minutes=45, client_id="m1", reason="年度调剂"
    )
    assert again.replayed and again.transfer_ids == moved.transfer_ids
    with pytest.raises(commgov.ConflictError, match="amount"):
        cg.timebank.transfer_between(
            staff, from_community=a, to_community=b, minutes=50, client_id="m1", reason="年度调剂"
        )
    assert cg.ledger.account(any_town.admin, "time", f"pool:{a}").balance == 75
    assert cg.ledger.account(any_town.admin, "time", f"pool:{b}").balance == 45
    assert lines(any_town, a) == [(b, None, -45, None)]
    assert lines(any_town, b) == [(a, None, 45, None)]
    mirrored(any_town, a, b)
    mine = cg.timebank.exchanges(staff, a, month=MONTH)
    assert (mine.opening, mine.other, mine.minutes_out, mine.closing) == (0, 120, 45, 75)
    assert mine.lines[0].label == "社区调剂 pool transfer: 年度调剂"
    assert mine.lines[0].balance == 75
    balanced(cg)


def test_a_move_via_the_town_is_two_linked_postings(any_town: Town) -> None:
    town_rules(any_town, pool_transfers="via_town")
    cg, p = any_town.cg, people(any_town)
    a, b, t = any_town.community_a, any_town.community_b, any_town.town
    donate(any_town, p.volunteer, a, 100, "d")
    moved = cg.timebank.transfer_between(
        any_town.admin, from_community=a, to_community=b, minutes=40, client_id="v1", reason="调剂"
    )
    assert (moved.via, len(moved.transfer_ids)) == (t, 2)
    again = cg.timebank.transfer_between(
        any_town.admin, from_community=a, to_community=b, minutes=40, client_id="v1", reason="调剂"
    )
    assert again.replayed and again.transfer_ids == moved.transfer_ids
    assert lines(any_town, a) == [(b, t, -40, None)]
    assert lines(any_town, b) == [(a, t, 40, None)]
    assert lines(any_town, t) == [(a, None, 40, None), (b, None, -40, None)]
    mirrored(any_town, a, b)
    postings_mirrored(any_town, a, b, t)
    assert cg.ledger.account(any_town.admin, "time", f"pool:{t}").balance == 0
    before = written(cg)
    with pytest.raises(commgov.InsufficientFunds) as short:
        cg.timebank.transfer_between(
            any_town.admin, from_community=a, to_community=b, minutes=61, client_id="v2", reason="x"
        )
    assert (short.value.account, short.value.balance, short.value.amount) == (f"pool:{a}", 60, 61)
    assert "时间池现有 60 分钟" in str(short.value)
    assert written(cg) == before
    balanced(cg)


def test_under_none_pools_do_not_move(any_town: Town) -> None:
    town_rules(any_town, pool_transfers="none")
    cg, p = any_town.cg, people(any_town)
    donate(any_town, p.volunteer, any_town.community_a, 30, "d")
    before = written(cg)
    with pytest.raises(commgov.StateError, match="不允许社区之间调剂"):
        cg.timebank.transfer_between(
            any_town.admin,
            from_community=any_town.community_a,
            to_community=any_town.community_b,
            minutes=10,
            client_id="n1",
            reason="x",
        )
    assert written(cg) == before


def test_a_pool_short_of_minutes_changes_nothing(any_town: Town) -> None:
    cg = any_town.cg
    before = written(cg)
    with pytest.raises(commgov.InsufficientFunds) as short:
        cg.timebank.transfer_between(
            any_town.admin,
            from_community=any_town.community_b,
            to_community=any_town.community_a,
            minutes=5,
            client_id="empty",
            reason="x",
        )
    assert (short.value.field, short.value.balance) == ("amount", 0)
    assert written(cg) == before  # not even the empty pool was opened


@pytest.mark.parametrize(
    ("change", "error", "field", "value"),
    [
        ({"from_community": "411425100009"}, commgov.NotFoundError, "from_community", None),
        ({"to_community": "411425999"}, commgov.NotFoundError, "to_community", None),
        ({"to_community": "411425100001"}, commgov.ValidationError, "to_community", "411425100001"),
        ({"minutes": 0}, commgov.ValidationError, "minutes", 0),
        ({"minutes": -30}, commgov.ValidationError, "minutes", -30),
        ({"minutes": 1.5}, commgov.ValidationError, "minutes", 1.5),
        ({"client_id": "commgov:x"}, commgov.ValidationError, "client_id", "commgov:x"),
        ({"reason": "   "}, commgov.ValidationError, "reason", "   "),
        ({"reason": "x" * 56}, commgov.ValidationError, "reason", "x" * 40 + "…"),  # shown cut
    ],
)
def test_bad_moves_name_the_field_and_change_nothing(
    any_town: Town, change: dict[str, Any], error: type[Exception], field: str, value: Any
) -> None:
    cg, p = any_town.cg, people(any_town)
    donate(any_town, p.volunteer, any_town.community_a, 30, "d")
    asked = {
        "from_community": any_town.community_a,
        "to_community": any_town.community_b,
        "minutes": 10,
        "client_id": "m",
        "reason": "调剂",
    } | change
    before = written(cg)
    with pytest.raises(error) as refused:
        cg.timebank.transfer_between(any_town.admin, **asked)
    if isinstance(refused.value, commgov.ValidationError):
        assert (refused.value.field, refused.value.value) == (field, value)
    else:
        assert f"{field}={change[field]!r}" in str(refused.value)
    assert written(cg) == before


def test_only_staff_of_the_giving_community_or_above_move_its_hours(any_town: Town) -> None:
    cg, p = any_town.cg, people(any_town)
    a, b = any_town.community_a, any_town.community_b
    donate(any_town, p.volunteer, a, 60, "d")
    household = cg.residents.get(any_town.admin, p.volunteer).household_id
    refused = (
        commgov.Actor.resident("甲志愿", household_id=household),
        any_town.worker(b, role="community_staff"),  # the receiving side
        any_town.worker(any_town.grid_a1),  # a grid's worker: below the community
    )
    before = written(cg)
    for actor in refused:
        with pytest.raises(commgov.PermissionDenied):
            cg.timebank.transfer_between(
                actor, from_community=a, to_community=b, minutes=10, client_id="m", reason="x"
            )
    assert written(cg) == before
    above = any_town.worker(any_town.town, role="town_admin")
    cg.timebank.transfer_between(
        above, from_community=a, to_community=b, minutes=10, client_id="m", reason="x"
    )


# -- statements ----------------------------------------------------------------------------------
def test_statements_are_for_staff_of_the_community_or_above(any_town: Town) -> None:
    cg, p = any_town.cg, people(any_town)
    a = any_town.community_a
    household = cg.residents.get(any_town.admin, p.volunteer).household_id
    for actor in (
        commgov.Actor.resident("甲志愿", household_id=household),
        any_town.worker(any_town.community_b, role="community_staff"),
        any_town.worker(any_town.grid_a1),
    ):
        with pytest.raises(commgov.PermissionDenied):
            cg.timebank.exchanges(actor, a)
    assert cg.timebank.exchanges(any_town.worker(a, role="community_staff"), a).lines == ()
    with pytest.raises(commgov.NotFoundError, match="community='4114259'"):
        cg.timebank.exchanges(any_town.admin, "4114259")
    with pytest.raises(commgov.ValidationError) as bad:
        cg.timebank.exchanges(any_town.admin, a, month="2025-13")
    assert bad.value.field == "month"


def test_a_statement_covers_its_period_only(any_town: Town) -> None:
    cg, p = any_town.cg, people(any_town)
    a, b = any_town.community_a, any_town.community_b
    cg.timebank.confirm(any_town.admin, serve(any_town, p.volunteer, p.elder, "s1").id)
    later = NOW + dt.timedelta(days=2)
    cg.context.clock = lambda: later
    service = cg.timebank.record(
        any_town.admin,
        provider_id=p.helper,
        recipient_id=p.neighbour,
        kind="助餐",
        start=later - HOUR,
        end=later,
        client_id="s2",
    )
    cg.timebank.confirm(any_town.admin, service.id)
    july = cg.timebank.exchanges(any_town.admin, a, month="2025-07")
    assert (july.opening, july.minutes_out, july.closing) == (60, 60, 0)
    assert [(x.date, x.counterpart) for x in july.lines] == [(dt.date(2025, 7, 2), b)]
    assert july.lines[0].balance == 0  # the pool's 60 less the 60 owed
    june = cg.timebank.exchanges(any_town.admin, a, month=MONTH)
    assert (june.opening, june.minutes_in, june.closing) == (0, 60, 60)


# -- the rules as pure values ----------------------------------------------------------------------
def unit(uid: int, kind: str, parent: Unit | None = None) -> Unit:
    path = f"{parent.path if parent else '/'}{uid}/"
    return Unit(uid, f"u{uid}", f"unit {uid}", kind, parent.id if parent else None, path, 0)


def lineage(*units: Unit) -> tuple[Unit, ...]:
    return units


def test_each_side_stands_for_its_community_or_the_branch_below_the_common_ancestor() -> None:
    county = unit(1, "county")
    town = unit(2, "town", county)
    c1, c2 = unit(3, "community", town), unit(4, "village", town)
    g1, g2 = unit(5, "grid", c1), unit(6, "grid", c2)
    g1b = unit(7, "grid", c1)
    found = sides(lineage(county, town, c1, g1), lineage(county, town, c2, g2))
    assert found is not None and (found[0][-1], found[1][-1]) == (c1, c2)
    assert sides(lineage(county, town, c1, g1), lineage(county, town, c1, g1b)) is None
    # no community above: the branch under the nearest common ancestor stands for each side
    x, y = unit(8, "compound", town), unit(9, "compound", town)
    gx, gy = unit(10, "grid", x), unit(11, "grid", y)
    found = sides(lineage(county, town, x, gx), lineage(county, town, y, gy))
    assert found is not None and (found[0][-1], found[1][-1]) == (x, y)
    # a resident living at the town itself: the town stands for them
    found = sides(lineage(county, town), lineage(county, town, c1, g1))
    assert found is not None and (found[0][-1], found[1][-1]) == (town, c1)
    assert town_of(lineage(county, town, c1), lineage(county, town, c2)) == town
    other_town = unit(12, "street", county)
    c3 = unit(13, "community", other_town)
    assert town_of(lineage(county, town, c1), lineage(county, other_town, c3)) == county
    assert (
        town_of(
            lineage(county, town, c1),
            lineage(
                unit(14, "county"),
            ),
        )
        is None
    )


def test_who_pays_under_each_rule() -> None:
    county = unit(1, "county")
    town = unit(2, "town", county)
    c1, c2 = unit(3, "community", town), unit(4, "community", town)
    v, r = lineage(county, town, c1, unit(5, "grid", c1)), lineage(county, town, c2)
    assert settlement("none", v, r) is None
    found = settlement("community_pool", v, r)
    assert found is not None and (found.payer, found.payee) == (c2, c1)
    found = settlement("town_pool", v, r)
    assert found is not None and (found.payer, found.payee) == (town, c1)
    assert settlement("town_pool", lineage(county, town), r) is None  # the town pays itself
    lone = lineage(unit(9, "community"))
    found = settlement("town_pool", v, lone)  # two trees: the recipient's community pays
    assert found is not None and found.payer == lone[-1]


# -- a property: random services and moves keep both sides mirrored and the books balanced --------
serves = st.tuples(
    st.just("serve"),
    st.integers(0, 3),
    st.integers(0, 3),
    st.sampled_from((30, 60, 90)),
    st.sampled_from(("confirm", "twice", "dispute")),
)
moves = st.tuples(
    st.just("move"),
    st.sampled_from(("A", "B", "T")),
    st.sampled_from(("A", "B", "T")),
    st.integers(1, 120),
    st.booleans(),  # retried
)


@pytest.mark.property
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    exchange=st.sampled_from(("community_pool", "town_pool")),
    pool_transfers=st.sampled_from(("direct", "via_town")),
    steps=st.lists(st.one_of(serves, serves, moves), min_size=2, max_size=8),
)
def test_random_exchanges_mirror_on_both_sides_and_balance(
    any_town: Town, exchange: str, pool_transfers: str, steps: list[tuple[Any, ...]]
) -> None:
    cg, admin = any_town.cg, any_town.admin
    key = str(cg.context.engine.url)  # one store per test: a file or a schema of its own
    state = EXAMPLES.get(key)
    if state is None:
        state = EXAMPLES[key] = _Example.start(any_town)
    state.rules.policy = TimeBankPolicy(exchange=exchange, pool_transfers=pool_transfers)
    units = {"A": any_town.community_a, "B": any_town.community_b, "T": any_town.town}
    for step in steps:
        n = next(state.ids)
        if step[0] == "serve":
            _, giver, taker, minutes, outcome = step
            if giver == taker:
                continue
            provider, recipient = state.people[giver], state.people[taker]
            service = serve(any_town, provider[0], recipient[0], f"p{n}", minutes=minutes)
            if outcome == "dispute":
                cg.timebank.dispute(admin, service.id, reason="no")
                continue
            for _ in range(2 if outcome == "twice" else 1):
                cg.timebank.confirm(admin, service.id)
            if provider[1] != recipient[1]:
                payer = recipient[1] if exchange == "community_pool" else "T"
                state.clearing[payer] -= minutes
                state.pool[provider[1]] += minutes
                state.settled[service.id] = 2
                tally("a service across communities settled")
            else:
                state.settled[service.id] = 0
            continue
        _, source, target, minutes, retried = step
        if source == target:
            continue
        asked = {
            "from_community": units[source],
            "to_community": units[target],
            "minutes": minutes,
            "client_id": f"m{n}",
            "reason": "调剂",
        }
        if state.pool[source] < minutes:
            tally("a pool short of minutes")
            before = written(cg)
            with pytest.raises(commgov.InsufficientFunds):
                cg.timebank.transfer_between(admin, **asked)
            assert written(cg) == before
            continue
        tally(f"hours moved ({pool_transfers})")
        cg.timebank.transfer_between(admin, **asked)
        state.pool[source] -= minutes
        state.pool[target] += minutes
        if retried:
            assert cg.timebank.transfer_between(admin, **asked).replayed
    balanced(cg)
    mirrored(any_town, units["A"], units["B"])
    postings_mirrored(any_town, *units.values())
    by_service: dict[int, int] = {}
    for key, code in units.items():
        statement = cg.timebank.exchanges(admin, code, month=MONTH)
        assert statement.opening + statement.minutes_in - statement.minutes_out == (
            statement.closing
        )  # no donation or grant here: every posting is a line
        assert (statement.pool, statement.clearing) == (state.pool[key], state.clearing[key])
        if statement.lines:
            assert statement.lines[-1].balance == statement.closing
        for x in statement.lines:
            if x.service_id is not None:
                by_service[x.service_id] = by_service.get(x.service_id, 0) + 1
    assert by_service == {s: n for s, n in state.settled.items() if n}


def tally(what: str) -> None:
    hypothesis.event(what)


@attrs.define
class _Example:
    """What a store keeps across hypothesis's examples: the people, the rules, the model."""

    rules: Rules
    people: list[tuple[int, str]]
    ids: Any
    pool: dict[str, int]
    clearing: dict[str, int]
    settled: dict[int, int]

    @classmethod
    def start(cls, town: Town) -> _Example:
        p = people(town)
        return cls(
            town_rules(town),
            [(p.volunteer, "A"), (p.neighbour, "A"), (p.elder, "B"), (p.helper, "B")],
            itertools.count(),
            dict.fromkeys(("A", "B", "T"), 0),
            dict.fromkeys(("A", "B", "T"), 0),
            {},
        )


EXAMPLES: dict[str, _Example] = {}
