"""The ledger's rule hooks as the services call them: for the town of a unit, each answer
checked before it is used (a wrong type is a ``PluginError`` naming the hook and the value)."""

from __future__ import annotations

import datetime as dt
from typing import Final

from commgov.errors import PluginError
from commgov.kernel.calls import expect
from commgov.kernel.host import PluginHost
from commgov.ledger.model.bounds import MAX_AMOUNT
from commgov.ledger.model.rules import (
    EXCHANGE_RULES,
    POOL_TRANSFER_RULES,
    HonourTier,
    PointsRule,
    TimeBankPolicy,
)

POINTS_TABLE: Final = "commgov_points_table"
POINTS_EXPIRY: Final = "commgov_points_expiry"
HONOUR_TIERS: Final = "commgov_honour_tiers"
TIMEBANK_POLICY: Final = "commgov_timebank_policy"


def points_table(plugins: PluginHost, unit_path: str | None) -> dict[str, PointsRule]:
    """The activities that earn points at ``unit_path``, each with its rule (points a whole
    number from 1 to ``MAX_AMOUNT``, caps whole numbers from 0, or ``None``)."""
    answer = expect(plugins.rules(unit_path).commgov_points_table(), dict, POINTS_TABLE)
    return {
        expect(activity, str, POINTS_TABLE): _checked_rule(expect(rule, PointsRule, POINTS_TABLE))
        for activity, rule in answer.items()
    }


def _checked_rule(rule: PointsRule) -> PointsRule:
    def whole(value: object, least: int) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= least

    caps = (rule.cap_per_day, rule.cap_per_month)
    if not whole(rule.points, 1) or rule.points > MAX_AMOUNT:
        raise PluginError(f"{POINTS_TABLE} returned {rule!r}: points from 1 to {MAX_AMOUNT}")
    if not all(cap is None or whole(cap, 0) for cap in caps):
        raise PluginError(f"{POINTS_TABLE} returned {rule!r}: caps are whole numbers or None")
    return rule


def points_expiry(
    plugins: PluginHost, unit_path: str | None, earned_at: dt.datetime
) -> dt.datetime | None:
    """When points earned at ``earned_at`` (given in the store's zone) expire at
    ``unit_path`` (``None``: never); the answer must carry a time zone."""
    answer = plugins.rules(unit_path).commgov_points_expiry(earned_at=earned_at)
    if answer is None:
        return None
    expires = expect(answer, dt.datetime, POINTS_EXPIRY)
    if expires.utcoffset() is None:
        raise PluginError(f"{POINTS_EXPIRY} returned {answer!r}, a datetime without a time zone")
    return expires


def honour_tiers(plugins: PluginHost, unit_path: str | None) -> list[HonourTier]:
    """The honour tiers at ``unit_path``, lowest first."""
    answer = expect(plugins.rules(unit_path).commgov_honour_tiers(), list, HONOUR_TIERS)
    tiers = [expect(tier, HonourTier, HONOUR_TIERS) for tier in answer]
    return sorted(tiers, key=lambda t: t.lifetime_points)


def timebank_policy(plugins: PluginHost, unit_path: str | None) -> TimeBankPolicy:
    """What the time bank allows at ``unit_path`` (``exchange`` one of ``EXCHANGE_RULES``,
    ``pool_transfers`` one of ``POOL_TRANSFER_RULES``)."""
    answer = plugins.rules(unit_path).commgov_timebank_policy()
    policy = expect(answer, TimeBankPolicy, TIMEBANK_POLICY)
    if policy.exchange not in EXCHANGE_RULES or policy.pool_transfers not in POOL_TRANSFER_RULES:
        raise PluginError(
            f"{TIMEBANK_POLICY} returned {policy!r}: exchange is one of "
            f"{', '.join(EXCHANGE_RULES)}; pool_transfers one of {', '.join(POOL_TRANSFER_RULES)}"
        )
    return policy
