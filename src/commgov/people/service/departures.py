"""What life events share: when they happened, and handing the person's open work over."""

from __future__ import annotations

import datetime as dt

from commgov.errors import ValidationError
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.handover import Departure
from commgov.kernel.times import not_future
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import check_int, check_text
from commgov.people.model.limits import REASON_MAX
from commgov.people.repository import StaffRepository
from commgov.people.views import LifeEventView


def event_time(ctx: Context, at: dt.datetime | None, since: dt.datetime | None) -> dt.datetime:
    """When a life event happened: ``at`` (default now), not in the future and not before
    ``since`` (when a recorded move-in or posting it ends began). A record entered after the
    fact (a death registered late for someone imported today) may end before it was entered:
    its stay then counts nowhere, which is what the store knows."""
    now = ctx.clock()
    if at is None:
        return now if since is None else max(now, since)
    moment = not_future("at", at, now)
    if since is not None and moment < since:
        raise ValidationError("at", at, f"is before {since:%Y-%m-%d %H:%M} UTC, when it began")
    return moment


def checked_reason(reason: object) -> str:
    """A free-text reason: present, printable, at most ``REASON_MAX`` characters."""
    text = check_text("reason", reason, REASON_MAX)
    if not text.strip():
        raise ValidationError("reason", reason, "say why")
    return text.strip()


def successor(uow: UnitOfWork, staff_id: int, hand_over_to: int | None) -> int | None:
    """The staff member who takes the open work over: active, and not the one leaving."""
    if hand_over_to is None:
        return None
    check_int("hand_over_to", hand_over_to)
    if hand_over_to == staff_id:
        raise ValidationError("hand_over_to", hand_over_to, "is the staff member leaving")
    if not uow.repo(StaffRepository).active_ids([hand_over_to]):
        raise ValidationError("hand_over_to", hand_over_to, "no active staff member with this id")
    return hand_over_to


def taker(uow: UnitOfWork, departure: Departure, held: str) -> int:
    """The staff member a departing one's open work goes to, checked by the capability that
    holds the work (``held`` says what it is: ``leads 3 open cases (…)``), or the
    ``ValidationError`` naming ``hand_over_to`` that refuses the whole life event."""
    given = departure.successor_id
    fit = given is not None and given != departure.person_id
    if fit and given is not None and uow.repo(StaffRepository).active_ids([given]):
        return given
    if given is None:
        ask = "name an active staff member to take them over"
    elif given == departure.person_id:
        ask = "they cannot take their own work over: name another active staff member"
    else:
        ask = f"staff {given} is not an active staff member: name an active one"
    raise ValidationError("hand_over_to", given, f"staff {departure.person_id} {held}: {ask}")


def hand_over(ctx: Context, uow: UnitOfWork, actor: Actor, departure: Departure) -> LifeEventView:
    """Ask every capability to hand the person's open work over (or close it), in ``uow``."""
    work: dict[str, tuple[int, int]] = {}
    for open_work in ctx.open_work:
        done = open_work.hand_over(ctx, uow, actor, departure)
        if done.handed_over or done.closed:
            work[done.work] = (done.handed_over, done.closed)
    return LifeEventView(
        kind=departure.kind,
        person_id=departure.person_id,
        at=departure.at,
        reason=departure.reason,
        successor_id=departure.successor_id,
        work=work,
    )
