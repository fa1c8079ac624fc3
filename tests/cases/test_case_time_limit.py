"""A report may carry its own time to resolve (a service order's time limit from the
catalogue): it replaces the deadline rule's, counted by the business clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.cases.conftest import Town
from tests.conftest import row_counts

import commgov


def test_resolve_within_replaces_the_rules_time_to_resolve(town: Town) -> None:
    case = town.report(resolve_within=dt.timedelta(days=3))
    assert case.resolve_due - case.reported_at == dt.timedelta(days=3)
    assert case.response_due - case.reported_at == dt.timedelta(hours=24)  # the rule's
    plain = town.report()
    assert plain.resolve_due - plain.reported_at == dt.timedelta(days=7)


def test_resolve_within_is_counted_by_the_business_clock(make_town: Any) -> None:
    class Doubled:
        commgov_plugin_name = "half-days"

        @commgov.hookimpl
        def commgov_business_clock(
            self, start: dt.datetime, duration: dt.timedelta
        ) -> dt.datetime | None:
            return start + 2 * duration  # half-days at work

    town: Town = make_town([Doubled()])
    case = town.report(resolve_within=dt.timedelta(hours=5))
    assert case.resolve_due - case.reported_at == dt.timedelta(hours=10)


@pytest.mark.parametrize("bad", [dt.timedelta(0), dt.timedelta(hours=-1)])
def test_a_time_to_resolve_that_is_not_positive_is_refused(town: Town, bad: dt.timedelta) -> None:
    before = row_counts(town.cg)
    with pytest.raises(commgov.ValidationError) as caught:
        town.report(resolve_within=bad)
    assert (caught.value.field, caught.value.value) == ("resolve_within", bad)
    assert row_counts(town.cg) == before


def test_the_cases_own_time_to_resolve_outlives_triage_escalation_and_reopening(
    town: Town,
) -> None:
    within = dt.timedelta(days=3)
    worker = town.workers[0]
    case = town.report(resolve_within=within)
    town.cases.accept(worker, case.id)
    triaged = town.cases.triage(worker, case.id, category="environment", severity="complex")
    assert triaged.resolve_due - triaged.reported_at == within  # not the rule's 15 days
    escalated_at = town.clock.advance(hours=1)
    escalated = town.cases.escalate(worker, case.id, reason="needs the community")
    assert escalated.resolve_due - escalated_at == within
    staff = town.community_staff[0]
    town.cases.dispatch(staff, case.id, lead=f"staff:{staff.staff_id}")
    town.cases.start(staff, case.id)
    town.cases.resolve(staff, case.id, outcome="cleared")
    town.cases.inform(staff, case.id)
    visited_at = town.clock.advance(hours=2)
    reopened = town.cases.visit(staff, case.id, rating=1)
    assert reopened.reopen_count == 1
    assert reopened.resolve_due - visited_at == within
    stored, replayed = town.cases.replayed(town.admin, case.id)
    assert stored == replayed
