"""Dongguan's rules through the services: the 49-item catalogue and an order round the loop
(cg.orders), wants and suggestions triaged into Dongguan's tiers (cg.wishes), beside a town
on the core defaults."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest

import commgov
from commgov.testing import PluginTowns
from commgov_dongguan import catalogue, plugin, vocab

TODAY = dt.date(2025, 6, 30)  # plugin_towns' clock: 2025-06-30 17:00 in Beijing


@attrs.frozen
class Town:
    towns: PluginTowns
    code: str
    staff: commgov.Actor  # community staff
    elder: tuple[commgov.Actor, int]  # a resident aged 80+ (advanced_age), as actor and id
    younger: tuple[commgov.Actor, int]  # a resident in no care group

    @property
    def store(self) -> commgov.Commgov:
        return self.towns.store


def town_of(towns: PluginTowns, code: str) -> Town:
    grid = towns.grids[code][0]
    home = towns.household(grid)
    store = towns.store
    elder = store.residents.add_resident(
        towns.admin,
        household_id=home.id,
        name="陈伯",
        birth_date="1940-02-02",
        sex="M",
        care_groups=[vocab.ADVANCED_AGE] if code == towns.plugin_town else [],
    )
    younger = store.residents.add_resident(
        towns.admin, household_id=home.id, name="陈姐", birth_date="1985-03-03", sex="F"
    )
    staff = towns.add_staff("community_staff", towns.communities[code][0])
    return Town(
        towns,
        code,
        staff,
        (commgov.Actor.resident("陈伯", home.id), elder.id),
        (commgov.Actor.resident("陈姐", home.id), younger.id),
    )


@pytest.fixture
def towns(commgov_towns: Callable[..., PluginTowns]) -> PluginTowns:
    return commgov_towns(plugin)


def test_a_dongguan_grid_offers_exactly_the_49_services(towns: PluginTowns) -> None:
    store = towns.store
    here = store.orders.catalogue(towns.grids[towns.plugin_town][0])
    assert sorted(i.code for i in here) == sorted(i.code for i in catalogue.ITEMS)
    elsewhere = {i.code for i in store.orders.catalogue(towns.grids[towns.default_town][0])}
    assert "venue_booking" not in elsewhere and elsewhere  # the core's own few


def test_an_order_goes_round_the_loop_with_its_department(towns: PluginTowns) -> None:
    town = town_of(towns, towns.plugin_town)
    store, admin = town.store, towns.admin
    store.staff.add_department(
        admin, code="dg-culture", name="文广旅体局", kind=vocab.CULTURE_SPORT, unit=town.code
    )
    clerk = store.staff.actor(
        store.staff.add(
            admin, name="文体干事", role="department_staff", units=[town.code],
            department="dg-culture",
        ).id
    )  # fmt: skip
    resident, resident_id = town.younger
    order = store.orders.place(
        resident,
        resident_id=resident_id,
        item="venue_booking",
        fields={"date": "2025-07-05", "purpose": "合唱排练", "people": "20"},
    )
    assert (order.step, order.fee) == ("ordered", 0)
    assert order.resolve_due - order.placed_at == dt.timedelta(days=3)  # the item's limit
    order = store.orders.assign(
        town.staff, order.id, provider_kind="department", provider="dg-culture"
    )
    assert order.lead == "department:dg-culture"
    store.orders.respond(clerk, order.id, accept=True)
    store.orders.complete(clerk, order.id, note="活动室已预约")
    rated = store.orders.rate(resident, order.id, rating=5)
    assert (rated.step, rated.case_state) == ("closed", "closed")


def test_an_item_for_a_care_group_refuses_others_and_writes_nothing(towns: PluginTowns) -> None:
    town = town_of(towns, towns.plugin_town)
    store = town.store
    resident, elder_id = town.elder
    placed = store.orders.place(
        resident, resident_id=elder_id, item="elder_member_visit", fields={"address": "3栋"}
    )
    assert placed.item == "elder_member_visit"
    before = store.orders.under(towns.admin, town.code)
    _, younger_id = town.younger
    with pytest.raises(commgov.ValidationError) as error:
        store.orders.place(
            resident, resident_id=younger_id, item="elder_member_visit", fields={"address": "3栋"}
        )
    assert (error.value.field, error.value.value) == ("item", "elder_member_visit")
    assert "高龄老人" in str(error.value)
    assert store.orders.under(towns.admin, town.code) == before


def test_wants_and_suggestions_take_dongguans_tiers(towns: PluginTowns) -> None:
    town = town_of(towns, towns.plugin_town)
    store = town.store
    resident, resident_id = town.younger
    wishes = store.wishes

    def post(kind: str, category: str, wanted_by: dt.date | None = None) -> int:
        return wishes.post(
            resident, kind=kind, category=category, text="希望小区里能有", resident_id=resident_id,
            wanted_by=wanted_by,
        ).id  # type: ignore[arg-type]  # fmt: skip

    visits = post("want", "mutual_aid.elder_visits", TODAY + dt.timedelta(days=10))
    canteen = post("want", "services.elder_canteen")
    patrol = post("suggestion", "security.patrol")
    tiers = {
        wish_id: (view.tier, view.target)
        for wish_id in (visits, canteen, patrol)
        for view in [wishes.triage(town.staff, wish_id)]
    }
    assert tiers == {
        visits: ("now", TODAY + dt.timedelta(days=10)),
        canteen: ("future", dt.date(2026, 12, 31)),
        patrol: ("soon", TODAY + dt.timedelta(days=180)),
    }
    table = wishes.timetable(resident, towns.communities[town.code][0])
    assert [row.wish_id for row in table] == [visits, patrol, canteen]
    assert table[0].tier_label.startswith("立即实现")


def test_the_town_on_the_defaults_keeps_the_core_tiers(towns: PluginTowns) -> None:
    other = town_of(towns, towns.default_town)
    resident, resident_id = other.younger
    want = other.store.wishes.post(
        resident, kind="want", category="services.elder_canteen", text="长者饭堂",
        resident_id=resident_id,
    )  # fmt: skip
    triaged = other.store.wishes.triage(other.staff, want.id)
    assert triaged.tier != "future"  # the canteen is Dongguan's "future", not the core's


def test_an_unknown_wish_item_is_refused(towns: PluginTowns) -> None:
    town = town_of(towns, towns.plugin_town)
    resident, resident_id = town.younger
    with pytest.raises(commgov.ValidationError) as error:
        town.store.wishes.post(
            resident, kind="want", category="services.spaceport", text="?",
            resident_id=resident_id,
        )  # fmt: skip
    assert error.value.field == "category"
    assert town.store.wishes.under(towns.admin, town.code) == []
