"""The pure rules of wishes, without a store: categories, the default tiers, ranking, checks."""

from __future__ import annotations

import datetime as dt

import pytest

import commgov
from commgov.wishes.model import checks
from commgov.wishes.model.categories import DEFAULT_WISH_CATEGORIES, WishCategories, top
from commgov.wishes.model.matching import Placed, distance_km, rank
from commgov.wishes.model.rules import WishCategory, WishInfo
from commgov.wishes.model.tiers import default_tier

ZONE = dt.timezone(dt.timedelta(hours=8))
MADE = dt.datetime(2025, 6, 30, 10, tzinfo=ZONE)


def info(kind: str = "want", category: str = "elder.meal", **fields: object) -> WishInfo:
    return WishInfo(
        id=1, kind=kind, category=category, unit_code="g", unit_path="/1/", created_at=MADE,  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def test_the_default_categories_are_eight_with_items() -> None:
    tree = WishCategories.build(DEFAULT_WISH_CATEGORIES)
    tops = [c for c in tree.by_code if "." not in c]
    assert len(tops) == 8
    assert all(len(tree.children(t)) >= 3 for t in tops)
    assert tree.get("elder.meal").parent == "elder"
    assert top("elder.meal") == "elder" and top("elder") == "elder"


def test_an_unknown_category_names_the_field_and_the_value() -> None:
    tree = WishCategories.build(DEFAULT_WISH_CATEGORIES)
    with pytest.raises(commgov.ValidationError) as caught:
        tree.get("elder.spaceflight")
    assert caught.value.field == "category" and caught.value.value == "elder.spaceflight"
    assert "elder" in caught.value.reason


@pytest.mark.parametrize(
    ("specs", "words"),
    [
        ([WishCategory("Elder", "x")], "dotted lower_case"),
        ([WishCategory("pets.cats", "x")], "no parent"),
    ],
)
def test_a_bad_registry_is_a_plugin_error(specs: list[WishCategory], words: str) -> None:
    with pytest.raises(commgov.PluginError, match=words):
        WishCategories.build(specs)


def test_default_tiers() -> None:
    day = MADE.date()
    soon_want = default_tier(info(wanted_by=day + dt.timedelta(days=14)))
    assert (soon_want.tier, soon_want.target) == ("now", day + dt.timedelta(days=14))
    later = default_tier(info(wanted_by=day + dt.timedelta(days=30)))
    assert (later.tier, later.target) == ("soon", day + dt.timedelta(days=30))
    undated = default_tier(info())
    assert (undated.tier, undated.target) == ("soon", day + dt.timedelta(days=90))
    works = default_tier(info("suggestion", "facilities.lighting"))
    assert (works.tier, works.target) == ("future", day + dt.timedelta(days=365))
    idea = default_tier(info("suggestion", "culture.activity"))
    assert (idea.tier, idea.target) == ("soon", day + dt.timedelta(days=90))


def test_ranking_prefers_the_same_item_then_place_then_ratings() -> None:
    want = Placed("elder.repair", unit_id=5, parent_id=2)
    same_item_here = rank(want, Placed("elder.repair", 5, 2), need=1, spare=1, rating=None, rated=0)
    same_category_here = rank(
        want, Placed("elder.meal", 5, 2), need=1, spare=1, rating=None, rated=0
    )
    same_item_next = rank(want, Placed("elder.repair", 6, 2), need=1, spare=1, rating=None, rated=0)
    well_rated = rank(want, Placed("elder.repair", 6, 2), need=1, spare=1, rating=5.0, rated=3)
    assert same_item_here and same_category_here and same_item_next and well_rated
    assert same_item_here.value > same_item_next.value > same_category_here.value
    assert well_rated.value > same_item_next.value
    assert same_item_here.reasons[:2] == ("same item", "same unit")
    assert "rated 5.0 (3)" in well_rated.reasons
    assert rank(want, Placed("study.tutoring", 5, 2), need=1, spare=1, rating=None, rated=0) is None
    assert rank(want, Placed("elder.repair", 5, 2), need=1, spare=0, rating=None, rated=0) is None


def test_distance_counts_when_both_have_a_point() -> None:
    assert distance_km(34.0, 115.0, 34.0, 115.0) == 0
    assert 11.0 < distance_km(34.0, 115.0, 34.1, 115.0) < 11.2
    want = Placed("elder", 1, None, 34.0, 115.0)
    near = rank(
        want, Placed("elder", 2, None, 34.001, 115.0), need=2, spare=1, rating=None, rated=0
    )
    far = rank(want, Placed("elder", 3, None, 34.2, 115.0), need=2, spare=1, rating=None, rated=0)
    assert near and far and near.value > far.value
    assert "0.1 km away" in near.reasons and "covers 1 of 2" in near.reasons


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: checks.rating(6), "rating"),
        (lambda: checks.rating(0), "rating"),
        (lambda: checks.rating(True), "rating"),
        (lambda: checks.quantity(0), "quantity"),
        (lambda: checks.kind("wish"), "kind"),
        (lambda: checks.place(None, 91.0, 0.0), "lat"),
        (lambda: checks.place(None, 1.0, None), "lat/lon"),
        (lambda: checks.references("photos", "a.jpg", 3), "photos"),
        (lambda: checks.references("photos", ["a"] * 4, 3), "photos"),
        (lambda: checks.text("text", "  ", 10), "text"),
        (lambda: checks.text("text", "x" * 11, 10), "text"),
        (lambda: checks.day("wanted_by", MADE), "wanted_by"),
    ],
)
def test_checks_name_the_field(call: object, field: str) -> None:
    with pytest.raises(commgov.ValidationError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.field == field
