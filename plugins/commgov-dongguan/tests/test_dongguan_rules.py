"""Dongguan's vocabulary, wish categories, tier rule and 49-item catalogue, as plain values."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import commgov
from commgov.testing import check_plugin, plugin_towns
from commgov_dongguan import catalogue, plugin, vocab, wishes

ZONE = ZoneInfo("Asia/Shanghai")
MADE = dt.datetime(2025, 6, 10, 10, 0, tzinfo=ZONE)


def wish(category: str, kind: str = "want", wanted_by: dt.date | None = None) -> commgov.WishInfo:
    return commgov.WishInfo(
        id=1,
        kind=kind,  # type: ignore[arg-type]
        category=category,
        unit_code="441900116001001",
        unit_path="/1/2/3/4/",
        created_at=MADE,
        wanted_by=wanted_by,
    )


def test_the_plugin_is_valid() -> None:
    assert check_plugin(plugin) == "dongguan"


def test_the_catalogue_has_exactly_49_items_with_unique_codes() -> None:
    items = plugin.commgov_service_catalogue()
    assert len(items) == catalogue.COUNT == 49
    assert len({item.code for item in items}) == 49
    assert all(isinstance(item, commgov.ServiceItem) for item in items)


def test_every_item_is_complete() -> None:
    for item in catalogue.ITEMS:
        assert item.name.strip() and item.department and item.group in catalogue.GROUPS
        assert item.duty in ("must", "may")
        assert item.who and all(w.strip() for w in item.who)
        assert item.required and all(f.isidentifier() for f in item.required)
        assert dt.timedelta(0) < item.time_limit <= dt.timedelta(days=30)
        assert item.fee >= 0
    duties = {item.duty for item in catalogue.ITEMS}
    groups = {item.group for item in catalogue.ITEMS}
    assert duties == {"must", "may"} and groups == set(catalogue.GROUPS)


def test_the_catalogues_departments_and_care_groups_are_registered() -> None:
    """Every department kind the catalogue names can be given to a department, and every care
    group it reserves an item for can be given to a resident, in a store with the plugin."""
    with plugin_towns(plugin) as towns:
        town = towns.plugin_town
        for n, kind in enumerate(sorted(catalogue.departments_needed())):
            towns.store.staff.add_department(
                towns.admin, code=f"DG-{n}", name=f"部门{n}", kind=kind, unit=town
            )
        groups = sorted({w for item in catalogue.ITEMS for w in item.who} - {"resident"})
        assert set(vocab.CARE_GROUPS) <= set(groups)
        grid = towns.grids[town][0]
        home = towns.household(grid)
        person = towns.store.residents.add_resident(
            towns.admin,
            household_id=home.id,
            name="陈伯",
            birth_date="1940-02-02",
            sex="M",
            care_groups=groups,
        )
        assert set(person.care_groups) == set(groups)
        assert len(towns.store.staff.departments(towns.admin, town)) == len(
            catalogue.departments_needed()
        )


def test_eight_categories_and_fifty_items_each_under_a_category() -> None:
    found = plugin.commgov_wish_categories()
    tops = [c for c in found if c.parent is None]
    items = [c for c in found if c.parent is not None]
    assert (len(tops), len(items)) == (8, 50)
    assert len({c.code for c in found}) == 58
    assert {c.parent for c in items} == {c.code for c in tops}
    assert all(c.label.strip() for c in found)
    assert {h for _label, h in wishes.ITEMS.values()} == {"now", "soon", "future"}


@pytest.mark.parametrize(
    ("category", "kind", "wanted_by", "tier", "target"),
    [
        # an item that can be met now: within 30 days
        ("mutual_aid.elder_visits", "want", None, "now", dt.date(2025, 7, 10)),
        # … or by the earlier date the resident wants it
        ("mutual_aid.elder_visits", "want", dt.date(2025, 6, 20), "now", dt.date(2025, 6, 20)),
        # a later wanted-by date does not push the target out
        ("mutual_aid.elder_visits", "want", dt.date(2025, 9, 1), "now", dt.date(2025, 7, 10)),
        # an item that needs others to agree: within 180 days, however soon it is wanted
        ("management.parking", "want", dt.date(2025, 6, 20), "soon", dt.date(2025, 12, 7)),
        # capital works: by the end of next year
        ("services.elder_canteen", "want", None, "future", dt.date(2026, 12, 31)),
        # a suggestion is argued over first: never "now"
        ("security.patrol", "suggestion", None, "soon", dt.date(2025, 12, 7)),
        ("security.cameras", "suggestion", None, "future", dt.date(2026, 12, 31)),
        # a bare category counts as "soon"
        ("greening", "want", None, "soon", dt.date(2025, 12, 7)),
    ],
)
def test_the_tier_rule(
    category: str, kind: str, wanted_by: dt.date | None, tier: str, target: dt.date
) -> None:
    assert plugin.commgov_wish_tier(wish(category, kind, wanted_by)) == commgov.TierDecision(
        tier,  # type: ignore[arg-type]
        target,
    )


def test_offers_and_unknown_categories_pass_to_the_core() -> None:
    assert wishes.tier(wish("security.patrol", "offer")) is None
    assert wishes.tier(wish("elder.meal")) is None


def test_a_target_is_never_before_the_day_the_wish_was_made() -> None:
    early = wishes.tier(wish("greening.clutter", wanted_by=dt.date(2025, 6, 1)))
    assert early == commgov.TierDecision("now", MADE.date())
