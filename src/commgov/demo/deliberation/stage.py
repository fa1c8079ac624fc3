"""What every part of the season shares."""

from __future__ import annotations

import random
from collections import Counter

import attrs

from commgov.demo.deliberation.homes import Homes
from commgov.demo.deliberation.plan import DeliberationPlan
from commgov.demo.deliberation.timeline import Timeline
from commgov.demo.participation.cast import Cast
from commgov.facade import Commgov


@attrs.frozen
class Stage:
    """The store, the town's cast, the seeded generator every choice comes from, the season's
    timeline and plan, the figures it counts and the compounds' households."""

    cg: Commgov
    cast: Cast
    rng: random.Random
    timeline: Timeline
    plan: DeliberationPlan
    figures: Counter[str]
    homes: Homes
