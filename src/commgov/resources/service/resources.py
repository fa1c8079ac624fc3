"""``cg.resources``: what communities publish for others to use — rooms, grounds, equipment,
places, a medical team's hours — and their bookings.

- Staff who may write to a unit publish its resources (``publish``) and close them for a
  period (``close``: refused while live bookings overlap, naming them).
- Residents book for themselves, staff for their unit (``book``, ``book_recurring``), within
  the resource's rules; the store holds the places of every slot a booking covers and
  refuses one that would overflow (``ConflictError``, naming the slot in local time).
- Staff of the resource's unit approve or reject pending bookings, mark them attended or
  no-show; the booker or staff cancel them before they start.
- ``utilisation`` and ``utilisation_by_community`` report open and booked hours as pandas
  data frames.
Every write runs in one unit of work and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from commgov.errors import ConflictError, NotFoundError, StateError, ValidationError
from commgov.kernel.access import READ, WRITE
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import LATEST, as_utc, day_start
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import row_id, whole_number
from commgov.people.model.units import unit_target
from commgov.people.service.grids import load_unit
from commgov.resources.model import checks, slots, words
from commgov.resources.model.hours import parse_hours
from commgov.resources.model.limits import (
    CAPACITY_MAX,
    CHECK_IN_EARLY,
    HORIZON_MAX,
    LONGEST_MAX,
    NAME_MAX,
    NOTE_MAX,
    OCCURRENCES_MAX,
    TEXT_MAX,
)
from commgov.resources.model.slots import released_from, slot_starts, span_words
from commgov.resources.model.values import Booking, Closure
from commgov.resources.model.vocab import BOOKERS, KINDS, MOVES, REPEATS
from commgov.resources.repository import Booker, Listed, Placed, ResourceRepository
from commgov.resources.service import access, booking, events
from commgov.resources.service import utilisation as frames
from commgov.resources.service.shown import booking_view, closure_view, resource_view
from commgov.resources.views import BookingView, ClosureView, ResourceView

if TYPE_CHECKING:
    import pandas as pd

Bookings = list[BookingView]
Resources = list[ResourceView]
LIST_MAX: Final = 100_000
"""The most resources one call of ``list`` answers."""
UsageRows = list[frames.Row]


class ResourceService:
    """Shared resources and their bookings. Reach it as ``cg.resources``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # -- resources ------------------------------------------------------------------------------
    def publish(
        self,
        actor: Actor,
        *,
        unit: str,
        name: str,
        kind: str,
        hours: Mapping[str, Sequence[str]],
        capacity: int = 1,
        slot_minutes: int = 30,
        bookers: str = "both",
        shared: bool = False,
        horizon_days: int = 30,
        longest_minutes: int = 240,
        approval: bool = False,
        description: str = "",
    ) -> ResourceView:
        """Publish a resource of the unit with code ``unit``: ``kind`` (``room``, ``ground``,
        ``equipment``, ``places``, ``service_hours``), ``capacity`` places usable at once (a
        room booked whole: 1), weekly opening ``hours`` in the store's zone (``{"mon-fri":
        ["08:00-12:00", "14:00-21:00"], "sat": ["09:00-17:00"]}``; ``daily`` for every day) on
        slots of ``slot_minutes``; who may book (``bookers``: ``residents``, ``staff`` or
        ``both``), whether other communities may (``shared``), how many days ahead
        (``horizon_days``), the longest booking (``longest_minutes``) and whether a booking
        awaits approval (``approval``)."""
        name = checks.text("name", name, NAME_MAX)
        kind = checks.code("kind", kind, KINDS)
        size = checks.count("capacity", capacity, 1, CAPACITY_MAX)
        slot = checks.slot_minutes(slot_minutes)
        weekly = parse_hours(hours, slot)
        who = checks.code("bookers", bookers, BOOKERS)
        shared = checks.flag("shared", shared)
        horizon = checks.count("horizon_days", horizon_days, 0, HORIZON_MAX)
        longest = checks.count("longest_minutes", longest_minutes, slot, LONGEST_MAX)
        if longest % slot:
            raise ValidationError(
                "longest_minutes", longest_minutes, f"is not a whole number of {slot}-minute slots"
            )
        approval = checks.flag("approval", approval)
        described = checks.text("description", description, TEXT_MAX, empty=True)
        with self._ctx.uow() as uow:
            home = load_unit(uow, unit, live=True)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            scope = access.scope_of(uow, home)
            now = self._ctx.clock()
            resource_id = uow.repo(ResourceRepository).add(
                {
                    "unit_id": home.id, "scope_id": scope.id, "name": name, "kind": kind,
                    "capacity": size, "slot_minutes": slot, "hours": weekly.stored(),
                    "bookers": who, "shared": shared, "horizon_days": horizon,
                    "longest_minutes": longest, "approval": approval,
                    "description": described, "created_at": now, "created_by": actor.label(),
                }
            )  # fmt: skip
            self._ctx.audit(
                uow, actor, "resource.publish", entity="resource", entity_id=resource_id,
                detail={"unit": home.code, "kind": kind, "capacity": size, "shared": shared},
            )  # fmt: skip
            return resource_view(self._placed(uow, resource_id), [])

    def close(
        self,
        actor: Actor,
        resource_id: int,
        *,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        reason: str,
    ) -> ClosureView:
        """Close the resource from ``starts_at`` to ``ends_at`` (maintenance, a holiday).
        Refused with a ``ConflictError`` naming them while pending or approved bookings
        overlap the period: cancel those first."""
        start, end = as_utc("starts_at", starts_at), as_utc("ends_at", ends_at)
        why = checks.text("reason", reason, NOTE_MAX)
        if end <= start:
            raise ValidationError("ends_at", ends_at, "is not after starts_at")
        with self._ctx.uow() as uow:
            placed = self._placed(uow, resource_id, lock=True)
            access.check_decides(self._ctx, actor, placed)
            if end <= self._ctx.clock():
                raise ValidationError("ends_at", ends_at, "is in the past: a closure lies ahead")
            repo = uow.repo(ResourceRepository)
            resource = placed.resource
            live = repo.live_overlapping(resource.id, start, end)
            if live:
                raise ConflictError(words.bookings_in_the_way(resource.name, live, self._ctx.zone))
            now = self._ctx.clock()
            values: dict[str, Any] = {
                "resource_id": resource.id, "starts_at": start, "ends_at": end, "reason": why,
                "created_at": now, "created_by": actor.label(),
            }  # fmt: skip
            closure_id = repo.add_closure(values)
            self._ctx.audit(
                uow, actor, "resource.close", entity="resource", entity_id=resource.id,
                detail={"closure": closure_id, "from": start.isoformat(), "to": end.isoformat()},
            )  # fmt: skip
            return closure_view(Closure(id=closure_id, **values))

    def get(self, actor: Actor, resource_id: int) -> ResourceView:
        """The resource, with its closed periods not yet over."""
        with self._ctx.uow(readonly=True) as uow:
            placed = self._placed(uow, resource_id)
            access.check_sees(self._ctx, uow, actor, placed)
            return self._resource_views(uow, [placed])[0]

    def list(
        self,
        actor: Actor,
        *,
        under: str,
        bookable_by: str | None = None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> Resources:
        """The resources owned at or under the unit with code ``under`` that the actor may
        see, by id. With ``bookable_by`` (a unit's code), those a party of that unit may book
        instead: the ones under ``under`` within that unit's community, and the shared ones
        anywhere (other communities' included). At most ``limit``, continuing after the id
        ``after_id`` (the last of a previous page) when given."""
        if after_id is not None:
            row_id("after_id", after_id)
        if limit is not None:
            whole_number("limit", limit, 1, LIST_MAX)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, under, field="under")
            party = (
                None if bookable_by is None else load_unit(uow, bookable_by, field="bookable_by")
            )
            repo = uow.repo(ResourceRepository)
            paths = access.homes(self._ctx, uow, actor)
            seen: list[Placed] = []
            after = after_id
            while True:  # read on while the ones the actor may not see leave the page short
                found = repo.under(top.path, bookable_by=party, after_id=after, limit=limit)
                seen += [p for p in found if access.sees(self._ctx, actor, p, paths)]
                if limit is None or len(found) < limit or len(seen) >= limit:
                    return self._resource_views(uow, seen[:limit])
                after = found[-1].resource.id

    # -- bookings -------------------------------------------------------------------------------
    def book(
        self,
        actor: Actor,
        resource_id: int,
        *,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        party_size: int = 1,
        purpose: str = "",
        for_unit: str | None = None,
    ) -> BookingView:
        """Book ``party_size`` places of the resource from ``starts_at`` to ``ends_at`` (on
        its slots, within its opening hours, horizon and longest booking): a resident for
        themselves, staff for their unit (``for_unit``: the unit's code when they answer for
        several). Approved at once unless the resource needs approval (then pending, holding
        its places). A full slot is a ``ConflictError`` naming it."""
        key = checks.entity_id("resource_id", resource_id)
        start, end = as_utc("starts_at", starts_at), as_utc("ends_at", ends_at)
        size = checks.count("party_size", party_size, 1, CAPACITY_MAX)
        what = checks.text("purpose", purpose, NOTE_MAX, empty=True)
        with self._ctx.uow() as uow:
            placed, closed, booker = self._to_book(uow, actor, key, (start, end))
            party = access.party_of(self._ctx, uow, actor, placed, for_unit=for_unit, booker=booker)
            (made,) = booking.write(
                self._ctx, uow, actor, placed, party=party, spans=[(start, end)], size=size,
                purpose=what, given=(starts_at, ends_at), closed=closed,
            )  # fmt: skip
            events.emit(uow, [made], party_unit=party.unit.code, now=self._ctx.clock())
            self._ctx.audit(
                uow, actor, "resource.book", entity="resource_booking", entity_id=made.id,
                detail={"resource": key, "state": made.state, "party_size": size},
            )  # fmt: skip
            return booking_view(made, placed.resource.name, party.unit.code, actor.label())

    def book_recurring(
        self,
        actor: Actor,
        resource_id: int,
        *,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        occurrences: int,
        repeat: str = "weekly",
        party_size: int = 1,
        purpose: str = "",
        for_unit: str | None = None,
    ) -> Bookings:
        """Book the same local hours ``repeat`` (``weekly`` or ``daily``) for ``occurrences``
        occurrences from ``starts_at``: the wall time is kept in the store's zone. All or
        nothing: the first occurrence that cannot be booked (full, closed, outside the hours
        or the horizon) fails the whole series, naming its date, and nothing is written. The
        occurrences share a ``series_id``."""
        key = checks.entity_id("resource_id", resource_id)
        start, end = as_utc("starts_at", starts_at), as_utc("ends_at", ends_at)
        count = checks.count("occurrences", occurrences, 1, OCCURRENCES_MAX)
        how = checks.code("repeat", repeat, REPEATS)
        size = checks.count("party_size", party_size, 1, CAPACITY_MAX)
        what = checks.text("purpose", purpose, NOTE_MAX, empty=True)
        every = REPEATS[how][2]
        if end - start > dt.timedelta(days=every):
            raise ValidationError(
                "ends_at",
                ends_at,
                f"occurrences {how} would overlap: each lasts at most {every} day(s)",
            )
        spans = slots.occurrences(start, end, every_days=every, count=count, zone=self._ctx.zone)
        with self._ctx.uow() as uow:
            window = (spans[0][0], spans[-1][1])
            placed, closed, booker = self._to_book(uow, actor, key, window)
            party = access.party_of(self._ctx, uow, actor, placed, for_unit=for_unit, booker=booker)
            made = booking.write(
                self._ctx, uow, actor, placed, party=party, spans=spans, size=size, purpose=what,
                given=(starts_at, ends_at), series=booking.Series(how, count), closed=closed,
            )  # fmt: skip
            events.emit(uow, made, party_unit=party.unit.code, now=self._ctx.clock())
            self._ctx.audit(
                uow, actor, "resource.book_recurring", entity="resource_series",
                entity_id=made[0].series_id,
                detail={"resource": key, "repeat": how, "occurrences": count, "party_size": size},
            )  # fmt: skip
            name, code, label = placed.resource.name, party.unit.code, actor.label()
            return [booking_view(b, name, code, label) for b in made]

    def approve(self, actor: Actor, booking_id: int) -> BookingView:
        """Approve a pending booking (staff of the resource's unit)."""
        return self._decide(actor, booking_id, "approved", None)

    def reject(self, actor: Actor, booking_id: int, *, reason: str) -> BookingView:
        """Reject a pending booking, with the reason: its places are given back."""
        return self._decide(actor, booking_id, "rejected", checks.text("reason", reason, NOTE_MAX))

    def no_show(self, actor: Actor, booking_id: int) -> BookingView:
        """Mark an approved booking whose party did not come, once it has started: the places
        of its slots not yet begun are given back (``released_from``)."""
        return self._decide(actor, booking_id, "no_show", None)

    def check_in(self, actor: Actor, booking_id: int) -> BookingView:
        """Mark an approved booking attended: by staff of the resource's unit from half an
        hour before it starts, or by the booker themselves from then until it ends."""
        return self._decide(actor, booking_id, "attended", None)

    def cancel(self, actor: Actor, booking_id: int, *, reason: str) -> BookingView:
        """Cancel a pending or approved booking before it starts: by its booker, by staff of
        the resource's unit or of the party's unit. Its places are given back."""
        return self._decide(actor, booking_id, "cancelled", checks.text("reason", reason, NOTE_MAX))

    def booking(self, actor: Actor, booking_id: int) -> BookingView:
        """One booking: for its booker, staff within reach of the resource's unit or of the
        party's."""
        with self._ctx.uow(readonly=True) as uow:
            found, placed, code, path = self._booking_at(uow, booking_id)
            access.check_reads_booking(self._ctx, actor, found, placed, (code, path))
            shown = access.Names(self._ctx, actor).shown(found, code, path)
            return booking_view(found, placed.resource.name, code, shown)

    def bookings(
        self,
        actor: Actor,
        *,
        resource_id: int,
        start: dt.datetime | dt.date,
        end: dt.datetime | dt.date,
        most_days: int | None = None,
    ) -> Bookings:
        """The resource's calendar: its bookings (every state) overlapping ``start`` to
        ``end`` (aware datetimes, or days in the store's zone, ``end`` included whole), by
        start. A resident booker's name is masked unless the reader may see it. With
        ``most_days``, a longer window is refused (``ValidationError`` on ``end``)."""
        since, until = _period(start, end, self._ctx.zone)
        if most_days is not None and until - since > dt.timedelta(days=most_days):
            raise ValidationError("end", end, f"a calendar spans at most {most_days} days")
        with self._ctx.uow(readonly=True) as uow:
            placed = self._placed(uow, resource_id)
            access.check_sees(self._ctx, uow, actor, placed)
            listed = uow.repo(ResourceRepository).calendar(placed.resource.id, since, until)
            return self._booking_views(actor, listed)

    def mine(self, actor: Actor) -> Bookings:
        """The bookings the actor made, by start: a resident's own, or a staff member's."""
        if access.acts_as_resident(self._ctx, actor):
            if actor.resident_id is None:
                raise ValidationError("actor", actor.label(), "give the actor its resident_id")
            criteria: dict[str, int | None] = {"resident_id": actor.resident_id}
        elif actor.staff_id is not None:
            criteria = {"staff_id": actor.staff_id}
        else:
            return []
        with self._ctx.uow(readonly=True) as uow:
            return self._booking_views(actor, uow.repo(ResourceRepository).of_party(**criteria))

    # -- utilisation ----------------------------------------------------------------------------
    def utilisation(self, actor: Actor, *, unit: str, start: dt.date, end: dt.date) -> pd.DataFrame:
        """One row per resource owned at or under the unit with code ``unit``, over the days
        ``start`` to ``end`` (both included, in the store's zone): ``resource_id``,
        ``resource``, ``kind``, ``community`` (the community it belongs to), ``unit`` (its
        owner), ``open_hours``, ``booked_hours`` (place-hours of approved and attended
        bookings ÷ capacity), ``no_show_hours`` and ``utilisation`` (booked ÷ open, 0 when
        never open). Needs pandas (the ``sim`` extra)."""
        return frames.frame(self._usage(actor, unit, start, end))

    def utilisation_by_community(
        self, actor: Actor, *, unit: str, start: dt.date, end: dt.date
    ) -> pd.DataFrame:
        """``utilisation`` summed per community: ``community``, ``resources``,
        ``open_hours``, ``booked_hours``, ``no_show_hours``, ``utilisation``."""
        return frames.by_community(self._usage(actor, unit, start, end))

    def _usage(self, actor: Actor, unit: str, start: object, end: object) -> UsageRows:
        first, last = checks.days(start, end)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            return frames.rows(uow, top.path, first, last, self._ctx.zone)

    # -- helpers --------------------------------------------------------------------------------
    def _placed(self, uow: UnitOfWork, resource_id: int, *, lock: bool = False) -> Placed:
        key = checks.entity_id("resource_id", resource_id)
        found = uow.repo(ResourceRepository).placed(key, lock=lock)
        if found is None:
            raise NotFoundError("resource", key, message=words.no_such("resource", key))
        return found

    def _to_book(
        self, uow: UnitOfWork, actor: Actor, key: int, window: tuple[dt.datetime, dt.datetime]
    ) -> tuple[Placed, bool, Booker | None]:
        """The resource to book, whether a closure may be in the way, and the resident who
        books (for a resident actor), in one statement."""
        resident = access.booking_resident(self._ctx, actor)
        repo = uow.repo(ResourceRepository)
        found = repo.to_book(key, *window, resident)
        if found is not None:
            return found
        if resident is not None and repo.placed(key) is not None:
            raise NotFoundError("resident", resident)
        raise NotFoundError("resource", key, message=words.no_such("resource", key))

    def _booking_at(
        self, uow: UnitOfWork, booking_id: int, *, lock: bool = False
    ) -> tuple[Booking, Placed, str, str]:
        key = checks.entity_id("booking_id", booking_id)
        found = uow.repo(ResourceRepository).booking_at(key, lock=lock)
        if found is None:
            raise NotFoundError("booking", key, message=words.no_such("booking", key))
        return found

    def _resource_views(self, uow: UnitOfWork, placed: Sequence[Placed]) -> Resources:
        ids = [p.resource.id for p in placed]
        closures = uow.repo(ResourceRepository).closures(ids, self._ctx.clock(), LATEST)
        return [
            resource_view(p, [c for c in closures if c.resource_id == p.resource.id])
            for p in placed
        ]

    def _booking_views(self, actor: Actor, listed: Sequence[Listed]) -> Bookings:
        names = access.Names(self._ctx, actor)
        return [
            booking_view(b, resource, code, names.shown(b, code, path))
            for b, resource, code, path in listed
        ]

    def _decide(self, actor: Actor, booking_id: int, to: str, note: str | None) -> BookingView:
        with self._ctx.uow() as uow:
            found, placed, code, path = self._booking_at(uow, booking_id, lock=True)
            now = self._ctx.clock()
            self._check_may(actor, found, placed, (code, path), to=to, now=now)
            if to not in MOVES[found.state]:
                raise StateError(f"booking {found.id} is {found.state}: it cannot become {to}")
            self._check_when(found, to, now)
            resource = placed.resource
            values: dict[str, Any] = {"state": to, "decided_by": actor.label(), "decided_at": now}
            if note is not None:
                values["note"] = note
            freed = found.starts_at
            if to == "no_show":
                freed = values["released_from"] = released_from(
                    found.starts_at, found.ends_at, resource.slot, now
                )
            if to in ("rejected", "cancelled", "no_show"):
                starts = slot_starts(freed, found.ends_at, resource.slot)
                if starts:
                    uow.repo(ResourceRepository).release(
                        resource.id, resource.capacity, starts, found.party_size
                    )
            uow.repo(ResourceRepository).update_booking(found.id, values)
            self._ctx.audit(
                uow, actor, f"resource.{to}", entity="resource_booking", entity_id=found.id,
                detail={"resource": resource.id, "from": found.state},
            )  # fmt: skip
            changed = attrs.evolve(found, **values)
            events.emit(uow, [changed], party_unit=code, now=now)
            shown = access.Names(self._ctx, actor).shown(changed, code, path)
            return booking_view(changed, resource.name, code, shown)

    def _check_may(
        self,
        actor: Actor,
        found: Booking,
        placed: Placed,
        party: tuple[str, str],
        *,
        to: str,
        now: dt.datetime,
    ) -> None:
        if to == "cancelled":
            access.check_cancels(self._ctx, actor, found, placed, party)
        elif to == "attended" and access.is_booker(self._ctx, actor, found):
            self._ctx.authorize(actor, WRITE, access.party_target(found, *party))
            if now >= found.ends_at:
                raise StateError(f"booking {found.id} has ended: staff mark it attended now")
        else:
            access.check_decides(self._ctx, actor, placed)

    def _check_when(self, found: Booking, to: str, now: dt.datetime) -> None:
        zone = self._ctx.zone
        when = span_words(found.starts_at, found.ends_at, zone)
        if to == "cancelled" and now >= found.starts_at:
            raise StateError(
                f"booking {found.id} ({when}) has started: mark it attended or no-show instead"
            )
        if to == "attended" and now < found.starts_at - CHECK_IN_EARLY:
            raise StateError(
                f"booking {found.id} ({when}) takes check-ins from half an hour before it starts"
            )
        if to == "no_show" and now < found.starts_at:
            raise StateError(f"booking {found.id} ({when}) has not started: no no-show yet")


def _period(start: object, end: object, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` in UTC: a datetime as it is (aware), a day from its first instant in
    the store's zone; an ``end`` day is included whole."""
    found = []
    for field, value in (("start", start), ("end", end)):
        if isinstance(value, dt.datetime):
            found.append(as_utc(field, value))
        elif isinstance(value, dt.date):
            day = value + dt.timedelta(days=1) if field == "end" else value
            found.append(day_start(day, zone))
        else:
            raise ValidationError(field, value, "expected a date or an aware datetime")
    if found[1] <= found[0]:
        raise ValidationError("end", end, "must come after start")
    return found[0], found[1]
