"""居民自主上报—社工专业转介—部门协同处理—结果及时反馈: the referral loop on the case loop.

- **Triage** (``triage``): a report a resident makes (channel ``resident``) goes to the
  community, where the service point's social worker takes it, unless its category belongs
  higher up or it is critical (the core decides those).
- **Routing** (``route``): a community-level case a resident reported, or one raised from a
  visit (a service point's log or a grid worker's round, channel ``grid_visit``), is led by
  the nearest social worker (社工), who refers it (转介) to the departments that act: the
  departments of the category's kind around the case become co-operators (部门协同), with the
  property company too for property matters. Without a social worker the plugin passes and
  the core routes.
- **Feedback** is the case loop's ``inform`` (结果及时反馈), then the resident's ``visit``.

``stage`` names the loop's stage of a case state, for boards and reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from commgov import Candidate, CaseInfo, CategorySpec, Routing, Triage
from commgov_changan import vocab

CHANNELS: Final = ("resident",)
"""Reports the triage rule sends to the community."""
ROUTED_CHANNELS: Final = ("resident", "grid_visit")
"""Community-level cases the social worker takes."""
LEVEL_ORDER: Final = ("grid", "community", "town", "county")
ALSO_SUMMONED: Final = {"dispute.property": (vocab.PROPERTY_COMPANY,)}
"""Department kinds summoned beside the category's own, by category (and those below it)."""
STAGE_OF_STATE: Final = {
    "reported": vocab.REPORTED,
    "accepted": vocab.REPORTED,
    "triaged": vocab.REPORTED,
    "dispatched": vocab.REFERRED,
    "in_progress": vocab.COORDINATED,
    "resolved": vocab.COORDINATED,
    "informed": vocab.FED_BACK,
    "visited": vocab.FED_BACK,
    "closed": vocab.FED_BACK,
}


def triage(case: CaseInfo, category: CategorySpec | None) -> Triage | None:
    """Community level for a resident's report whose category is handled at grid or community
    level; ``None`` (the core decides) otherwise."""
    if case.channel not in CHANNELS or case.severity == "critical":
        return None
    if category is not None and category.level not in LEVEL_ORDER[:2]:
        return None
    return Triage(owner_level="community")


def summoned_kinds(category: str | None, department: str | None) -> list[str]:
    """The department kinds a referral summons: the category's, then any extra by category."""
    kinds = [department] if department else []
    code = category or ""
    while code:
        kinds.extend(k for k in ALSO_SUMMONED.get(code, ()) if k not in kinds)
        code = code.rpartition(".")[0]
    return kinds


def _nearest(candidates: Sequence[Candidate]) -> list[Candidate]:
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    return sorted(candidates, key=lambda c: rank.get(c.level, len(rank)))


def route(
    case: CaseInfo, candidates: Sequence[Candidate], department: str | None
) -> Routing | None:
    """The social worker leads a community-level report from residents or visits; the nearest
    department of each summoned kind co-operates."""
    if case.channel not in ROUTED_CHANNELS or case.owner_level != "community":
        return None
    workers = _nearest(
        [c for c in candidates if c.role == vocab.SOCIAL_WORKER and c.lead.kind == "staff"]
    )
    if not workers:
        return None
    departments = _nearest([c for c in candidates if c.lead.kind == "department"])
    co_operators: list[str] = []
    for kind in summoned_kinds(case.category, department):
        found = next((c for c in departments if c.role_or_kind == kind), None)
        if found is not None and found.lead.ref not in co_operators:
            co_operators.append(found.lead.ref)
    return Routing(lead=workers[0].lead, co_operators=tuple(co_operators))


def stage(state: str) -> str | None:
    """The loop's stage for a case state (``None`` for rejected, withdrawn, merged)."""
    return STAGE_OF_STATE.get(state)
