"""Calling the wish hooks, each answer checked before it is used: the category registry
(cached per store by the service), the triage and reward rules of the wish's unit, and the
match notice."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from commgov.errors import PluginError
from commgov.kernel.calls import expect, merge_specs, registry
from commgov.kernel.host import PluginHost
from commgov.wishes.model.categories import WishCategories
from commgov.wishes.model.rules import TIERS, MatchInfo, TierDecision, WishCategory, WishInfo
from commgov.wishes.model.rules import WishReward as Reward

CATEGORIES: Final = "commgov_wish_categories"


def categories(plugins: PluginHost) -> WishCategories:
    """Every wish category and item in the store, from ``commgov_wish_categories`` (a later
    plugin may replace a code), checked."""
    specs = merge_specs(registry(plugins, CATEGORIES), WishCategory, lambda s: s.code, CATEGORIES)
    return WishCategories.build(specs.values())


class WishRules:
    """The rule hooks as the services use them, with the plugins of each unit looked up once."""

    def __init__(self, plugins: PluginHost) -> None:
        self._plugins = plugins
        self._hooks: dict[str, Any] = {}

    def hooks(self, unit_path: str) -> Any:
        found = self._hooks.get(unit_path)
        if found is None:
            found = self._hooks[unit_path] = self._plugins.rules(unit_path)
        return found

    def tier(self, wish: WishInfo) -> TierDecision:
        answer = self.hooks(wish.unit_path).commgov_wish_tier(wish=wish)
        decision = expect(answer, TierDecision, "commgov_wish_tier")
        if decision.tier not in TIERS or not _is_day(decision.target):
            raise PluginError(f"commgov_wish_tier returned {decision!r}: unknown tier or no date")
        if decision.target < wish.created_at.date():
            raise PluginError(
                f"commgov_wish_tier returned {decision!r}: the target is before the wish was made"
            )
        return decision

    def reward(self, wish: WishInfo, helper_kind: str) -> Reward:
        answer = self.hooks(wish.unit_path).commgov_wish_reward(wish=wish, helper_kind=helper_kind)
        reward = expect(answer, Reward, "commgov_wish_reward")
        for field in ("points", "minutes"):
            value = getattr(reward, field)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise PluginError(f"commgov_wish_reward returned {reward!r}: {field} must be ≥ 0")
        if reward.points and not isinstance(reward.activity, str):
            raise PluginError(f"commgov_wish_reward returned {reward!r}: points need an activity")
        return reward

    def matched(self, match: MatchInfo) -> None:
        self.hooks(match.want.unit_path).commgov_wish_matched(match=match)


def _is_day(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


__all__ = ["CATEGORIES", "WishRules", "categories"]
