"""One test per ledger hook: a town plugin changes the rule in its town only."""

from __future__ import annotations

import datetime as dt

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
