"""The statement and participation pages in a real browser (Debian's chromium through
Playwright): a grid worker opens a resident's statement through the form on /residents; a
resident signs in with their own key, lands on their statement and is refused a staff page;
community staff read the wish board, the councils and a resource's calendar. Each page is
photographed under the test run's output folder (``shots``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.api.conftest import live
from tests.console.conftest import shot
from tests.console.people_fixtures import BOOKED_DAY, People, people, staff_key

from commgov.api import create_app

__all__ = ["people"]  # fixture


@pytest.fixture
def site(people: People) -> Iterator[str]:
    with live(create_app(people.cg)) as url:
        yield url


def _sign_in(page: Page, site: str, key: str, lands: str) -> None:
    page.goto(f"{site}/console/signin")
    page.fill("#key", key)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{site}/console{lands}")


def test_a_worker_opens_a_statement_through_the_form(
    people: People, site: str, page: Page, shots: Path
) -> None:
    _sign_in(page, site, staff_key(people.town, people.worker_a), "/grids")
    page.click("header >> text=积分与时间银行账单")
    expect(page.locator("h1")).to_have_text("积分与时间银行账单")
    page.fill("#resident_id", "x")
    page.click("main button[type=submit]")
    expect(page.locator("[role=alert]")).to_contain_text("居民编号（resident_id）“x”有误")
    page.fill("#resident_id", str(people.child))
    page.fill("#from", "2025-06-01")
    page.click("main button[type=submit]")
    expect(page).to_have_url(f"{site}/console/residents/{people.child}/statement?from=2025-06-01")
    points = page.locator("section[data-ledger=points]")
    expect(points.locator("[data-field=balance]")).to_have_text("20 积分")
    expect(points.locator("tr[data-line]")).to_have_count(1)
    expect(points.locator("tr[data-line]")).to_contain_text("2025-06-30 17:00")
    expect(page.locator("section[data-ledger=time] [data-field=balance]")).to_have_text("60 分钟")
    shot(page, shots, "console-statement")


def test_a_resident_sees_their_statement_and_no_staff_page(
    people: People, site: str, page: Page, shots: Path
) -> None:
    key = people.cg.api_keys.create(people.town.admin, resident_id=people.child).secret
    _sign_in(page, site, key, "/me")
    expect(page.locator("h1")).to_have_text("我的积分")
    expect(page.locator("section[data-ledger=points] [data-field=balance]")).to_have_text("20 积分")
    expect(page.locator("header")).not_to_contain_text("微心愿")
    shot(page, shots, "console-me")
    page.goto(f"{site}/console/wishes")
    expect(page.locator("h1")).to_have_text("居民无权访问")
    expect(page.locator("[role=alert]")).to_contain_text("此页面仅供社区工作人员使用")
    shot(page, shots, "console-resident-refused")


def test_community_staff_read_wishes_councils_and_a_calendar(
    people: People, site: str, page: Page, shots: Path
) -> None:
    _sign_in(page, site, staff_key(people.town, people.clerk_a), "/grids")
    page.click("header >> text=微心愿")
    expect(page.locator("h1")).to_have_text("微心愿")
    expect(page.locator("tr[data-wish]")).to_have_count(2)
    expect(page.locator("tr[data-timetable]").first).to_contain_text("修水龙头")
    shot(page, shots, "console-wishes")
    page.click("header >> text=议事会")
    expect(page.locator("article[data-council]")).to_contain_text("下洋邻里议事会")
    expect(page.locator("tr[data-vote] [data-field=result]")).to_contain_text("通过")
    shot(page, shots, "console-councils")
    page.click("header >> text=共享资源")
    page.fill("#resource", str(people.room))
    page.fill("#from", BOOKED_DAY.replace(day=1).isoformat())
    page.fill("#days", "400")
    page.click("main button[type=submit]")
    expect(page.locator("[role=alert]")).to_contain_text("天数（days）“400”有误")
    page.fill("#days", "7")
    page.click("main button[type=submit]")
    expect(page.locator("tr[data-day]")).to_have_count(7)
    expect(page.locator(f"tr[data-day='{BOOKED_DAY.isoformat()}']")).to_contain_text("读书会")
    shot(page, shots, "console-resources")
