"""Shared resources (共享资源) for staff, read-only: those published where the signed-in staff
member works, and the calendar of one over the days asked for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Final

import attrs
from fastapi import FastAPI, Query, Request
from starlette.responses import Response

from commgov.api.console.i18n import gettext, language
from commgov.api.console.queries import ID_MOST, query_day, query_number
from commgov.api.console.refusals import Problem, Refused, not_found
from commgov.api.console.site import ConsoleSite, NavLink, Visitor
from commgov.api.console.staff_units import top_units
from commgov.api.console.store_time import local_time, today
from commgov.api.console.vocab_words import worded
from commgov.errors import CommgovError, NotFoundError, PermissionDenied, ValidationError
from commgov.resources.model.vocab import BOOKING_STATES, KINDS

if TYPE_CHECKING:
    from commgov.facade import Commgov
    from commgov.people.views import UnitView
    from commgov.resources.views import BookingView, ResourceView

CALENDAR_DAYS: Final = 366
"""The longest calendar a page shows (the API's own cap)."""
DEFAULT_DAYS: Final = 7
COMMUNITIES: Final = ("community", "village")


@attrs.frozen
class Window:
    """The days a calendar covers: ``days`` days from ``start``."""

    start: dt.date
    days: int

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days - 1)

    def each(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range(self.days)]


def calendar_window(cg: Commgov, given_from: str | None, given_days: str | None) -> Window:
    """The window asked for (from today, ``DEFAULT_DAYS`` days, by default); else
    ``Refused`` naming ``from`` or ``days``."""
    start = query_day("from", given_from) or today(cg)
    days = query_number("days", given_days, least=1, most=CALENDAR_DAYS) or DEFAULT_DAYS
    return Window(start, days)


def calendar_days(
    cg: Commgov, window: Window, bookings: Sequence[BookingView], lang: str
) -> list[dict[str, Any]]:
    """One row per day of ``window``: the bookings overlapping it, with their times there."""
    zone = cg.time_zone
    rows = []
    for day in window.each():
        begins = dt.datetime.combine(day, dt.time(), tzinfo=zone)
        ends = begins + dt.timedelta(days=1)
        found = [
            {
                "booking": b,
                "from": local_time(cg, max(b.starts_at, begins), "%H:%M"),
                "to": "24:00" if b.ends_at >= ends else local_time(cg, b.ends_at, "%H:%M"),
                "state": worded(BOOKING_STATES, b.state, lang),
                "who": booker(b.booked_by, lang),
            }
            for b in bookings
            if b.starts_at < ends and b.ends_at > begins
        ]
        rows.append({"day": day, "weekday": gettext(lang, day.strftime("%A")), "bookings": found})
    return rows


def booker(label: str, lang: str) -> str:
    """``resident:小张`` → ``居民 小张``: an actor's label with its role in words."""
    role, _, name = label.partition(":")
    return f"{gettext(lang, role)} {name}" if name else label


def resource_scope(cg: Commgov, unit: UnitView) -> str:
    """Where a unit's people find resources: the unit itself when it is a community or
    above, else the community (or village) it lies in."""
    if unit.kind in COMMUNITIES or unit.parent_code is None:
        return unit.code
    above = [u for u in cg.grids.ancestors(unit.code) if u.kind in COMMUNITIES]
    return above[-1].code if above else unit.code


def listed_resources(
    site: ConsoleSite, visitor: Visitor, lang: str
) -> list[tuple[ResourceView, str]]:
    """The resources of the communities the staff member works in, with their kinds."""
    cg = site.cg
    found: list[ResourceView] = []
    for scope in dict.fromkeys(resource_scope(cg, u) for u in top_units(site, visitor.actor)):
        try:
            found += cg.resources.list(visitor.actor, under=scope)
        except CommgovError:
            continue  # a unit the actor may not read is not shown
    return [(r, worded(KINDS, r.kind, lang)) for r in found]


def calendar_page(
    site: ConsoleSite, request: Request, visitor: Visitor, *, resource: str | None,
    given_from: str | None, days: str | None,
) -> Response:  # fmt: skip
    """The resource list, and the calendar of the one asked for over the window asked for."""
    cg, lang = site.cg, language(request)
    context: dict[str, Any] = {
        "listed": listed_resources(site, visitor, lang),
        "given": dict(request.query_params),
    }
    try:
        chosen = query_number("resource", resource, least=1, most=ID_MOST)
        window = calendar_window(cg, given_from, days)
    except Refused as exc:
        context["problem"] = exc.problem.words(lang)
        return site.page(request, visitor, "resources.html", context, status=422)
    if chosen is None:
        return site.page(request, visitor, "resources.html", context)
    try:
        found = cg.resources.get(visitor.actor, chosen)
        bookings = cg.resources.bookings(
            visitor.actor, resource_id=chosen, start=window.start, end=window.end,
            most_days=CALENDAR_DAYS,
        )  # fmt: skip
    except (NotFoundError, PermissionDenied):
        words = gettext(lang, "There is no resource number {id} you may read.")
        return not_found(site, request, visitor, words.format(id=chosen))
    except ValidationError as exc:
        detail = (("detail", str(exc)),)
        problem = Problem("days", str(window.days), "refused: {detail}", detail)
        context["problem"] = problem.words(lang)
        return site.page(request, visitor, "resources.html", context, status=422)
    context |= {
        "resource": found,
        "kind": worded(KINDS, found.kind, lang),
        "window": window,
        "calendar": calendar_days(cg, window, bookings, lang),
    }
    return site.page(request, visitor, "resources.html", context)


def add_resource_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/resources`` (staff, read-only): the list, and a resource's calendar."""
    site.add_nav(NavLink("/resources", "Resources"))

    @app.get("/resources")
    def resources(
        request: Request,
        resource: Annotated[str | None, Query()] = None,
        given_from: Annotated[str | None, Query(alias="from")] = None,
        days: Annotated[str | None, Query()] = None,
    ) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        return calendar_page(
            site, request, visitor, resource=resource, given_from=given_from, days=days
        )
