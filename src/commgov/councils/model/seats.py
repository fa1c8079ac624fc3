"""Seat kinds, council kinds and the roles members hold: the core's vocabulary. A town adds
its own seat kinds through ``commgov_council_seats``."""

from __future__ import annotations

from typing import Final

import attrs

from commgov.councils.model.limits import CODE_MAX, NAME_MAX
from commgov.errors import ValidationError
from commgov.kernel.values import check_text


@attrs.frozen
class CouncilSeat:
    """A kind of seat on a council: who the member sits for (``code``), named in Chinese
    (``label``) and English (``label_en``)."""

    code: str
    label: str
    label_en: str

    def __attrs_post_init__(self) -> None:
        check_text("code", self.code, CODE_MAX)
        check_text("label", self.label, NAME_MAX)
        check_text("label_en", self.label_en, NAME_MAX)
        if not self.code:
            raise ValidationError("code", self.code, "a seat kind needs a code")


DEFAULT_SEATS: Final = (
    CouncilSeat("residents_rep", "居民代表", "residents' representative"),
    CouncilSeat("owners_committee", "业主委员会", "owners' committee"),
    CouncilSeat("property_company", "物业服务企业", "property company"),
    CouncilSeat("police", "社区民警", "community police"),
    CouncilSeat("area_unit", "驻区单位", "unit in the area"),
    CouncilSeat("deputy", "人大代表、政协委员", "people's deputy"),
    CouncilSeat("community_staff", "社区工作者", "community staff"),
)
"""The seats the source documents name for a neighbourhood council (邻里议事会)."""

COUNCIL_KINDS: Final = {
    "council": ("议事会", "council"),
    "residents_hall": ("居民议事厅", "residents' hall"),
    "forum": ("恳谈会", "consultation forum"),
}
"""The kinds of body: a standing council, a residents' hall, a compound's forum (小区恳谈会)."""

ROLES: Final = {
    "chair": ("召集人", "chair"),
    "secretary": ("记录员", "secretary"),
    "member": ("成员", "member"),
}
"""What a member does on the council; a council has at most one chair at a time."""
