"""Participation, read-only, for staff: the micro-wish board (微心愿) and timetable, council
meetings (议事会) with their agendas and vote results (表决), and a shared resource's calendar
(共享资源), each over the units the signed-in staff member answers for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Final

import attrs
from fastapi import FastAPI, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from commgov.api.console.i18n import DEFAULT, gettext, language
from commgov.api.console.ledger_pages import (
    ID_MOST,
    Problem,
    Refused,
    not_found,
    query_day,
    query_number,
    today,
)
from commgov.api.console.site import ConsoleSite, NavLink, Visitor
from commgov.api.console.svg import Bar, bar_chart
from commgov.councils.model.meetings import MEETING_MODES, MEETING_STATES, TOPIC_STATES
from commgov.errors import CommgovError, NotFoundError, PermissionDenied, ValidationError
from commgov.resources.model.vocab import BOOKING_STATES, KINDS
from commgov.votes.model.tally import OUTCOMES
from commgov.votes.model.values import STATES as VOTE_STATES
from commgov.wishes.model.rules import TIER_LABELS
from commgov.wishes.model.vocab import STATE_LABELS

if TYPE_CHECKING:
    from commgov.councils.views import CouncilView, MeetingView
    from commgov.facade import Commgov
    from commgov.people.views import UnitView
    from commgov.resources.views import BookingView, ResourceView
    from commgov.votes.views import ResultView, VoteView

CALENDAR_DAYS: Final = 366
"""The longest calendar a page shows (the API's own cap)."""
DEFAULT_DAYS: Final = 7
WISHES_MOST: Final = 500
"""The most wishes a unit's board lists."""
MEETINGS_MOST: Final = 50
"""The most meetings a council's section lists."""
COMMUNITIES: Final = ("community", "village")
WISH_STATES: Final[dict[str, str]] = {str(k): v for k, v in STATE_LABELS.items()}
WISH_TIERS: Final[dict[str, str]] = {str(k): v for k, v in TIER_LABELS.items()}
WEIGHTS: Final = {"headcount": ("人数", "headcount"), "area": ("面积", "floor area")}
"""The weights a vote's quorum is met on."""
WISH_KINDS: Final = {
    "want": ("我想要", "want"),
    "offer": ("我愿做", "offer"),
    "suggestion": ("我期望", "suggestion"),
}


def pick(words: tuple[object, ...], lang: str) -> str:
    """The Chinese (first) or English (second) of a vocabulary's pair."""
    return str(words[0] if lang == DEFAULT else words[1])


def split(label: str, lang: str) -> str:
    """``待认领 open`` → ``待认领`` in Chinese, ``open`` in English."""
    chinese, _, english = label.partition(" ")
    return chinese if lang == DEFAULT or not english else english


def worded(vocabulary: Mapping[str, tuple[object, ...]], code: str, lang: str) -> str:
    """A code's words from a vocabulary of pairs (the code itself when unknown)."""
    found = vocabulary.get(code)
    return code if found is None else pick(found, lang)


def local_time(cg: Commgov, moment: dt.datetime, shape: str = "%Y-%m-%d %H:%M") -> str:
    """``moment`` in the store's zone."""
    return moment.astimezone(cg.time_zone).strftime(shape)


def top_units(cg: Commgov, visitor: Visitor, code: str | None) -> list[UnitView]:
    """The unit asked for, else the units the staff member is assigned to (the roots for a
    town-wide actor); an unknown unit is ``NotFoundError``."""
    if code is None:
        return cg.grids.assigned(visitor.actor) or cg.grids.roots()
    return [cg.grids.get(code)]


def unit_code(given: str | None) -> str | None:
    """The unit asked for, stripped (``None`` when blank); a code of digits only."""
    if given is None or not given.strip():
        return None
    text = given.strip()
    if not text.isdigit() or len(text) > 32:
        raise Refused(Problem("unit", given, "expected a unit's code (digits)"))
    return text


def unknown_unit(site: ConsoleSite, request: Request, visitor: Visitor, code: str) -> Response:
    words = gettext(language(request), "There is no unit {code} you may read.")
    return not_found(site, request, visitor, words.format(code=code))


def refused(
    site: ConsoleSite, request: Request, visitor: Visitor, template: str, problem: Problem
) -> Response:
    """``template`` again with the refusal (422): nothing shown, nothing changed."""
    context = {"problem": problem.words(language(request)), "given": dict(request.query_params)}
    return site.page(request, visitor, template, {"sections": [], **context}, status=422)


# -- wishes ----------------------------------------------------------------------------------
@attrs.frozen
class WishSection:
    """A unit's board: its wishes by state, a chart of the counts, and its timetable."""

    unit: UnitView
    board: list[tuple[str, str, list[dict[str, Any]]]]
    chart: Markup
    timetable: list[dict[str, Any]]


def wish_section(
    cg: Commgov, visitor: Visitor, unit: UnitView, *, state: str | None, lang: str
) -> WishSection:
    """``unit``'s wishes (of ``state`` when given) by state, and its timetable."""
    found = cg.wishes.under(visitor.actor, unit.code, state=state, limit=WISHES_MOST)
    board = []
    for code, label in WISH_STATES.items():
        listed = [
            {
                "wish": w,
                "kind": worded(WISH_KINDS, w.kind, lang),
                "category": split(w.category_label, lang),
            }
            for w in found
            if w.state == code
        ]
        if listed:
            board.append((code, split(label, lang), listed))
    title = gettext(lang, "Wishes by state")
    bars = [Bar(label, len(items), str(len(items))) for _, label, items in board]
    rows = [
        {
            "row": row,
            "kind": worded(WISH_KINDS, row.kind, lang),
            "category": split(row.category_label, lang),
            "tier": split(WISH_TIERS.get(row.tier, row.tier), lang),
            "state": split(WISH_STATES.get(row.state, row.state), lang),
        }
        for row in cg.wishes.timetable(visitor.actor, unit.code)
    ]
    return WishSection(unit=unit, board=board, chart=bar_chart(title, bars), timetable=rows)


# -- councils --------------------------------------------------------------------------------
@attrs.frozen
class Tally:
    """A vote with its result once closed, in words."""

    vote: VoteView
    state: str
    rule: str
    result: ResultView | None
    outcome: str | None
    quorum: list[tuple[str, bool]]


@attrs.frozen
class CouncilSection:
    """A council, its meetings (with their agendas) and its votes."""

    council: CouncilView
    meetings: list[dict[str, Any]]
    votes: list[Tally]


@attrs.frozen
class UnitCouncils:
    """The councils of a unit and below it, and the unit's votes held without a council."""

    unit: UnitView
    councils: list[CouncilSection]
    votes: list[Tally]


def tally(cg: Commgov, visitor: Visitor, vote: VoteView, lang: str) -> Tally:
    """``vote`` in words, with its result when it has closed."""
    rules = {r.code: (r.label, r.label_en) for r in cg.votes.rules()}
    result = cg.votes.result(visitor.actor, vote.id) if vote.state == "closed" else None
    return Tally(
        vote=vote,
        state=worded(VOTE_STATES, vote.state, lang),
        rule=worded(rules, vote.rule, lang),
        result=result,
        outcome=None if result is None else worded(OUTCOMES, result.outcome, lang),
        quorum=[]
        if result is None
        else [
            (worded(WEIGHTS, weight, lang), met) for weight, met in sorted(result.quorum.items())
        ],
    )


def meeting_rows(cg: Commgov, meeting: MeetingView, lang: str) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "starts": local_time(cg, meeting.starts_at),
        "mode": worded(MEETING_MODES, meeting.mode, lang),
        "state": worded(MEETING_STATES, meeting.state, lang),
        "agenda": [(item, worded(TOPIC_STATES, item.state, lang)) for item in meeting.agenda],
    }


def unit_councils(cg: Commgov, visitor: Visitor, top: UnitView, lang: str) -> UnitCouncils:
    """The councils at ``top`` and the units below it that the actor may read, with their
    meetings and votes; ``PermissionDenied`` when the actor may not read ``top``."""
    actor = visitor.actor
    votes = [tally(cg, visitor, v, lang) for v in cg.votes.of_unit(actor, top.code)]
    sections = []
    for unit in [top, *cg.grids.descendants(top.code)]:
        try:
            councils = cg.councils.of_unit(actor, unit.code)
        except PermissionDenied:
            continue  # a unit the actor may not read is not shown
        for council in councils:
            meetings = cg.meetings.meetings(actor, council.id, limit=MEETINGS_MOST)
            sections.append(
                CouncilSection(
                    council=council,
                    meetings=[meeting_rows(cg, m, lang) for m in meetings],
                    votes=[t for t in votes if t.vote.council_id == council.id],
                )
            )
    others = [t for t in votes if t.vote.council_id is None]
    return UnitCouncils(unit=top, councils=sections, votes=others)


# -- resources -------------------------------------------------------------------------------
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


def per_unit(
    site: ConsoleSite, request: Request, visitor: Visitor, template: str,
    build: Callable[[UnitView], object],
) -> Response:  # fmt: skip
    """``template`` with a section per unit asked for (``?unit=``) or answered for; a unit
    the actor may not read is left out, or, when asked for, a 404 page."""
    try:
        code = unit_code(request.query_params.get("unit"))
    except Refused as exc:
        return refused(site, request, visitor, template, exc.problem)
    try:
        units = top_units(site.cg, visitor, code)
    except NotFoundError:
        return unknown_unit(site, request, visitor, code or "")
    sections = []
    for unit in units:
        try:
            sections.append(build(unit))
        except PermissionDenied:
            if code is not None:
                return unknown_unit(site, request, visitor, code)
    context = {"sections": sections, "given": dict(request.query_params)}
    return site.page(request, visitor, template, context)


def listed_resources(cg: Commgov, visitor: Visitor, lang: str) -> list[tuple[ResourceView, str]]:
    """The resources of the communities the staff member works in, with their kinds."""
    found: list[ResourceView] = []
    for scope in dict.fromkeys(resource_scope(cg, u) for u in top_units(cg, visitor, None)):
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
        "listed": listed_resources(cg, visitor, lang),
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


def add_participation_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/wishes``, ``/councils`` and ``/resources`` (staff, read-only)."""
    cg = site.cg
    site.add_nav(NavLink("/wishes", "Wishes"))
    site.add_nav(NavLink("/councils", "Councils"))
    site.add_nav(NavLink("/resources", "Resources"))

    @app.get("/wishes")
    def wishes(request: Request, state: Annotated[str | None, Query()] = None) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        lang = language(request)
        wanted = state.strip() if state and state.strip() else None
        if wanted is not None and wanted not in WISH_STATES:
            choices = (("choices", ", ".join(WISH_STATES)),)
            problem = Problem("state", state or "", "expected one of {choices}", choices)
            return refused(site, request, visitor, "wishes.html", problem)
        return per_unit(
            site, request, visitor, "wishes.html",
            lambda unit: wish_section(cg, visitor, unit, state=wanted, lang=lang),
        )  # fmt: skip

    @app.get("/councils")
    def councils(request: Request) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        lang = language(request)
        return per_unit(
            site, request, visitor, "councils.html",
            lambda unit: unit_councils(cg, visitor, unit, lang),
        )  # fmt: skip

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
