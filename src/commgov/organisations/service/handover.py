"""Organisation work tied to residents, closed or handed over when they leave
(``OpenWork``).

- ``resident_left`` (moved out of the town, died): their memberships end and their sign-ups to
  activities not yet begun are withdrawn (a place given up goes to the first waiting).
- ``resident_merged``: the merged record's sign-ups go to the kept record (where it has none
  for the same activity); its memberships end.
- ``resident_moved`` and staff changes: nothing to do (a member who moved still serves)."""

from __future__ import annotations

from typing import Final

from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.handover import Departure, HandedOver
from commgov.kernel.uow import UnitOfWork
from commgov.organisations.repository import OrganisationRepository
from commgov.organisations.service.activities import withdraw_signup

NAME: Final = "organisations"


class OrganisationHandOver:
    """The organisations' ``OpenWork`` (``commgov.capabilities.OPEN_WORK``)."""

    name = NAME

    def hand_over(
        self, ctx: Context, uow: UnitOfWork, actor: Actor, departure: Departure
    ) -> HandedOver:
        repo = uow.repo(OrganisationRepository)
        person = departure.person_id
        if departure.kind == "resident_left":
            closed = 0
            for signup in repo.open_signups_of(person, departure.at):
                loaded = repo.activity(signup.activity_id, lock=True)
                if loaded is not None:
                    withdraw_signup(uow, loaded[0], person)
                    closed += 1
            closed += repo.end_memberships(person, departure.at)
            done = HandedOver(NAME, closed=closed)
        elif departure.kind == "resident_merged" and departure.successor_id is not None:
            moved = repo.move_signups(person, departure.successor_id)
            ended = repo.end_memberships(person, departure.at)
            done = HandedOver(NAME, handed_over=moved, closed=ended)
        else:
            return HandedOver(NAME)
        if done.handed_over or done.closed:
            ctx.audit(
                uow, actor, "organisations.hand_over", entity="resident", entity_id=person,
                detail={
                    "departure": departure.kind, "handed_over": done.handed_over,
                    "closed": done.closed,
                },
            )  # fmt: skip
        return done


__all__ = ["NAME", "OrganisationHandOver"]
