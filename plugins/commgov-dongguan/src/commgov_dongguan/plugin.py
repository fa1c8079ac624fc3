"""The hooks of Dongguan's micro-governance (loaded through the ``commgov`` entry point)."""

from __future__ import annotations

from commgov import ServiceItem, TierDecision, WishCategory, WishInfo, hookimpl
from commgov_dongguan import catalogue, vocab, wishes

commgov_plugin_name = vocab.NAME


@hookimpl
def commgov_department_kinds() -> dict[str, str]:
    return dict(vocab.DEPARTMENT_KINDS)


@hookimpl
def commgov_care_groups() -> dict[str, str]:
    return dict(vocab.CARE_GROUPS)


@hookimpl
def commgov_wish_categories() -> list[WishCategory]:
    return wishes.categories()


@hookimpl
def commgov_wish_tier(wish: WishInfo) -> TierDecision | None:
    return wishes.tier(wish)


@hookimpl
def commgov_service_catalogue() -> list[ServiceItem]:
    return catalogue.items()
