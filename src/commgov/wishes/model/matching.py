"""Ranking offers for a want, as a pure function: the score and the reasons behind it.

An offer is a candidate only in the want's category (``elder`` takes ``elder`` and every
``elder.*`` item). Its score adds up:

- kind: the same item ``SAME_ITEM``, else the same category ``SAME_CATEGORY``;
- place: ``SAME_GRID`` in the same unit, ``NEARBY`` when the units share their parent, or, when
  both carry a point, up to ``SAME_GRID`` falling to zero at ``NEAR_KM`` kilometres (the best
  of these counts);
- capacity: up to ``CAPACITY`` for covering what the want still needs;
- ratings: the offer's author's mean rating of wants fulfilled before, from
  ``-RATINGS`` (all 1) to ``+RATINGS`` (all 5); nothing without ratings.
"""

from __future__ import annotations

import math
from typing import Final

import attrs

from commgov.wishes.model.categories import top

SAME_ITEM: Final = 3.0
SAME_CATEGORY: Final = 2.0
SAME_GRID: Final = 1.0
NEARBY: Final = 0.5
NEAR_KM: Final = 5.0
CAPACITY: Final = 0.5
RATINGS: Final = 0.5
EARTH_KM: Final = 6371.0


@attrs.frozen
class Placed:
    """What ranking sees of a wish: its category and where it is."""

    category: str
    unit_id: int
    parent_id: int | None
    lat: float | None = None
    lon: float | None = None


@attrs.frozen
class Score:
    value: float
    reasons: tuple[str, ...]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two WGS-84 points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def rank(
    want: Placed, offer: Placed, *, need: int, spare: int, rating: float | None, rated: int
) -> Score | None:
    """The offer's score for the want, or ``None`` when it is not a candidate (another
    category, no spare capacity, nothing needed)."""
    if top(want.category) != top(offer.category) or spare <= 0 or need <= 0:
        return None
    reasons: list[str] = []
    if want.category == offer.category and "." in want.category:
        value = SAME_ITEM
        reasons.append("same item")
    else:
        value = SAME_CATEGORY
        reasons.append("same category")
    place, why = 0.0, ""
    if want.unit_id == offer.unit_id:
        place, why = SAME_GRID, "same unit"
    elif want.parent_id is not None and want.parent_id == offer.parent_id:
        place, why = NEARBY, "neighbouring unit"
    if None not in (want.lat, want.lon, offer.lat, offer.lon):
        km = distance_km(want.lat, want.lon, offer.lat, offer.lon)  # type: ignore[arg-type]
        near = SAME_GRID * max(0.0, 1 - km / NEAR_KM)
        if near > place:
            place, why = near, f"{km:.1f} km away"
    if why:
        value += place
        reasons.append(why)
    value += CAPACITY * min(spare, need) / need
    reasons.append("covers the need" if spare >= need else f"covers {spare} of {need}")
    if rating is not None and rated > 0:
        value += RATINGS * (rating - 3) / 2
        reasons.append(f"rated {rating:.1f} ({rated})")
    return Score(round(value, 4), tuple(reasons))


__all__ = ["Placed", "Score", "distance_km", "rank"]
