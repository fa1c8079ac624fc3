"""What the season left, read back through the services as the demo prints it: one row per
council, per vote and per project."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from commgov.demo.deliberation.councils import Chamber
from commgov.demo.deliberation.texts import OWNERS_MATTER_TITLE
from commgov.facade import Commgov
from commgov.kernel.actors import Actor


def council_rows(cg: Commgov, admin: Actor, chambers: Sequence[Chamber]) -> list[dict[str, Any]]:
    """Per council: seats and the people holding them, meetings closed, topics raised, decided
    and referred, resolutions and those overdue (as of the store's clock)."""
    rows = []
    for chamber in chambers:
        council = cg.councils.get(admin, chamber.council_id)
        meetings = cg.meetings.meetings(admin, chamber.council_id)
        topics = cg.meetings.topics(admin, chamber.council_id)
        resolutions = cg.meetings.resolutions(admin, chamber.council_id)
        rows.append(
            {
                "community": chamber.community.name,
                "council": council.name,
                "seats": len(council.members),
                "members": len({m.voter_key for m in council.members}),
                "meetings": len([m for m in meetings if m.state == "closed"]),
                "attended": sum(m.attended for m in meetings),
                "topics": len(topics),
                "decided": len([t for t in topics if t.state == "decided"]),
                "referred": len([t for t in topics if t.state == "referred"]),
                "resolutions": len(resolutions),
                "overdue": len([r for r in resolutions if r.overdue]),
            }
        )
    return rows


def vote_rows(cg: Commgov, admin: Actor, chambers: Sequence[Chamber]) -> list[dict[str, Any]]:
    """Per closed vote, by community (the households' vote, then the owners'): what it is
    about, its roll, ballots (on paper too), turnout, the share saying yes and the outcome;
    for an owners' vote the same on floor area; and whether counting the ballots again gives
    the same result."""
    votes = []
    for chamber in chambers:
        if chamber.vote_id is not None:
            votes.append((chamber, chamber.vote_id, chamber.compound, chamber.renovation.title))
        if chamber.owners_vote_id is not None and chamber.owners_compound is not None:
            votes.append(
                (chamber, chamber.owners_vote_id, chamber.owners_compound, OWNERS_MATTER_TITLE)
            )
    rows = []
    for chamber, vote_id, (_, compound), matter in votes:
        vote = cg.votes.get(admin, vote_id)
        if vote.state != "closed":
            continue
        result = cg.votes.result(admin, vote.id)
        yes = result.options[0]
        owners = vote.electorate == "owners"
        rows.append(
            {
                "community": chamber.community.name,
                "compound": compound,
                "matter": matter,
                "question": vote.question,
                "electorate": vote.electorate,
                "rule": vote.rule,
                "roll": result.roll_headcount,
                "ballots": result.ballots,
                "turnout": result.cast_headcount / result.roll_headcount,
                "paper": result.paper_ballots,
                "yes": yes.headcount_share,
                "outcome": result.outcome_label,
                "roll_area": result.roll_area if owners else None,
                "cast_area": result.cast_area if owners else None,
                "area_turnout": float(result.cast_area / result.roll_area) if owners else None,
                "area_yes": yes.area_share if owners else None,
                "recount": cg.votes.recount(admin, vote.id).matches,
            }
        )
    return rows


def project_rows(cg: Commgov, admin: Actor, chambers: Sequence[Chamber]) -> list[dict[str, Any]]:
    """Per project: budget and money received (yuan), points given, progress, state, the
    households' ratings and the cases low ones opened, the steps on its public timeline."""
    rows = []
    for chamber in chambers:
        if chamber.project_id is None:
            continue
        project = cg.projects.get(admin, chamber.project_id)
        rows.append(
            {
                "community": chamber.community.name,
                "project": project.title,
                "budget": project.budget // 100,
                "funded": project.funded // 100,
                "points": project.points_donated,
                "progress": project.progress,
                "state": project.state_label,
                "ratings": project.ratings,
                "average": project.average_rating,
                "cases": project.cases_opened,
                "steps": len(cg.projects.timeline(admin, project.id)),
            }
        )
    return rows
