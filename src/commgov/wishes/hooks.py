"""Wish hooks: the category registry, the triage rule, the reward rule and the match notice.

``commgov_wish_categories`` is a registry hook (every available plugin). The tier and reward
hooks are ``firstresult`` rule hooks called on the plugins that apply to the wish's unit, the
core defaults (``commgov.wishes.defaults``) last. ``commgov_wish_matched`` is called on every
plugin that applies (each may notify)."""

from __future__ import annotations

from commgov.kernel.markers import hookspec
from commgov.wishes.model.rules import MatchInfo, TierDecision, WishCategory, WishInfo, WishReward


@hookspec
def commgov_wish_categories() -> list[WishCategory]:  # type: ignore[empty-body]
    """Wish categories and items this plugin adds, as dotted codes (``elder.meal``)."""


@hookspec(firstresult=True)
def commgov_wish_tier(wish: WishInfo) -> TierDecision | None:
    """The tier (立即实现 / 近期努力实现 / 未来争取实现) of a want or suggestion and its target
    date, or ``None`` to pass."""


@hookspec(firstresult=True)
def commgov_wish_reward(wish: WishInfo, helper_kind: str) -> WishReward | None:
    """What fulfilling ``wish`` pays a helper of ``helper_kind`` (``resident``, ``staff``,
    ``organisation``, ``partner``), or ``None`` to pass."""


@hookspec
def commgov_wish_matched(match: MatchInfo) -> None:
    """Called when an offer is proposed for a want, inside the match's unit of work (e.g. to
    notify the want's author). Raising aborts the match."""
