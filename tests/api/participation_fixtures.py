"""Set-up shared by the participation route tests: a town on a clock the tests move, served
by ``create_app`` on a live uvicorn (real HTTP). Staff call with API keys made by
``cg.api_keys.create``; residents (who hold no API keys) call with a token the app's
``authenticate`` maps to their actor, as a resident front-end's own sign-in would."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import attrs
import httpx
from fastapi import Request
from sqlalchemy import func, select
from tests.api.conftest import live

import commgov
from commgov.api import api_key_authentication, create_app
from commgov.api.keys import presented_key
from commgov.kernel.tables import metadata
from commgov.kernel.web.pages import encode_cursor
from commgov.testing import BuiltTown, build_town

START = dt.datetime(2025, 6, 30, 1, 0, tzinfo=dt.UTC)  # 09:00 in Beijing
SECRET = commgov.new_secret_key()
Headers = dict[str, str]


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@attrs.define
class Site:
    """A town served over HTTP: ``client`` calls the app as whoever ``headers`` names."""

    cg: commgov.Commgov
    town: BuiltTown
    clock: Clock
    client: httpx.Client
    tokens: dict[str, commgov.Actor]
    serial: Iterator[int] = attrs.field(factory=itertools.count)

    @property
    def admin(self) -> commgov.Actor:
        return self.town.admin

    def staff(self, role: str, unit: str, *, department: str | None = None) -> commgov.Actor:
        return self.town.add_staff(role, unit, department=department)

    def resident(self, grid: str, name: str, **fields: Any) -> commgov.Actor:
        """A new household on ``grid`` with one resident, as that resident."""
        person = {"name": name, "birth_date": "1960-03-01", "sex": "F", **fields}
        home = self.town.household(grid, person)
        return commgov.Actor.resident(name, home.id, home.member_ids[0])

    def headers(self, actor: commgov.Actor, *, key: str | None = None) -> Headers:
        """How ``actor`` calls: a new API key for staff and system actors, a sign-in token
        for a resident; ``key`` adds an ``Idempotency-Key``."""
        if actor.role == "resident":
            token = f"resident-{next(self.serial)}"
            self.tokens[token] = actor
        elif actor.staff_id is not None:
            token = self.cg.api_keys.create(self.admin, staff_id=actor.staff_id).secret
        else:
            token = self.cg.api_keys.create(self.admin, system=actor.name).secret
        found = {"Authorization": f"Bearer {token}"}
        return found if key is None else {**found, "Idempotency-Key": key}

    def rows(self) -> dict[str, int]:
        """Rows in every table of the store: equal before and after = nothing written."""
        with self.cg.context.uow(readonly=True) as uow:
            return {
                t.name: uow.conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in metadata.sorted_tables
            }


@contextmanager
def open_site(url: str = "sqlite:///:memory:") -> Iterator[Site]:
    """A two-community town (two grids each) in the store at ``url``, served."""
    clock = Clock()
    with commgov.open(url, secret_key=SECRET, discover_plugins=False, clock=clock) as cg:
        town = build_town(cg, code="411425100")
        tokens: dict[str, commgov.Actor] = {}
        by_key = api_key_authentication(cg.api_keys)

        def authenticate(request: Request) -> commgov.Actor:
            given = presented_key(request)
            if given is not None and given in tokens:
                return tokens[given]
            return by_key(request)

        app = create_app(cg, authenticate=authenticate)
        with live(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            yield Site(cg=cg, town=town, clock=clock, client=client, tokens=tokens)


def problem(answer: Any, status: int) -> dict[str, Any]:
    """The problem+json body of ``answer``, checked to have ``status``."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = answer.json()
    assert body["status"] == status
    return body


def pages(site: Site, path: str, params: dict[str, Any], headers: Headers) -> list[list[int]]:
    """The ids on every page of ``GET path`` with ``params``, following ``next_cursor`` until it
    is null."""
    query = dict(params)
    found: list[list[int]] = []
    for _ in range(200):
        answer = site.client.get(path, params=query, headers=headers)
        assert answer.status_code == 200, answer.text
        found.append([item["id"] for item in answer.json()["items"]])
        if answer.json()["next_cursor"] is None:
            return found
        query["cursor"] = answer.json()["next_cursor"]
    raise AssertionError(f"{path} never reached its last page")


BAD_PAGING: Final = [
    ({"cursor": "not-ours"}, "cursor"),
    ({"cursor": encode_cursor(0)}, "cursor"),  # decodes, but names no row
    ({"limit": 0}, "query.limit"),
    ({"limit": 501}, "query.limit"),
]
"""Paging parameters every paged list refuses, each with the field its 422 names."""
