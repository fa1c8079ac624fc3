"""``create_console``: the console's pages over a store, signed in with an API key."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Annotated, Final

from fastapi import FastAPI, Form, Request
from starlette.responses import RedirectResponse, Response

from commgov.api.console.case_pages import add_case_pages
from commgov.api.console.grid_pages import add_grid_pages
from commgov.api.console.ledger_pages import add_ledger_pages
from commgov.api.console.map_pages import add_map_pages
from commgov.api.console.pages import render
from commgov.api.console.participation_pages import add_participation_pages
from commgov.api.console.plugin_pages import add_plugin_pages
from commgov.api.console.rate_pages import add_rate_pages
from commgov.api.console.sessions import COOKIE, LIFETIME, open_session, seal
from commgov.api.console.site import ConsoleSite
from commgov.errors import NotAuthenticated
from commgov.kernel.actors import RESIDENT

if TYPE_CHECKING:
    from commgov.facade import Commgov

PRE: Final = "commgov_console_form"
"""The cookie holding the sign-in form's CSRF token (before any session exists)."""
KEY_MOST: Final = 200
PAGE_GROUPS: Final = (
    add_grid_pages,
    add_case_pages,
    add_rate_pages,
    add_ledger_pages,
    add_participation_pages,
    add_map_pages,
    add_plugin_pages,
)
"""Each adds its routes and header links to the console (in this order)."""


def create_console(cg: Commgov, *, secure_cookies: bool = False) -> FastAPI:
    """The console over ``cg``: mount it (``parent.mount("/console", create_console(cg))``) or
    let ``create_app`` do so. Set ``secure_cookies`` when it is served over HTTPS."""
    app = FastAPI(title="commgov console", docs_url=None, redoc_url=None, openapi_url=None)
    site = ConsoleSite(cg, secure_cookies=secure_cookies)

    @app.get("/")
    def home(request: Request) -> Response:
        visitor = site.visitor(request)
        target = "/signin" if visitor is None else "/me" if visitor.is_resident else "/grids"
        return RedirectResponse(site.here(request, target), status_code=303)

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
            return site.refused_form(request)
        try:
            holder = cg.api_keys.holder(key.strip())
        except NotAuthenticated:
            context = {"csrf": expected, "error": "This key does not open the console."}
            return render(request, "signin.html", context, status=401)
        target = "/me" if holder.actor.role == RESIDENT else "/grids"
        response = RedirectResponse(site.here(request, target), status_code=303)
        response.set_cookie(
            COOKIE,
            seal(open_session(key.strip()), cg.context.cipher),
            max_age=LIFETIME,
            httponly=True,
            samesite="lax",
            secure=secure_cookies,
        )
        response.delete_cookie(PRE)
        return response

    @app.post("/signout")
    def signout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
        visitor = site.visitor(request)
        if visitor is not None and not site.form_ok(visitor, csrf):
            return site.refused_form(request)
        return site.to_signin(request)

    for add in PAGE_GROUPS:
        add(app, site)
    return app
