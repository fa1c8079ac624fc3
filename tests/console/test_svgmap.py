"""The map's drawing (pure functions): the projection keeps every point inside the box with
north up and the same scale both ways; outlines and households are drawn once each, with
their names and file numbers; nothing but the file number labels a household."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commgov.api.console import svgmap

WORDS = svgmap.MapWords(title="城关镇 第一网格", households="住户", outline="边界", hull="范围")
GRID = "411425100001001"
OTHER = "411425100001002"


def _collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def _home(household: int, lon: float, lat: float, **extra: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"household_id": household, **extra},
    }


def _boundary(code: str, ring: list[list[float]]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"code": code, "name": "第一网格"},
    }


places = st.lists(
    st.tuples(st.floats(115.0, 116.0), st.floats(34.0, 35.0)), min_size=1, max_size=30
)


@pytest.mark.property
@given(places)
def test_the_projection_keeps_every_point_inside_the_box(points: list[tuple[float, float]]) -> None:
    projection = svgmap.fit(points)
    for lon, lat in points:
        x, y = projection.xy(lon, lat)
        assert svgmap.PAD - 1e-6 <= x <= svgmap.WIDTH - svgmap.PAD + 1e-6
        top, bottom = svgmap.TOP + svgmap.PAD, svgmap.HEIGHT - svgmap.BOTTOM - svgmap.PAD
        assert top - 1e-6 <= y <= bottom + 1e-6


def test_north_is_up_and_east_is_right() -> None:
    projection = svgmap.fit([(115.86, 34.40), (115.88, 34.42)])
    south_west = projection.xy(115.86, 34.40)
    north_east = projection.xy(115.88, 34.42)
    assert north_east[1] < south_west[1]  # further north is higher on the page
    assert north_east[0] > south_west[0]


def test_a_metre_is_as_long_east_west_as_north_south() -> None:
    projection = svgmap.fit([(115.86, 34.40), (115.90, 34.43)])
    lat = 34.415
    east = projection.xy(115.87 + 0.01 / math.cos(math.radians(lat)), lat)[0]
    west = projection.xy(115.87, lat)[0]
    north = projection.xy(115.87, lat + 0.01)[1]
    south = projection.xy(115.87, lat)[1]
    assert east - west == pytest.approx(south - north, rel=0.01)


def test_one_household_still_gets_a_map() -> None:
    projection = svgmap.fit([(115.87, 34.41)])
    assert projection.metres_per_pixel() > 0
    x, y = projection.xy(115.87, 34.41)
    assert svgmap.PAD < x < svgmap.WIDTH - svgmap.PAD and svgmap.TOP < y < svgmap.HEIGHT


def test_the_hull_surrounds_its_households() -> None:
    points = [(115.870, 34.410), (115.872, 34.411), (115.871, 34.413), (115.871, 34.411)]
    ring = svgmap.hull(points)
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    for lon, lat in points:
        assert min(lons) < lon < max(lons) and min(lats) < lat < max(lats)
    assert (115.871, 34.411) not in ring  # an inner point is not a corner


def test_households_and_outlines_are_drawn_once_each_with_their_names() -> None:
    collection = _collection(
        _home(11, 115.870, 34.410),
        _home(12, 115.872, 34.411),
        _home(13, 115.874, 34.413),
        _home(99, 115.873, 34.412),  # not among the households the reader may see
        _boundary(GRID, [[115.868, 34.408], [115.876, 34.408], [115.876, 34.415],
                         [115.868, 34.415], [115.868, 34.408]]),
    )  # fmt: skip
    homes = {11: GRID, 12: GRID, 13: OTHER}
    names = {GRID: "第一网格", OTHER: "第二网格"}
    dots = svgmap.dots_from(collection, homes)
    areas = svgmap.areas_from(collection, names)
    areas += svgmap.hull_areas(dots, names, drawn=[a.code for a in areas])
    svg = str(svgmap.draw(areas, dots, WORDS))
    assert svg.count('class="household"') == 3 and "#99" not in svg
    assert [a.code for a in areas] == [GRID, OTHER]
    assert [a.drawn for a in areas] == [True, False]  # the second outlined around its homes
    assert svg.count("<polygon") == 2 and svg.count('stroke-dasharray="6 4"') == 1
    assert "第一网格" in svg and "第二网格" in svg
    assert "住户" in svg and "边界" in svg and "范围" in svg  # the legend
    scale = re.search(r'class="scale" data-metres="(\d+)"', svg)
    assert scale is not None and int(scale.group(1)) in (100, 200, 500, 1000)


def test_a_household_is_labelled_by_its_file_number_only() -> None:
    collection = _collection(
        _home(7, 115.87, 34.41, name="张三", address="幸福路 12 号", phone="13800000000")
    )
    (dot,) = svgmap.dots_from(collection, {7: GRID})
    assert dot.label == svgmap.household_label(7) == "#7"
    svg = str(svgmap.draw(svgmap.hull_areas([dot], {GRID: "第一网格"}), [dot], WORDS))
    for personal in ("张三", "幸福路", "13800000000"):
        assert personal not in svg


def test_text_from_a_plugin_is_escaped() -> None:
    collection = _collection(_boundary(GRID, [[115.86, 34.40], [115.87, 34.40], [115.87, 34.41]]))
    areas = svgmap.areas_from(collection, {GRID: "<script>alert(1)</script>"})
    svg = str(svgmap.draw(areas, [], WORDS))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_features_that_are_not_degrees_are_left_out() -> None:
    collection = _collection(
        _home(1, 200.0, 34.0),
        _home(2, "115", 34.0),  # type: ignore[arg-type]
        {"type": "Feature", "geometry": None, "properties": {"household_id": 3}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[1, 2]]]},
         "properties": {"code": GRID}},
        "not a feature",  # type: ignore[arg-type]
    )  # fmt: skip
    assert svgmap.dots_from(collection, {1: GRID, 2: GRID, 3: GRID}) == []
    assert svgmap.areas_from(collection, {GRID: "第一网格"}) == []
    assert svgmap.dots_from({"features": "nope"}, {1: GRID}) == []


@pytest.mark.parametrize(
    ("metres_per_pixel", "expected"), [(1.0, 100), (3.0, 200), (10.0, 1000), (0.05, 5)]
)
def test_the_scale_bar_is_a_round_length(metres_per_pixel: float, expected: int) -> None:
    assert svgmap.scale_length(metres_per_pixel) == expected
