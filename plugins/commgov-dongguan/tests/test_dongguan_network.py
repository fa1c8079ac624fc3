"""The four-level network 市—镇—村(社区)—网格 built with the core's unit kinds."""

from __future__ import annotations

import pytest

import commgov
from commgov_dongguan import build_network, levels, network, vocab

ADMIN = commgov.Actor.system("dongguan set-up")
TREE = {
    "大朗镇": {"水平村": ["明上居", "水平花园"], "长塘社区": ["长塘一区"]},
    "东城街道": {"东泰社区": ["东泰花园"]},
}


@pytest.fixture
def store() -> commgov.Commgov:
    return commgov.open("sqlite:///:memory:", discover_plugins=False)


def test_builds_city_towns_villages_and_grids(store: commgov.Commgov) -> None:
    made = build_network(store, ADMIN, TREE)
    assert made.city == "441900"
    assert store.grids.get("441900").kind == "city"
    kinds = {names: store.grids.get(code).kind for names, code in made.codes.items()}
    assert kinds == {
        ("大朗镇",): "town",
        ("大朗镇", "水平村"): "village",
        ("大朗镇", "水平村", "明上居"): "grid",
        ("大朗镇", "水平村", "水平花园"): "grid",
        ("大朗镇", "长塘社区"): "community",
        ("大朗镇", "长塘社区", "长塘一区"): "grid",
        ("东城街道",): "street",
        ("东城街道", "东泰社区"): "community",
        ("东城街道", "东泰社区", "东泰花园"): "grid",
    }
    estate = made.code("大朗镇", "水平村", "明上居")
    assert len(estate) == 15 and estate.startswith(made.code("大朗镇", "水平村"))
    assert [len(c) for c in (made.city, made.code("大朗镇"), made.code("大朗镇", "水平村"))] == [
        6,
        9,
        12,
    ]
    assert len(made.at_level(vocab.GRID)) == 4 and len(made.at_level(vocab.TOWN)) == 2
    chain = levels(store, estate)
    assert [(level, unit.name) for level, unit in chain.items()] == [
        ("city", "东莞市 Dongguan"),
        ("town", "大朗镇"),
        ("village", "水平村"),
        ("grid", "明上居"),
    ]


def test_building_again_adds_only_what_is_new(store: commgov.Commgov) -> None:
    first = build_network(store, ADMIN, TREE)
    before = len(store.grids.descendants(first.city))
    again = build_network(store, ADMIN, {"大朗镇": {"水平村": ["明上居", "新小区"]}})
    assert again.code("大朗镇", "水平村", "明上居") == first.code("大朗镇", "水平村", "明上居")
    assert len(store.grids.descendants(first.city)) == before + 1


def test_the_network_serves_households_and_the_plugin(store: commgov.Commgov) -> None:
    made = build_network(store, ADMIN, TREE)
    estate = made.code("大朗镇", "水平村", "明上居")
    home = store.residents.add_household(ADMIN, unit=estate, address="明上居 3栋")
    assert home.unit_code == estate
    if "dongguan" in store.plugins.available:
        store.enable_plugins(ADMIN, made.code("大朗镇"), ["dongguan"])


@pytest.mark.parametrize(
    ("towns", "field"),
    [
        ({}, "towns"),
        ({"大朗镇": ["水平村"]}, "towns[大朗镇]"),
        ({"大朗镇": {"水平村": "明上居"}}, "towns[大朗镇][水平村]"),
        ({"大朗镇": {"水平村": ["明上居", ""]}}, "towns[大朗镇][水平村]"),
        ({"大朗镇": {"水平村": ["明上居", "明上居"]}}, "towns[大朗镇][水平村]"),
        ({"大朗镇": {"x" * 129: []}}, "towns[大朗镇]"),
    ],
)
def test_bad_trees_are_refused_and_nothing_is_built(
    store: commgov.Commgov, towns: object, field: str
) -> None:
    with pytest.raises(commgov.ValidationError) as error:
        build_network(store, ADMIN, towns)  # type: ignore[arg-type]
    assert error.value.field == field
    assert store.grids.roots() == []


def test_a_unit_refused_midway_undoes_the_whole_build(store: commgov.Commgov) -> None:
    store.grids.create(ADMIN, code="441900", name="东莞市", kind="county")
    with pytest.raises(commgov.ValidationError, match="is a county"):
        build_network(store, ADMIN, TREE)
    assert store.grids.descendants("441900") == []
    resident = commgov.Actor.resident("居民", 1)
    with pytest.raises(commgov.PermissionDenied):
        build_network(store, resident, TREE, city=("442000", "中山市"))
    assert [u.code for u in store.grids.roots()] == ["441900"]


def test_kinds_by_level_and_name() -> None:
    assert network.kind_for(vocab.TOWN, "南城街道") == "street"
    assert network.kind_for(vocab.VILLAGE, "水平村") == "village"
    assert network.level_of("street") == vocab.TOWN
    assert network.level_of("county") is None
    with pytest.raises(commgov.ValidationError):
        network.kind_for("province", "广东省")
