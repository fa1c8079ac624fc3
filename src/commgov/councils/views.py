"""What the council service hands out: councils with their members."""

from __future__ import annotations

import datetime as dt

from commgov.kernel.views import View


class MemberView(View):
    """One seat held on a council for a term (``seat`` and ``role`` are codes; the labels are
    in ``cg.councils.seats()`` and ``commgov.councils.model.seats.ROLES``)."""

    id: int
    council_id: int
    seat: str
    seat_label: str
    role: str
    name: str
    resident_id: int | None
    staff_id: int | None
    represents: str | None
    term_start: dt.date
    term_end: dt.date
    ended_on: dt.date | None
    voter_key: str
    """Who the member is as a voter: a person holding two seats has one key."""


class CouncilView(View):
    """A deliberating body (议事会, 居民议事厅, 恳谈会) of a unit, with its members serving
    on the day asked about."""

    id: int
    unit_code: str
    name: str
    kind: str
    kind_label: str
    created_at: dt.datetime
    dissolved_at: dt.datetime | None
    members: list[MemberView]
