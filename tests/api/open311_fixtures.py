"""What the Open311 tests share: two towns served live (uvicorn on 127.0.0.1) with a map plugin
and a clock the tests move, a client that checks every answer — JSON against the official
GeoReport v2 schemas (``../shared/open311/schemas/open311-schema-validation``; the Swagger's
definitions and the spec's shapes where no schema file exists), XML by parsing it and naming
its document element — and a count of every row in the store."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import attrs
import httpx
import pytest
import xmltodict
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from sqlalchemy import func, select
from tests.api.conftest import Api, serving
from tests.conftest import SECRET, Town, build_town

import commgov
from commgov.kernel.tables import metadata
from commgov.testing import BuiltTown
from commgov.testing import build_town as shipped_build_town

REFERENCE_ENV: Final = "COMMGOV_OPEN311_REFERENCE"
"""Where the official GeoReport v2 material is (``.ci/run`` sets it, and CI fails without it);
by default ``../shared/open311`` beside the checkout, then ``/work/shared/open311``."""


def _shared() -> Path:
    given = os.environ.get(REFERENCE_ENV)
    if given:
        return Path(given)
    beside = Path(__file__).resolve().parents[3] / "shared" / "open311"
    return beside if beside.is_dir() else Path("/work/shared/open311")


SHARED: Final = _shared()
SCHEMAS: Final = SHARED / "schemas" / "open311-schema-validation"
BASE: Final = SCHEMAS.as_uri() + "/"
START: Final = dt.datetime(2026, 11, 3, 1, 0, tzinfo=dt.UTC)
OTHER_TOWN: Final = "411425200"
POINT_A1: Final = {"lat": "34.1", "long": "115.9"}
"""A point the map places in grid 411425100001001."""
POINT_OTHER: Final = {"lat": "34.7", "long": "115.9"}
"""A point the map places in the other town's first grid."""
POINT_NOWHERE: Final = {"lat": "20.0", "long": "115.9"}
"""A point no plugin places."""

FMS_STATUSES: Final = [
    "open", "closed", "fixed", "in_progress", "action_scheduled", "investigating", "duplicate",
    "not_councils_responsibility", "no_further_action", "internal_referral", "reopen",
    "for_triage",
]  # fmt: skip
_TEXT: Final = {"type": "string"}
LOCAL: Final[dict[str, dict[str, Any]]] = {
    # the spec's Service Discovery page (its example: examples/spec_discovery.json)
    "discovery": {
        "type": "object",
        "required": ["changeset", "endpoints"],
        "properties": {
            "changeset": _TEXT,
            "contact": _TEXT,
            "key_service": _TEXT,
            "endpoints": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["specification", "url", "type", "formats"],
                    "properties": {
                        "specification": _TEXT,
                        "url": _TEXT,
                        "changeset": _TEXT,
                        "type": {"enum": ["production", "test"]},
                        "formats": {
                            "type": "array",
                            "items": {"enum": ["text/xml", "application/json"]},
                        },
                    },
                },
            },
        },
    },
    # the spec's errors (examples/spec_error_403.json)
    "errors": {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["code", "description"],
            "additionalProperties": False,
            "properties": {"code": {"type": "integer"}, "description": _TEXT},
        },
    },
    # FixMyStreet's servicerequestupdates (README of ../shared/open311)
    "updates": {
        "type": "array",
        "items": {
            "type": "object",
            "required": [
                "update_id", "service_request_id", "status", "updated_datetime",
                "description", "media_url",
            ],
            "properties": {
                "update_id": _TEXT,
                "service_request_id": _TEXT,
                "status": {"enum": FMS_STATUSES},
                "updated_datetime": {"type": "string", "format": "date-time"},
                "description": _TEXT,
                "media_url": _TEXT,
            },
        },
    },
    "posted_updates": {
        "type": "array",
        "minItems": 1,
        "items": {"type": "object", "required": ["update_id"], "properties": {"update_id": _TEXT}},
    },
}  # fmt: skip
SCHEMA_OF: Final = {
    "services": {"$ref": BASE + "services.json"},
    "definition": {"$ref": BASE + "service-definition.json"},
    "requests": {"$ref": BASE + "requests.json"},
    "posted": {
        "type": "array",
        "minItems": 1,
        "items": {"$ref": BASE + "swagger.json#/definitions/RequestResponse"},
    },
    "token": {
        "type": "array",
        "minItems": 1,
        "items": {"$ref": BASE + "swagger.json#/definitions/TokenResponse"},
    },
    **LOCAL,
}
ROOTS: Final = {
    "discovery": "discovery",
    "services": "services",
    "definition": "service_definition",
    "requests": "service_requests",
    "posted": "service_requests",
    "token": "service_requests",
    "updates": "service_request_updates",
    "posted_updates": "service_request_updates",
}


def registry() -> Registry[Any]:
    """The official schema files as resources at their folder's URI (they refer to each other
    by relative file name)."""
    if not SCHEMAS.is_dir():
        if os.environ.get(REFERENCE_ENV):
            pytest.fail(f"{REFERENCE_ENV} names {SHARED}, which holds no Open311 schemas")
        pytest.skip(f"the official Open311 schemas are not at {SCHEMAS} (set {REFERENCE_ENV})")
    return _registry()


@functools.cache
def _registry() -> Registry[Any]:
    found: Registry[Any] = Registry()
    for path in sorted(SCHEMAS.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        found = found.with_resource(BASE + path.name, Resource.from_contents(contents, DRAFT4))
    return found


def validator(kind: str) -> Draft4Validator:
    return Draft4Validator(SCHEMA_OF[kind], registry=registry())


def check_json(kind: str, data: object) -> None:
    """``data`` is valid for ``kind`` (every error listed on failure)."""
    errors = sorted(validator(kind).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


@attrs.frozen
class Answer:
    status: int
    data: Any
    """The JSON, or the XML as ``xmltodict`` reads it, below its document element."""
    headers: Mapping[str, str]


@attrs.frozen
class Open311:
    """A GeoReport v2 client for the tests: every answer is checked before it is returned."""

    http: httpx.Client
    jurisdiction: str

    def get(
        self, path: str, kind: str, *, fmt: str = "json", key: str | None = None, **params: str
    ) -> Answer:
        query = {"jurisdiction_id": self.jurisdiction, **params}
        if key is not None:
            query["api_key"] = key
        return self._checked(self.http.get(f"/open311/v2/{path}.{fmt}", params=query), kind, fmt)

    def post(
        self,
        path: str,
        kind: str,
        form: Mapping[str, str | list[str]],
        *,
        fmt: str = "json",
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        data = {"jurisdiction_id": self.jurisdiction, **form}
        sent = self.http.post(f"/open311/v2/{path}.{fmt}", data=data, headers=headers)
        return self._checked(sent, kind, fmt)

    def _checked(self, response: httpx.Response, kind: str, fmt: str) -> Answer:
        kind = "errors" if response.status_code >= 400 else kind
        if fmt == "json":
            assert response.headers["content-type"].startswith("application/json"), response.text
            data = response.json()
            check_json(kind, data)
        else:
            assert response.headers["content-type"].startswith("text/xml"), response.text
            parsed = xmltodict.parse(response.content)
            root = "errors" if kind == "errors" else ROOTS[kind]
            assert list(parsed) == [root], (list(parsed), root)
            data = parsed[root]
        return Answer(response.status_code, data, response.headers)


class Map:
    """A town's map: points in two latitude bands fall in grid 411425100001001 and in the
    other town's first grid; anything else is off the map."""

    def __init__(self, other_grid: str) -> None:
        self.other_grid = other_grid

    @commgov.hookimpl
    def commgov_locate(self, lat: float, lon: float) -> str | None:
        if 34.0 <= lat < 34.5:
            return "411425100001001"
        if 34.5 <= lat < 35.0:
            return self.other_grid
        return None


@attrs.frozen
class World:
    """Two towns of one store served live: ``town`` (411425100) and ``other`` (411425200)."""

    town: Town
    other: BuiltTown
    api: Api
    clock: list[dt.datetime]
    key: str
    """A system key with read and write (a hotline platform's)."""
    client: Open311

    @property
    def cg(self) -> commgov.Commgov:
        return self.town.cg

    def key_of(self, actor: commgov.Actor, *, scopes: tuple[str, ...] = ("read", "write")) -> str:
        if actor.staff_id is not None:
            made = self.cg.api_keys.create(self.town.admin, staff_id=actor.staff_id, scopes=scopes)
        else:
            made = self.cg.api_keys.create(self.town.admin, system=actor.name, scopes=scopes)
        return made.secret

    def later(self, delta: dt.timedelta) -> None:
        self.clock[0] += delta


@contextmanager
def world_on(url: str) -> Iterator[World]:
    """The two towns on the store at ``url``, served."""
    clock = [START]
    other_grid = "411425200001001"
    cg = commgov.open(
        url,
        secret_key=SECRET,
        discover_plugins=False,
        clock=lambda: clock[0],
        plugins=[Map(other_grid)],
    )
    with cg:
        town = build_town(cg)
        other = shipped_build_town(cg, code=OTHER_TOWN, communities=1, grids_per_community=1)
        assert other.grids == [other_grid]
        key = cg.api_keys.create(town.admin, system="hotline").secret
        with serving(town) as api:
            yield World(town, other, api, clock, key, Open311(api.client, town.town))


def row_counts(cg: commgov.Commgov) -> dict[str, int]:
    """Rows of every table of the store: equal before and after means nothing was written."""
    with cg.context.uow(readonly=True) as uow:
        return {
            t.name: uow.conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
        }
