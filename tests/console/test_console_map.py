"""The map page over live HTTP (``/console/map``): a unit's outlines and households drawn as
SVG from the map a plugin enabled there gives (``commgov_unit_map``), households labelled by
file number only; a unit with nothing on its map says so; an unknown unit or someone else's
is refused in words. In the browser: Chengguan's 7336 plugin (installed, enabled by name) puts
a sampled month of households on the map, and its monthly report is a console page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.api.conftest import live
from tests.conftest import NOW, Town, build_town, row_counts
from tests.console.conftest import shot
from tests.console.plugin_fixtures import signed_in

import commgov
from commgov.api import create_app

ELDER = {"name": "张秀英", "birth_date": "1945-03-02", "sex": "F", "phone": "13912345678"}
ADDRESS = "幸福路12号3栋201"
TOWN_PLUGIN = "yucheng7336"
MONTHLY = "yucheng7336.monthly"


def _point(household: int, lon: float, lat: float) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"household_id": household, "head": "张秀英", "address": ADDRESS},
    }


class MapPlugin:
    """A test plugin: grid A1's boundary and every household's point it was told about."""

    commgov_plugin_name = "test-map"

    def __init__(self) -> None:
        self.points: dict[int, tuple[float, float]] = {}
        self.boundary: tuple[str, list[list[float]]] | None = None

    @commgov.hookimpl
    def commgov_unit_map(
        self, store: commgov.Commgov, actor: commgov.Actor, unit: str
    ) -> dict[str, Any] | None:
        features = [_point(h, lon, lat) for h, (lon, lat) in self.points.items()]
        if self.boundary is not None:
            code, ring = self.boundary
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                    "properties": {"code": code, "name": "一网格"},
                }
            )
        return {"type": "FeatureCollection", "features": features}


class WrongMap:
    commgov_plugin_name = "wrong-map"

    @commgov.hookimpl
    def commgov_unit_map(
        self, store: commgov.Commgov, actor: commgov.Actor, unit: str
    ) -> dict[str, Any] | None:
        return {"type": "Feature"}


@pytest.fixture
def mapped(town: Town) -> MapPlugin:
    """Three households of community A on the test plugin's map, one of B off every map."""
    plugin = MapPlugin()
    town.cg.add_plugin(plugin)
    town.cg.enable_plugins(town.admin, town.community_a, ["test-map"])
    cg = town.cg
    for grid, lon, lat in (
        (town.grid_a1, 115.870, 34.410),
        (town.grid_a1, 115.872, 34.412),
        (town.grid_a2, 115.880, 34.405),
    ):
        home = cg.residents.add_household(town.admin, unit=grid, address=ADDRESS)
        cg.residents.add_resident(town.admin, household_id=home.id, **ELDER)
        plugin.points[home.id] = (lon, lat)
    town.household(town.grid_a2)  # in the files, not on the map
    town.household(town.grid_b1)
    ring = [[115.868, 34.408], [115.875, 34.408], [115.875, 34.415], [115.868, 34.415]]
    plugin.boundary = (town.grid_a1, ring)
    return plugin


@pytest.fixture
def console(town: Town, mapped: MapPlugin) -> Iterator[str]:
    with live(create_app(town.cg)) as url:
        yield f"{url}/console"


def test_hook_commgov_unit_map(town: Town, mapped: MapPlugin) -> None:
    found = town.cg.reports.unit_map(town.admin, town.community_a)
    assert found is not None and len(found["features"]) == 4
    assert town.cg.reports.unit_map(town.admin, town.community_b) is None  # not enabled there
    town.cg.add_plugin(WrongMap())
    town.cg.enable_plugins(town.admin, town.community_b, ["wrong-map"])
    with pytest.raises(commgov.PluginError, match="commgov_unit_map"):
        town.cg.reports.unit_map(town.admin, town.community_b)


def test_a_community_map_draws_its_grids_and_households(town: Town, console: str) -> None:
    client = signed_in(
        console, town.cg, town.admin, town.worker(town.community_a, "community_staff")
    )
    page = client.get("/map", params={"unit": town.community_a})
    assert page.status_code == 200 and "<svg" in page.text
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    assert svg.count('class="household"') == 3
    assert re.findall(r'data-unit="(\d+)"', svg) == [town.grid_a1, town.grid_a2]
    assert svg.count('stroke-dasharray="6 4"') == 1  # A2 has no boundary: drawn around its homes
    names = [town.cg.grids.get(code).name for code in (town.grid_a1, town.grid_a2)]
    assert all(f">{name}</text>" in svg for name in names)  # the units' names, as stored
    assert "住户（户档编号）" in svg and 'class="scale"' in svg
    for personal in ("张秀英", "幸福路", "13912345678"):
        assert personal not in page.text
    assert f'data-placed="{town.grid_a2}">1<' in page.text  # 1 of its 2 households placed
    assert "地图" in page.text  # the header link


def test_a_unit_with_nothing_on_its_map_says_so(town: Town, console: str) -> None:
    client = signed_in(console, town.cg, town.admin, town.worker(town.grid_b1))
    page = client.get("/map")  # a grid worker's own grid by default
    assert page.status_code == 200 and "<svg" not in page.text
    assert "该单元尚无地图" in page.text and town.grid_b1 in page.text
    english = client.get("/map", params={"unit": town.grid_b1, "lang": "en"})
    assert "This unit has no map yet" in english.text


def test_an_unknown_or_foreign_unit_is_refused_in_words(town: Town, console: str) -> None:
    client = signed_in(console, town.cg, town.admin, town.worker(town.grid_a1))
    before = row_counts(town.cg)
    unknown = client.get("/map", params={"unit": "411425100009009"})
    assert unknown.status_code == 404 and "没有编码为 411425100009009 的单元" in unknown.text
    foreign = client.get("/map", params={"unit": town.grid_b1})
    assert foreign.status_code == 404 and f"单元 {town.grid_b1} 不在您的管辖范围内" in foreign.text
    assert "<svg" not in foreign.text and "Traceback" not in foreign.text
    assert row_counts(town.cg) == before


@pytest.fixture
def chengguan() -> Iterator[Town]:
    """The test town on a store that discovers the installed plugins, Chengguan's 7336 method
    enabled by name, with households and a sampled month of its work (households placed on
    the map, visits, patrols) and a few cases."""
    with commgov.open("sqlite:///:memory:", clock=lambda: NOW) as cg:
        if TOWN_PLUGIN not in cg.plugins.available:
            pytest.skip(f"the {TOWN_PLUGIN} plugin is not installed")
        town = build_town(cg)
        cg.enable_plugins(town.admin, town.town, [TOWN_PLUGIN])
        for index, grid in enumerate([town.grid_a1] * 6 + [town.grid_a2] * 4 + [town.grid_b1] * 3):
            home = cg.residents.add_household(town.admin, unit=grid, address=f"东关街{index}号")
            cg.residents.add_resident(town.admin, household_id=home.id, **ELDER)
        for grid in (town.grid_a1, town.grid_a2, town.grid_b1):
            town.worker(grid)
            cg.cases.report(town.admin, unit=grid, text="路灯坏了")
        cg.reports.sample(town.admin, MONTHLY, unit=town.town, year=2025, month=6, seed=7)
        yield town


def test_the_7336_map_and_monthly_report_in_a_browser(
    chengguan: Town, page: Page, shots: Path
) -> None:
    town = chengguan
    staff = town.worker(town.community_a, "community_staff")
    assert staff.staff_id is not None
    key = town.cg.api_keys.create(town.admin, staff_id=staff.staff_id).secret
    drawn = town.cg.reports.unit_map(town.admin, town.community_a)
    placed = len(drawn["features"]) if drawn else 0
    assert placed >= 5  # most of community A's ten households were put on the map
    with live(create_app(town.cg)) as url:
        page.goto(f"{url}/console/signin")
        page.fill("#key", key)
        page.click("button[type=submit]")
        page.click("header >> text=地图")
        page.select_option("#unit", town.community_a)
        page.click("text=查看地图")
        map_svg = page.locator("figure.map svg")
        expect(map_svg).to_be_visible()
        expect(page.locator("g.household")).to_have_count(placed)
        expect(page.locator("main")).not_to_contain_text("张秀英")
        shot(page, shots, "console-map")
        page.click("header >> text=镇街报表")
        form = page.locator("form.page-choice", has_text="7336 月度报告")
        form.locator("select").select_option(town.community_a)
        form.locator("input[name=month]").fill("2025-06")
        form.locator("button").click()
        expect(page.locator("h1")).to_have_text("7336 月度报告 2025-06")
        expect(page.locator("svg.chart").first).to_contain_text("排查")
        expect(page.locator("main")).to_contain_text("六到位")
        shot(page, shots, "console-report-7336")
