"""Case hooks: the category registry and the rules of the case loop (see ``docs/cases.md``).

The category hook is a registry hook (every available plugin). The others are rule hooks,
called on the plugins that apply to the case's grid (``commgov_locate`` on every available
plugin: the grid is not known yet). ``firstresult`` hooks stop at the first answer that is not
``None``; the core defaults (``commgov.cases.defaults``) answer last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from commgov.cases.model.categories import CategorySpec
from commgov.cases.model.rules import Candidate, CaseInfo, Deadlines, Routing, Triage
from commgov.kernel.actors import Actor
from commgov.kernel.markers import hookspec

# -- registry hooks --------------------------------------------------------------------------


@hookspec
def commgov_case_categories() -> list[CategorySpec]:  # type: ignore[empty-body]
    """Case categories this plugin adds, as dotted codes under existing parents."""


# -- rule hooks ------------------------------------------------------------------------------


@hookspec(firstresult=True)
def commgov_locate(lat: float, lon: float) -> str | None:
    """The code of the grid containing the point (WGS-84 degrees), or ``None`` to pass."""


@hookspec(firstresult=True)
def commgov_case_duplicate(case: CaseInfo, recent: Callable[[], list[CaseInfo]]) -> int | None:
    """The id of an open case this new report duplicates (it is merged into it), or ``None``.

    ``recent()`` fetches the open cases of the same grid, newest first, when called."""


@hookspec(firstresult=True)
def commgov_case_triage(case: CaseInfo, category: CategorySpec | None) -> Triage | None:
    """Who should own the case (grid, community, town, county) and optionally its severity."""


@hookspec(firstresult=True)
def commgov_case_routing(
    case: CaseInfo, candidates: list[Candidate], department: str | None
) -> Routing | None:
    """Choose the lead among ``candidates`` (staff and departments around the case's grid) and
    the co-operating departments (吹哨报到). ``department`` is the category's department kind."""


@hookspec(firstresult=True)
def commgov_case_deadlines(
    category: str | None, severity: str, owner_level: str
) -> Deadlines | None:
    """Time allowed to respond (dispatch) and to resolve a case of this kind."""


@hookspec(firstresult=True)
def commgov_business_clock(start: dt.datetime, duration: dt.timedelta) -> dt.datetime | None:
    """The moment ``duration`` of business time after ``start`` (working hours, holidays)."""


@hookspec
def commgov_case_closed(case: CaseInfo, rating: int | None, actor: Actor) -> None:
    """Called when a case closes, inside its unit of work (e.g. award points to the reporter).
    Raising aborts the close."""
