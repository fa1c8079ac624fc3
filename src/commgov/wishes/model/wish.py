"""A wish and a match as the store keeps them (plain values the repository hands out)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from commgov.wishes.model.rules import AuthorKind, Tier, WishInfo, WishKind
from commgov.wishes.model.vocab import MatchState, WishState


@attrs.frozen
class Wish:
    """One wish. ``committed`` is, for an offer, the capacity its proposed, accepted and
    fulfilled matches hold; for a want, the quantity its accepted and fulfilled matches
    cover."""

    id: int
    kind: WishKind
    state: WishState
    unit_id: int
    unit_code: str
    unit_path: str
    unit_parent_id: int | None
    category: str
    text: str
    author_kind: AuthorKind
    author_resident_id: int | None
    author_staff_id: int | None
    author_name: str | None
    author_ref: str | None
    address: str | None
    lat: float | None
    lon: float | None
    photos: tuple[str, ...]
    wanted_by: dt.date | None
    quantity: int
    committed: int
    tier: Tier | None
    target: dt.date | None
    created_at: dt.datetime
    created_by: str
    closed_at: dt.datetime | None = None
    closed_reason: str | None = None
    rating: int | None = None
    evidence: tuple[str, ...] = ()
    note: str | None = None
    case_id: int | None = None
    referred_to: str | None = None
    reference: str | None = None
    rewards: tuple[dict[str, Any], ...] = ()

    @property
    def spare(self) -> int:
        """What the wish has left: an offer's free capacity, a want's uncovered quantity."""
        return self.quantity - self.committed

    def info(self, zone: dt.tzinfo) -> WishInfo:
        """What the rule hooks see of it (no personal data)."""
        return WishInfo(
            id=self.id,
            kind=self.kind,
            category=self.category,
            unit_code=self.unit_code,
            unit_path=self.unit_path,
            created_at=self.created_at.astimezone(zone),
            wanted_by=self.wanted_by,
            text=self.text,
            quantity=self.quantity,
        )


@attrs.frozen
class Match:
    """An offer proposed for a want: ``quantity`` of the offer's capacity."""

    id: int
    want_id: int
    offer_id: int
    quantity: int
    score: float
    reasons: tuple[str, ...]
    state: MatchState
    proposed_by: str
    proposed_at: dt.datetime
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    note: str | None = None


__all__ = ["Match", "Wish"]
