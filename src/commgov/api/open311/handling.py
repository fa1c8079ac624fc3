"""How every Open311 route answers: the format from the path, the town from
``jurisdiction_id``, who calls (a key holder, or the public for reads), the work in a thread,
a write done at most once under its key, and every failure as Open311's errors."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from commgov.api.keys import NoKey
from commgov.api.open311.access import Store, reader_in_thread
from commgov.api.open311.errors import Open311Error, body, invalid, translated
from commgov.api.open311.formats import Format, format_of, render
from commgov.api.open311.forms import Params, params_of
from commgov.api.open311.writing import Posting
from commgov.errors import CommgovError
from commgov.kernel.actors import Actor
from commgov.kernel.web.once import KEY_MAX, REPLAYED, once
from commgov.kernel.web.state import current_actor_in_thread
from commgov.people.model.units import Unit

log = logging.getLogger("commgov.api.open311")
Make = Callable[[Format], Awaitable[Response]]
Read = Callable[[Store, Unit, Actor | None, Params], object]
Write = Callable[[Store, Unit, Actor, Params], Posting]


async def answer(given: str, make: Make) -> Response:
    """``make``'s answer in the format ``given``; every failure as an Open311 error."""
    try:
        fmt = format_of(given)
    except Open311Error as exc:
        return render(body(exc), "json", "errors", status=exc.status)
    try:
        return await make(fmt)
    except Open311Error as exc:
        failed = exc
    except CommgovError as exc:
        failed = translated(exc)
        if failed.status >= 500:
            log.error("Open311 %s failed: %s", given, exc)
    except HTTPException as exc:  # a form that cannot be parsed
        failed = Open311Error(exc.status_code, str(exc.detail))
    except Exception:
        log.exception("Open311 %s failed unexpectedly", given)
        failed = Open311Error(500, "an unexpected error; it has been logged")
    return render(body(failed), fmt, "errors", status=failed.status)


def town_of(store: Store, params: Params) -> Unit:
    return store.town(params.text("jurisdiction_id", most=100))


async def read(request: Request, given: str, root: str, work: Read) -> Response:
    """A read: ``work`` in the town, for the key holder or (no key) the public; the key, the
    town and the work read in one transaction."""

    async def make(fmt: Format) -> Response:
        params = await params_of(request)
        store = Store.of(request)

        def run() -> object:
            with store.ctx.uow(readonly=True):
                reader = reader_in_thread(request)
                return work(store, town_of(store, params), reader, params)

        return render(await run_in_threadpool(run), fmt, root)

    return await answer(given, make)


async def write(request: Request, given: str, root: str, work: Write) -> Response:
    """A write by the key holder (a key sent as the form's ``api_key`` counts), done at most
    once under the posting's key or the request's ``Idempotency-Key``; the key, the town and
    the work in one transaction, committed whole or not at all."""

    async def make(fmt: Format) -> Response:
        params = await params_of(request)
        key = params.text("api_key", most=200)
        if key is not None:
            request.state.commgov_api_key = key
        store = Store.of(request)

        def run() -> Response:
            with store.ctx.uow(whole=True):
                actor = _holder(request)
                made = work(store, town_of(store, params), actor, params)
                header = request.headers.get("idempotency-key")
                data, replayed = _remembered(request, actor, made.key or header, made)
            response = render(data, fmt, root)
            if replayed:
                response.headers[REPLAYED] = "true"
            return response

        return await run_in_threadpool(run)

    return await answer(given, make)


def _holder(request: Request) -> Actor:
    try:
        return current_actor_in_thread(request)
    except NoKey:
        raise Open311Error(401, "api_key is required (a town administrator makes one)") from None


def _remembered(
    request: Request, actor: Actor, key: str | None, made: Posting
) -> tuple[list[object], bool]:
    """The posting's answer, done at most once under ``key`` (``kernel.web.once``)."""
    if key is None:
        return made.work(), False
    if len(key) > KEY_MAX:
        raise invalid("Idempotency-Key", key[:20] + "…", f"at most {KEY_MAX} characters")
    sent = once(request, actor, key, made.body, made.work, status=200)
    return json.loads(bytes(sent.body)), sent.headers.get(REPLAYED) == "true"
