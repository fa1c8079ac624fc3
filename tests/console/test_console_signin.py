"""The console's sign-in over real HTTP: an API key opens a session held in an encrypted
cookie; every form carries a CSRF token; a tampered cookie, a revoked key or a form from
elsewhere opens nothing; labels are Chinese unless English is asked for."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from tests.api.conftest import live
from tests.conftest import Town, make_identity

from commgov.api import create_app
from commgov.api.console.sessions import COOKIE


@pytest.fixture
def console(town: Town) -> Iterator[str]:
    """The app served live; its console's URL."""
    with live(create_app(town.cg)) as url:
        yield f"{url}/console"


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def _signed_in(console: str, key: str) -> httpx.Client:
    client = httpx.Client(timeout=30, base_url=console, follow_redirects=False)
    form = client.get("/signin")
    answer = client.post("/signin", data={"key": key, "csrf": _csrf(form)})
    assert answer.status_code == 303 and answer.headers["location"] == "/console/grids"
    return client


def test_a_grid_worker_signs_in_and_sees_only_their_grid(town: Town, console: str) -> None:
    worker = town.worker(town.grid_a1)
    key = town.cg.api_keys.create(town.admin, staff_id=worker.staff_id).secret
    client = _signed_in(console, key)
    page = client.get("/grids")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert town.grid_a1 in page.text and town.grid_b1 not in page.text
    assert "网格" in page.text and "退出" in page.text  # Chinese by default
    english = client.get("/grids", params={"lang": "en"})
    assert "Households" in english.text and "Sign out" in english.text
    assert "Households" in client.get("/grids").text  # the choice is remembered
    assert key not in client.cookies[COOKIE]  # the cookie does not show the key


def test_a_wrong_key_is_refused_in_words(console: str) -> None:
    client = httpx.Client(timeout=30, base_url=console)
    form = client.get("/signin")
    answer = client.post("/signin", data={"key": "cg_nope_nope", "csrf": _csrf(form)})
    assert answer.status_code == 401 and "该密钥无法登录工作台" in answer.text
    assert COOKIE not in client.cookies
    assert "Traceback" not in answer.text


def test_a_tampered_cookie_opens_nothing(town: Town, console: str) -> None:
    key = town.cg.api_keys.create(town.admin, staff_id=town.worker(town.grid_a1).staff_id).secret
    client = _signed_in(console, key)
    sealed = client.cookies[COOKIE]
    flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    for value in (flipped, "not-a-cookie", sealed[:-4]):
        stranger = httpx.Client(timeout=30, base_url=console, cookies={COOKIE: value})
        answer = stranger.get("/grids", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/console/signin"


def test_forms_without_their_token_are_refused(town: Town, console: str) -> None:
    key = town.cg.api_keys.create(town.admin, staff_id=town.worker(town.grid_a1).staff_id).secret
    client = httpx.Client(timeout=30, base_url=console)
    client.get("/signin")
    refused = client.post("/signin", data={"key": key})  # no token
    assert refused.status_code == 403 and "表单已失效" in refused.text
    assert COOKIE not in client.cookies
    signed = _signed_in(console, key)
    out = signed.post("/signout", data={"csrf": "forged"})
    assert out.status_code == 403
    assert signed.get("/grids").status_code == 200  # still signed in
    page = signed.get("/grids")
    done = signed.post("/signout", data={"csrf": _csrf(page)})
    assert done.status_code == 303


def test_a_revoked_key_ends_the_session(town: Town, console: str) -> None:
    made = town.cg.api_keys.create(town.admin, staff_id=town.worker(town.grid_a1).staff_id)
    client = _signed_in(console, made.secret)
    assert client.get("/grids").status_code == 200
    town.cg.api_keys.revoke(town.admin, made.key.id)
    gone = client.get("/grids")
    assert gone.status_code == 303 and gone.headers["location"] == "/console/signin"


def test_the_grid_page_counts_care_households_and_open_cases(town: Town, console: str) -> None:
    worker = town.worker(town.grid_a1)
    alone = {"name": "孙奶奶", "identity_number": make_identity(), "care_groups": ["living_alone"]}
    town.household(
        town.grid_a1, alone, {"name": "孙小明", "identity_number": make_identity(serial=2)}
    )
    town.household(town.grid_a1, {"name": "周先生", "identity_number": make_identity(serial=3)})
    first = town.cg.cases.report(worker, text="楼道灯坏了", unit=town.grid_a1)
    town.cg.cases.report(worker, text="井盖松动", unit=town.grid_a1)
    town.cg.cases.report(town.admin, text="别处的事", unit=town.grid_b1)
    key = town.cg.api_keys.create(town.admin, staff_id=worker.staff_id).secret
    client = _signed_in(console, key)

    def counted() -> dict[str, str]:
        cells = re.findall(r'data-count="(\w+)">(?:<a [^>]*>)?(\d+)', client.get("/grids").text)
        return dict(cells)

    assert counted() == {
        "households": "2", "residents": "3", "care_households": "1", "open_cases": "2",
    }  # fmt: skip
    town.cg.cases.withdraw(worker, first.id, reason="居民已自行处理")
    assert counted()["open_cases"] == "1"
