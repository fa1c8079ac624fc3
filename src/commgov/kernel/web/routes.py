"""What route declarations share: the problem answers every route may give, path ids."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import Path

from commgov.kernel.values import INT32
from commgov.kernel.web.problems import PROBLEM_JSON, Problem

PathId = Annotated[int, Path(ge=1, le=INT32, description="A row id.")]


def _answer(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {PROBLEM_JSON: {}}}


PROBLEMS: Final[dict[int | str, dict[str, Any]]] = {
    400: _answer("Malformed request (a body that is not JSON)"),
    401: _answer("No API key, or one unknown, revoked or expired"),
    403: _answer("The caller may not do this here"),
    404: _answer("No such thing"),
    409: _answer("Conflicts with the current state, or an Idempotency-Key reused"),
    413: _answer("Request body too large"),
    422: _answer("Invalid input: names the field and the value"),
}
"""Declared on every router, so the OpenAPI document lists each problem a route can answer."""
