"""The GeoReport v2 routes under ``/open311/v2/`` (JSON or XML by the path's ending). Every
answer, an error included, is Open311's shape; ``jurisdiction_id`` (a town's unit code) is
required everywhere but ``discovery``."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from commgov.api.open311 import catalogue, openapi, updating, writing
from commgov.api.open311.access import Store
from commgov.api.open311.errors import Open311Error, body
from commgov.api.open311.formats import Format, render
from commgov.api.open311.forms import Params, identifier
from commgov.api.open311.handling import answer, read, write
from commgov.api.open311.reading import Lister
from commgov.kernel.actors import Actor
from commgov.people.model.units import Unit

router = APIRouter(prefix="/open311/v2", tags=["open311"])
SPECIFICATION: Final = "http://wiki.open311.org/GeoReport_v2"
CHANGESET: Final = "2026-12-01T00:00:00Z"
"""When what this server offers last changed (discovery's ``changeset``)."""


@router.get("/discovery.{fmt}", responses=openapi.READ)
async def discovery(request: Request, fmt: str) -> Response:
    """Where this server's GeoReport v2 endpoint is and in which formats it answers."""

    async def make(f: Format) -> Response:
        here = str(request.url.replace(query="")).rsplit("/discovery.", 1)[0]
        endpoint = {
            "specification": SPECIFICATION,
            "url": here,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }
        found = {
            "changeset": CHANGESET,
            "contact": "The town's administrators (commgov)",
            "key_service": "API keys are made by a town administrator: commgov apikey create",
            "endpoints": [endpoint],
        }
        return render(found, f, "discovery")

    return await answer(fmt, make)


@router.get("/services.{fmt}", responses=openapi.READ, openapi_extra=openapi.IN_TOWN)
async def service_list(request: Request, fmt: str) -> Response:
    """The town's services: its case categories and its service-order items."""

    def work(store: Store, town: Unit, reader: Actor | None, params: Params) -> object:
        return [s.as_open311() for s in catalogue.services(store, town)]

    return await read(request, fmt, "services", work)


@router.get("/services/{code}.{fmt}", responses=openapi.READ, openapi_extra=openapi.IN_TOWN)
async def service_definition(request: Request, code: str, fmt: str) -> Response:
    """A service's attributes (the fields ``attribute[code]`` of a request)."""

    def work(store: Store, town: Unit, reader: Actor | None, params: Params) -> object:
        return catalogue.service(store, town, code).definition()

    return await read(request, fmt, "service_definition", work)


@router.get("/requests.{fmt}", responses=openapi.READ, openapi_extra=openapi.REQUEST_LIST)
async def request_list(request: Request, fmt: str) -> Response:
    """Requests of the town: by ``service_request_id`` (comma list), else by ``service_code``,
    ``status`` (open, closed), ``start_date``/``end_date`` (the last 90 days by default); at
    most 1,000, oldest first."""

    def work(store: Store, town: Unit, reader: Actor | None, params: Params) -> object:
        return Lister(store, reader, town).matching(params)

    return await read(request, fmt, "service_requests", work)


@router.post("/requests.{fmt}", responses=openapi.WRITE, openapi_extra=openapi.NEW_REQUEST)
async def request_create(request: Request, fmt: str) -> Response:
    """Make a request (a form): ``api_key``, ``jurisdiction_id``, ``service_code``, a location
    (``lat`` and ``long``, ``address_string`` or ``address_id``, a grid code),
    ``attribute[code]``, ``description``, ``media_url`` and the reporter's ``phone``. An
    ``Idempotency-Key`` header makes a retry answer the first answer."""
    return await write(request, fmt, "service_requests", writing.posting)


async def _one(request: Request, rid: str, fmt: str) -> Response:
    def work(store: Store, town: Unit, reader: Actor | None, params: Params) -> object:
        lister = Lister(store, reader, town)
        case, full = lister.one(identifier("service_request_id", rid))
        return lister.requests([case], full=lambda _: full)

    return await read(request, fmt, "service_requests", work)


@router.get("/requests/{rid}.{fmt}", responses=openapi.READ, openapi_extra=openapi.IN_TOWN)
async def request_one(request: Request, rid: str, fmt: str) -> Response:
    """One request, as a list of one (the spec's path)."""
    return await _one(request, rid, fmt)


@router.get("/request/{rid}.{fmt}", responses=openapi.READ, openapi_extra=openapi.IN_TOWN)
async def request_one_singular(request: Request, rid: str, fmt: str) -> Response:
    """One request (the path the spec's Swagger names)."""
    return await _one(request, rid, fmt)


@router.get("/tokens/{token}.{fmt}", responses=openapi.READ, openapi_extra=openapi.IN_TOWN)
async def token_lookup(request: Request, token: str, fmt: str) -> Response:
    """The request a token names; a token is the case's number in the town (2026-000123)."""

    def work(store: Store, town: Unit, reader: Actor | None, params: Params) -> object:
        return Lister(store, reader, town).token(token)

    return await read(request, fmt, "service_requests", work)


@router.get(
    "/servicerequestupdates.{fmt}", responses=openapi.READ, openapi_extra=openapi.UPDATE_LIST
)
async def update_list(request: Request, fmt: str) -> Response:
    """The case loop's public steps between ``start_date`` and ``end_date`` (FixMyStreet's
    extension; the last 90 days by default, at most 1,000)."""

    def work(store: Store, town: Unit, reader: Actor | None, params: Params) -> object:
        return Lister(store, reader, town).updates(params)

    return await read(request, fmt, "service_request_updates", work)


@router.post(
    "/servicerequestupdates.{fmt}", responses=openapi.WRITE, openapi_extra=openapi.NEW_UPDATE
)
async def update_create(request: Request, fmt: str) -> Response:
    """Post an update (a form): ``api_key``, ``service_request_id``, ``update_id`` (the
    client's: a retry with it acts once), ``status`` (upper case), ``updated_datetime``,
    ``description``, ``media_url``; it becomes one step of the case loop."""
    return await write(request, fmt, "service_request_updates", updating.posting)


@router.api_route(
    "/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
)
async def unknown(request: Request, rest: str) -> Response:
    """A path or method GeoReport v2 does not have, answered as Open311 errors are."""
    fmt: Format = "xml" if rest.endswith(".xml") else "json"
    if request.method not in ("GET", "POST"):
        error = Open311Error(405, f"{request.method} is not allowed here")
    else:
        error = Open311Error(404, f"no Open311 resource {rest[:80]!r}")
    return render(body(error), fmt, "errors", status=error.status)
