"""The three rates page over real HTTP: the rates of a unit and of each unit right below it for a
month, as a table and as three bar charts in Chinese; the unit and the month default to the
staff member's first unit and this month in the store's time zone; a bad unit or month is
named (422) and changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest
from tests.conftest import row_counts
from tests.console.cases_fixtures import Loop, alert, open_loop


@pytest.fixture
def loop() -> Iterator[Loop]:
    with open_loop() as made:
        yield made


def _rates(page: httpx.Response) -> dict[str, dict[str, str]]:
    """Each row's rates as shown (``50.0%``, ``—``), by unit code."""
    rows = re.findall(r'<tr data-unit="(\d+)">(.*?)</tr>', page.text, re.S)
    return {
        code: dict(re.findall(r'<td data-rate="([a-z_]+)">([^ <]+)', cells)) for code, cells in rows
    }


def test_a_community_sees_its_rates_and_its_grids_with_charts(loop: Loop) -> None:
    town = loop.town
    worker = town.worker(town.grid_a1)
    done = loop.report(town.grid_a1, "路灯不亮")
    cases = loop.cg.cases
    cases.accept(worker, done.id)
    cases.triage(worker, done.id, category="facilities")
    cases.dispatch(worker, done.id)
    cases.start(worker, done.id)
    cases.resolve(worker, done.id, outcome="已更换灯泡")
    cases.inform(worker, done.id)
    cases.visit(worker, done.id, rating=5)
    loop.report(town.grid_a2, "楼道堆物")  # never dispatched
    loop.report(town.grid_b1, "另一个社区的诉求")
    loop.clock.advance(hours=25)  # the grid a2 case is now late to respond
    client = loop.client(town.worker(town.community_a, "community_staff"))
    page = client.get("/rates", params={"unit": town.community_a, "period": "2025-06"})
    assert page.status_code == 200 and "接诉即办三率" in page.text
    rates = _rates(page)
    assert list(rates) == [town.community_a, town.grid_a1, town.grid_a2, town.school_a]
    assert rates[town.community_a] == {
        "response_rate": "50.0%",
        "resolution_rate": "100.0%",
        "satisfaction_rate": "100.0%",
    }
    assert rates[town.grid_a1]["response_rate"] == "100.0%"
    assert rates[town.grid_a2] == {
        "response_rate": "0.0%",
        "resolution_rate": "—",
        "satisfaction_rate": "—",
    }
    assert rates[town.school_a]["response_rate"] == "—"
    charts = re.findall(r'<svg [^>]*class="chart".*?</svg>', page.text, re.S)
    titles = re.findall(r'<svg [^>]*class="chart"[^>]*><title>([^<]+)</title>', page.text)
    assert titles == ["响应率", "解决率", "满意率"]
    assert all("社区1网格1" in chart for chart in charts)
    english = client.get(
        "/rates", params={"unit": town.community_a, "period": "2025-06", "lang": "en"}
    )
    assert "<title>Response rate</title>" in english.text


def test_the_unit_and_month_default_to_mine_and_now_in_the_stores_zone(loop: Loop) -> None:
    town = loop.town
    loop.clock.now = dt.datetime(2025, 6, 30, 16, 30, tzinfo=dt.UTC)  # 1 July, 00:30 in Beijing
    worker = town.worker(town.grid_a1)
    case = loop.report(town.grid_a1, "月初的诉求")
    loop.cg.cases.accept(worker, case.id)
    loop.cg.cases.triage(worker, case.id)
    loop.cg.cases.dispatch(worker, case.id)
    client = loop.client(worker)
    page = client.get("/rates")
    assert page.status_code == 200
    assert 'name="period" type="month" value="2025-07"' in page.text
    assert f'<option value="{town.grid_a1}" selected>' in page.text
    assert _rates(page) == {
        town.grid_a1: {"response_rate": "100.0%", "resolution_rate": "—", "satisfaction_rate": "—"}
    }
    june = client.get("/rates", params={"period": "2025-06"})
    assert _rates(june)[town.grid_a1]["response_rate"] == "—"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"unit": "411425100002001"}, ["单元", "411425100002001"]),  # another community's grid
        ({"unit": "no-such-unit"}, ["单元", "no-such-unit"]),
        ({"period": "2025-13"}, ["月份", "2025-13"]),
        ({"period": "June"}, ["月份", "June"]),
        ({"period": "2025-6"}, ["月份", "2025-6"]),
        ({"period": "0000-01"}, ["月份", "0000-01"]),
    ],
)
def test_a_bad_unit_or_month_is_named_and_changes_nothing(
    loop: Loop, params: dict[str, str], words: list[str]
) -> None:
    town = loop.town
    loop.report(town.grid_a1, "一件诉求")
    client = loop.client(town.worker(town.community_a, "community_staff"))
    before = row_counts(loop.cg)
    page = client.get("/rates", params=params)
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    message = alert(page)
    assert all(word in message for word in words), message
    assert "<svg" not in page.text and "Traceback" not in page.text
    assert row_counts(loop.cg) == before
