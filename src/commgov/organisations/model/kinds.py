"""Organisation kinds, the roles members hold and the states of an activity and a sign-up: the
core's vocabulary. A town adds kinds (a 党总支, a 红色物业 team) through
``commgov_organisation_kinds``."""

from __future__ import annotations

from typing import Final

import attrs

from commgov.errors import ValidationError
from commgov.kernel.values import check_text
from commgov.organisations.model.limits import CODE_MAX, LABEL_MAX


@attrs.frozen
class OrganisationKind:
    """A kind of organisation, named in Chinese (``label``) and English (``label_en``);
    ``party`` marks the kinds of the party organisation laid over the grids (党组织)."""

    code: str
    label: str
    label_en: str
    party: bool = False

    def __attrs_post_init__(self) -> None:
        check_text("code", self.code, CODE_MAX)
        check_text("label", self.label, LABEL_MAX)
        check_text("label_en", self.label_en, LABEL_MAX)
        if not self.code:
            raise ValidationError("code", self.code, "an organisation kind needs a code")
        if not isinstance(self.party, bool):
            raise ValidationError("party", self.party, "expected True or False")


DEFAULT_KINDS: Final = (
    OrganisationKind("social_organisation", "社区社会组织", "registered social organisation"),
    OrganisationKind("grassroots", "草根组织", "grassroots group"),
    OrganisationKind("volunteer_team", "志愿服务队", "volunteer team"),
    OrganisationKind("partner", "共建单位", "partner"),
    OrganisationKind("party_committee", "党委", "party committee", party=True),
    OrganisationKind("party_branch", "党支部", "party branch", party=True),
    OrganisationKind("party_group", "党小组", "party group", party=True),
    OrganisationKind("party_household", "党员中心户", "party-member household", party=True),
)
"""The kinds the source documents name: social organisations and grassroots groups (001 §2,
003), volunteer teams (000, 003), partners (002), and the party tree over the grids — town
committee, community and compound branches, grid groups, party-member households (001 §1,
004). Which level a party organisation stands at is the unit it is attached to, not its kind."""

ROLES: Final = {
    "leader": ("负责人", "leader"),
    "secretary": ("书记", "secretary"),
    "deputy": ("副负责人", "deputy"),
    "contact": ("联络员", "contact"),
    "member": ("成员", "member"),
    "volunteer": ("志愿者", "volunteer"),
    "party_member": ("党员", "party member"),
}
"""What a member does in an organisation."""

MANAGERS: Final = frozenset({"leader", "secretary", "deputy", "contact"})
"""Roles that run the organisation: they publish its activities, take attendance and read
their own members' personal data."""

ACTIVITY_STATES: Final = {
    "published": ("已发布", "published"),
    "cancelled": ("已取消", "cancelled"),
    "closed": ("已结束", "closed"),
}
SIGNUP_STATES: Final = {
    "signed": ("已报名", "signed up"),
    "waiting": ("候补", "waiting list"),
    "withdrawn": ("已退出", "withdrawn"),
}
