"""The hooks of Chengguan's 7336 method (loaded through the ``commgov`` entry point)."""

from __future__ import annotations

from commgov import (
    Candidate,
    CaseInfo,
    CategorySpec,
    ReportSpec,
    RoleSpec,
    Routing,
    Triage,
    hookimpl,
)
from commgov_yucheng7336 import month, report, routing, vocab

commgov_plugin_name = vocab.NAME


@hookimpl
def commgov_roles() -> list[RoleSpec]:
    return list(vocab.ROLES)


@hookimpl
def commgov_record_kinds() -> dict[str, str]:
    return dict(vocab.RECORD_KINDS)


@hookimpl
def commgov_case_categories() -> list[CategorySpec]:
    return list(vocab.CATEGORIES)


@hookimpl
def commgov_case_triage(case: CaseInfo, category: CategorySpec | None) -> Triage | None:
    return routing.triage(case)


@hookimpl
def commgov_case_routing(
    case: CaseInfo, candidates: list[Candidate], department: str | None
) -> Routing | None:
    return routing.route(case, candidates)


@hookimpl
def commgov_reports() -> list[ReportSpec]:
    return [
        ReportSpec(
            name=vocab.MONTHLY_REPORT,
            label="7336 月度报告 monthly report",
            build=lambda store, actor, period: report.monthly_report(
                store, actor, period.unit, period.year, period.month
            ),
            sample=lambda store, actor, period, seed: month.record_month(
                store, actor, period.unit, period.year, period.month, seed=seed
            ),
        )
    ]
