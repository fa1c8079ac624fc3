"""A council and its memberships as the store holds them."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen
class Council:
    """A deliberating body of a unit (a community, a compound)."""

    id: int
    unit_id: int
    name: str
    kind: str
    created_at: dt.datetime
    dissolved_at: dt.datetime | None = None


@attrs.frozen
class Membership:
    """One seat held on a council for a term. The member is a resident (``resident_id``), a
    staff member (``staff_id``) or, for someone neither (a company's representative), only a
    ``name``. ``ended_on`` is set when the membership ended before the term did."""

    id: int
    council_id: int
    seat: str
    role: str
    name: str
    resident_id: int | None
    staff_id: int | None
    represents: str | None
    term_start: dt.date
    term_end: dt.date
    ended_on: dt.date | None = None

    @property
    def voter_key(self) -> str:
        """Who this is as a voter: one key per person, whatever seats they hold."""
        if self.resident_id is not None:
            return f"resident:{self.resident_id}"
        if self.staff_id is not None:
            return f"staff:{self.staff_id}"
        return f"member:{self.id}"

    def serves_on(self, day: dt.date) -> bool:
        """Within the term and before the day the membership ended (``ended_on`` is the first
        day no longer served)."""
        ended = self.ended_on is not None and day >= self.ended_on
        return self.term_start <= day <= self.term_end and not ended
