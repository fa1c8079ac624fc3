"""One test per case hook: a plugin's answer is used, and the defaults hold without one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import commgov
from commgov.cases.model import CaseInfo, CategorySpec, Deadlines, Lead, Routing, Triage

from .conftest import Town


class Plugin:
    commgov_plugin_name = "test-town"


def test_hook_commgov_case_categories(make_town: Any) -> None:
    class Extra(Plugin):
        @commgov.hookimpl
        def commgov_case_categories(self) -> list[CategorySpec]:
            return [CategorySpec("dispute.pets", "宠物纠纷 pet dispute", level="grid")]

    town: Town = make_town([Extra()])
    codes = {c.code: c for c in town.cases.categories()}
    assert codes["dispute.pets"].parent == "dispute"
    assert {"dispute.neighbour", "safety.fire", "environment", "assistance", "order"} <= set(codes)
    case = town.report(category="dispute.pets")
    assert case.category == "dispute.pets"


def test_hook_commgov_locate(make_town: Any) -> None:
    placed: list[tuple[float, float]] = []

    class Map(Plugin):
        @commgov.hookimpl
        def commgov_locate(self, lat: float, lon: float) -> str | None:
            placed.append((lat, lon))
            return "411425100002001" if lat > 34 else None

    town: Town = make_town([Map()])
    case = town.cases.report(town.admin, text="路灯坏了", lat=34.4, lon=115.9)
    assert case.unit_code == "411425100002001" and case.lat == 34.4
    with pytest.raises(commgov.ValidationError, match="lat/lon"):
        town.cases.report(town.admin, text="x", lat=20.0, lon=115.9)
    assert placed == [(34.4, 115.9), (20.0, 115.9)]


def test_hook_commgov_case_duplicate(make_town: Any) -> None:
    class SameText(Plugin):
        @commgov.hookimpl
        def commgov_case_duplicate(self, case: CaseInfo, recent: Any) -> int | None:
            return next((c.id for c in recent() if c.text == case.text), None)

    town: Town = make_town([SameText()])
    first = town.report(text="井盖缺失")
    other = town.report(text="路灯坏了")
    again = town.report(text="井盖缺失")
    assert (again.state, again.merged_into) == ("merged", first.id)
    assert other.state == "reported"
    assert town.cases.get(town.admin, first.id).version == 2  # the absorb event


def test_hook_commgov_case_triage(make_town: Any) -> None:
    class Xinhe(Plugin):  # 大事社区办、小事党群办、私事居民办
        @commgov.hookimpl
        def commgov_case_triage(
            self, case: CaseInfo, category: CategorySpec | None
        ) -> Triage | None:
            if category is not None and category.code.startswith("dispute"):
                return Triage(owner_level="community", severity="complex")
            return None

    town: Town = make_town([Xinhe()])
    dispute, litter = town.report(), town.report()
    for case, category in ((dispute, "dispute.family"), (litter, "environment")):
        town.cases.accept(town.workers[0], case.id)
        town.cases.triage(town.workers[0], case.id, category=category)
    got = town.cases.get(town.admin, dispute.id)
    assert (got.owner_level, got.severity) == ("community", "complex")
    assert got.resolve_due == got.reported_at + dt.timedelta(days=15)
    assert town.cases.get(town.admin, litter.id).owner_level == "grid"  # the default rule
    critical = town.report(severity="critical")
    town.cases.accept(town.workers[0], critical.id)
    assert town.cases.triage(town.workers[0], critical.id).owner_level == "town"


def test_hook_commgov_case_routing(make_town: Any) -> None:
    seen: list[list[str]] = []

    class Police(Plugin):
        @commgov.hookimpl
        def commgov_case_routing(
            self, case: CaseInfo, candidates: list[Any], department: str | None
        ) -> Routing | None:
            seen.append([c.lead.label() for c in candidates])
            if department == "police":
                return Routing(lead=Lead("department", "T-police"), co_operators=("T-justice",))
            return None

    town: Town = make_town([Police()])
    case = town.report()
    town.cases.accept(town.workers[0], case.id)
    town.cases.triage(town.workers[0], case.id, category="safety.traffic")
    routed = town.cases.dispatch(town.workers[0], case.id)
    assert (routed.lead, routed.co_operators) == ("department:T-police", ("T-justice",))
    assert f"staff:{town.workers[0].staff_id}" in seen[0] and "department:C-housing" in seen[0]
    other = town.report()
    town.cases.accept(town.workers[0], other.id)
    town.cases.triage(town.workers[0], other.id, category="environment")
    assert (
        town.cases.dispatch(town.workers[0], other.id).lead == f"staff:{town.workers[0].staff_id}"
    )


def test_hook_commgov_case_deadlines(make_town: Any) -> None:
    class Faster(Plugin):
        @commgov.hookimpl
        def commgov_case_deadlines(
            self, category: str | None, severity: str, owner_level: str
        ) -> Deadlines | None:
            if category == "assistance":
                return Deadlines(dt.timedelta(minutes=30), dt.timedelta(hours=4))
            return None

    town: Town = make_town([Faster()])
    case = town.report(category="assistance")
    assert case.response_due - case.reported_at == dt.timedelta(minutes=30)
    assert case.resolve_due - case.reported_at == dt.timedelta(hours=4)
    normal = town.report()
    assert normal.resolve_due - normal.reported_at == dt.timedelta(days=7)


def test_hook_commgov_business_clock(make_town: Any) -> None:
    class WorkingDays(Plugin):  # weekends do not count
        @commgov.hookimpl
        def commgov_business_clock(
            self, start: dt.datetime, duration: dt.timedelta
        ) -> dt.datetime | None:
            due, left = start, duration
            while left > dt.timedelta(0):
                step = min(left, dt.timedelta(days=1))
                due += step
                if due.weekday() < 5:
                    left -= step
            return due

    town: Town = make_town([WorkingDays()])
    town.clock.now = dt.datetime(2025, 6, 6, 9, tzinfo=dt.UTC)  # a Friday
    case = town.report()
    assert case.response_due == dt.datetime(2025, 6, 9, 9, tzinfo=dt.UTC)  # Monday
    assert case.resolve_due == dt.datetime(2025, 6, 17, 9, tzinfo=dt.UTC)


def test_hook_commgov_case_closed(make_town: Any) -> None:
    closed: list[tuple[int | None, int | None, str]] = []

    class Points(Plugin):
        @commgov.hookimpl
        def commgov_case_closed(
            self, case: CaseInfo, rating: int | None, actor: commgov.Actor
        ) -> None:
            if rating == 3:
                raise RuntimeError("ledger down")
            closed.append((case.id, rating, actor.label()))

    town: Town = make_town([Points()])
    worker = town.workers[0]
    case = town.report()
    town.cases.apply_many(
        worker,
        [
            {"case_id": case.id, "action": "accept"},
            {"case_id": case.id, "action": "triage"},
            {"case_id": case.id, "action": "dispatch", "lead": f"staff:{worker.staff_id}"},
            {"case_id": case.id, "action": "start"},
            {"case_id": case.id, "action": "resolve", "note": "done"},
            {"case_id": case.id, "action": "inform"},
            {"case_id": case.id, "action": "visit", "rating": 4},
            {"case_id": case.id, "action": "close"},
        ],
    )
    assert closed == [(case.id, 4, worker.label())]
    unrated = town.report()
    for action in ("accept", "triage", "start"):
        if action == "start":
            town.cases.dispatch(worker, unrated.id, lead=f"staff:{worker.staff_id}")
        town.cases.act(worker, unrated.id, action)
    town.cases.resolve(worker, unrated.id, outcome="done")
    town.cases.inform(worker, unrated.id)
    with pytest.raises(RuntimeError):  # a failing hook aborts the close
        town.cases.apply_many(
            worker,
            [
                {"case_id": unrated.id, "action": "visit", "rating": 3},
                {"case_id": unrated.id, "action": "close"},
            ],
        )
    assert town.cases.get(worker, unrated.id).state == "informed"
    town.cases.close(worker, unrated.id)
    assert closed[-1] == (unrated.id, None, worker.label())


def test_routing_sees_own_roles_and_may_summon_staff(make_town: Any) -> None:
    seen: list[tuple[str, str, str]] = []

    class Consultation(Plugin):
        @commgov.hookimpl
        def commgov_case_routing(
            self, case: CaseInfo, candidates: list[Any], department: str | None
        ) -> Routing | None:
            seen.extend((c.lead.label(), c.role, c.role_or_kind) for c in candidates)
            lead = next(c.lead for c in candidates if c.role == "grid_worker")
            others = [c.lead for c in candidates if c.lead.kind == "staff" and c.lead != lead]
            return Routing(lead=lead, co_operators=tuple(s.label() for s in others))

    town: Town = make_town([Consultation()])
    case = town.report()
    town.cases.accept(town.workers[0], case.id)
    town.cases.triage(town.workers[0], case.id, category="dispute.family")
    routed = town.cases.dispatch(town.workers[0], case.id)
    worker, community = town.workers[0].staff_id, town.community_staff[0].staff_id
    assert routed.lead == f"staff:{worker}"
    assert f"staff:{community}" in routed.co_operators
    assert (f"staff:{worker}", "grid_worker", "grid_worker") in seen
    assert ("department:T-fire", "fire", "fire") in seen


@pytest.mark.parametrize("bad", ["staff:999999", "staff:lead"])
def test_a_co_operator_must_be_other_active_staff(make_town: Any, bad: str) -> None:
    town: Town = make_town()
    case = town.report()
    town.cases.accept(town.workers[0], case.id)
    town.cases.triage(town.workers[0], case.id, category="environment")
    lead = f"staff:{town.workers[0].staff_id}"
    label = lead if bad == "staff:lead" else bad
    before = town.cases.history(town.admin, case.id)
    with pytest.raises(commgov.ValidationError) as caught:
        town.cases.dispatch(town.workers[0], case.id, lead=lead, co_operators=[label])
    assert (caught.value.field, caught.value.value) == ("co_operators", label)
    assert town.cases.history(town.admin, case.id) == before
    assert town.cases.get(town.admin, case.id).state == "triaged"
