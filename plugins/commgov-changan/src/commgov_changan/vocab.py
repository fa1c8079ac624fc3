"""Chang'an's names: the plugin, the social worker's role, the department kinds the referral
loop reaches, and the stages of that loop, in one place."""

from __future__ import annotations

from typing import Final

from commgov import RoleSpec

NAME: Final = "changan"
REPORT_POINTS: Final = "changan.report_points"
"""The name of the store-holding plugin that pays points when a report closes satisfied."""

SOCIAL_WORKER: Final = "social_worker"
ROLES: Final = (
    RoleSpec(
        SOCIAL_WORKER,
        "社工 social worker at a service point (群防群治服务点)",
        "community_staff",
        "takes residents' reports at the community's service points and refers them to the "
        "departments that act (社工专业转介)",
    ),
)

PROPERTY_COMPANY: Final = "property_company"
DEPARTMENT_KINDS: Final = {PROPERTY_COMPANY: "物业公司 property management company"}
"""Beside the core's police, fire and justice, the service point reaches property firms."""

REPORTED: Final = "reported"
REFERRED: Final = "referred"
COORDINATED: Final = "coordinated"
FED_BACK: Final = "fed_back"
STAGES: Final = {
    REPORTED: "居民自主上报 reported by a resident",
    REFERRED: "社工专业转介 referred by a social worker",
    COORDINATED: "部门协同处理 handled by departments together",
    FED_BACK: "结果及时反馈 result fed back",
}
"""The four stages of 居民自主上报—社工专业转介—部门协同处理—结果及时反馈."""
