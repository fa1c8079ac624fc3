"""The app's state as routes reach it: the store's context, its services, who is calling."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any, TypeVar, cast

import attrs
from anyio import from_thread
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from commgov.kernel.actors import Actor
from commgov.kernel.context import Context

T = TypeVar("T")
Authenticate = Callable[[Request], Actor | Awaitable[Actor]]
"""Who is calling: given the request, the ``Actor`` every route acts as; raise
``commgov.errors.NotAuthenticated`` (401) or ``PermissionDenied`` (403) to refuse."""


@attrs.frozen
class ApiState:
    """Held by the app (``app.state.commgov``): the store and how callers are identified."""

    ctx: Context
    services: Mapping[type[Any], object]
    authenticate: Authenticate

    def service(self, kind: type[T]) -> T:
        return cast(T, self.services[kind])


def api_state(request: Request) -> ApiState:
    return cast(ApiState, request.app.state.commgov)


async def current_actor(request: Request) -> Actor:
    """The calling actor, identified once per request by the app's ``authenticate``."""
    known = getattr(request.state, "commgov_actor", None)
    if isinstance(known, Actor):
        return known
    authenticate = api_state(request).authenticate
    if inspect.iscoroutinefunction(authenticate):
        found = await authenticate(request)
    else:
        found = await run_in_threadpool(authenticate, request)
        if inspect.isawaitable(found):
            found = await found
    return _remember(request, found)


def current_actor_in_thread(request: Request) -> Actor:
    """``current_actor`` for a route's work already in a worker thread (so the caller's key is
    read in the same transaction as the work); an ``async`` authenticate is awaited on the
    event loop."""
    known = getattr(request.state, "commgov_actor", None)
    if isinstance(known, Actor):
        return known
    authenticate = api_state(request).authenticate
    given = authenticate(request)
    if not inspect.isawaitable(given):
        return _remember(request, given)
    pending = given

    async def wait() -> object:
        return await pending

    return _remember(request, from_thread.run(wait))


def _remember(request: Request, found: object) -> Actor:
    if not isinstance(found, Actor):
        raise TypeError(f"authenticate returned {type(found).__name__}, expected an Actor")
    request.state.commgov_actor = found
    return found


Caller = Annotated[Actor, Depends(current_actor)]
"""A route parameter: the actor the request acts as."""


def service(kind: type[T]) -> Callable[[Request], Awaitable[T]]:
    """A dependency handing a route the store's service of ``kind`` (``cg.cases`` …)."""

    async def provide(request: Request) -> T:
        return api_state(request).service(kind)

    provide.__name__ = f"service_{kind.__name__}"
    return provide
