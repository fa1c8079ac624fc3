"""Errors as RFC 9457 ``application/problem+json``: the status, a title, what was wrong with
which field and value — never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commgov.errors import (
    CommgovError,
    ConflictError,
    NotAuthenticated,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
)

log = logging.getLogger("commgov.api")
PROBLEM_JSON: Final = "application/problem+json"
PROBLEM_BASE: Final = "https://commgov.dev/problems/"
MAX_BODY: Final = 1_000_000
"""The largest request body accepted by default, in bytes (1 MB)."""


class FieldProblem(BaseModel):
    """One field that failed: where (``body.text``, ``query.limit``), what was given, why."""

    field: str
    value: Any = None
    reason: str


class Problem(BaseModel):
    """An RFC 9457 problem: ``type`` names the kind of failure, ``detail`` says it for the
    caller; ``field``/``value`` the first bad input, ``errors`` every one."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    field: str | None = None
    value: Any = None
    errors: list[FieldProblem] | None = None


_KINDS: Final[tuple[tuple[type[CommgovError], int, str, str], ...]] = (
    (NotAuthenticated, 401, "not-authenticated", "Not authenticated"),
    (ValidationError, 422, "invalid-input", "Invalid input"),
    (NotFoundError, 404, "not-found", "Not found"),
    (PermissionDenied, 403, "forbidden", "Forbidden"),
    (ConflictError, 409, "conflict", "Conflict"),
    (StateError, 409, "wrong-state", "Not allowed in the current state"),
)
_HTTP_TITLES: Final = {
    400: ("bad-request", "Bad request"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    413: ("too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


def _scalar(value: object) -> Any:
    """A value as JSON can carry it (text for what is not a plain scalar)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)[:200]


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    body = problem.model_dump(exclude_none=True)
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)


def problem_of(exc: CommgovError, instance: str | None = None) -> Problem:
    """The problem a library error becomes (500 for a plugin's or the set-up's failure)."""
    status, slug, title = 500, "server-error", "The server could not do this"
    for kind, code, name, words in _KINDS:
        if isinstance(exc, kind):
            status, slug, title = code, name, words
            break
    found = Problem(
        type=PROBLEM_BASE + slug, title=title, status=status, detail=str(exc), instance=instance
    )
    if isinstance(exc, ValidationError):
        found.field, found.value = exc.field, _scalar(exc.value)
    return found


def _where(location: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in location)


def validation_problem(errors: Sequence[Any], instance: str) -> Problem:
    """FastAPI's request validation errors as one problem: 400 for a body that is not JSON,
    422 naming each field otherwise."""
    fields = [
        FieldProblem(field=_where(e.get("loc", ())), value=_scalar(e.get("input")), reason=e["msg"])
        for e in errors
    ]
    if any(e.get("type") == "json_invalid" for e in errors):
        detail = "the body is not valid JSON: " + "; ".join(f.reason for f in fields)
        return Problem(
            type=PROBLEM_BASE + "malformed-json",
            title="Malformed JSON",
            status=400,
            detail=detail,
            instance=instance,
            errors=fields,
        )
    first = fields[0] if fields else FieldProblem(field="body", reason="invalid")
    detail = "; ".join(f"{f.field}: {f.reason}" for f in fields[:5])
    return Problem(
        type=PROBLEM_BASE + "invalid-input",
        title="Invalid input",
        status=422,
        detail=detail,
        instance=instance,
        field=first.field,
        value=first.value,
        errors=fields,
    )


def install(app: FastAPI) -> None:
    """Answer every failure of ``app`` as a problem."""

    async def library_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, CommgovError)
        found = problem_of(exc, request.url.path)
        if found.status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc)
        headers = {"WWW-Authenticate": "Bearer"} if found.status == 401 else None
        return problem_response(found, headers)

    async def invalid_request(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(validation_problem(exc.errors(), request.url.path))

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        slug, title = _HTTP_TITLES.get(exc.status_code, ("http-error", "Request refused"))
        found = Problem(
            type=PROBLEM_BASE + slug,
            title=title,
            status=exc.status_code,
            detail=str(exc.detail),
            instance=request.url.path,
        )
        return problem_response(found, dict(exc.headers) if exc.headers else None)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s failed unexpectedly", request.method, request.url.path)
        found = Problem(
            type=PROBLEM_BASE + "server-error",
            title="The server could not do this",
            status=500,
            detail="an unexpected error; it has been logged",
            instance=request.url.path,
        )
        return problem_response(found)

    app.add_exception_handler(CommgovError, library_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)


class BodyLimit:
    """ASGI middleware refusing a request body over ``limit`` bytes with a 413 problem, whether
    or not it declares its length, before any route reads it (the body is read whole first)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        whole: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = Problem(
            type=PROBLEM_BASE + "too-large",
            title="Request body too large",
            status=413,
            detail=f"the body is larger than {self.limit} bytes",
            instance=str(scope.get("path", "")),
        )
        await problem_response(found)(scope, receive, send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    """A ``receive`` giving ``messages`` first, then asking ``then`` (a disconnect, later)."""
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is None:
            return {"type": "http.disconnect"}
        return await then()

    return receive
