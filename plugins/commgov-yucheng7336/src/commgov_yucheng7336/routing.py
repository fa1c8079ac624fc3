"""三师三员 routing: which of the method's roles leads a case, and 三师会诊 for complex ones.

Pure functions over the ``Candidate`` list the core hands the routing hook, so the rule table
in ``docs/yucheng7336.md`` can be tested without a store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from commgov import Candidate, CaseInfo, Lead, Routing, Triage
from commgov_yucheng7336 import vocab

COMPLEX: Final = "complex"

ROLE_BY_CATEGORY: Final = (
    ("dispute", vocab.DISPUTE_RESOLVER),
    (vocab.PSYCHOLOGICAL, vocab.COUNSELLOR),
    (vocab.POLICY, vocab.POLICY_EXPLAINER),
    ("safety", vocab.SAFETY_INSPECTOR),
    ("order", vocab.PATROLLER),
)
"""Category (or its parent) → the role that leads at grid level; the first match wins."""


def _matches(category: str | None, prefix: str) -> bool:
    return category is not None and (category == prefix or category.startswith(prefix + "."))


def lead_role(category: str | None, owner_level: str) -> str | None:
    """The role that should lead a case of ``category`` owned at ``owner_level``."""
    for prefix, role in ROLE_BY_CATEGORY:
        if _matches(category, prefix):
            if role == vocab.DISPUTE_RESOLVER and owner_level != "grid":
                return vocab.GOLD_MEDIATOR  # escalated disputes go to the mediator
            return role
    return None


def _first(candidates: Sequence[Candidate], role: str) -> Lead | None:
    """The nearest candidate with ``role`` (the core lists the grid's staff first)."""
    order = {"grid": 0, "community": 1, "town": 2, "county": 3}
    found = sorted(
        (c for c in candidates if c.role == role and c.lead.kind == "staff"),
        key=lambda c: order.get(c.level, 9),
    )
    return found[0].lead if found else None


def route(case: CaseInfo, candidates: Sequence[Candidate]) -> Routing | None:
    """The 7336 lead for ``case``; ``None`` when no one of the right role is near."""
    if case.severity == COMPLEX:
        return joint_consultation(candidates)
    role = lead_role(case.category, case.owner_level)
    if role is None:
        return None
    lead = _first(candidates, role)
    if lead is None and role == vocab.DISPUTE_RESOLVER:
        lead = _first(candidates, vocab.SILVER_MEDIATOR_ROLE)  # 银发调解团 steps in
    return None if lead is None else Routing(lead=lead)


def joint_consultation(candidates: Sequence[Candidate]) -> Routing | None:
    """三师会诊: the gold mediator leads, the policy explainer and counsellor co-operate."""
    lead = _first(candidates, vocab.GOLD_MEDIATOR)
    if lead is None:
        return None
    others = (_first(candidates, vocab.POLICY_EXPLAINER), _first(candidates, vocab.COUNSELLOR))
    return Routing(lead=lead, co_operators=tuple(o.label() for o in others if o is not None))


def triage(case: CaseInfo) -> Triage | None:
    """小事不出网格、大事不出社区: disputes start at the grid (labour disputes excepted), a
    complex case goes to the community for 三师会诊; anything else is the core's decision."""
    if case.severity == COMPLEX:
        return Triage(owner_level="community")
    if _matches(case.category, "dispute") and case.category != "dispute.labour":
        return Triage(owner_level="grid")
    return None
