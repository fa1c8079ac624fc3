"""One test per ledger hook: a town plugin changes the rule in its town only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.conftest import make_identity

import commgov
from commgov.ledger.model.rules import HonourTier, PointsRule, TimeBankPolicy
from commgov.testing import PluginTowns, plugin_towns


class GreenTown:
    """A town that pays more for waste sorting, keeps points forever, has its own honours and
    a time bank without pools."""

    commgov_plugin_name = "green-town"

    @commgov.hookimpl
    def commgov_points_table(self) -> dict[str, PointsRule]:
        return {"waste_sorting": PointsRule(5, "垃圾分类", cap_per_day=5)}

    @commgov.hookimpl
    def commgov_points_expiry(self, earned_at: dt.datetime) -> dt.datetime | None:
        return dt.datetime(9999, 1, 1, tzinfo=dt.UTC)

    @commgov.hookimpl
    def commgov_honour_tiers(self) -> list[HonourTier]:
        return [HonourTier(5, "绿色家庭 green household")]

    @commgov.hookimpl
    def commgov_timebank_policy(self) -> TimeBankPolicy:
        return TimeBankPolicy(pool_donations=False)


def residents(towns: PluginTowns) -> tuple[int, int]:
    """A resident in the plugin's town and one in the default town."""
    ids = []
    for n, town in enumerate((towns.plugin_town, towns.default_town)):
        home = towns.store.residents.add_household(
            towns.admin, unit=towns.grids[town][0], address="1 Road"
        )
        person = towns.store.residents.add_resident(
            towns.admin,
            household_id=home.id,
            name="居民",
            identity_number=make_identity("19800101", 2 * n + 1),
        )
        ids.append(person.id)
    return ids[0], ids[1]


def test_hook_commgov_points_table() -> None:
    with plugin_towns(GreenTown()) as towns:
        green, plain = residents(towns)
        assert (
            towns.store.points.earn(towns.admin, green, "waste_sorting", client_id="a").granted == 5
        )
        assert (
            towns.store.points.earn(towns.admin, plain, "waste_sorting", client_id="b").granted == 2
        )
        with pytest.raises(commgov.ValidationError):
            towns.store.points.earn(
                towns.admin, green, "volunteer", client_id="c"
            )  # not in its table
        assert set(towns.store.points.table(towns.default_town)) >= {"volunteer", "waste_sorting"}


def test_hook_commgov_points_expiry() -> None:
    with plugin_towns(GreenTown()) as towns:
        green, plain = residents(towns)
        towns.store.points.earn(towns.admin, green, "waste_sorting", client_id="a")
        towns.store.points.earn(towns.admin, plain, "waste_sorting", client_id="b")
        expired = towns.store.points.expire(towns.admin, now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
        assert expired == 2  # only the default town's points expire
        assert towns.store.points.balance(towns.admin, green).balance == 5  # type: ignore[union-attr]


def test_hook_commgov_honour_tiers() -> None:
    with plugin_towns(GreenTown()) as towns:
        green, plain = residents(towns)
        towns.store.points.earn(towns.admin, green, "waste_sorting", client_id="a")
        towns.store.points.earn(towns.admin, plain, "waste_sorting", client_id="b")
        assert towns.store.points.honour(towns.admin, green) == (5, "绿色家庭 green household")
        assert towns.store.points.honour(towns.admin, plain) == (2, None)


def test_hook_commgov_timebank_policy() -> None:
    with plugin_towns(GreenTown()) as towns:
        green, plain = residents(towns)
        cg, start = towns.store, dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC)
        for who, other, cid in ((green, plain, "g"), (plain, green, "p")):
            service = cg.timebank.record(
                towns.admin,
                provider_id=who,
                recipient_id=other,
                kind="陪伴",
                start=start,
                end=start + dt.timedelta(hours=1),
                client_id=cid,
            )
            cg.timebank.confirm(towns.admin, service.id)
        with pytest.raises(commgov.StateError, match="donations"):
            cg.timebank.donate(
                towns.admin,
                green,
                minutes=10,
                community=towns.communities[towns.plugin_town][0],
                client_id="d1",
            )
        cg.timebank.donate(
            towns.admin,
            plain,
            minutes=10,
            community=towns.communities[towns.default_town][0],
            client_id="d2",
        )


# -- a plugin answering with the wrong type: a PluginError naming the hook, nothing written --


class TableOfNumbers:
    commgov_plugin_name = "table-of-numbers"

    @commgov.hookimpl
    def commgov_points_table(self) -> Any:
        return {"waste_sorting": 5}  # a number, not a PointsRule


class TableAsList:
    commgov_plugin_name = "table-as-list"

    @commgov.hookimpl
    def commgov_points_table(self) -> Any:
        return [PointsRule(5)]


class ExpiryAsText:
    commgov_plugin_name = "expiry-as-text"

    @commgov.hookimpl
    def commgov_points_expiry(self, earned_at: dt.datetime) -> Any:
        return "2026-01-01"


class TiersAsDict:
    commgov_plugin_name = "tiers-as-dict"

    @commgov.hookimpl
    def commgov_honour_tiers(self) -> Any:
        return {100: "热心居民"}


class TierOfTuples:
    commgov_plugin_name = "tier-of-tuples"

    @commgov.hookimpl
    def commgov_honour_tiers(self) -> Any:
        return [(100, "热心居民")]


class PolicyAsDict:
    commgov_plugin_name = "policy-as-dict"

    @commgov.hookimpl
    def commgov_timebank_policy(self) -> Any:
        return {"pool_donations": False}


@pytest.mark.parametrize("plugin", [TableOfNumbers(), TableAsList()])
def test_a_points_table_of_the_wrong_type_is_a_plugin_error(plugin: object) -> None:
    with plugin_towns(plugin) as towns:
        green, plain = residents(towns)
        cg = towns.store
        before = cg.ledger.books(towns.admin, "points")
        with pytest.raises(commgov.PluginError, match="commgov_points_table"):
            cg.points.earn(towns.admin, green, "waste_sorting", client_id="a")
        with pytest.raises(commgov.PluginError, match="commgov_points_table"):
            cg.points.earn_many(
                towns.admin,
                [
                    {"resident_id": plain, "activity": "waste_sorting", "client_id": "b"},
                    {"resident_id": green, "activity": "waste_sorting", "client_id": "c"},
                ],
            )
        with pytest.raises(commgov.PluginError, match="commgov_points_table"):
            cg.points.table(towns.plugin_town)
        assert cg.ledger.books(towns.admin, "points") == before
        assert cg.points.earn(towns.admin, plain, "waste_sorting", client_id="d").granted == 2


def test_a_points_expiry_of_the_wrong_type_is_a_plugin_error() -> None:
    with plugin_towns(ExpiryAsText()) as towns:
        green, _ = residents(towns)
        cg = towns.store
        cg.points.earn(towns.admin, green, "waste_sorting", client_id="a")
        with pytest.raises(commgov.PluginError, match=r"commgov_points_expiry returned '2026"):
            cg.points.expire(towns.admin, now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
        assert cg.points.balance(towns.admin, green).balance == 2  # type: ignore[union-attr]


@pytest.mark.parametrize("plugin", [TiersAsDict(), TierOfTuples()])
def test_honour_tiers_of_the_wrong_type_are_a_plugin_error(plugin: object) -> None:
    with plugin_towns(plugin) as towns:
        green, plain = residents(towns)
        with pytest.raises(commgov.PluginError, match="commgov_honour_tiers"):
            towns.store.points.honour(towns.admin, green)
        assert towns.store.points.honour(towns.admin, plain) == (0, None)


def test_a_timebank_policy_of_the_wrong_type_is_a_plugin_error() -> None:
    with plugin_towns(PolicyAsDict()) as towns:
        green, plain = residents(towns)
        cg, start = towns.store, dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC)
        service = cg.timebank.record(
            towns.admin,
            provider_id=green,
            recipient_id=plain,
            kind="陪伴",
            start=start,
            end=start + dt.timedelta(hours=1),
            client_id="s",
        )
        cg.timebank.confirm(towns.admin, service.id)
        before = cg.ledger.books(towns.admin, "time")
        with pytest.raises(commgov.PluginError, match="commgov_timebank_policy"):
            cg.timebank.donate(
                towns.admin,
                green,
                minutes=10,
                community=towns.communities[towns.plugin_town][0],
                client_id="d",
            )
        with pytest.raises(commgov.PluginError, match="commgov_timebank_policy"):
            cg.timebank.grant(
                towns.admin,
                community=towns.communities[towns.plugin_town][0],
                elder_id=green,
                minutes=10,
                client_id="g",
            )
        assert cg.ledger.books(towns.admin, "time") == before
        cg.timebank.redeem_care(towns.admin, green, minutes=10, client_id="care")  # no policy
