"""社区合伙人 agreements: each exchange mode's ledger effect, books that balance, bad input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import commgov
from commgov.testing import PluginTowns, plugin_towns
from commgov_xinhe import partners, plugin


@pytest.fixture
def towns() -> Iterator[PluginTowns]:
    with plugin_towns(plugin) as built:
        yield built


def community(towns: PluginTowns) -> str:
    return towns.communities[towns.plugin_town][0]


def volunteer(towns: PluginTowns, hours: int, name: str = "志愿者") -> int:
    grid = towns.grids[towns.plugin_town][0]
    home = towns.store.residents.add_household(towns.admin, unit=grid, address=f"{name}家")
    person = towns.store.residents.add_resident(
        towns.admin, household_id=home.id, name=name, birth_date="1985-03-01", sex="M"
    )
    towns.store.points.earn(
        towns.admin, person.id, "volunteer", client_id=f"v-{person.id}", quantity=hours
    )
    return person.id


def balance(towns: PluginTowns, code: str) -> int:
    return towns.store.ledger.account(towns.admin, "points", code).balance


def sign(towns: PluginTowns, **fields: Any) -> commgov.RecordView:
    fields.setdefault("community", community(towns))
    fields.setdefault("partner", "万家乐超市")
    return partners.sign(towns.store, towns.admin, **fields)


def test_a_service_for_charity_credits_the_partner(towns: PluginTowns) -> None:
    signed = sign(towns, ref="a1", mode="service_for_charity", points=120, description="义剪")
    assert balance(towns, "partner:万家乐超市") == 120
    assert signed.data["effect"] == {"credited": 120, "account": "partner:万家乐超市"}
    sign(towns, ref="a2", mode="venue_for_service", points=30)
    assert balance(towns, "partner:万家乐超市") == 150
    assert _balanced(towns)


def _balanced(towns: PluginTowns) -> bool:
    books = towns.store.ledger.books(towns.admin, "points")
    posted = books["debits_posted"] == books["credits_posted"] > 0
    return posted and books["debits_pending"] == books["credits_pending"]


def test_points_exchange_puts_goods_in_the_catalogue_paid_to_the_partner(
    towns: PluginTowns,
) -> None:
    buyer = volunteer(towns, 4)  # 60 points in Xinhe
    signed = sign(towns, ref="x1", mode="points_exchange", reward="食用油", price=40, stock=1)
    reward_id = signed.data["effect"]["reward_id"]
    towns.store.points.redeem(towns.admin, buyer, reward_id, client_id="r1")
    assert balance(towns, "partner:万家乐超市") == 40
    assert balance(towns, f"resident:{buyer}") == 20
    other = volunteer(towns, 4, name="邻居")
    with pytest.raises(commgov.ValidationError):  # sold out: one bottle only
        towns.store.points.redeem(towns.admin, other, reward_id, client_id="r2")
    assert _balanced(towns)


def test_resident_funding_pools_points_all_or_nothing(towns: PluginTowns) -> None:
    rich, poor = volunteer(towns, 4), volunteer(towns, 1, name="新人")  # 60 and 15 points
    with pytest.raises(commgov.CommgovError):
        sign(towns, ref="f1", mode="resident_funding", contributions={rich: 30, poor: 50})
    assert balance(towns, f"resident:{rich}") == 60  # the first contribution was not taken
    assert partners.agreements(towns.store, towns.admin, towns.plugin_town) == []
    sign(towns, ref="f2", mode="resident_funding", contributions={rich: 30, poor: 10})
    assert balance(towns, f"pool:{community(towns)}") == 40
    assert _balanced(towns)


def test_record_only_modes_and_a_ref_signed_once(towns: PluginTowns) -> None:
    sign(towns, ref="n1", mode="honour_naming", description="万家乐·幸福邻里节")
    sign(towns, ref="t1", mode="charity_trial", description="健康小屋体验")
    donated = sign(towns, ref="d1", mode="donation", reward="图书", price=10, stock=20)
    reward_id = donated.data["effect"]["reward_id"]
    assert towns.store.points.reward(towns.admin, reward_id).partner is None
    with pytest.raises(commgov.ConflictError, match="n1"):
        sign(towns, ref="n1", mode="honour_naming")
    kept = partners.agreements(towns.store, towns.admin, towns.plugin_town)
    assert [r.ref for r in kept] == ["n1", "t1", "d1"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"mode": "barter"}, "mode"),
        ({"mode": "service_for_charity"}, "points"),
        ({"mode": "service_for_charity", "points": -5}, "points"),
        ({"mode": "points_exchange", "reward": "油", "price": 5}, "stock"),
        ({"mode": "honour_naming", "ref": "has space"}, "ref"),
        ({"mode": "honour_naming", "colour": "red"}, "colour"),
        ({"mode": "resident_funding", "contributions": {}}, "contributions"),
    ],
)
def test_bad_agreements_name_the_field_and_write_nothing(
    towns: PluginTowns, fields: dict[str, Any], field: str
) -> None:
    fields.setdefault("ref", "bad1")
    with pytest.raises(commgov.ValidationError) as caught:
        sign(towns, **fields)
    assert caught.value.field == field
    assert partners.agreements(towns.store, towns.admin, towns.plugin_town) == []
    with pytest.raises(commgov.NotFoundError):
        towns.store.ledger.account(towns.admin, "points", "partner:万家乐超市")
