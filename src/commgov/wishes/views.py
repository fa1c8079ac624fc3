"""Read models handed to callers: wishes, matches, candidates, timetable rows, fulfilments,
statistics rows and categories. An author who is a person is shown masked (``张**``, no
address, no point) unless the caller may read that household's personal data."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from commgov.kernel.views import View


class WishCategoryView(View):
    code: str
    label: str
    parent: str | None = None


class WishView(View):
    """One wish. ``committed``: an offer's capacity held by its matches, or the quantity of a
    want its accepted matches cover; ``spare`` is what is left. ``author`` is the author's
    name (masked as the caller's rights require) or an organisation's name; ``masked`` says
    whether personal data was held back."""

    id: int
    kind: str
    kind_label: str
    state: str
    state_label: str
    unit_code: str
    category: str
    category_label: str
    text: str
    author_kind: str
    author_id: int | None = None
    author: str
    author_ref: str | None = None
    masked: bool = False
    address: str | None = None
    lat: float | None = None
    lon: float | None = None
    photos: tuple[str, ...] = ()
    wanted_by: dt.date | None = None
    quantity: int
    committed: int
    spare: int
    tier: str | None = None
    tier_label: str | None = None
    target: dt.date | None = None
    created_at: dt.datetime
    closed_at: dt.datetime | None = None
    closed_reason: str | None = None
    rating: int | None = None
    evidence: tuple[str, ...] = ()
    note: str | None = None
    case_id: int | None = None
    referred_to: str | None = None
    reference: str | None = None


class MatchView(View):
    """An offer proposed for a want, with the ranking's score and reasons."""

    id: int
    want_id: int
    offer_id: int
    quantity: int
    score: float
    reasons: tuple[str, ...] = ()
    state: str
    proposed_by: str
    proposed_at: dt.datetime
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    note: str | None = None


class CandidateView(View):
    """An open offer that could meet a want, best first."""

    offer: WishView
    score: float
    reasons: tuple[str, ...] = ()


class PaymentView(View):
    """What a fulfilment or an adoption paid one resident: points granted (after the town's
    caps) for ``activity``, and minutes banked in the time bank."""

    resident_id: int
    activity: str | None = None
    points: int = 0
    minutes: int = 0


class FulfilmentView(View):
    """A fulfilled want (or an adopted suggestion) and what it paid."""

    wish: WishView
    payments: tuple[PaymentView, ...] = ()


class TimetableRow(View):
    """One line of a community's timetable and project list (时间表和项目单): a triaged want or
    suggestion, its tier, target date, state and progress (the share of a want's quantity its
    accepted matches cover, 1.0 once fulfilled or adopted)."""

    wish_id: int
    kind: str
    unit_code: str
    category: str
    category_label: str
    text: str
    author: str
    tier: str
    tier_label: str
    target: dt.date
    state: str
    state_label: str
    quantity: int
    covered: int
    progress: float
    overdue: bool


class WishStatistics(View):
    """Wishes made in a period under one unit: counts by kind, tier, category (top level) and
    state; the fulfilment rate (fulfilled wants ÷ wants; ``None`` without wants) and the
    median days from a want to its fulfilment."""

    unit_code: str
    unit_name: str
    wishes: int = 0
    wants: int = 0
    offers: int = 0
    suggestions: int = 0
    by_tier: dict[str, int] = Field(default_factory=dict)
    by_category: dict[str, int] = Field(default_factory=dict)
    by_state: dict[str, int] = Field(default_factory=dict)
    fulfilled: int = 0
    fulfilment_rate: float | None = None
    median_days_to_fulfil: float | None = None


__all__ = [
    "CandidateView",
    "FulfilmentView",
    "MatchView",
    "PaymentView",
    "TimetableRow",
    "WishCategoryView",
    "WishStatistics",
    "WishView",
]
