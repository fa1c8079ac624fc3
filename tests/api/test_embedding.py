"""A service of its own mounts commgov under ``/gov`` with its own sign-in: a grid worker
reports, routes and closes a case through HTTP, and the library's permissions still hold."""

from __future__ import annotations

import asyncio
import secrets

import httpx
from fastapi import FastAPI, Request
from tests.api.conftest import live
from tests.conftest import Town

import commgov
from commgov.api import create_app


def _host_app(town: Town, sessions: dict[str, commgov.Actor]) -> FastAPI:
    """The embedding app: its own sessions (a cookie) decide who acts in commgov."""

    def authenticate(request: Request) -> commgov.Actor:
        actor = sessions.get(request.cookies.get("host_session", ""))
        if actor is None:
            raise commgov.NotAuthenticated("sign in to the host app first")
        return actor

    host = FastAPI()

    @host.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    host.mount("/gov", create_app(town.cg, authenticate=authenticate))
    return host


def test_a_host_app_mounts_commgov_with_its_own_sign_in(town: Town) -> None:
    worker = town.worker(town.grid_a1)
    outsider = town.worker(town.grid_b1)
    sessions = {secrets.token_hex(8): worker, secrets.token_hex(8): outsider}
    mine, theirs = list(sessions)
    with live(_host_app(town, sessions)) as url:
        assert httpx.get(f"{url}/health").json() == {"status": "ok"}
        client = httpx.Client(timeout=30, base_url=f"{url}/gov", cookies={"host_session": mine})
        case = client.post("/cases", json={"text": "垃圾满溢", "unit": town.grid_a1}).json()
        steps = [
            {"action": "accept"},
            {"action": "triage", "category": "environment"},
            {"action": "dispatch", "lead": f"staff:{worker.staff_id}"},
            {"action": "start"},
            {"action": "resolve", "note": "已清运"},
            {"action": "inform"},
            {"action": "visit", "rating": 4},
            {"action": "close"},
        ]
        for step in steps:
            answer = client.post(f"/cases/{case['id']}/actions", json=step)
            assert answer.status_code == 200, (step, answer.text)
        assert answer.json()["state"] == "closed"
        events = client.get(f"/cases/{case['id']}/events").json()
        assert {e["actor"] for e in events} == {worker.label()}
        other = httpx.Client(timeout=30, base_url=f"{url}/gov", cookies={"host_session": theirs})
        assert other.get(f"/cases/{case['id']}").status_code == 403
        nobody = httpx.get(f"{url}/gov/cases/{case['id']}")
        assert nobody.status_code == 401 and "host app" in nobody.json()["detail"]
        assert httpx.get(f"{url}/gov/openapi.json").json()["info"]["title"] == "commgov"


def test_an_async_sign_in_serves_the_json_routes_and_open311(town: Town) -> None:
    """A host whose sign-in is a coroutine (its session store is async): a grid worker reports
    through Open311 and reads the case back; an unknown session is refused and writes nothing."""
    worker = town.worker(town.grid_a1)
    sessions = {"s-1": worker}
    looked_up: list[str] = []

    async def authenticate(request: Request) -> commgov.Actor:
        await asyncio.sleep(0)  # the host's own async session store
        token = request.headers.get("x-session", "")
        looked_up.append(token)
        actor = sessions.get(token)
        if actor is None:
            raise commgov.NotAuthenticated("no such session in the host app")
        return actor

    host = FastAPI()
    host.mount("/gov", create_app(town.cg, authenticate=authenticate))
    form = {"jurisdiction_id": "411425100", "service_code": "environment",
            "address_id": town.grid_a1, "description": "垃圾满溢"}  # fmt: skip
    before = len(town.cg.cases.under(worker, town.grid_a1))
    with live(host) as url:
        mine = httpx.Client(timeout=30, base_url=f"{url}/gov", headers={"x-session": "s-1"})
        made = mine.post("/open311/v2/requests.json", data=form)
        assert made.status_code == 200, made.text
        case_id = int(made.json()[0]["service_request_id"])
        assert mine.get(f"/cases/{case_id}").json()["unit_code"] == town.grid_a1
        read = mine.get(f"/open311/v2/requests/{case_id}.json", params=form)
        assert read.json()[0]["service_request_id"] == str(case_id)
        stranger = httpx.post(
            f"{url}/gov/open311/v2/requests.json", data=form, headers={"x-session": "s-9"}
        )
        assert stranger.status_code == 401
        assert "no such session" in stranger.json()[0]["description"]
    assert len(town.cg.cases.under(worker, town.grid_a1)) == before + 1
    assert looked_up.count("s-1") == 3 and looked_up.count("s-9") == 1
