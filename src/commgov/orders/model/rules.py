"""What the service-order hooks return: the items of a unit's service catalogue."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal

import attrs

Duty = Literal["must", "may"]
DUTIES: Final[dict[Duty, str]] = {"must": "必须做 must provide", "may": "可以做 may provide"}
ProviderKind = Literal["department", "organisation", "partner", "talent", "staff"]
PROVIDER_KINDS: Final[dict[ProviderKind, str]] = {
    "department": "职能部门 department",
    "organisation": "社会组织 organisation",
    "partner": "合伙人 partner",
    "talent": "能人 talent",
    "staff": "工作人员 staff member",
}
RESIDENTS: Final = "resident"
"""``ServiceItem.who`` entry meaning every resident (care-group codes narrow it)."""
ITEM_CODE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""What an item's code looks like: ASCII letters, digits, ``_``, ``.`` and ``-``."""


@attrs.frozen
class ServiceItem:
    """One service of the catalogue (公共服务清单).

    ``department`` is the department kind responsible; ``duty`` whether the community must
    provide it or may; ``who`` who may order it: ``"resident"`` (anyone living in the unit) or
    care-group codes (``living_alone`` …); ``required`` the fields an order must fill and
    ``optional`` those it may; ``time_limit`` the time allowed from order to done (counted by
    the business clock); ``fee`` in fen (0: free); ``group`` a heading for lists."""

    code: str
    name: str
    department: str
    duty: Duty = "must"
    who: tuple[str, ...] = (RESIDENTS,)
    required: tuple[str, ...] = ()
    time_limit: dt.timedelta = dt.timedelta(days=5)
    fee: int = 0
    group: str = ""
    optional: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field an order of this item may fill, the required ones first."""
        return (*self.required, *self.optional)
