"""The case board (诉求看板): the cases a staff member may see, a section per state in the
loop's order, overdue ones marked, filtered by unit, category and channel; a case's page: its
fields, its timeline and the steps the viewer may take now, each a form. Also what the rates
page shares: the units a staff member may see and problems put in the clerk's words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Annotated, Any, Final
from urllib.parse import urlencode

import attrs
from fastapi import FastAPI, Form, Request
from starlette.responses import RedirectResponse, Response

from commgov.api.console.i18n import gettext, language
from commgov.api.console.site import ConsoleSite, NavLink, Visitor
from commgov.cases.model.vocab import (
    CHANNELS,
    EXCLUDED,
    LEVELS,
    RATING_RANGE,
    REJECT_KINDS,
    SEVERITIES,
    UNRESOLVED,
    Channel,
    State,
)
from commgov.cases.views import COMMANDS, CaseEventView, CaseView, parse_action
from commgov.errors import (
    CommgovError,
    ConflictError,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from commgov.kernel.actors import RESIDENT, Actor
from commgov.people.views import UnitView

PAGE: Final = 200
"""The most cases a state's section shows; a "more" link pages on."""
BOARD_STATES: Final = tuple(s for s in State if s not in EXCLUDED) + tuple(
    s for s in State if s in EXCLUDED
)
"""The loop's states in order (reported → … → closed), then those that leave it."""
CASE_FIELDS: Final = frozenset({"duplicate_of", "into"})
"""Form fields naming another case (by its number or id)."""
SHOWN_DATA: Final = ("kind", "category", "severity", "owner_level", "lead", "rating")
"""What of an event's data the timeline shows beside its note."""
CHANNEL_WORDS: Final[dict[str, str]] = {str(k): v for k, v in CHANNELS.items()}


# -- words -----------------------------------------------------------------------------------


@attrs.frozen
class Words:
    """The request's language: message ids translated, bilingual labels halved."""

    lang: str

    def __call__(self, message: str) -> str:
        return gettext(self.lang, message)

    def field(self, name: str) -> str:
        """A field's name as the clerk knows it (``reason``, ``单元`` …)."""
        found = self(f"field.{name}")
        return name if found == f"field.{name}" else found

    def label(self, bilingual: str) -> str:
        """``"矛盾纠纷 disputes"`` (the model's labels) in the request's language."""
        head, space, tail = bilingual.partition(" ")
        if not space or not any("\u4e00" <= ch <= "\u9fff" for ch in head):
            return bilingual
        return tail if self.lang == "en" else head

    def problem(self, exc: CommgovError) -> tuple[int, str]:
        """The status and the words for an error a service raised."""
        if isinstance(exc, ValidationError):
            text = self("The value “{value}” of “{field}” was not accepted: {reason}.")
            value = "" if exc.value is None else str(exc.value)
            return 422, text.format(
                field=self.field(exc.field), value=value, reason=self(exc.reason)
            )
        if isinstance(exc, (StateError, ConflictError)):
            return 409, self("This cannot be done now: {detail}").format(detail=exc)
        if isinstance(exc, PermissionDenied):
            return 403, self("You may not do this here.")
        if isinstance(exc, NotFoundError):
            return 404, self("Nothing was found for “{key}”.").format(key=exc.key)
        return 400, str(exc)


def words_for(request: Request) -> Words:
    return Words(language(request))


def local_time(site: ConsoleSite, at: dt.datetime | None) -> str:
    """``at`` in the store's time zone, to the minute (empty for none)."""
    return "" if at is None else at.astimezone(site.cg.time_zone).strftime("%Y-%m-%d %H:%M")


# -- the units a staff member may see ---------------------------------------------------------


def top_units(site: ConsoleSite, actor: Actor) -> list[UnitView]:
    """The units the actor is assigned to (the roots for a town-wide actor)."""
    return site.cg.grids.assigned(actor) or site.cg.grids.roots()


def visible_units(site: ConsoleSite, actor: Actor) -> list[UnitView]:
    """The actor's units and every unit below them, each once, tops first."""
    seen: dict[str, UnitView] = {}
    for top in top_units(site, actor):
        for unit in (top, *site.cg.grids.descendants(top.code)):
            seen.setdefault(unit.code, unit)
    return list(seen.values())


def chosen_unit(given: str, units: Sequence[UnitView]) -> str:
    """``given`` when it is one of ``units``; else ``ValidationError`` on ``unit``."""
    if given not in {u.code for u in units}:
        raise ValidationError("unit", given, "not a unit you may see")
    return given


# -- the board --------------------------------------------------------------------------------


@attrs.frozen
class BoardFilter:
    """The board's checked filters (``None``: not filtered)."""

    unit: str | None = None
    category: str | None = None
    channel: Channel | None = None
    state: State | None = None
    after: int | None = None

    def query(self, **changes: str | int | None) -> str:
        """The board's query string with ``changes``."""
        values: dict[str, Any] = {
            "unit": self.unit,
            "category": self.category,
            "channel": self.channel,
            "state": None if self.state is None else self.state.value,
            "after": self.after,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


@attrs.frozen
class BoardRow:
    case: CaseView
    overdue: bool


@attrs.frozen
class Section:
    state: State
    rows: list[BoardRow]
    more: str | None
    """The query string of the next page, when there is one."""


def _channel(given: str) -> Channel:
    for channel in CHANNELS:
        if channel == given:
            return channel
    raise ValidationError("channel", given, "not a channel cases come in by")


def _state(given: str) -> State:
    try:
        return State(given)
    except ValueError:
        raise ValidationError("state", given, "not a state of the case loop") from None


def _after(given: str) -> int:
    if not given.isdigit() or len(given) > 10:
        raise ValidationError("after", given, "expected a case id")
    return int(given)


def board_filter(
    site: ConsoleSite, units: Sequence[UnitView], given: dict[str, str]
) -> BoardFilter:
    """The filters the board's query asks for, each checked against what may be chosen."""
    category = given["category"] or None
    if category is not None and category not in site.cg.cases.category_tree.by_code:
        raise ValidationError("category", category, "not a case category")
    return BoardFilter(
        unit=chosen_unit(given["unit"], units) if given["unit"] else None,
        category=category,
        channel=_channel(given["channel"]) if given["channel"] else None,
        state=_state(given["state"]) if given["state"] else None,
        after=_after(given["after"]) if given["after"] else None,
    )


def _readable_tops(site: ConsoleSite, actor: Actor, chosen: BoardFilter) -> dict[str, set[int]]:
    """The units to list (the chosen one, else the actor's), each with its overdue cases'
    ids; a unit the actor may not read is left out."""
    codes = [chosen.unit] if chosen.unit else [u.code for u in top_units(site, actor)]
    found: dict[str, set[int]] = {}
    for code in codes:
        try:
            found[code] = {c.id for c in site.cg.cases.overdue(actor, code)}
        except PermissionDenied:
            continue
    return found


def board_sections(site: ConsoleSite, actor: Actor, chosen: BoardFilter) -> list[Section]:
    """A section per state (only the chosen one when paging on), at most ``PAGE`` rows each."""
    tops = _readable_tops(site, actor, chosen)
    overdue = set().union(*tops.values())
    sections = []
    for state in (chosen.state,) if chosen.state else BOARD_STATES:
        found: dict[int, CaseView] = {}
        for code in tops:
            for case in site.cg.cases.under(
                actor,
                code,
                state=state.value,
                category=chosen.category,
                channel=chosen.channel,
                after_id=chosen.after if chosen.state else None,
                limit=PAGE + 1,
            ):
                found[case.id] = case
        ordered = [found[i] for i in sorted(found)]
        rows = [BoardRow(c, c.id in overdue) for c in ordered[:PAGE]]
        more = None
        if len(ordered) > PAGE:
            more = chosen.query(state=state.value, after=rows[-1].case.id)
        sections.append(Section(state, rows, more))
    return sections


# -- a case's page ----------------------------------------------------------------------------


@attrs.frozen
class TimelineRow:
    at: str
    who: str
    action: str
    from_state: str | None
    to_state: str
    note: str | None
    data: list[tuple[str, str]]


@attrs.frozen
class CaseWords:
    """A case's codes in words: categories by label, leads by name, the model's codes by the
    catalogue (``severity.normal`` …)."""

    site: ConsoleSite
    actor: Actor
    words: Words
    categories: dict[str, str]

    def lead(self, label: str | None) -> str:
        """``staff:12`` as the staff member's name when the actor may read it."""
        if label is None:
            return ""
        kind, _, ref = label.partition(":")
        if kind == "staff" and ref.isdigit():
            try:
                return self.site.cg.staff.get(self.actor, int(ref)).name
            except CommgovError:
                return label
        return label

    def value(self, key: str, value: object) -> str:
        """One value of an event's data in words."""
        prefix = {"severity": "severity", "owner_level": "level", "kind": "reject"}
        if key in prefix or key == "rating":
            return self.words(f"{prefix.get(key, key)}.{value}")
        if key == "category":
            return self.categories.get(str(value), str(value))
        return self.lead(str(value)) if key == "lead" else str(value)

    def who(self, label: str) -> str:
        """An event's actor: the role in words and the name, but no resident's name."""
        role, _, name = label.partition(":")
        return self.words(role) if role == RESIDENT or not name else f"{self.words(role)} {name}"

    def timeline(self, events: Sequence[CaseEventView]) -> list[TimelineRow]:
        return [
            TimelineRow(
                at=local_time(self.site, e.at),
                who=self.who(e.actor),
                action=e.action,
                from_state=e.from_state,
                to_state=e.to_state,
                note=e.note,
                data=[
                    (self.words.field(k), self.value(k, e.data[k]))
                    for k in SHOWN_DATA
                    if e.data.get(k)
                ],
            )
            for e in events
        ]


def _leads(site: ConsoleSite, visitor: Visitor, words: Words) -> list[tuple[str, str]]:
    """Whom a case may be dispatched to: the routing rule's choice, oneself, departments."""
    actor = visitor.actor
    found = [("", words("Chosen by the routing rule"))]
    if actor.staff_id is not None:
        found.append((f"staff:{actor.staff_id}", words("Myself")))
    for top in top_units(site, actor):
        try:
            departments = site.cg.staff.departments(actor, top.code)
        except CommgovError:
            continue
        found.extend((f"department:{d.code}", f"{d.name} ({d.code})") for d in departments)
    return list(dict.fromkeys(found))


def _due(case: CaseView) -> dt.datetime | None:
    """The deadline running now: the response's until dispatched, then the resolution's."""
    if case.state not in {s.value for s in UNRESOLVED}:
        return None
    return case.response_due if case.responded_at is None else case.resolve_due


def case_context(site: ConsoleSite, visitor: Visitor, words: Words, case_id: int) -> dict[str, Any]:
    """What the case page shows (``NotFoundError``/``PermissionDenied`` when it may not)."""
    cg, actor = site.cg, visitor.actor
    view = cg.cases.get(actor, case_id)
    first = cg.cases.under(actor, view.unit_code, overdue=True, after_id=case_id - 1, limit=1)
    overdue = [c.id for c in first] == [case_id]
    categories = {c.code: words.label(c.label) for c in cg.cases.categories()}
    named = CaseWords(site, actor, words, categories)
    return {
        "case": view,
        "unit": cg.grids.get(view.unit_code),
        "overdue": overdue,
        "due": local_time(site, _due(view)),
        "times": {
            "reported_at": local_time(site, view.reported_at),
            "response_due": local_time(site, view.response_due),
            "resolve_due": local_time(site, view.resolve_due),
        },
        "category": categories.get(view.category or "", view.category or ""),
        "channel": words.label(CHANNEL_WORDS.get(view.channel, view.channel)),
        "lead": named.lead(view.lead),
        "events": named.timeline(cg.cases.history(actor, case_id)),
        "actions": cg.cases.actions(actor, case_id),
        "categories": categories,
        "severities": SEVERITIES,
        "levels": LEVELS,
        "reject_kinds": REJECT_KINDS,
        "ratings": sorted(RATING_RANGE, reverse=True),
        "leads": _leads(site, visitor, words),
        "error": None,
    }


def _case_id(given: str) -> int | None:
    return int(given) if given.isdigit() and len(given) <= 10 else None


def _other_case(site: ConsoleSite, actor: Actor, field: str, given: str) -> int:
    """The id of the case a form names by number or id, as ``field``."""
    try:
        return site.cg.cases.find(actor, given).id
    except (NotFoundError, PermissionDenied):
        raise ValidationError(field, given, "no such case") from None
    except ValidationError as exc:
        raise ValidationError(field, given, exc.reason) from None


def _rating(given: str) -> int:
    if not given.isdigit() or int(given) not in RATING_RANGE:
        raise ValidationError("rating", given, "expected a whole number from 1 to 5")
    return int(given)


def command_fields(
    site: ConsoleSite, actor: Actor, action: str, form: dict[str, str]
) -> dict[str, Any]:
    """The fields of ``action``'s command from the form: only those it takes, blanks left
    out, numbers and other cases read."""
    command = COMMANDS.get(action)
    if command is None:
        raise ValidationError("action", action, "not a step of the case loop")
    fields: dict[str, Any] = {"action": action}
    for name, given in form.items():
        value = given.strip()
        if name not in command.model_fields or not value:
            continue
        if name in CASE_FIELDS:
            fields[name] = _other_case(site, actor, name, value)
        elif name == "rating":
            fields[name] = _rating(value)
        else:
            fields[name] = value
    return fields


# -- the routes -------------------------------------------------------------------------------

Field = Annotated[str, Form()]


def missing_case(site: ConsoleSite, request: Request, visitor: Visitor, given: str) -> Response:
    """The 404 page for a case that does not exist or that the visitor may not see."""
    detail = words_for(request)("No case “{case}” that you may see.").format(case=given)
    words = {"title": "Case not found", "detail": detail}
    return site.page(request, visitor, "error.html", words, status=404)


def case_page(
    site: ConsoleSite,
    request: Request,
    visitor: Visitor,
    case_id: int,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The case's page, with ``error`` shown above it when a step was refused."""
    try:
        context = case_context(site, visitor, words_for(request), case_id)
    except (NotFoundError, PermissionDenied, ValidationError):
        return missing_case(site, request, visitor, str(case_id))
    context["error"] = error
    return site.page(request, visitor, "case.html", context, status=status)


def board_page(
    site: ConsoleSite, request: Request, visitor: Visitor, given: dict[str, str]
) -> Response:
    """The board for the filters ``given``; a bad one gives the page with its problem."""
    words = words_for(request)
    units = visible_units(site, visitor.actor)
    categories = [(c.code, words.label(c.label)) for c in site.cg.cases.categories()]
    channels = [(str(c), words.label(label)) for c, label in CHANNELS.items()]
    context: dict[str, Any] = {
        "units": units,
        "categories": categories,
        "channels": channels,
        "category_words": dict(categories),
        "channel_words": dict(channels),
        "local": partial(local_time, site),
        "given": given,
        "error": None,
        "sections": [],
    }
    try:
        chosen = board_filter(site, units, given)
        context["sections"] = board_sections(site, visitor.actor, chosen)
    except CommgovError as exc:
        status, context["error"] = words.problem(exc)
        return site.page(request, visitor, "cases.html", context, status=status)
    return site.page(request, visitor, "cases.html", context)


def act_page(
    site: ConsoleSite, request: Request, visitor: Visitor, case_id: str, form: dict[str, str]
) -> Response:
    """Take the step ``form`` asks for, then back to the case (303); a refused step gives the
    case page again with its reason (nothing was done)."""
    found = _case_id(case_id)
    try:
        before = None if found is None else site.cg.cases.get(visitor.actor, found)
    except (NotFoundError, PermissionDenied, ValidationError):
        before = None
    if found is None or before is None:
        return missing_case(site, request, visitor, case_id)
    words = words_for(request)
    action = form.pop("action")
    try:
        fields = command_fields(site, visitor.actor, action, form)
        _, command = parse_action({"case_id": found, **fields})
        site.cg.cases.act(visitor.actor, found, command)
    except StateError:
        text = words("Case {number} is “{state}”: it cannot be “{action}” now.")
        error = text.format(
            number=before.number,
            state=words(f"state.{before.state}"),
            action=words(f"action.{action}"),
        )
        return case_page(site, request, visitor, found, error=error, status=409)
    except CommgovError as exc:
        status, error = words.problem(exc)
        return case_page(site, request, visitor, found, error=error, status=status)
    return RedirectResponse(site.here(request, f"/cases/{found}"), status_code=303)


def add_case_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/cases`` (the board), ``/cases/{id}`` (a case) and ``/cases/{id}/act`` (a step)."""
    site.add_nav(NavLink("/cases", "Case board"))

    @app.get("/cases")
    def board(
        request: Request,
        *,
        unit: str = "",
        category: str = "",
        channel: str = "",
        state: str = "",
        after: str = "",
    ) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        given = {"unit": unit, "category": category, "channel": channel}
        return board_page(site, request, visitor, given | {"state": state, "after": after})

    @app.get("/cases/{case_id}")
    def case(request: Request, case_id: str) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        found = _case_id(case_id)
        if found is None:
            return missing_case(site, request, visitor, case_id)
        return case_page(site, request, visitor, found)

    @app.post("/cases/{case_id}/act")
    def act(
        request: Request,
        case_id: str,
        *,
        action: Field = "",
        csrf: Field = "",
        note: Field = "",
        kind: Field = "",
        duplicate_of: Field = "",
        category: Field = "",
        severity: Field = "",
        owner_level: Field = "",
        lead: Field = "",
        rating: Field = "",
        into: Field = "",
    ) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        if not site.form_ok(visitor, csrf):
            return site.refused_form(request)
        form = {"action": action, "note": note, "kind": kind, "duplicate_of": duplicate_of}
        form |= {"category": category, "severity": severity, "owner_level": owner_level}
        form |= {"lead": lead, "rating": rating, "into": into}
        return act_page(site, request, visitor, case_id, form)
