"""The outbox: every domain event is written in the unit of work of its change (and not at all
when the change fails), numbered, with codes and ids only."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from tests.conftest import NOW, Town, build_town
from tests.ledger.helpers import family

import commgov
from commgov.cases.model.vocab import Action
from commgov.cases.service.batch import EVENT_KINDS
from commgov.kernel.outbox import Event, OutboxRepository, StoredEvent


def events(cg: commgov.Commgov, aggregate: str | None = None) -> list[StoredEvent]:
    with cg.context.uow(readonly=True) as uow:
        repo = uow.repo(OutboxRepository)
        return repo.of(aggregate) if aggregate else repo.after(0)


def test_events_are_written_in_order_and_read_back(store: commgov.Commgov) -> None:
    written = [Event("test.made", f"thing:{i % 2}", {"n": i}) for i in range(5)]
    with store.context.uow() as uow:
        uow.repo(OutboxRepository).add(NOW, written)
        uow.repo(OutboxRepository).add(NOW, [])  # nothing to write: no statement
    found = events(store)
    assert [(e.kind, e.aggregate, e.payload) for e in found] == [
        (e.kind, e.aggregate, dict(e.payload)) for e in written
    ]
    assert [e.id for e in found] == sorted(e.id for e in found)
    assert found[0].at == NOW and found[0].at.tzinfo is not None
    assert [e.payload["n"] for e in events(store, "thing:1")] == [1, 3]
    assert found[0].body() == {
        "id": found[0].id,
        "at": NOW.isoformat(),
        "kind": "test.made",
        "aggregate": "thing:0",
        "payload": {"n": 0},
    }
    with store.context.uow(readonly=True) as uow:
        assert uow.repo(OutboxRepository).last_id() == found[-1].id


def test_an_event_is_written_only_with_its_change(store: commgov.Commgov) -> None:
    with pytest.raises(RuntimeError), store.context.uow() as uow:
        uow.repo(OutboxRepository).add(NOW, [Event("test.made", "thing:1", {})])
        raise RuntimeError("the change fails after its event was written")
    assert events(store) == []
    with pytest.raises(commgov.ValidationError, match="kind"), store.context.uow() as uow:
        uow.repo(OutboxRepository).add(NOW, [Event("x" * 65, "thing:1", {})])
    assert events(store) == []


def test_every_case_action_has_an_event_kind() -> None:
    assert set(EVENT_KINDS) == set(Action)
    assert len(set(EVENT_KINDS.values())) == len(Action)
    assert all(kind.startswith("case.") for kind in EVENT_KINDS.values())


def test_case_events_follow_the_case_and_carry_no_personal_data(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    worker = any_town.worker(any_town.grid_a1)
    case = cg.cases.report(
        worker,
        text="楼道灯坏了，张三家门口",
        unit=any_town.grid_a1,
        reporter_phone="13800138000",
        address="幸福路1号",
    )
    cg.cases.accept(admin, case.id)
    with pytest.raises(commgov.StateError):
        cg.cases.accept(admin, case.id)  # refused: no event
    cg.cases.triage(admin, case.id, category="environment", severity="urgent")
    found = events(cg, f"case:{case.id}")
    assert [e.kind for e in found] == ["case.reported", "case.accepted", "case.triaged"]
    assert [e.payload["seq"] for e in found] == [1, 2, 3]
    reported, accepted, triaged = (e.payload for e in found)
    assert reported["number"] == case.number and reported["unit"] == any_town.grid_a1
    assert reported["to_state"] == "reported" and reported["from_state"] is None
    assert (accepted["from_state"], accepted["to_state"]) == ("reported", "accepted")
    assert (triaged["category"], triaged["severity"]) == ("environment", "urgent")
    text = json.dumps([e.body() for e in found], ensure_ascii=False, default=str)
    for secret in ("13800138000", "张三", "幸福路", worker.name):
        assert secret not in text


def test_a_failed_batch_of_cases_writes_no_event(store: commgov.Commgov) -> None:
    town = build_town(store)
    worker = town.worker(town.grid_a1)
    before = len(events(store))
    with pytest.raises(commgov.ValidationError):  # the second fails once the first is taken
        store.cases.report_many(
            worker,
            [{"text": "first", "unit": town.grid_a1}, {"text": "second", "unit": "411425100009"}],
        )
    assert len(events(store)) == before


def test_transfers_points_and_services_are_events(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    elder, child, alone = family(any_town)
    earned = cg.points.earn(admin, child, "volunteer", quantity=2, client_id="v1")
    again = cg.points.earn(admin, child, "volunteer", quantity=2, client_id="v1")  # a retry
    assert again.transfer is not None and again.transfer.replayed
    transfer = earned.transfer
    assert transfer is not None
    low, high = sorted((transfer.debit_id, transfer.credit_id))
    found = events(cg, f"accounts:{low}-{high}")
    assert [e.kind for e in found] == ["transfer.posted", "points.earned"]  # once, in order
    posted, points = (e.payload for e in found)
    assert posted["transfer_id"] == transfer.id and posted["amount"] == earned.granted
    assert posted["credit"] == f"resident:{child}" and posted["ledger"] == "points"
    assert points["resident_id"] == child and points["activity"] == "volunteer"
    assert points["granted"] == earned.granted and points["unit"] == any_town.grid_a1
    with pytest.raises(commgov.InsufficientFunds):  # a refused transfer writes no event
        cg.points.donate(
            admin, child, fund="roof", unit=any_town.grid_a1, amount=10_000, client_id="d1"
        )
    assert len(events(cg, f"accounts:{low}-{high}")) == 2

    start = NOW - dt.timedelta(hours=2)
    service = cg.timebank.record(
        admin,
        provider_id=child,
        recipient_id=alone,
        kind="陪伴",
        start=start,
        end=start + dt.timedelta(hours=1),
        client_id="svc1",
    )
    cg.timebank.confirm(any_town.worker(any_town.grid_a1), service.id)
    cg.timebank.confirm(any_town.worker(any_town.grid_a1), service.id)  # the same answer
    kinds = [e.kind for e in events(cg, f"timebank_service:{service.id}")]
    assert kinds == ["timebank.service_recorded", "timebank.service_confirmed"]
    confirmed = events(cg, f"timebank_service:{service.id}")[-1].payload
    assert confirmed["minutes"] == 60 and confirmed["provider_id"] == child
    everything = json.dumps([e.body() for e in events(cg)], ensure_ascii=False)
    for name in ("老张", "小张", "李奶奶"):
        assert name not in everything
    assert elder not in (confirmed["provider_id"], confirmed["recipient_id"])
