"""``create_console``: the console's pages over a store, signed in with an API key."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Annotated, Final

from fastapi import FastAPI, Form, Request
from starlette.responses import RedirectResponse, Response

from commgov.api.console.pages import render
from commgov.api.console.sessions import COOKIE, LIFETIME, Session, open_session, seal, unseal
from commgov.errors import CommgovError, NotAuthenticated
from commgov.kernel.actors import Actor

if TYPE_CHECKING:
    from commgov.facade import Commgov

PRE: Final = "commgov_console_form"
"""The cookie holding the sign-in form's CSRF token (before any session exists)."""
KEY_MOST: Final = 200


def create_console(cg: Commgov, *, secure_cookies: bool = False) -> FastAPI:
    """The console over ``cg``: mount it (``parent.mount("/console", create_console(cg))``) or
    let ``create_app`` do so. Set ``secure_cookies`` when it is served over HTTPS."""
    app = FastAPI(title="commgov console", docs_url=None, redoc_url=None, openapi_url=None)
    cipher = cg.context.cipher

    def here(request: Request, path: str) -> str:
        return f"{request.scope.get('root_path', '')}{path}"

    def signed_in(request: Request) -> tuple[Session, Actor] | None:
        session = unseal(request.cookies.get(COOKIE), cipher)
        if session is None:
            return None
        try:
            return session, cg.api_keys.holder(session.key).actor
        except NotAuthenticated:  # revoked, expired, or its holder has left
            return None

    def to_signin(request: Request) -> Response:
        response = RedirectResponse(here(request, "/signin"), status_code=303)
        response.delete_cookie(COOKIE, path=here(request, "/") or "/")
        return response

    def refused_form(request: Request) -> Response:
        words = {"title": "Form expired", "detail": "The form was not sent from this console."}
        return render(request, "error.html", words, status=403)

    @app.get("/")
    def home(request: Request) -> Response:
        target = "/grids" if signed_in(request) is not None else "/signin"
        return RedirectResponse(here(request, target), status_code=303)

    @app.get("/signin")
    def signin_form(request: Request) -> Response:
        token = secrets.token_urlsafe(24)
        response = render(request, "signin.html", {"csrf": token, "error": None})
        response.set_cookie(
            PRE, token, max_age=3600, httponly=True, samesite="strict", secure=secure_cookies
        )
        return response

    @app.post("/signin")
    def signin(
        request: Request,
        key: Annotated[str, Form(max_length=KEY_MOST)] = "",
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        expected = request.cookies.get(PRE)
        if not expected or not secrets.compare_digest(expected, csrf):
            return refused_form(request)
        try:
            cg.api_keys.holder(key.strip())
        except NotAuthenticated:
            context = {"csrf": expected, "error": "This key does not open the console."}
            return render(request, "signin.html", context, status=401)
        response = RedirectResponse(here(request, "/grids"), status_code=303)
        response.set_cookie(
            COOKIE,
            seal(open_session(key.strip()), cipher),
            max_age=LIFETIME,
            httponly=True,
            samesite="lax",
            secure=secure_cookies,
        )
        response.delete_cookie(PRE)
        return response

    @app.post("/signout")
    def signout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
        found = signed_in(request)
        if found is not None and not secrets.compare_digest(found[0].csrf, csrf):
            return refused_form(request)
        return to_signin(request)

    @app.get("/grids")
    def grids(request: Request) -> Response:
        found = signed_in(request)
        if found is None:
            return to_signin(request)
        session, actor = found
        units = cg.grids.assigned(actor) or cg.grids.roots()
        rows = []
        for unit in units:
            try:
                counts = cg.grids.counts(actor, unit.code)
            except CommgovError:
                continue  # a unit the actor may not read is not shown
            below = cg.grids.children(unit.code)
            rows.append({"unit": unit, "counts": counts, "below": below})
        context = {"csrf": session.csrf, "actor": actor, "rows": rows}
        return render(request, "grids.html", context)

    return app
