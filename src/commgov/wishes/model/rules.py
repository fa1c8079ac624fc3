"""What the wish rule hooks receive and return (plain attrs, safe to hand to plugins)."""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal, get_args

import attrs

WishKind = Literal["want", "offer", "suggestion"]
WISH_KINDS: Final[dict[WishKind, str]] = {
    "want": "我想要 a want",
    "offer": "我愿做 an offer",
    "suggestion": "我期望 a suggestion",
}
Tier = Literal["now", "soon", "future"]
TIERS: Final[tuple[Tier, ...]] = get_args(Tier)
TIER_LABELS: Final[dict[Tier, str]] = {
    "now": "立即实现 can be met now",
    "soon": "近期努力实现 worked towards soon",
    "future": "未来争取实现 may be won in future",
}
AuthorKind = Literal["resident", "staff", "organisation", "partner"]


@attrs.frozen
class WishCategory:
    """A category (``elder``) or an item under it (``elder.meal``) a plugin registers, as
    dotted codes like case categories; Mingshangju grouped 180 wishes into 8 categories and
    50 items."""

    code: str
    label: str

    @property
    def parent(self) -> str | None:
        head, dot, _ = self.code.rpartition(".")
        return head if dot else None


@attrs.frozen
class WishInfo:
    """What a wish rule hook sees of a wish: codes and dates, no personal data.
    ``created_at`` is aware, in the store's zone."""

    id: int | None
    kind: WishKind
    category: str
    unit_code: str
    unit_path: str
    created_at: dt.datetime
    wanted_by: dt.date | None = None
    text: str = ""
    quantity: int = 1


@attrs.frozen
class TierDecision:
    """The tier hook's answer: the tier and the date the community aims to meet it by."""

    tier: Tier
    target: dt.date


@attrs.frozen
class WishReward:
    """What fulfilling a wish pays each helper: ``points`` times the town's points activity
    ``activity`` (its points table decides the amount and the caps) and ``minutes`` banked in
    the time bank for the wish's author. Zero pays nothing."""

    activity: str | None = None
    points: int = 0
    minutes: int = 0


@attrs.frozen
class MatchInfo:
    """A proposed match of an offer to a want: ``quantity`` of the offer's capacity, the
    ranking ``score`` and its reasons (``same category``, ``same unit`` …)."""

    id: int
    want: WishInfo
    offer: WishInfo
    quantity: int
    score: float
    reasons: tuple[str, ...] = ()
