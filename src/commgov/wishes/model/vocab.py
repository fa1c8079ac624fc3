"""The words of micro-wishes: states, match states, permissions, referral targets."""

from __future__ import annotations

from typing import Final, Literal, get_args

from commgov.wishes.model.rules import Tier

WishState = Literal["open", "matched", "fulfilled", "expired", "withdrawn", "adopted"]
WISH_STATES: Final[tuple[WishState, ...]] = get_args(WishState)
STATE_LABELS: Final[dict[WishState, str]] = {
    "open": "待认领 open",
    "matched": "已对接 matched",
    "fulfilled": "已实现 fulfilled",
    "expired": "已过期 expired",
    "withdrawn": "已撤回 withdrawn",
    "adopted": "已采纳 adopted",
}
WANT_OPEN: Final[tuple[WishState, ...]] = ("open", "matched")
"""A want still to be met: nobody accepted yet (``open``) or someone did (``matched``)."""

MatchState = Literal["proposed", "accepted", "declined", "cancelled", "fulfilled"]
MATCH_STATES: Final[tuple[MatchState, ...]] = get_args(MatchState)
LIVE_MATCHES: Final[tuple[MatchState, ...]] = ("proposed", "accepted")
"""Matches still to be decided or carried out."""
HOLDING: Final[tuple[MatchState, ...]] = ("proposed", "accepted", "fulfilled")
"""Matches that hold part of their offer's capacity (a declined or cancelled one gives it
back)."""

ReferTo = Literal["topic", "project"]
REFER_TO: Final[dict[ReferTo, str]] = {
    "topic": "议事议题 a council topic",
    "project": "项目 a project",
}

TIER_DAYS: Final[dict[Tier, int]] = {"now": 14, "soon": 90, "future": 365}
"""Days from the wish's day to its target in the core's default rule, and from the day of
triage when staff name a tier without a target."""

WISH_POST: Final = "wish.post"
"""Post a wish, withdraw it, propose one's own offer, accept, decline and fulfil one's own
want: a resident for their household, staff within their reach."""
WISH_READ: Final = "wish.read"
"""Read wishes, the timetable and the statistics of a unit."""
WISH_MANAGE: Final = "wish.manage"
"""Triage, propose any offer, turn a suggestion into a case or refer it, expire wants: staff
within their reach."""
WISH_ACTIONS: Final = (WISH_POST, WISH_READ, WISH_MANAGE)
