"""Points (积分) as pure rules: what an earning asks for, the day and month caps, rewards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from commgov.errors import ValidationError
from commgov.kernel.times import day_start, local_date, month_start
from commgov.ledger.model.bounds import (
    MAX_AMOUNT,
    REASON_MAX,
    caller_client_id,
    entity_id,
    text,
    whole,
)
from commgov.ledger.model.rules import PointsRule

CapKey = tuple[int, str]
"""(the resident's account id, the earning's reason ``earn:<activity>``)."""


@attrs.frozen
class EarnRequest:
    """One earning for ``points.earn_many``: ``quantity`` occurrences (or hours, for an hourly
    activity) of ``activity`` by ``resident_id``, its ``client_id`` the idempotency key."""

    resident_id: int
    activity: str
    client_id: str
    quantity: int = 1

    @property
    def reason(self) -> str:
        return earn_reason(self.activity)

    def check(self) -> None:
        """Field checks that need no store; raises ``ValidationError``."""
        entity_id("resident_id", self.resident_id)
        text("activity", self.activity, REASON_MAX - len(earn_reason("")))
        caller_client_id(self.client_id)
        whole("quantity", self.quantity)

    def asked(self, rule: PointsRule) -> int:
        """The points ``rule`` gives for this earning before the caps: at most
        ``MAX_AMOUNT``, else a ``ValidationError`` on ``quantity``."""
        points = rule.points * self.quantity
        if points > MAX_AMOUNT:
            raise ValidationError(
                "quantity", self.quantity, f"asks {points} points; at most {MAX_AMOUNT} at once"
            )
        return points


def as_earning(item: EarnRequest | Mapping[str, Any]) -> EarnRequest:
    """An ``EarnRequest`` from itself or a mapping of its fields (a missing or unknown field is a
    ``ValidationError``)."""
    if isinstance(item, EarnRequest):
        return item
    try:
        return EarnRequest(**item)
    except TypeError as exc:
        raise ValidationError("earning", sorted(item), str(exc)) from None


def earn_reason(activity: str) -> str:
    return f"earn:{activity}"


def cap_periods(now: dt.datetime, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """When the day and the month of ``now`` began in the store's ``zone``, in UTC: the caps
    count what was earned since."""
    return day_start(local_date(now, zone), zone), month_start(now, zone)


def capped(rule: PointsRule, asked: int, today: int, this_month: int) -> int:
    """What may be granted of ``asked`` when ``today`` and ``this_month`` points were earned
    already for the activity: never more than the day's or the month's cap leaves."""
    granted = asked
    for cap, earned in ((rule.cap_per_day, today), (rule.cap_per_month, this_month)):
        if cap is not None:
            granted = min(granted, max(cap - earned, 0))
    return granted


@attrs.define
class CapTally:
    """Points earned today and this month per ``CapKey``, kept current as earnings are granted
    one after another (so a register's caps apply in its order)."""

    earned: dict[CapKey, tuple[int, int]] = attrs.Factory(dict)

    def grant(self, key: CapKey, rule: PointsRule, asked: int) -> int:
        """What the caps allow of ``asked``, counted as earned."""
        today, month = self.earned.get(key, (0, 0))
        granted = capped(rule, asked, today, month)
        self.earned[key] = (today + granted, month + granted)
        return granted


def expirable(earned_expired: int, spent: int, already_expired: int, available: int) -> int:
    """Points to expire now: those earned by the expiry date, less what was spent (spending
    takes the oldest points first) and what expired before, and never what a pending transfer
    holds (``available`` is the balance less holds)."""
    return min(max(0, earned_expired - spent - already_expired), available)


@attrs.frozen
class Reward:
    """A reward in a unit's catalogue: its price in points, the items left, and the partner
    account (社区合伙人) that receives the points, if any."""

    id: int
    unit_id: int
    name: str
    price: int
    stock: int
    partner_account_id: int | None = None


def trimmed_by(rule: PointsRule, asked: int, today: int, this_month: int) -> tuple[str, int] | None:
    """Which cap (``("day", cap)`` or ``("month", cap)``) trims ``asked`` when ``today`` and
    ``this_month`` points were earned already for the activity; ``None`` when none does."""
    left: list[tuple[int, str, int]] = []
    if rule.cap_per_day is not None:
        left.append((rule.cap_per_day - today, "day", rule.cap_per_day))
    if rule.cap_per_month is not None:
        left.append((rule.cap_per_month - this_month, "month", rule.cap_per_month))
    if not left:
        return None
    room, which, cap = min(left)
    return (which, cap) if room < asked else None
