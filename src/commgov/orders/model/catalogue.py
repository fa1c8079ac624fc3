"""The core's default service catalogue: a few plausible items of our own making, in the shape
of Dongguan's 49-item list (each with its responsible department kind, must or may, who may
order it, the fields to fill, a time limit and a fee). Towns replace or extend it with
``commgov_service_catalogue``."""

from __future__ import annotations

import datetime as dt
from typing import Final

from commgov.orders.model.rules import ServiceItem

DAY: Final = dt.timedelta(days=1)
CERTIFICATES: Final = "证明开具 certificates"
WELFARE: Final = "民生保障 welfare"
ADVICE: Final = "咨询服务 advice"

DEFAULT_CATALOGUE: Final = (
    ServiceItem(
        code="residence_proof",
        name="开具居住证明 proof of residence",
        department="police",
        required=("purpose",),
        time_limit=3 * DAY,
        group=CERTIFICATES,
    ),
    ServiceItem(
        code="old_age_allowance",
        name="高龄津贴申领 old-age allowance",
        department="civil_affairs",
        required=("age",),
        optional=("contact_time",),
        time_limit=15 * DAY,
        group=WELFARE,
    ),
    ServiceItem(
        code="home_care",
        name="居家上门照护 home care visit",
        department="health",
        duty="may",
        who=("living_alone", "empty_nest", "disability"),
        required=("address", "care_needed"),
        optional=("contact_time",),
        time_limit=2 * DAY,
        fee=2000,
        group=WELFARE,
    ),
    ServiceItem(
        code="disability_card",
        name="残疾人证代办 disability card by proxy",
        department="civil_affairs",
        who=("disability",),
        required=("disability_kind",),
        time_limit=20 * DAY,
        group=WELFARE,
    ),
    ServiceItem(
        code="business_licence",
        name="个体工商户登记指导 sole-trader registration help",
        department="market_regulation",
        duty="may",
        required=("business",),
        time_limit=5 * DAY,
        group=ADVICE,
    ),
    ServiceItem(
        code="legal_advice",
        name="法律咨询 legal advice",
        department="justice",
        required=("question",),
        optional=("contact_time",),
        time_limit=3 * DAY,
        group=ADVICE,
    ),
)
"""Six items: certificates, welfare (one for care groups only, one with a fee), advice."""
