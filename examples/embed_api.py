"""Mount commgov's HTTP API in a service of your own, signed in your own way.

python examples/embed_api.py     (serves nothing: it calls the mounted app in-process and prints)

Your service keeps its own sessions (here a header naming a signed-in user); ``authenticate``
turns a request into the ``commgov.Actor`` it acts as, so commgov's rules on units, roles and
personal data apply to every route as they do to the library's calls.
"""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI, Request

import commgov
from commgov.api import create_app
from commgov.testing import build_town


def main() -> dict[str, object]:
    cg = commgov.open("sqlite:///:memory:", discover_plugins=False)
    town = build_town(cg, code="411425100")
    worker = town.add_staff("grid_worker", town.grids[0])
    signed_in = {"zhang": worker}  # your service's own sessions

    def authenticate(request: Request) -> commgov.Actor:
        actor = signed_in.get(request.headers.get("x-user", ""))
        if actor is None:
            raise commgov.NotAuthenticated("sign in first")
        return actor

    service = FastAPI(title="my town service")
    service.mount("/gov", create_app(cg, authenticate=authenticate))

    return asyncio.run(_use(service, town.grids[0]))


async def _use(service: FastAPI, grid: str) -> dict[str, object]:
    """Call the mounted API in-process, as your own routes or tests would."""
    transport = httpx.ASGITransport(app=service)
    async with httpx.AsyncClient(transport=transport, base_url="http://town") as client:
        me = {"x-user": "zhang"}
        case = await client.post("/gov/cases", json={"text": "路灯不亮", "unit": grid}, headers=me)
        path = f"/gov/cases/{case.json()['id']}"
        accepted = await client.post(f"{path}/actions", json={"action": "accept"}, headers=me)
        stranger = await client.get(path)
    print(case.status_code, accepted.json()["state"], stranger.status_code)
    return {
        "reported": case.status_code,
        "state": accepted.json()["state"],
        "stranger": stranger.status_code,
        "problem": stranger.headers["content-type"],
    }


if __name__ == "__main__":
    main()
