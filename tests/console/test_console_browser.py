"""The console in a real browser (Debian's chromium through Playwright): a grid worker signs
in through the form and sees only their grid, in Chinese or English; a tampered session cookie
and a form stripped of its CSRF token open nothing. Each page is photographed under the test
run's output folder (``shots``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.api.conftest import live
from tests.conftest import Town
from tests.console.conftest import shot

from commgov.api import create_app
from commgov.api.console.sessions import COOKIE


@pytest.fixture
def site(town: Town) -> Iterator[str]:
    with live(create_app(town.cg)) as url:
        yield url


def _sign_in(page: Page, site: str, key: str) -> None:
    page.goto(f"{site}/console/")
    expect(page).to_have_url(f"{site}/console/signin")
    page.fill("#key", key)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{site}/console/grids")


def test_a_grid_worker_signs_in_and_sees_their_grid(
    town: Town, site: str, page: Page, shots: Path
) -> None:
    worker = town.worker(town.grid_a1)
    key = town.cg.api_keys.create(town.admin, staff_id=worker.staff_id).secret
    page.goto(f"{site}/console/")
    expect(page.locator("h1")).to_have_text("登录")
    assert shot(page, shots, "console-signin").stat().st_size > 0
    _sign_in(page, site, key)
    expect(page.locator("h1")).to_have_text("网格")
    expect(page.locator("main")).to_contain_text(town.grid_a1)
    expect(page.locator("main")).not_to_contain_text(town.grid_b1)
    shot(page, shots, "console-grids-zh")
    page.click("text=English")
    expect(page.locator("h1")).to_have_text("Grids")
    shot(page, shots, "console-grids-en")
    page.click("button:has-text('Sign out')")
    expect(page).to_have_url(f"{site}/console/signin")


def test_a_wrong_key_stays_on_the_sign_in_page(site: str, page: Page, shots: Path) -> None:
    page.goto(f"{site}/console/signin")
    page.fill("#key", "cg_wrong_key")
    page.click("button[type=submit]")
    expect(page.locator("[role=alert]")).to_contain_text("该密钥无法登录工作台")
    shot(page, shots, "console-signin-refused")


def test_a_tampered_cookie_and_a_form_without_its_token_open_nothing(
    town: Town, site: str, page: Page, shots: Path
) -> None:
    key = town.cg.api_keys.create(town.admin, staff_id=town.worker(town.grid_a1).staff_id).secret
    _sign_in(page, site, key)
    (sealed,) = [c for c in page.context.cookies() if c["name"] == COOKIE]
    value = str(sealed["value"])
    forged = value[:-6] + ("AAAAAA" if not value.endswith("AAAAAA") else "BBBBBB")
    page.context.add_cookies([{**sealed, "value": forged}])  # type: ignore[list-item]
    page.goto(f"{site}/console/grids")
    expect(page).to_have_url(f"{site}/console/signin")
    page.evaluate("document.querySelector('input[name=csrf]').remove()")
    page.fill("#key", key)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("表单已失效")
    shot(page, shots, "console-form-refused")
    page.goto(f"{site}/console/grids")
    expect(page).to_have_url(f"{site}/console/signin")  # still not signed in
