"""Pages a town plugin adds to the console (``commgov_console_pages``), over live HTTP: the
page is listed and drawn (its table and its chart, escaped) for the units where the plugin is
enabled, and nowhere else; an unknown page, another unit, a unit of someone else and a bad
month are refused in words, and nothing is written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from tests.api.conftest import live
from tests.conftest import Town, row_counts
from tests.console.plugin_fixtures import signed_in

import commgov
from commgov.api import create_app
from commgov.reports.model import ChartBar, ConsolePage, PageChart, PageContent, PageTable

PAGE = "homes.month"


def homes_page(
    store: commgov.Commgov, actor: commgov.Actor, period: commgov.ReportPeriod
) -> PageContent:
    """Households per unit under the period's unit, as a table and a chart."""
    counted = Counter(h.unit_code for h in store.residents.households_under(actor, period.unit))
    rows = tuple((code, str(n)) for code, n in sorted(counted.items()))
    return PageContent(
        title=f"住户月报 {period.year}-{period.month:02d}",
        tables=(PageTable("各网格住户", ("网格", "户数"), rows),),
        charts=(
            PageChart(
                "各网格住户数",
                tuple(ChartBar(code[-3:] + "网格", n, f"{n} 户") for code, n in counted.items()),
            ),
        ),
        notes=("<b>未转义</b>",),
    )


class HomesPages:
    """A test plugin adding one console page."""

    commgov_plugin_name = "homes-pages"

    @commgov.hookimpl
    def commgov_console_pages(self) -> list[ConsolePage]:
        return [ConsolePage(PAGE, "住户月报 households", homes_page)]


@pytest.fixture
def console(town: Town) -> Iterator[str]:
    """The town with the test plugin enabled on community A only, served live."""
    town.cg.add_plugin(HomesPages())
    town.cg.enable_plugins(town.admin, town.community_a, ["homes-pages"])
    town.household(town.grid_a1)
    town.household(town.grid_a1)
    town.household(town.grid_a2)
    town.household(town.grid_b1)
    with live(create_app(town.cg)) as url:
        yield f"{url}/console"


def _client(town: Town, console: str, unit: str) -> httpx.Client:
    return signed_in(console, town.cg, town.admin, town.worker(unit, "community_staff"))


def test_hook_commgov_console_pages(town: Town, console: str) -> None:
    cg = town.cg
    assert cg.reports.pages(town.community_a) == {PAGE: "住户月报 households"}
    assert cg.reports.pages(town.grid_a1) == {PAGE: "住户月报 households"}  # and below
    assert cg.reports.pages(town.community_b) == {}  # not enabled there
    assert cg.reports.pages() == {PAGE: "住户月报 households"}  # offered somewhere
    built = cg.reports.page(town.admin, PAGE, unit=town.community_a, year=2025, month=6)
    assert built.tables[0].rows == ((town.grid_a1, "2"), (town.grid_a2, "1"))
    client = _client(town, console, town.community_a)
    listed = client.get("/reports")
    assert listed.status_code == 200 and "住户月报 households" in listed.text
    assert "镇街报表" in listed.text  # the header link, in Chinese
    page = client.get(f"/reports/{PAGE}", params={"unit": town.community_a, "month": "2025-06"})
    assert page.status_code == 200
    assert "住户月报 2025-06" in page.text and "各网格住户" in page.text
    assert f"<td>{town.grid_a1}</td><td>2</td>" in page.text  # the table, as the plugin built it
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart"' in page.text
    assert "001网格" in page.text and "2 户" in page.text  # the chart's bars
    assert "<b>未转义</b>" not in page.text and "&lt;b&gt;未转义&lt;/b&gt;" in page.text


def test_a_unit_without_the_plugin_shows_nothing(town: Town, console: str) -> None:
    client = _client(town, console, town.community_b)
    listed = client.get("/reports")
    assert listed.status_code == 200 and "住户月报" not in listed.text
    assert "没有提供任何页面" in listed.text
    page = client.get(f"/reports/{PAGE}", params={"unit": town.community_b, "month": "2025-06"})
    assert page.status_code == 404 and "未启用提供此页面的插件" in page.text
    assert town.community_b in page.text and "Traceback" not in page.text


def test_an_unknown_page_or_someone_elses_unit_is_refused_in_words(
    town: Town, console: str
) -> None:
    client = _client(town, console, town.community_a)
    unknown = client.get("/reports/no.such.page", params={"month": "2025-06"})
    assert unknown.status_code == 404 and "没有名为“no.such.page”的页面" in unknown.text
    other = client.get(f"/reports/{PAGE}", params={"unit": town.community_b})
    assert other.status_code == 404 and "不在您的管辖范围内" in other.text
    nowhere = client.get(f"/reports/{PAGE}", params={"unit": "411425100009"})
    assert nowhere.status_code == 404 and "没有编码为 411425100009 的单元" in nowhere.text
    english = client.get("/reports/no.such.page", params={"lang": "en"})
    assert english.status_code == 404 and "No town page is called “no.such.page”" in english.text


@pytest.mark.parametrize("month", ["2025-13", "2025-6", "June", "2025-00", "0000-01"])
def test_a_bad_month_is_named_and_nothing_is_written(town: Town, console: str, month: str) -> None:
    client = _client(town, console, town.community_a)
    before = row_counts(town.cg)
    page = client.get(f"/reports/{PAGE}", params={"unit": town.community_a, "month": month})
    assert page.status_code == 422
    assert "月份（month）" in page.text and f"“{month}”" in page.text
    assert "Traceback" not in page.text
    assert row_counts(town.cg) == before


def test_the_page_defaults_to_this_month_and_the_first_unit_offering_it(
    town: Town, console: str
) -> None:
    client = _client(town, console, town.community_a)
    page = client.get(f"/reports/{PAGE}")
    assert page.status_code == 200 and "住户月报 2025-06" in page.text  # the store's clock
    assert town.community_a in page.text


def test_a_stranger_is_sent_to_sign_in(town: Town, console: str) -> None:
    stranger = httpx.Client(timeout=30, base_url=console).get(
        f"/reports/{PAGE}", follow_redirects=False
    )
    assert stranger.status_code == 303 and stranger.headers["location"] == "/console/signin"


def test_a_page_with_rows_of_the_wrong_length_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="cells"):
        PageTable("t", ("a", "b"), (("1",),))
    with pytest.raises(TypeError):
        PageTable("t", ("a",), ((1,),))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lower-case"):
        ConsolePage("Not A Name/..", "x", homes_page)
    with pytest.raises(ValueError, match="finite"):
        ChartBar("x", float("nan"), "—")
