"""The case loop in a real browser (Debian's chromium through Playwright): a grid worker signs in,
reads the rates, opens a resident's report on the case board and takes it from reported to
closed, every step a form on the case page; the rates page then shows other figures. The
board, the case page, the closed case and the rates are photographed (``shots``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.console.cases_fixtures import Loop, open_loop
from tests.console.conftest import shot

STEPS = [
    ("accept", "已受理"),
    ("triage", "已研判"),
    ("dispatch", "已派单"),
    ("start", "办理中"),
    ("resolve", "已办结"),
    ("inform", "已反馈"),
    ("visit", "已回访"),
    ("close", "已闭环"),
]


@pytest.fixture
def loop() -> Iterator[Loop]:
    with open_loop() as made:
        yield made


def _rates(page: Page, grid: str) -> list[str]:
    """The grid's three rates as the rates page shows them."""
    page.click("header >> text=三率统计")
    expect(page.locator("h1")).to_have_text("接诉即办三率")
    row = page.locator(f'tr[data-unit="{grid}"] td[data-rate]')
    return [text.strip() for text in row.all_inner_texts()]


def _step(page: Page, action: str) -> None:
    """Fill the step's form as a clerk would and send it."""
    form = page.locator(f'form[data-action="{action}"]')
    if action == "triage":
        form.locator("select[name=category]").select_option("facilities")
    elif action == "resolve":
        form.locator("input[name=note]").fill("已更换路灯灯泡")
    elif action == "visit":
        form.locator("select[name=rating]").select_option("5")
        form.locator("input[name=note]").fill("居民表示满意")
    form.locator("button[type=submit]").click()


def test_a_grid_worker_closes_a_report_through_the_forms(
    loop: Loop, page: Page, shots: Path
) -> None:
    town = loop.town
    late = loop.report(town.grid_a1, "下水道堵塞")
    loop.clock.advance(hours=25)  # the first report is now late: the rates have figures
    case = loop.report(town.grid_a1, "小区路灯不亮", reporter_phone="13912345678")
    key = loop.key(town.worker(town.grid_a1))
    page.goto(f"{loop.console}/")
    page.fill("#key", key)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{loop.console}/grids")

    before = _rates(page, town.grid_a1)
    assert before[0].startswith("0.0%")  # the late report: not responded on time

    page.click("header >> text=诉求看板")
    expect(page.locator("h1")).to_have_text("诉求看板")
    expect(page.locator(f'tr[data-case="{late.number}"]')).to_contain_text("超期")
    expect(page.locator(f'tr[data-case="{late.number}"]')).to_have_class("case overdue")
    expect(page.locator(f'tr[data-case="{case.number}"]')).not_to_contain_text("超期")
    shot(page, shots, "console-case-board")

    page.click(f"text={case.number}")
    expect(page.locator("h1")).to_have_text(f"诉求 {case.number}")
    expect(page.locator("[data-field=phone]")).to_have_text("139****5678")
    shot(page, shots, "console-case-page")
    for action, state in STEPS:
        _step(page, action)
        expect(page.locator("[data-field=state]")).to_have_text(state)
        expect(page.locator("[role=alert]")).to_have_count(0)
    expect(page.locator("form.action")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("该诉求目前没有您可以办理的环节")
    expect(page.locator("tr[data-action]")).to_have_count(1 + len(STEPS))
    shot(page, shots, "console-case-closed")

    after = _rates(page, town.grid_a1)
    assert after != before
    assert [a.split()[0] for a in after] == ["50.0%", "100.0%", "100.0%"]
    shot(page, shots, "console-rates")
