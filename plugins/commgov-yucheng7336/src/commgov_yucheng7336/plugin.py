"""The hooks of Chengguan's 7336 method (loaded through the ``commgov`` entry point)."""

from __future__ import annotations

from typing import Any

import commgov
from commgov import (
    Actor,
    Candidate,
    CaseInfo,
    CategorySpec,
    Commgov,
    ReportPeriod,
    ReportSpec,
    RoleSpec,
    Routing,
    Triage,
    hookimpl,
)
from commgov_yucheng7336 import geo, month, report, routing, vocab

commgov_plugin_name = vocab.NAME
MONTHLY_LABEL = "7336 月度报告 monthly report"


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
            label=MONTHLY_LABEL,
            build=lambda store, actor, period: report.monthly_report(
                store, actor, period.unit, period.year, period.month
            ),
            sample=lambda store, actor, period, seed: month.record_month(
                store, actor, period.unit, period.year, period.month, seed=seed
            ),
        )
    ]


@hookimpl
def commgov_console_pages() -> list[commgov.ConsolePage]:
    return [commgov.ConsolePage(name=vocab.MONTHLY_REPORT, label=MONTHLY_LABEL, build=monthly_page)]


@hookimpl
def commgov_unit_map(store: Commgov, actor: Actor, unit: str) -> dict[str, Any] | None:
    """绘制一图: the households placed on the map under ``unit``."""
    return geo.grid_map(store, actor, unit)


def monthly_page(store: Commgov, actor: Actor, period: ReportPeriod) -> commgov.PageContent:
    """The monthly report of ``period`` as a console page (the report's own figures)."""
    built = report.monthly_report(store, actor, period.unit, period.year, period.month)
    return report.monthly_page(built)
