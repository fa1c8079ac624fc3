"""Open work that people leave behind when they leave or move.

When a staff member leaves or stops answering for some units, or a resident moves out, dies,
moves house or is merged into another record, every capability that keeps work tied to that
person hands it over or closes it with a reason, in the same unit of work as the life event,
so nothing is orphaned. A capability offers this as an ``OpenWork`` listed in
``commgov.capabilities.OPEN_WORK``; the people package calls each one in turn."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal, Protocol

import attrs

if TYPE_CHECKING:
    from commgov.kernel.actors import Actor
    from commgov.kernel.context import Context
    from commgov.kernel.uow import UnitOfWork

DepartureKind = Literal[
    "staff_left", "staff_moved", "resident_left", "resident_moved", "resident_merged"
]
"""What happened:

- ``staff_left``: a staff member was deactivated; ``successor_id`` is the staff member who
  takes their open work over (``None`` when none was named);
- ``staff_moved``: a staff member no longer answers for ``unit_ids``; their open work there
  goes to ``successor_id``;
- ``resident_left``: a resident moved out of the town (迁出) or died (``reason``);
- ``resident_moved``: a resident moved to another household (``unit_ids`` holds the old unit);
- ``resident_merged``: a resident entered twice was merged into ``successor_id`` (the kept
  record).
"""


@attrs.frozen
class Departure:
    """One life event, as the capabilities see it."""

    kind: DepartureKind
    person_id: int
    at: dt.datetime
    reason: str
    successor_id: int | None = None
    unit_ids: tuple[int, ...] = ()


@attrs.frozen
class HandedOver:
    """What one capability did with the open work: how many items went to the successor and
    how many were closed with the departure's reason."""

    work: str
    handed_over: int = 0
    closed: int = 0


class OpenWork(Protocol):
    """A capability's open work tied to people (cases led, pending hours …)."""

    name: str
    """What the work is, in the report: ``cases``, ``timebank`` …"""

    def hand_over(
        self, ctx: Context, uow: UnitOfWork, actor: Actor, departure: Departure
    ) -> HandedOver:
        """Hand the open work over or close it, inside ``uow``. Raise a ``ValidationError``
        naming ``hand_over_to`` when the work needs a successor and none (or an unfit one)
        was given; nothing is then written, the life event included."""
        ...


__all__ = ["Departure", "DepartureKind", "HandedOver", "OpenWork"]
