"""What every part of the season shares, and what it keeps about each community."""

from __future__ import annotations

import random
from collections import Counter

import attrs

from commgov.demo.community.plan import CommunityPlan
from commgov.demo.community.timeline import Timeline
from commgov.demo.participation.cast import Cast, Community
from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.people.views import ResidentView


@attrs.frozen
class Stage:
    """The store, the town's cast, the seeded generator every choice comes from, the season's
    timeline and plan, and the figures it counts (``full``: bookings refused as full, by the
    code of the resource's community)."""

    cg: Commgov
    cast: Cast
    rng: random.Random
    timeline: Timeline
    plan: CommunityPlan
    figures: Counter[str]
    full: Counter[str]


@attrs.define
class Neighbourhood:
    """A community through the season: its neighbour (whom its volunteers serve too, and
    whose residents share its ground), its resources, organisations and their people."""

    community: Community
    neighbour: Community
    index: int
    """The community's turn in the town: choir or drum team, rehearsal evening, the day of
    the volunteers' activity."""
    resources: dict[str, int] = attrs.Factory(dict)
    """Resource ids by facility key (``room``, ``ground``, ``tools``, ``hall``)."""
    team_id: int = 0
    group_id: int = 0
    branch_id: int = 0
    team_leader: ResidentView | None = None
    group_leader: ResidentView | None = None
    volunteers: list[ResidentView] = attrs.Factory(list)
    """The volunteer team's members besides its leader (the party members among them)."""
    singers: list[ResidentView] = attrs.Factory(list)
    party: list[ResidentView] = attrs.Factory(list)
    """The residents registered with the community's branch (the first is its secretary)."""
    rehearsals: dict[int, int] = attrs.Factory(dict)
    """The room's booking for each week's rehearsal, by week."""


def person(resident: ResidentView) -> Actor:
    """A resident acting as themselves."""
    return Actor.resident(resident.name, resident.household_id, resident.id)


def adults(community: Community) -> list[ResidentView]:
    """The community's residents taking part who are 18 to 75 in 2026, by id."""
    return [r for r in community.residents if 1951 <= r.birth_date.year <= 2008]
