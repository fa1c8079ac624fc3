"""Who may do what with an organisation: staff within reach of its home unit, and the
organisation's own leaders (a resident who is a leader, secretary, deputy or contact)."""

from __future__ import annotations

from typing import Any

from commgov.errors import PermissionDenied
from commgov.kernel.access import READ, READ_PERSONAL, WRITE
from commgov.kernel.actors import RESIDENT, Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.organisations.model.kinds import MANAGERS
from commgov.organisations.model.values import Organisation
from commgov.organisations.repository import OrganisationRepository
from commgov.people.model.personal import mask_name, mask_phone
from commgov.people.model.units import Unit, household_target, unit_target


def is_resident(ctx: Context, actor: Actor) -> bool:
    spec = ctx.roles.get(actor.role)
    return actor.role == RESIDENT or (spec is not None and spec.acts_as == RESIDENT)


def manages(uow: UnitOfWork, actor: Actor, organisation_id: int) -> bool:
    """Is ``actor`` a resident who runs the organisation (a current member in a leading role)?"""
    if actor.resident_id is None:
        return False
    member = uow.repo(OrganisationRepository).member(organisation_id, actor.resident_id)
    return member is not None and member.left_at is None and member.role in MANAGERS


def authorize_running(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    organisation: Organisation,
    home: Unit,
    *,
    what: str,
) -> None:
    """Staff with ``write`` over the home unit, or the organisation's own leaders, may run it
    (members, activities, attendance)."""
    if is_resident(ctx, actor):
        if not manages(uow, actor, organisation.id):
            raise PermissionDenied(actor.label(), what, f"organisation {organisation.id}")
        return
    ctx.authorize(actor, WRITE, unit_target(home))


def authorize_reading(
    ctx: Context, uow: UnitOfWork, actor: Actor, organisation: Organisation, home: Unit
) -> None:
    """Staff within reach of the home unit, and the organisation's own members, may read it."""
    if is_resident(ctx, actor):
        member = (
            None
            if actor.resident_id is None
            else uow.repo(OrganisationRepository).member(organisation.id, actor.resident_id)
        )
        if member is None or member.left_at is not None:
            raise PermissionDenied(actor.label(), READ, f"organisation {organisation.id}")
        return
    ctx.authorize(actor, READ, unit_target(home))


def shown_person(
    ctx: Context, actor: Actor, row: Any, home: Unit, *, leader: bool
) -> tuple[str, str | None]:
    """A member's name and phone as ``actor`` may see them: in clear for staff who may read
    the household's personal data and for the organisation's own leaders (``leader``); else
    the phone is masked, and a care-group member's name too."""
    phone = None if row.phone_cipher is None else ctx.cipher.decrypt(row.phone_cipher)
    if leader or ctx.allowed(actor, READ_PERSONAL, household_target(home, row.household_id)):
        return str(row.name), phone
    name = mask_name(row.name) if row.care_groups else str(row.name)
    return name, None if phone is None else mask_phone(phone)
