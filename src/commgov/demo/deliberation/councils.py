"""Each community's neighbourhood council (邻里议事会): who sits on it, and what the season
keeps about it as it goes."""

from __future__ import annotations

import datetime as dt
import random

import attrs

from commgov.demo.deliberation.plan import COUNCIL_DAY, TERM_YEARS
from commgov.demo.deliberation.stage import Stage
from commgov.demo.deliberation.texts import (
    GIVEN_NAMES,
    POLICE_STATION,
    PROPERTY_COMPANIES,
    RENOVATIONS,
    SURNAMES,
    Renovation,
)
from commgov.demo.participation.cast import Community
from commgov.kernel.actors import Actor
from commgov.people.views import ResidentView


@attrs.define
class Chamber:
    """A community's council through the season: its members, the compound whose
    micro-renovation it takes up, and what followed from its resolutions."""

    community: Community
    council_id: int
    residents: list[ResidentView]
    """The residents on the council: its representatives, then the other owners' committee
    member."""
    others: list[str]
    """Person keys of the members who are neither residents nor staff (``member:5``)."""
    secretary: int
    """The staff id of the community's work station, the council's secretary."""
    compound: tuple[str, str]
    """The comprehensive grid (code, name) whose micro-renovation the council takes up."""
    renovation: Renovation
    owners_compound: tuple[str, str] | None = None
    """Where the owners decide under Civil Code art. 278 (one compound in the town)."""
    vote_id: int | None = None
    """The households' vote on the micro-renovation."""
    owners_vote_id: int | None = None
    project_id: int | None = None
    vote_carried: bool | None = None
    """Whether the households said yes (``None`` until their vote closes)."""


def person(resident: ResidentView) -> Actor:
    """A resident acting as themselves (for their household too)."""
    return Actor.resident(resident.name, resident.household_id, resident.id)


def term(start: dt.date) -> tuple[dt.date, dt.date]:
    end = start.replace(year=start.year + TERM_YEARS) - dt.timedelta(days=1)
    return start, end


def seat_council(stage: Stage, community: Community) -> Chamber:
    """Set up the community's council and seat its members for three years: residents'
    representatives (one chairs, one also sits for the owners' committee), another owner
    for the committee, the property company and the community police by name, and the work
    station as secretary."""
    cg, rng, plan, figures = stage.cg, stage.rng, stage.plan, stage.figures
    office = community.office
    assert office.staff_id is not None and community.grids
    adults = [r for r in community.residents if r.birth_date.year <= 1990]
    chosen = rng.sample(adults, min(len(adults), plan.representatives + 1))
    representatives, owner = chosen[:-1], chosen[-1]
    council = cg.councils.create(office, unit=community.code, name=f"{community.name}邻里议事会")
    start, end = term(COUNCIL_DAY)

    def seat(
        kind: str,
        *,
        role: str = "member",
        resident_id: int | None = None,
        staff_id: int | None = None,
        name: str | None = None,
        represents: str | None = None,
    ) -> int:
        figures["seats"] += 1
        return cg.councils.seat(
            office, council.id, seat=kind, role=role, term_start=start, term_end=end,
            resident_id=resident_id, staff_id=staff_id, name=name, represents=represents,
        ).id  # fmt: skip

    for index, rep in enumerate(representatives):
        seat("residents_rep", role="chair" if index == 0 else "member", resident_id=rep.id)
    if len(representatives) > 1:  # one person, two seats: a representative on the committee
        seat("owners_committee", resident_id=representatives[1].id)
    seat("owners_committee", resident_id=owner.id)
    company = rng.choice(PROPERTY_COMPANIES)
    others = [
        seat("property_company", name=_name(rng), represents=company),
        seat("police", name=_name(rng), represents=POLICE_STATION),
    ]
    seat(
        "community_staff", role="secretary", staff_id=office.staff_id,
        represents=f"{community.name}工作站",
    )  # fmt: skip
    figures["councils"] += 1
    return Chamber(
        community=community,
        council_id=council.id,
        residents=[*representatives, owner],
        others=[f"member:{m}" for m in others],
        secretary=office.staff_id,
        compound=rng.choice(lived_in(community)),
        renovation=rng.choice(RENOVATIONS),
    )


def lived_in(community: Community) -> list[tuple[str, str]]:
    """The community's comprehensive grids where the residents taking part live (all of them
    but in a very small town)."""
    lived = {r.unit_code for r in community.residents}
    return [g for g in community.grids if g[0] in lived] or list(community.grids)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
