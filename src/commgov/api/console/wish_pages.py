"""The micro-wish board (微心愿) for staff, read-only: a unit's wishes by state with a chart of
the counts, and its timetable, over the units the signed-in staff member answers for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Final

import attrs
from fastapi import FastAPI, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from commgov.api.console.i18n import gettext, language
from commgov.api.console.refusals import Problem
from commgov.api.console.site import ConsoleSite, NavLink, Visitor
from commgov.api.console.svg import Bar, bar_chart
from commgov.api.console.unit_sections import per_unit, refused
from commgov.api.console.vocab_words import split, worded
from commgov.wishes.model.rules import TIER_LABELS
from commgov.wishes.model.vocab import STATE_LABELS

if TYPE_CHECKING:
    from commgov.facade import Commgov
    from commgov.people.views import UnitView

WISHES_MOST: Final = 500
"""The most wishes a unit's board lists."""
WISH_STATES: Final[dict[str, str]] = {str(k): v for k, v in STATE_LABELS.items()}
WISH_TIERS: Final[dict[str, str]] = {str(k): v for k, v in TIER_LABELS.items()}
WISH_KINDS: Final = {
    "want": ("我想要", "want"),
    "offer": ("我愿做", "offer"),
    "suggestion": ("我期望", "suggestion"),
}


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


def add_wish_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/wishes`` (staff, read-only)."""
    cg = site.cg
    site.add_nav(NavLink("/wishes", "Wishes"))

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
