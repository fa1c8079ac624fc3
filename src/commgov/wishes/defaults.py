"""The core's wish rules, registered as a plugin like any town's (town plugins answer first):
the default categories, the triage rule (``commgov.wishes.model.tiers``), the reward rule and
who may do what with wishes."""

from __future__ import annotations

from commgov.kernel import actors as roles
from commgov.kernel.access import Target
from commgov.kernel.actors import Actor
from commgov.kernel.markers import hookimpl
from commgov.wishes.model.categories import DEFAULT_WISH_CATEGORIES
from commgov.wishes.model.rules import TierDecision, WishCategory, WishInfo, WishReward
from commgov.wishes.model.tiers import default_tier
from commgov.wishes.model.vocab import WISH_ACTIONS, WISH_POST, WISH_READ

NAME = "commgov.wish_defaults"
_STAFF = (roles.TOWN_ADMIN, roles.COMMUNITY_STAFF, roles.GRID_WORKER)


@hookimpl
def commgov_wish_categories() -> list[WishCategory]:
    return list(DEFAULT_WISH_CATEGORIES)


@hookimpl
def commgov_wish_tier(wish: WishInfo) -> TierDecision:
    return default_tier(wish)


@hookimpl
def commgov_wish_reward(wish: WishInfo, helper_kind: str) -> WishReward:
    """A resident who helps meet a want earns ``neighbour_help`` once; a resident whose
    suggestion is adopted earns ``suggestion_accepted`` once; staff, organisations and
    partners earn nothing; no minutes are banked."""
    if helper_kind != "resident":
        return WishReward()
    if wish.kind == "suggestion":
        return WishReward(activity="suggestion_accepted", points=1)
    return WishReward(activity="neighbour_help", points=1)


@hookimpl  # not trylast: the core's trylast default would answer (False) first
def commgov_permission(actor: Actor, action: str, target: Target, acts_as: str) -> bool | None:
    """Wish actions: residents post, withdraw, accept, decline and fulfil for their own
    household and read where they live (the service names that household in the target);
    staff act within their reach; department staff read within theirs."""
    if action not in WISH_ACTIONS:
        return None
    if acts_as == roles.SYSTEM:
        return True
    if acts_as == roles.RESIDENT:
        own = target.household_id is not None and target.household_id == actor.household_id
        return own and action in (WISH_POST, WISH_READ)
    if acts_as in _STAFF:
        return target.within(actor.units)
    if acts_as == roles.DEPARTMENT_STAFF:
        return action == WISH_READ and target.within(actor.units)
    return False
