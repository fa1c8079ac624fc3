"""三师三员 routing and the 7336 triage, against a town on the core defaults."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import commgov
from commgov.testing import check_plugin
from commgov_yucheng7336 import five_steps, plugin, vocab
from conftest import Towns


def dispatched(t: Towns, grid: str, category: str, severity: str = "normal") -> commgov.CaseView:
    cases = t.store.cases
    case = cases.report(t.admin, unit=grid, text="两户因噪音争吵", severity=severity)
    cases.accept(t.admin, case.id)
    cases.triage(t.admin, case.id, category=category)
    return cases.dispatch(t.admin, case.id)


def lead_of(actor: commgov.Actor) -> str:
    return f"staff:{actor.staff_id}"


def test_the_plugin_is_valid() -> None:
    assert check_plugin(plugin) == "yucheng7336"


@pytest.mark.parametrize(
    ("category", "role"),
    [
        ("dispute.neighbour", vocab.DISPUTE_RESOLVER),
        ("dispute.property", vocab.DISPUTE_RESOLVER),
        ("safety.fire", vocab.SAFETY_INSPECTOR),
        ("order", vocab.PATROLLER),
        (vocab.PSYCHOLOGICAL, vocab.COUNSELLOR),
        (vocab.POLICY, vocab.POLICY_EXPLAINER),
    ],
)
def test_each_kind_of_case_goes_to_its_role(t: Towns, category: str, role: str) -> None:
    assert dispatched(t, t.grid, category).lead == lead_of(t.staff[role])


def test_the_same_dispute_is_routed_by_the_core_in_the_other_town(t: Towns) -> None:
    in_7336 = dispatched(t, t.grid, "dispute.neighbour")
    other = dispatched(t, t.towns.grids[t.towns.default_town][0], "dispute.neighbour")
    assert in_7336.lead == lead_of(t.staff[vocab.DISPUTE_RESOLVER])
    assert other.lead not in {lead_of(a) for a in t.staff.values()}
    (worker,) = t.store.staff.workers(
        t.admin, t.towns.grids[t.towns.default_town][0], role="grid_worker"
    )
    assert other.lead == f"staff:{worker.id}"


def test_an_escalated_dispute_goes_to_the_gold_mediator(t: Towns) -> None:
    case = dispatched(t, t.grid, "dispute.family")
    assert case.owner_level == "grid"
    t.store.cases.escalate(t.admin, case.id, reason="调解未果")
    again = t.store.cases.dispatch(t.admin, case.id)
    assert (again.owner_level, again.lead) == ("community", lead_of(t.staff[vocab.GOLD_MEDIATOR]))


def test_a_complex_case_calls_the_three_masters(t: Towns) -> None:
    case = dispatched(t, t.grid, "dispute.labour", severity="complex")
    assert case.owner_level == "community"
    assert case.lead == lead_of(t.staff[vocab.GOLD_MEDIATOR])
    assert set(case.co_operators) == {
        lead_of(t.staff[vocab.POLICY_EXPLAINER]),
        lead_of(t.staff[vocab.COUNSELLOR]),
    }


def test_a_silver_mediator_steps_in_without_a_dispute_resolver(t: Towns) -> None:
    grid = t.towns.grids[t.town][1]
    silver = t.add_staff(vocab.SILVER_MEDIATOR_ROLE, grid)
    assert dispatched(t, grid, "dispute.neighbour").lead == lead_of(silver)


def test_with_no_one_of_the_role_the_core_decides(t: Towns) -> None:
    grid = t.towns.grids[t.town][1]
    worker = t.add_staff("grid_worker", grid)
    assert dispatched(t, grid, "safety.traffic").lead == lead_of(worker)


def test_five_steps_follow_the_case(t: Towns) -> None:
    case = dispatched(t, t.grid, "order")
    cases = t.store.cases
    seen = [five_steps.step_of(cases.get(t.admin, case.id).state)]
    cases.start(t.admin, case.id)
    cases.resolve(t.admin, case.id, outcome="已劝离")
    seen.append(five_steps.step_of(cases.get(t.admin, case.id).state))
    cases.inform(t.admin, case.id)
    seen.append(five_steps.step_of(cases.get(t.admin, case.id).state))
    assert seen == [five_steps.ASSESSMENT, five_steps.RESOLUTION, five_steps.FOLLOW_UP]
    assert five_steps.count_steps(["reported", "closed", "withdrawn", "triaged"]) == {
        "investigation": 1,
        "assessment": 1,
        "resolution": 0,
        "follow_up": 1,
    }


def test_routing_works_on_postgresql(make_towns: Callable[..., Towns], commgov_pg_url: str) -> None:
    t = make_towns(url=commgov_pg_url)
    case = dispatched(t, t.grid, "dispute.labour", severity="complex")
    assert case.lead == lead_of(t.staff[vocab.GOLD_MEDIATOR])
    assert len(case.co_operators) == 2
