"""The case board (诉求看板): the cases a staff member may see, a section per state in the
loop's order, overdue ones marked, filtered by unit, category and channel, paged per state."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, Final
from urllib.parse import urlencode

import attrs
from fastapi import Request
from starlette.responses import Response

from commgov.api.console.request_words import words_for
from commgov.api.console.site import ConsoleSite, Visitor
from commgov.api.console.staff_units import chosen_unit, top_units, visible_units
from commgov.api.console.store_time import local_time
from commgov.cases.model.vocab import CHANNELS, EXCLUDED, Channel, State
from commgov.cases.views import CaseView
from commgov.errors import CommgovError, PermissionDenied, ValidationError
from commgov.kernel.actors import Actor
from commgov.people.views import UnitView

PAGE: Final = 200
"""The most cases a state's section shows; a "more" link pages on."""
BOARD_STATES: Final = tuple(s for s in State if s not in EXCLUDED) + tuple(
    s for s in State if s in EXCLUDED
)
"""The loop's states in order (reported → … → closed), then those that leave it."""


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
    """A case on the board, marked when it is past its time limit."""

    case: CaseView
    overdue: bool


@attrs.frozen
class Section:
    """A state's cases on the board."""

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
        "local": partial(local_time, site.cg),
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
