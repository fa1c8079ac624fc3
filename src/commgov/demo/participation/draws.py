"""Seeded draws the season's choices share."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence


def weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def stars(rng: random.Random, weights: Sequence[int]) -> int:
    return rng.choices(range(1, 6), weights=weights)[0]


def hours(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(hours=rng.uniform(low, high))
