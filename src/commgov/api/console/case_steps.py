"""A step of the case loop taken from its form on the case page: the form's fields read into
the step's command (other cases by number, ratings as numbers), the step taken, and a refused
one shown on the case page with its reason, nothing done."""

from __future__ import annotations

from typing import Any, Final

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from commgov.api.console.case_detail import case_page, missing_case, read_case_id
from commgov.api.console.request_words import words_for
from commgov.api.console.site import ConsoleSite, Visitor
from commgov.cases.model.vocab import RATING_RANGE
from commgov.cases.views import COMMANDS, parse_action
from commgov.errors import (
    CommgovError,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from commgov.kernel.actors import Actor

CASE_FIELDS: Final = frozenset({"duplicate_of", "into"})
"""Form fields naming another case (by its number or id)."""


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


def act_page(
    site: ConsoleSite, request: Request, visitor: Visitor, given_id: str, form: dict[str, str]
) -> Response:
    """Take the step ``form`` asks for, then back to the case (303); a refused step gives the
    case page again with its reason (nothing was done)."""
    found = read_case_id(given_id)
    try:
        before = None if found is None else site.cg.cases.get(visitor.actor, found)
    except (NotFoundError, PermissionDenied, ValidationError):
        before = None
    if found is None or before is None:
        return missing_case(site, request, visitor, given_id)
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
