"""Life events hand the person's open work over, end to end: a worker who leaves or moves takes
no case with them, a resident who moves out or is merged leaves no hour waiting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests.conftest import SECRET, row_counts

import commgov
from commgov.testing import BuiltTown, build_town

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
ADMIN = commgov.Actor.system("clerk")


@pytest.fixture(params=["sqlite", "postgresql"])
def cg(request: pytest.FixtureRequest) -> Iterator[commgov.Commgov]:
    if request.param == "sqlite":
        url = f"sqlite:///{request.getfixturevalue('tmp_path') / 'store.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    with commgov.open(url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW) as store:
        yield store


def person(name: str) -> dict[str, object]:
    return {"name": name, "birth_date": "1960-01-01", "sex": "M"}


def led_case(cg: commgov.Commgov, grid: str, lead: int) -> int:
    case = cg.cases.report(ADMIN, unit=grid, text="路灯不亮", channel="grid_visit")
    cg.cases.accept(ADMIN, case.id)
    cg.cases.triage(ADMIN, case.id, owner_level="grid")
    return cg.cases.dispatch(ADMIN, case.id, lead=f"staff:{lead}").id


def town(cg: commgov.Commgov) -> BuiltTown:
    return build_town(cg, code="411425100", communities=1, grids_per_community=2)


def test_a_worker_with_open_cases_leaves_only_with_someone_to_take_them(
    cg: commgov.Commgov,
) -> None:
    built = town(cg)
    leaving = cg.staff.add(ADMIN, name="李网格", role="grid_worker", units=[built.grids[0]])
    taking = cg.staff.add(ADMIN, name="王网格", role="grid_worker", units=[built.grids[0]])
    case_id = led_case(cg, built.grids[0], leaving.id)
    number = cg.cases.get(ADMIN, case_id).number
    before = row_counts(cg)

    with pytest.raises(commgov.ValidationError) as refused:
        cg.staff.deactivate(ADMIN, leaving.id, reason="调离 transferred")
    assert refused.value.field == "hand_over_to"
    assert "1 open case" in str(refused.value) and str(number) in str(refused.value)
    assert row_counts(cg) == before
    assert cg.staff.get(ADMIN, leaving.id).active
    assert cg.cases.get(ADMIN, case_id).lead == f"staff:{leaving.id}"

    event = cg.staff.deactivate(
        ADMIN, leaving.id, reason="调离 transferred", hand_over_to=taking.id
    )
    assert event.work == {"cases": (1, 0)}
    case = cg.cases.get(ADMIN, case_id)
    assert (case.lead, case.state) == (f"staff:{taking.id}", "dispatched")
    last = cg.cases.history(ADMIN, case_id)[-1]
    assert (last.action, last.note) == ("hand_over", "调离 transferred")


def test_a_reassigned_worker_hands_over_only_the_cases_of_the_grid_they_leave(
    cg: commgov.Commgov,
) -> None:
    built = town(cg)
    a, b = built.grids
    worker = cg.staff.add(ADMIN, name="赵网格", role="grid_worker", units=[a, b])
    colleague = cg.staff.add(ADMIN, name="钱网格", role="grid_worker", units=[a])
    in_a, in_b = led_case(cg, a, worker.id), led_case(cg, b, worker.id)
    event = cg.staff.reassign(ADMIN, worker.id, units=[b], hand_over_to=colleague.id)
    assert event.work == {"cases": (1, 0)}
    assert cg.cases.get(ADMIN, in_a).lead == f"staff:{colleague.id}"
    assert cg.cases.get(ADMIN, in_b).lead == f"staff:{worker.id}"


def test_a_resident_who_moves_out_leaves_no_hour_waiting_and_earns_no_more(
    cg: commgov.Commgov,
) -> None:
    built = town(cg)
    volunteer, elder = built.household(
        built.grids[0], person("孙志愿"), person("周老人")
    ).member_ids
    service = cg.timebank.record(
        ADMIN, provider_id=volunteer, recipient_id=elder, kind="陪伴 companionship",
        start=NOW - dt.timedelta(hours=3), end=NOW - dt.timedelta(hours=2), client_id="s-1",
    )  # fmt: skip
    event = cg.residents.leave(ADMIN, elder, reason="moved_out")
    assert event.work == {"ledger": (0, 1)}
    assert service.state == "pending"
    assert cg.timebank.pending(ADMIN, built.town) == []
    with pytest.raises(commgov.StateError):
        cg.points.earn(ADMIN, elder, "volunteer", client_id="e-1")


def test_a_merged_duplicate_brings_its_points_to_the_kept_record(cg: commgov.Commgov) -> None:
    built = town(cg)
    (kept,) = built.household(built.grids[0], person("吴七")).member_ids
    (dup,) = built.household(built.grids[1], person("吴七")).member_ids
    earned = cg.points.earn(ADMIN, dup, "volunteer", client_id="e-dup", quantity=2)
    cg.residents.merge(ADMIN, dup, into=kept)
    assert earned.granted == 20
    kept_account, dup_account = cg.points.balance(ADMIN, kept), cg.points.balance(ADMIN, dup)
    assert kept_account is not None and kept_account.balance == 20
    assert dup_account is not None and dup_account.balance == 0


def test_cases_per_thousand_residents_count_the_people_living_there_in_that_period(
    cg: commgov.Commgov,
) -> None:
    built = town(cg)
    grid = built.grids[0]
    people = built.household(grid, person("甲"), person("乙"), person("丙"), person("丁"))
    cg.cases.report(ADMIN, unit=grid, text="井盖缺失", channel="grid_visit")
    march = NOW.replace(day=1)
    april = march.replace(month=4)
    later = cg.context.clock
    (before,) = cg.cases.metrics(ADMIN, grid, start=march, end=april, as_of=april)
    assert (before.residents, before.per_1000) == (4, 250.0)
    cg.context.clock = lambda: NOW + dt.timedelta(days=40)  # in April, two of them move away
    for rid in people.member_ids[:2]:
        cg.residents.leave(ADMIN, rid, reason="moved_out")
    (march_again,) = cg.cases.metrics(ADMIN, grid, start=march, end=april)
    (now,) = cg.cases.metrics(ADMIN, grid, start=march)
    cg.context.clock = later
    assert march_again.residents == 4  # March's people, though two left since
    assert (now.residents, now.per_1000) == (2, 500.0)
