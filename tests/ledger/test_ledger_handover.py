"""The ledger's open work when a resident leaves: pending services voided with the reason,
balances kept readable and closed to new work; a duplicate's balances and pending hours moved
to the kept record. The handler is called here as the people service calls it, inside the
life event's unit of work, after the resident's row says they left."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import text
from tests.conftest import NOW, SECRET, Town, build_town, make_identity
from tests.ledger.helpers import HOUR, family, one_hour_of_care

import commgov
from commgov import capabilities
from commgov.kernel.handover import Departure, DepartureKind, HandedOver
from commgov.ledger.repository import LedgerRepository
from commgov.ledger.service.handover import LedgerOpenWork
from commgov.people.repository import ResidentRepository

LEFT_AT = dt.datetime(2025, 6, 28, 2, 0, tzinfo=dt.UTC)  # 2025-06-28 10:00 in Beijing


def depart(
    cg: commgov.Commgov,
    kind: DepartureKind,
    person: int,
    *,
    reason: str,
    successor: int | None = None,
    row: dict[str, object] | None = None,
) -> HandedOver:
    """Write the life event on the resident's row, then hand the ledger's work over, in one
    unit of work (as the people service does)."""
    admin = commgov.Actor.system("clerk")
    with cg.context.uow() as uow:
        if row:
            uow.repo(ResidentRepository).update(person, row)
        event = Departure(kind, person, LEFT_AT, reason, successor_id=successor)
        return LedgerOpenWork().hand_over(cg.context, uow, admin, event)


def leave(cg: commgov.Commgov, person: int, reason: str) -> HandedOver:
    return depart(
        cg, "resident_left", person, reason=reason,
        row={"left_at": LEFT_AT, "left_reason": reason},
    )  # fmt: skip


def record(
    cg: commgov.Commgov, provider: int, recipient: int, client_id: str, *, hours_ago: int = 3
) -> commgov.ServiceView:
    start = NOW - hours_ago * HOUR
    return cg.timebank.record(
        commgov.Actor.system("desk"), provider_id=provider, recipient_id=recipient,
        kind="陪诊", start=start, end=start + dt.timedelta(minutes=45), client_id=client_id,
    )  # fmt: skip


def books_balance(cg: commgov.Commgov) -> None:
    for ledger in ("points", "time"):
        b = cg.ledger.books(commgov.Actor.system("check"), ledger)
        assert (b["debits_posted"], b["debits_pending"]) == (
            b["credits_posted"],
            b["credits_pending"],
        )


def test_the_ledger_lists_its_open_work() -> None:
    (mine,) = [w for w in capabilities.OPEN_WORK if isinstance(w, LedgerOpenWork)]
    assert mine.name == "ledger"


def test_moving_out_voids_pending_services_and_closes_the_account_to_new_work(
    any_town: Town,
) -> None:
    cg, admin = any_town.cg, any_town.admin
    elder, child, alone = family(any_town)
    confirmed = one_hour_of_care(cg, admin, child, alone)
    cg.timebank.confirm(admin, confirmed.id)
    cg.points.earn(admin, child, "volunteer", quantity=3, client_id="v")
    serving = record(cg, child, alone, "s1")
    served = record(cg, elder, child, "s2", hours_ago=5)
    untouched = record(cg, elder, alone, "s3")
    reward = cg.points.add_reward(admin, unit=any_town.community_a, name="理发券", price=5, stock=9)

    assert leave(cg, child, "moved_out") == HandedOver("ledger", handed_over=0, closed=2)

    waiting = {s.id for s in cg.timebank.pending(admin, any_town.town)}
    assert waiting == {untouched.id}
    with pytest.raises(commgov.StateError) as voided:
        cg.timebank.confirm(admin, serving.id)
    assert "moved_out: resident" in str(voided.value) and "was voided by system:clerk" in str(
        voided.value
    )
    again = cg.timebank.dispute(admin, served.id, reason="late")  # voided already: as it is
    assert (again.state, again.note) == ("voided", f"moved_out: resident {child} left")
    time = cg.ledger.account(admin, "time", f"resident:{child}")
    assert (time.balance, time.credits_pending) == (60, 0)  # banked hours stay
    provider = cg.ledger.account(admin, "time", f"resident:{elder}")
    assert provider.credits_pending == 45  # only the service with the one who left is voided
    points = cg.points.account_statement(admin, child)
    assert points.closing == 30 and points.left == (
        "小* moved out on 2025-06-28 (小* 已于 2025-06-28 迁出)"
    )
    assert cg.timebank.account_statement(admin, child).closing == 60
    assert cg.points.balance(admin, child).balance == 30  # type: ignore[union-attr]
    words = "小* moved out on 2025-06-28 (小* 已于 2025-06-28 迁出)"
    before = (cg.ledger.books(admin, "points"), cg.ledger.books(admin, "time"))
    for refused in (
        lambda: cg.points.earn(admin, child, "meeting", client_id="m"),
        lambda: cg.points.earn_many(
            admin, [{"resident_id": alone, "activity": "meeting", "client_id": "ok"},
                    {"resident_id": child, "activity": "meeting", "client_id": "no"}]
        ),
        lambda: cg.points.redeem(admin, child, reward.id, client_id="r"),
        lambda: cg.timebank.give(admin, child, elder, minutes=10, client_id="g"),
        lambda: cg.timebank.give(admin, elder, child, minutes=10, client_id="g2"),
        lambda: cg.timebank.redeem_care(admin, child, minutes=10, client_id="c"),
        lambda: cg.timebank.donate(
            admin, child, minutes=10, community=any_town.community_a, client_id="d"
        ),
        lambda: record(cg, child, alone, "s4"),
        lambda: record(cg, alone, child, "s5"),
    ):  # fmt: skip
        with pytest.raises(commgov.StateError) as caught:
            refused()
        assert str(caught.value) == words
    assert (cg.ledger.books(admin, "points"), cg.ledger.books(admin, "time")) == before
    assert cg.points.reward(admin, reward.id).stock == 9
    books_balance(cg)
    assert leave(cg, child, "moved_out") == HandedOver("ledger")  # nothing left to close


def test_a_death_is_said_as_such(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    elder, child, _ = family(any_town)
    served = record(cg, child, elder, "s")
    assert leave(cg, elder, "died").closed == 1
    with pytest.raises(
        commgov.StateError, match=r"^老\* died on 2025-06-28 \(老\* 已于 2025-06-28 去世\)$"
    ):
        cg.timebank.grant(
            admin, community=any_town.community_a, elder_id=elder, minutes=5, client_id="g"
        )
    with pytest.raises(commgov.StateError, match="died: resident"):
        cg.timebank.confirm(admin, served.id)
    assert cg.ledger.account(admin, "time", f"resident:{child}").credits_pending == 0


def test_a_merged_duplicates_balances_and_pending_hours_go_to_the_kept_record(
    any_town: Town,
) -> None:
    cg, admin = any_town.cg, any_town.admin
    elder, child, alone = family(any_town)
    duplicate = any_town.household(
        any_town.grid_a2, {"name": "小张", "identity_number": make_identity("19900101", 5)}
    ).member_ids[0]
    kept = child
    at = cg.context.clock
    cg.context.clock = lambda: NOW - dt.timedelta(days=40)  # in May
    cg.points.earn(admin, duplicate, "volunteer", quantity=4, client_id="may")
    cg.context.clock = at
    cg.points.earn(admin, duplicate, "meeting", client_id="june")
    cg.points.earn(admin, kept, "meeting", client_id="kept")
    banked = one_hour_of_care(cg, admin, duplicate, alone)
    cg.timebank.confirm(admin, banked.id)
    as_provider = record(cg, duplicate, elder, "p", hours_ago=4)
    as_recipient = record(cg, alone, duplicate, "r", hours_ago=5)
    with_kept = record(cg, duplicate, kept, "k", hours_ago=6)

    done = depart(
        cg, "resident_merged", duplicate, reason="merged", successor=kept,
        row={"left_at": LEFT_AT, "left_reason": "merged", "merged_into": kept},
    )  # fmt: skip
    assert done == HandedOver("ledger", handed_over=4, closed=1)  # 2 balances, 2 services

    assert cg.points.balance(admin, duplicate).balance == 0  # type: ignore[union-attr]
    assert cg.points.balance(admin, kept).balance == 50  # type: ignore[union-attr]
    kept_time = cg.ledger.account(admin, "time", f"resident:{kept}")
    assert (kept_time.balance, kept_time.credits_pending) == (60, 45)  # the service it gave
    moved = [
        t
        for t in cg.ledger.history(admin, "points", f"resident:{kept}")
        if t.reason.startswith("merge")
    ]
    assert [(t.reason, t.amount) for t in moved] == [(f"merge:{duplicate}:{kept}", 45)]
    assert moved[0].client_id.startswith("commgov:")
    waiting = {(s.provider_id, s.recipient_id, s.started_at, s.minutes, s.kind)
               for s in cg.timebank.pending(admin, any_town.town)}  # fmt: skip
    assert waiting == {
        (kept, elder, as_provider.started_at, 45, "陪诊"),
        (alone, kept, as_recipient.started_at, 45, "陪诊"),
    }
    assert with_kept.id not in {s.id for s in cg.timebank.pending(admin, any_town.town)}
    for service in cg.timebank.pending(admin, any_town.town):
        cg.timebank.confirm(admin, service.id)
    assert cg.ledger.account(admin, "time", f"resident:{kept}").balance == 105
    assert cg.points.honour(admin, kept) == (50, None)  # what the duplicate earned counts
    board = cg.points.leaderboard(admin, any_town.town, month="2025-06")
    assert [(r.resident_id, r.earned) for r in board.rows] == [(kept, 10)]
    statement = cg.points.account_statement(admin, duplicate)
    assert [x.label for x in statement.lines][-1] == f"合并 merged into resident {kept}"
    assert statement.closing == 0 and statement.left is not None
    assert f"use resident {kept}" in statement.left
    with pytest.raises(commgov.StateError, match=f"merged into resident {kept}"):
        cg.points.earn(admin, duplicate, "meeting", client_id="again")
    books_balance(cg)
    again = depart(cg, "resident_merged", duplicate, reason="merged", successor=kept)
    assert again == HandedOver("ledger")  # nothing moves twice


def test_moving_house_moves_the_accounts_and_staff_changes_touch_nothing(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    _, child, alone = family(any_town)
    cg.points.earn(admin, child, "meeting", client_id="m")
    service = one_hour_of_care(cg, admin, child, alone)
    new_home = cg.residents.add_household(admin, unit=any_town.grid_b1, address="新家 1号")
    b1 = cg.grids.get(any_town.grid_b1).id
    moved = depart(
        cg, "resident_moved", child, reason="moved",
        row={"household_id": new_home.id, "unit_id": b1},
    )  # fmt: skip
    assert moved == HandedOver("ledger")
    with cg.context.uow(readonly=True) as uow:
        code = f"resident:{child}"
        for ledger in ("points", "time"):
            account = uow.repo(LedgerRepository).accounts_by_code(ledger, [code])[code]
            assert account.unit_id == b1
    assert [s.id for s in cg.timebank.pending(admin, any_town.grid_a1)] == [service.id]
    for kind in ("staff_left", "staff_moved"):
        assert depart(cg, kind, 1, reason="retired", successor=2) == HandedOver("ledger")


def test_a_service_recorded_while_the_resident_leaves_waits_and_is_refused(pg_url: str) -> None:
    """The resident's row is locked by the life event and by every ledger write for them, so a
    service recorded while they leave waits for the departure and is then refused: no pending
    service is left behind, orphaned."""
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW) as cg:
        town = build_town(cg)
        _, child, alone = family(town)
        leaving = threading.Event()
        outcome: list[str] = []

        def record_meanwhile() -> None:
            leaving.wait()
            try:
                record(cg, child, alone, "meanwhile")
                outcome.append("recorded")
            except commgov.StateError as refused:
                outcome.append(str(refused))
            except Exception as unexpected:  # reported by the test, not lost in the thread
                outcome.append(repr(unexpected))

        writer = threading.Thread(target=record_meanwhile)
        writer.start()
        row = {"left_at": LEFT_AT, "left_reason": "moved_out"}
        with cg.context.uow() as uow:
            uow.repo(ResidentRepository).update(child, row)
            event = Departure("resident_left", child, LEFT_AT, "moved_out")
            LedgerOpenWork().hand_over(cg.context, uow, commgov.Actor.system("clerk"), event)
            mine = uow.conn.execute(text("select pg_backend_pid()")).scalar_one()
            leaving.set()
            waiting = text(
                "select count(*) from pg_stat_activity where :pid = any(pg_blocking_pids(pid))"
            )
            with cg.context.engine.connect() as watch:
                for _ in range(6000):  # until the writer waits on the resident's row (<1 min)
                    blocked = watch.execute(waiting, {"pid": mine}).scalar_one()
                    # PostgreSQL reads pg_stat_activity once per transaction: end it, so a
                    # writer whose connection opened after this poll is seen by the next one
                    watch.rollback()
                    if blocked or not writer.is_alive():
                        break
                    time.sleep(0.01)
                if not blocked:
                    pytest.fail(f"the writer did not wait for the life event: {outcome}")
        writer.join()
        assert outcome == ["小* moved out on 2025-06-28 (小* 已于 2025-06-28 迁出)"]
        assert cg.timebank.pending(town.admin, town.town) == []
