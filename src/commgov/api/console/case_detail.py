"""A case's page: its fields, its timeline and the steps the viewer may take now, each a form;
a case that does not exist or that the viewer may not see is a 404 page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from starlette.responses import Response

from commgov.api.console.case_words import CHANNEL_WORDS, CaseWords
from commgov.api.console.request_words import Words, words_for
from commgov.api.console.site import ConsoleSite, Visitor
from commgov.api.console.staff_units import top_units
from commgov.api.console.store_time import local_time
from commgov.cases.model.vocab import LEVELS, RATING_RANGE, REJECT_KINDS, SEVERITIES, UNRESOLVED
from commgov.cases.views import CaseView
from commgov.errors import CommgovError, NotFoundError, PermissionDenied, ValidationError


def read_case_id(given: str) -> int | None:
    """The case id in a path (``None`` when it cannot be one)."""
    return int(given) if given.isdigit() and len(given) <= 10 else None


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
        "due": local_time(cg, _due(view)),
        "times": {
            "reported_at": local_time(cg, view.reported_at),
            "response_due": local_time(cg, view.response_due),
            "resolve_due": local_time(cg, view.resolve_due),
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
