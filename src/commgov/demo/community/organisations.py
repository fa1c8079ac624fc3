"""The town's organisations, registered on the first Monday: the party tree over the grids
(the town's committee, a branch per community, a party group per grid) with residents
reporting to their branch (党员双报到), and per community a volunteer team serving the
neighbouring community too and a grassroots choir or drum team, each with a resident leader
who keeps its roll."""

from __future__ import annotations

from functools import partial
from typing import Final

from commgov.demo.community.plan import SETUP_DAY
from commgov.demo.community.stage import Neighbourhood, Stage, adults, person
from commgov.demo.community.texts import BRANCH, CHOIRS, COMMITTEE, GROUP, TEAM, WORKPLACES

PART: Final = "organisations"


class Organiser:
    """Who holds which part in each community, and their registration."""

    def __init__(self, stage: Stage) -> None:
        self.cg = stage.cg
        self.cast = stage.cast
        self.rng = stage.rng
        self.timeline = stage.timeline
        self.plan = stage.plan
        self.figures = stage.figures
        self.committee_id: int | None = None

    def play(self, hoods: list[Neighbourhood]) -> None:
        self.timeline.at(self.cast.moment(SETUP_DAY, 8.5), PART, self.party_committee)
        for hood in hoods:
            self.choose(hood)
            moment = self.cast.moment(SETUP_DAY, 9.5 + hood.index / 30)
            self.timeline.at(moment, PART, partial(self.register, hood))

    def choose(self, hood: Neighbourhood) -> None:
        """The community's party members (those the files say are), the volunteer team's
        leader and members (volunteers first), the choir's leader and singers."""
        rng, plan = self.rng, self.plan
        people = adults(hood.community)
        members = [r for r in people if r.is_party_member]
        hood.party = rng.sample(members, min(len(members), plan.party_members))
        taken = {r.id for r in hood.party}
        rest = [r for r in people if r.id not in taken]
        rng.shuffle(rest)
        keen = sorted(rest, key=lambda r: not r.is_volunteer)  # volunteers first, else drawn
        if len(keen) < 2:
            return
        hood.team_leader, chosen = keen[0], keen[1 : 1 + plan.volunteers]
        hood.volunteers = [*chosen, *hood.party]
        taken |= {r.id for r in [hood.team_leader, *chosen]}
        others = [r for r in rest if r.id not in taken]
        if others:
            hood.group_leader, hood.singers = others[0], others[1 : 1 + plan.singers]

    def party_committee(self) -> None:
        """The town's office registers the town's party committee."""
        office = self.cast.town_office or self.cast.admin
        committee = self.cg.organisations.register(
            office, unit=self.cast.town, name=COMMITTEE, kind="party_committee"
        )
        self.committee_id = committee.id
        self.figures["party organisations"] += 1

    def register(self, hood: Neighbourhood) -> None:
        self.party_branch(hood)
        self.team(hood)
        self.choir(hood)

    def party_branch(self, hood: Neighbourhood) -> None:
        """The community's branch, a party group per grid, and the residents who report to
        the branch (the first is its secretary)."""
        cg, community = self.cg, hood.community
        office = community.office
        branch = cg.organisations.register(
            office, unit=community.code, name=f"{community.name}{BRANCH}", kind="party_branch",
            parent_id=self.committee_id,
        )  # fmt: skip
        hood.branch_id = branch.id
        for code, name in community.grids:
            cg.organisations.register(
                office, unit=code, name=f"{name}{GROUP}", kind="party_group", parent_id=branch.id
            )
        self.figures["party organisations"] += 1 + len(community.grids)
        for member in hood.party:
            workplace, workplace_branch = self.rng.choice(WORKPLACES)
            cg.organisations.register_party_member(
                office, resident_id=member.id, branch_id=branch.id, workplace=workplace,
                workplace_branch=workplace_branch,
            )  # fmt: skip
            self.figures["party members registered"] += 1
        if hood.party:
            cg.organisations.add_member(
                office, branch.id, resident_id=hood.party[0].id, role="secretary"
            )

    def team(self, hood: Neighbourhood) -> None:
        """The volunteer team, serving the neighbouring community too; its leader adds the
        volunteers (the party members among them)."""
        if hood.team_leader is None:
            return
        cg, community, leader = self.cg, hood.community, hood.team_leader
        serves = [] if hood.neighbour is community else [hood.neighbour.code]
        team = cg.organisations.register(
            community.office, unit=community.code, name=f"{community.name}{TEAM}",
            kind="volunteer_team", serves=serves, contact_name=leader.name,
        )  # fmt: skip
        hood.team_id = team.id
        cg.organisations.add_member(community.office, team.id, resident_id=leader.id, role="leader")
        for member in hood.volunteers:
            cg.organisations.add_member(
                person(leader), team.id, resident_id=member.id, role="volunteer"
            )
        self.figures["organisations"] += 1

    def choir(self, hood: Neighbourhood) -> None:
        """The choir (or drum team); its leader adds the singers."""
        if hood.group_leader is None:
            return
        cg, community, leader = self.cg, hood.community, hood.group_leader
        name = CHOIRS[hood.index % len(CHOIRS)][0]
        group = cg.organisations.register(
            community.office, unit=community.code, name=f"{community.name}{name}",
            kind="grassroots", contact_name=leader.name,
        )  # fmt: skip
        hood.group_id = group.id
        cg.organisations.add_member(
            community.office, group.id, resident_id=leader.id, role="leader"
        )
        for member in hood.singers:
            cg.organisations.add_member(person(leader), group.id, resident_id=member.id)
        self.figures["organisations"] += 1
