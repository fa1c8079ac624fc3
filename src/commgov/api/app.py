"""``create_app``: the ASGI app, its routes gathered from each capability."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import FastAPI

from commgov.api.console import create_console
from commgov.api.keys import api_key_authentication
from commgov.api.routers import ROUTERS
from commgov.kernel.web import problems
from commgov.kernel.web.state import ApiState, Authenticate

if TYPE_CHECKING:
    from commgov.facade import Commgov

VERSION = "1"


def create_app(
    cg: Commgov,
    *,
    authenticate: Authenticate | None = None,
    max_body: int = problems.MAX_BODY,
    title: str = "commgov",
    console: bool = True,
) -> FastAPI:
    """The HTTP API over the store ``cg``. Every route acts as the ``Actor`` that
    ``authenticate(request)`` gives (default: the holder of the request's API key), so the
    library's permission rules apply unchanged. Mount it in your own app
    (``parent.mount("/gov", create_app(cg))``) or serve it with ``commgov serve``. Bodies over
    ``max_body`` bytes are refused (413). With ``console`` (the default) the community
    office's console is served under ``/console/`` (``commgov.api.console``)."""
    app = FastAPI(
        title=title,
        version=VERSION,
        description="Community governance: grids, residents, cases, points, time banks. "
        "Errors are RFC 9457 problems; every POST takes an Idempotency-Key.",
    )
    services: dict[type[Any], object] = {type(v): v for v in vars(cg).values()}
    who = authenticate if authenticate is not None else api_key_authentication(cg.api_keys)
    app.state.commgov = ApiState(ctx=cg.context, services=services, authenticate=who)
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(problems.BodyLimit, limit=max_body)
    if console:
        app.mount("/console", create_console(cg))
    return app
