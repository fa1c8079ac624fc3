"""The hooks of Xinhe community's rules (loaded through the ``commgov`` entry point)."""

from __future__ import annotations

from commgov import (
    Candidate,
    CaseInfo,
    CategorySpec,
    HonourTier,
    PointsRule,
    RoleSpec,
    Routing,
    Triage,
    hookimpl,
)
from commgov_xinhe import points, three_matters, vocab

commgov_plugin_name = vocab.NAME


@hookimpl
def commgov_roles() -> list[RoleSpec]:
    return list(vocab.ROLES)


@hookimpl
def commgov_record_kinds() -> dict[str, str]:
    return dict(vocab.RECORD_KINDS)


@hookimpl
def commgov_case_triage(case: CaseInfo, category: CategorySpec | None) -> Triage | None:
    return three_matters.triage(case)


@hookimpl
def commgov_case_routing(
    case: CaseInfo, candidates: list[Candidate], department: str | None
) -> Routing | None:
    return three_matters.route(case, candidates)


@hookimpl
def commgov_points_table() -> dict[str, PointsRule]:
    return dict(points.XINHE_POINTS)


@hookimpl
def commgov_honour_tiers() -> list[HonourTier]:
    return list(points.XINHE_TIERS)
