"""The hooks of Chang'an's service points (loaded through the ``commgov`` entry point).

Paying points when a report closes needs the store: that hook lives on
``commgov_changan.reports.ReportPoints``, a plugin object the office adds to its store."""

from __future__ import annotations

from commgov import (
    Candidate,
    CaseInfo,
    CategorySpec,
    HonourTier,
    OpinionTopic,
    PointsRule,
    RoleSpec,
    Routing,
    Triage,
    hookimpl,
)
from commgov_changan import points, referral, topics, vocab

commgov_plugin_name = vocab.NAME


@hookimpl
def commgov_roles() -> list[RoleSpec]:
    return list(vocab.ROLES)


@hookimpl
def commgov_department_kinds() -> dict[str, str]:
    return dict(vocab.DEPARTMENT_KINDS)


@hookimpl
def commgov_opinion_topics() -> list[OpinionTopic]:
    return list(topics.TOPICS)


@hookimpl
def commgov_case_triage(case: CaseInfo, category: CategorySpec | None) -> Triage | None:
    return referral.triage(case, category)


@hookimpl
def commgov_case_routing(
    case: CaseInfo, candidates: list[Candidate], department: str | None
) -> Routing | None:
    return referral.route(case, candidates, department)


@hookimpl
def commgov_points_table() -> dict[str, PointsRule]:
    return dict(points.CHANGAN_POINTS)


@hookimpl
def commgov_honour_tiers() -> list[HonourTier]:
    return list(points.CHANGAN_TIERS)
