"""One test per wish hook: a plugin's answer is used, and a wrong answer is a PluginError."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import Town

import commgov
from commgov.wishes.model.rules import MatchInfo, TierDecision, WishCategory, WishInfo, WishReward

from .helpers import SOON, TODAY, WishTown, counts, wish_town


class Plugin:
    commgov_plugin_name = "test-wishes"


def enable(wt: WishTown, plugin: object, unit: str | None = None) -> None:
    name = wt.cg.add_plugin(plugin)
    wt.cg.enable_plugins(wt.admin, unit or wt.town.community_a, [name])


def test_hook_commgov_wish_categories(town: Town) -> None:
    wt = wish_town(town)

    class Pets(Plugin):
        @commgov.hookimpl
        def commgov_wish_categories(self) -> list[WishCategory]:
            return [
                WishCategory("pets", "宠物 pets"),
                WishCategory("pets.walk", "遛狗 dog walking"),
            ]

    wt.cg.add_plugin(Pets())
    codes = {c.code: c for c in wt.wishes.categories()}
    assert codes["pets.walk"].parent == "pets" and "elder.meal" in codes
    assert wt.want(category="pets.walk", text="帮忙遛狗").category_label == "遛狗 dog walking"

    class Broken(Plugin):
        commgov_plugin_name = "broken"

        @commgov.hookimpl
        def commgov_wish_categories(self) -> list[str]:
            return ["pets"]

    wt.cg.add_plugin(Broken())
    with pytest.raises(commgov.PluginError, match="commgov_wish_categories"):
        wt.wishes.categories()


def test_hook_commgov_wish_tier(town: Town) -> None:
    wt = wish_town(town)
    seen: list[WishInfo] = []

    class Dongguan(Plugin):
        @commgov.hookimpl
        def commgov_wish_tier(self, wish: WishInfo) -> TierDecision | None:
            seen.append(wish)
            if wish.category.startswith("elder"):
                return TierDecision("now", wish.created_at.date() + dt.timedelta(days=3))
            return None

    enable(wt, Dongguan())
    elder = wt.want(category="elder.meal", text="送餐")
    study = wt.want(category="study.tutoring", text="辅导")
    b_side = wt.want("zhao", category="elder.meal", text="送餐")  # community B: no plugin
    assert wt.wishes.triage(wt.staff_a, elder.id).target == TODAY + dt.timedelta(days=3)
    assert wt.wishes.triage(wt.staff_a, study.id).tier == "soon"  # passed to the default
    assert wt.wishes.triage(wt.admin, b_side.id).tier == "soon"
    assert [w.id for w in seen] == [elder.id, study.id]
    assert seen[0].unit_code == wt.town.grid_a1 and seen[0].text == "送餐"

    class Backwards(Plugin):
        commgov_plugin_name = "backwards"

        @commgov.hookimpl(tryfirst=True)
        def commgov_wish_tier(self, wish: WishInfo) -> TierDecision:
            return TierDecision("now", dt.date(2000, 1, 1))

    enable(wt, Backwards(), wt.town.community_b)
    other = wt.want("zhao", text="x")
    before = counts(wt.cg)
    with pytest.raises(commgov.PluginError, match="before the wish was made"):
        wt.wishes.triage(wt.admin, other.id)
    assert counts(wt.cg) == before


def test_hook_commgov_wish_reward(town: Town) -> None:
    wt = wish_town(town)

    class Generous(Plugin):
        @commgov.hookimpl
        def commgov_wish_reward(self, wish: WishInfo, helper_kind: str) -> WishReward | None:
            if helper_kind == "resident" and wish.kind == "want":
                return WishReward(activity="volunteer", points=2, minutes=90)
            return None

    enable(wt, Generous())
    want = wt.want(wanted_by=SOON)
    offer = wt.offer()
    wt.wishes.accept_match(wt.actor("li"), wt.wishes.propose(wt.worker, want.id, offer.id).id)
    result = wt.wishes.fulfil(wt.actor("li"), want.id, rating=5)
    assert [(p.activity, p.points, p.minutes) for p in result.payments] == [("volunteer", 20, 90)]
    assert wt.points("zhang") == 20
    banked = wt.cg.ledger.account(wt.admin, "time", f"resident:{wt.rid('zhang')}")
    assert banked.balance == 90


def test_hook_commgov_wish_matched(town: Town) -> None:
    wt = wish_town(town)
    heard: list[MatchInfo] = []

    class Notify(Plugin):
        @commgov.hookimpl
        def commgov_wish_matched(self, match: MatchInfo) -> None:
            if match.want.text == "拒绝":
                raise commgov.ConflictError("the app refused the match")
            heard.append(match)

    enable(wt, Notify())
    want = wt.want(text="帮忙修门")
    offer = wt.offer(quantity=2)
    match = wt.wishes.propose(wt.worker, want.id, offer.id)
    (info,) = heard
    assert (info.id, info.want.id, info.offer.id, info.quantity) == (match.id, want.id, offer.id, 1)
    assert info.reasons == match.reasons and info.score == match.score
    refused = wt.want("zhang", text="拒绝")
    before = counts(wt.cg)
    with pytest.raises(commgov.ConflictError, match="refused"):
        wt.wishes.propose(wt.worker, refused.id, offer.id)
    assert counts(wt.cg) == before  # raising aborts the match
    assert wt.wishes.get(wt.worker, offer.id).committed == 1
