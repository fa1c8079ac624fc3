"""三事分流: 大事社区办、小事党群办、私事居民办 — the class of a matter and who handles it.

The rule table is ``CLASS_BY_CATEGORY`` (a category or its parent → class); a critical case is
always a big matter. ``docs/xinhe.md`` shows the same table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from commgov import Candidate, CaseInfo, Lead, Routing, Triage
from commgov_xinhe import vocab

CLASS_BY_CATEGORY: Final = {
    "safety": vocab.BIG,
    "dispute.labour": vocab.BIG,
    "dispute.property": vocab.BIG,
    "facilities": vocab.BIG,
    "order": vocab.BIG,
    "dispute.neighbour": vocab.SMALL,
    "environment": vocab.SMALL,
    "assistance": vocab.SMALL,
    "dispute.family": vocab.PRIVATE,
}
OWNER_LEVEL: Final = {vocab.BIG: "community", vocab.SMALL: "grid", vocab.PRIVATE: "grid"}
LEAD_ROLES: Final = {
    vocab.BIG: ("community_staff",),
    vocab.SMALL: (vocab.PARTY_MASS_STATION, "grid_worker"),
    vocab.PRIVATE: (vocab.SELF_GOVERNANCE_LEAD, vocab.PARTY_MASS_STATION),
}
"""Who leads each class, in order of preference (own role names, not core roles)."""


def matter_class(category: str | None, severity: str = "normal") -> str:
    """The class of a matter: the most specific rule for the category, ``small`` when none
    applies; a critical case is big whatever its category."""
    if severity == "critical":
        return vocab.BIG
    code = category or ""
    while code:
        if code in CLASS_BY_CATEGORY:
            return CLASS_BY_CATEGORY[code]
        code = code.rpartition(".")[0]
    return vocab.SMALL


def triage(case: CaseInfo) -> Triage:
    return Triage(owner_level=OWNER_LEVEL[matter_class(case.category, case.severity)])


def route(case: CaseInfo, candidates: Sequence[Candidate]) -> Routing | None:
    """The lead for the case's class: the nearest staff member with the first role present."""
    order = {"grid": 0, "community": 1, "town": 2, "county": 3}
    for role in LEAD_ROLES[matter_class(case.category, case.severity)]:
        found = sorted(
            (c for c in candidates if c.role == role and c.lead.kind == "staff"),
            key=lambda c: order.get(c.level, 9),
        )
        if found:
            lead: Lead = found[0].lead
            return Routing(lead=lead)
    return None
