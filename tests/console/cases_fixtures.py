"""Helpers for the console's case pages tests: the test town on a store whose clock the test
moves, served live, with residents' reports and signed-in clients."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import attrs
import httpx
from tests.api.conftest import live
from tests.api.participation_fixtures import Clock
from tests.conftest import Town, build_town

import commgov
from commgov.api import create_app
from commgov.cases.views import CaseView

START: Final = dt.datetime(2025, 6, 10, 1, 0, tzinfo=dt.UTC)
"""09:00 on 10 June 2025 in the store's zone (Asia/Shanghai)."""


@attrs.frozen
class Loop:
    """The town, its clock and the console's URL."""

    town: Town
    clock: Clock
    console: str

    @property
    def cg(self) -> commgov.Commgov:
        return self.town.cg

    def key(self, actor: commgov.Actor) -> str:
        """A new API key for a staff member."""
        return self.cg.api_keys.create(self.town.admin, staff_id=actor.staff_id).secret

    def client(self, actor: commgov.Actor) -> httpx.Client:
        """A client signed in to the console as ``actor``."""
        return signed_in(self.console, self.key(actor))

    def report(self, grid: str, text: str, **fields: Any) -> CaseView:
        """A resident of a new household on ``grid`` reports ``text``."""
        home = self.town.household(grid, {"name": "王秀英", "birth_date": "1958-03-02", "sex": "F"})
        resident = commgov.Actor.resident("王秀英", home.id)
        return self.cg.cases.report(resident, text=text, household_id=home.id, **fields)


@contextmanager
def open_loop(start: dt.datetime = START) -> Iterator[Loop]:
    """The test town on a SQLite store with a movable clock, its console served live."""
    clock = Clock(start)
    with commgov.open("sqlite:///:memory:", discover_plugins=False, clock=clock) as cg:
        town = build_town(cg)
        with live(create_app(cg)) as url:
            yield Loop(town=town, clock=clock, console=f"{url}/console")


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def signed_in(console: str, key: str) -> httpx.Client:
    client = httpx.Client(base_url=console, follow_redirects=False, timeout=30)
    form = client.get("/signin")
    answer = client.post("/signin", data={"key": key, "csrf": csrf(form)})
    assert answer.status_code == 303 and answer.headers["location"] == "/console/grids"
    return client


def alert(page: httpx.Response) -> str:
    """The error the page shows (empty when none)."""
    found = re.search(r'role="alert">([^<]*)<', page.text)
    return "" if found is None else found.group(1)


def sections(page: httpx.Response) -> list[str]:
    """The board's state sections, in order."""
    return re.findall(r'<section id="state-[a-z_]+" data-state="([a-z_]+)"', page.text)


def board_numbers(page: httpx.Response) -> set[str]:
    """The case numbers on the board."""
    return set(re.findall(r'<tr class="case[^"]*" data-case="([^"]+)"', page.text))


def overdue_numbers(page: httpx.Response) -> set[str]:
    """The numbers of the rows marked overdue."""
    return set(re.findall(r'<tr class="case overdue" data-case="([^"]+)"', page.text))


def offered(page: httpx.Response) -> set[str]:
    """The actions the case page offers as forms."""
    return set(re.findall(r'<form [^>]*class="action" data-action="([a-z_]+)"', page.text))
