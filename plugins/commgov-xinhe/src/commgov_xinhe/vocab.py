"""Xinhe's names: roles, record kinds and matter classes, in one place."""

from __future__ import annotations

from typing import Final

from commgov import RoleSpec

NAME: Final = "xinhe"

PARTY_MASS_STATION: Final = "party_mass_station"
SELF_GOVERNANCE_LEAD: Final = "self_governance_lead"
ROLES: Final = (
    RoleSpec(
        PARTY_MASS_STATION,
        "党群服务站 party-mass service station worker",
        "community_staff",
        "handles small matters (小事党群办) for the community it is assigned to",
    ),
    RoleSpec(
        SELF_GOVERNANCE_LEAD,
        "自治队伍 self-governance team lead (楼栋长、社区能人)",
        "grid_worker",
        "helps residents settle private matters themselves (私事居民办)",
    ),
)

BIG: Final = "big"
SMALL: Final = "small"
PRIVATE: Final = "private"
MATTER_CLASSES: Final = {
    BIG: "大事社区办 big matter: the community handles it",
    SMALL: "小事党群办 small matter: the party-mass service station handles it",
    PRIVATE: "私事居民办 private matter: residents settle it with a self-governance team",
}

PARTNER_AGREEMENT: Final = "xinhe.partner_agreement"
OPERATOR: Final = "xinhe.operator"
RECORD_KINDS: Final = {
    PARTNER_AGREEMENT: "社区合伙人协议 community partner agreement",
    OPERATOR: "社区运营官 community operator",
}
