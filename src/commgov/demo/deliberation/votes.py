"""The votes the councils' resolutions call for: each compound's households on its
micro-renovation (yes/no, secret), and in one compound its owners under Civil Code art. 278 on
the owners' register, both cast online and on paper over twelve days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Final

from commgov.demo.deliberation.councils import Chamber, person
from commgov.demo.deliberation.plan import VOTE_DAYS
from commgov.demo.deliberation.stage import Stage
from commgov.demo.deliberation.texts import OWNERS_MATTER, OWNERS_QUESTION
from commgov.kernel.actors import Actor
from commgov.people.views import ResidentView
from commgov.votes.model.values import DwellingEntry

PART: Final = "votes"
PAPER: Final = 0.1
"""The share of ballots that staff enter on paper (door-to-door, for elderly voters)."""
AREAS: Final = (5000, 14000)
"""A dwelling's floor area in hundredths of m² (50–140 m²)."""


class VoteSeason:
    """Votes opened the morning after the meeting that decided them and closed twelve days
    later by the community's work station, whose resolution is then carried out; after the
    households' vote, ``after(chamber)`` (the project goes to the next meeting)."""

    def __init__(self, stage: Stage, after: Callable[[Chamber], None]) -> None:
        self.cg = stage.cg
        self.cast = stage.cast
        self.rng = stage.rng
        self.timeline = stage.timeline
        self.figures = stage.figures
        self.homes = stage.homes
        self.after = after

    def households(self, chamber: Chamber, resolution_id: int) -> None:
        """The compound's households vote on its micro-renovation."""
        grid, name = chamber.compound
        question = f"{name}{chamber.renovation.title}方案，您是否同意？"
        self.timeline.at(
            self.next_morning(), PART,
            partial(self.open, chamber, resolution_id, question, grid, owners=False),
        )  # fmt: skip

    def owners(self, chamber: Chamber, resolution_id: int) -> None:
        """The compound's owners decide on rebuilding a facility (art. 278, item 7)."""
        assert chamber.owners_compound is not None
        grid, name = chamber.owners_compound
        question = f"{name}：{OWNERS_QUESTION}"
        self.timeline.at(
            self.next_morning(), PART,
            partial(self.open, chamber, resolution_id, question, grid, owners=True),
        )  # fmt: skip

    def next_morning(self) -> dt.datetime:
        today = self.cast.day(self.cg.context.clock())
        return self.cast.moment(today + dt.timedelta(days=1), 9)

    def open(
        self, chamber: Chamber, resolution_id: int, question: str, grid: str, *, owners: bool
    ) -> None:
        rng, office = self.rng, chamber.community.office
        homes = self.homes.households(grid)
        if owners:
            self.register(chamber, grid, homes)
            vote = self.cg.votes.open(
                office, question=question, electorate="owners", unit=grid,
                rule="civil_code_278", matter=OWNERS_MATTER,
            )  # fmt: skip
            chamber.owners_vote_id = vote.id
            turnout, yes = rng.uniform(0.74, 0.86), 0.9
        else:
            vote = self.cg.votes.open(office, question=question, electorate="households", unit=grid)
            chamber.vote_id = vote.id
            turnout, yes = rng.uniform(0.6, 0.8), rng.uniform(0.66, 0.88)
        self.cg.meetings.link(office, resolution_id, reference=vote.id)
        self.figures["votes opened"] += 1
        today = self.cast.day(self.cg.context.clock())
        worker = self.cast.worker(chamber.community, grid)[1]
        for home in rng.sample(homes, min(len(homes), round(turnout * vote.roll_headcount))):
            roll = rng.random()
            choice = "yes" if roll < yes else "abstain" if roll > 0.97 else "no"
            days = int(rng.triangular(0, VOTE_DAYS, 0))
            moment = self.cast.moment(today + dt.timedelta(days=days), rng.uniform(8, 21))
            if days == 0:  # the vote opened at nine
                moment = self.cast.moment(today, rng.uniform(9.5, 21))
            if rng.random() < PAPER:
                job = partial(self.paper, worker=worker, vote_id=vote.id, home=home, choice=choice)
            else:
                job = partial(self.cast_ballot, vote_id=vote.id, home=home, choice=choice)
            self.timeline.at(moment, PART, job)
        closing = self.cast.moment(today + dt.timedelta(days=VOTE_DAYS), 18)
        self.timeline.at(
            closing, PART, partial(self.close, chamber, vote.id, resolution_id, owners=owners)
        )

    def register(self, chamber: Chamber, grid: str, homes: list[ResidentView]) -> None:
        """The owners' register of the compound: every household living there owns its
        dwelling (50–140 m²), one of them a second one."""
        rng = self.rng
        owners = [*homes, rng.choice(homes)]
        areas = [Decimal(rng.randint(*AREAS)) / 100 for _ in owners]
        dwellings = [
            DwellingEntry(_label(index), str(area), home.household_id)
            for index, (home, area) in enumerate(zip(owners, areas, strict=True))
        ]
        self.cg.votes.register_dwellings(
            chamber.community.office, unit=grid, dwellings=dwellings, total_area=str(sum(areas))
        )
        self.figures["dwellings registered"] += len(dwellings)

    def cast_ballot(self, *, vote_id: int, home: ResidentView, choice: str) -> None:
        self.cg.votes.cast(person(home), vote_id, choices=[choice])
        self.figures["ballots online"] += 1

    def paper(self, *, worker: Actor, vote_id: int, home: ResidentView, choice: str) -> None:
        """The grid worker enters a household's paper ballot."""
        self.cg.votes.cast_paper(
            worker, vote_id, voter=f"household:{home.household_id}", choices=[choice]
        )
        self.figures["ballots on paper"] += 1

    def close(self, chamber: Chamber, vote_id: int, resolution_id: int, *, owners: bool) -> None:
        office = chamber.community.office
        result = self.cg.votes.close(office, vote_id)
        self.figures["votes closed"] += 1
        yes = result.options[0]
        note = f"表决{result.outcome_label}：同意{yes.headcount}票，占{yes.headcount_share:.1%}"
        if owners:
            note += f"，专有部分面积占{yes.area_share:.1%}"
        self.cg.meetings.fulfil(office, resolution_id, note=note)
        if not owners:
            chamber.vote_carried = result.outcome == "carried"
            self.after(chamber)


def _label(index: int) -> str:
    """The dwelling's label: building-entrance-flat, 24 flats a building."""
    building, flat = divmod(index, 24)
    entrance, flat = divmod(flat, 12)
    floor, door = divmod(flat, 2)
    return f"{building + 1}-{entrance + 1}-{floor + 1}0{door + 1}"
