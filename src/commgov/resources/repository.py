"""Loading and saving resources, their closed periods and bookings, and holding places on the
slots they cover."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final, NamedTuple

import attrs
from sqlalchemy import ColumnElement, and_, bindparam, exists, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from commgov.kernel.repository import Repository
from commgov.people.model.units import Unit
from commgov.people.repository import like_prefix
from commgov.people.tables import residents, units
from commgov.resources.model.hours import WeeklyHours
from commgov.resources.model.values import Booking, Closure, Resource
from commgov.resources.model.vocab import LIVE
from commgov.resources.tables import (
    resource_bookings,
    resource_closures,
    resource_series,
    resource_slots,
    resources,
)

UNIT_FIELDS: Final = tuple(a.name for a in attrs.fields(Unit) if a.default is attrs.NOTHING)
"""The unit columns joined in: a unit's code, names and place in the tree (what permission
targets and views need), not its grid type or dates."""
CHUNK: Final = 500
"""Slots one release statement names (a longer booking or series takes several, in order)."""
FULL_CHECK: Final = "used_within_capacity"
ONE_STATEMENT: Final = 1000
"""The most slots the upsert sends as one statement (SQLAlchemy's ``insertmanyvalues`` page)."""

_owner, _scope, _party = units.alias("owner"), units.alias("scope"), units.alias("party")
_r, _b, _s = resources.c, resource_bookings.c, resource_slots.c


def _labelled(alias: Any, prefix: str) -> list[Any]:
    return [alias.c[name].label(f"{prefix}{name}") for name in UNIT_FIELDS]


def _unit(row: Any, prefix: str) -> Unit:
    values = row._mapping
    return Unit(**{name: values[f"{prefix}{name}"] for name in UNIT_FIELDS})


def _resource(row: Any) -> Resource:
    values = {c.name: row._mapping[c] for c in resources.c}
    values["hours"] = WeeklyHours.from_stored(values["hours"])
    return Resource(**values)


def _booking(row: Any) -> Booking:
    return Booking(**{c.name: row._mapping[c] for c in resource_bookings.c})


def _closure(row: Any) -> Closure:
    return Closure(**{c.name: row._mapping[c] for c in resource_closures.c})


class Placed(NamedTuple):
    """A resource with its owner unit and the community it belongs to."""

    resource: Resource
    owner: Unit
    scope: Unit


class Listed(NamedTuple):
    """A booking with its resource's name and its party's unit (code and path)."""

    booking: Booking
    resource: str
    party_code: str
    party_path: str


class Booker(NamedTuple):
    """A resident about to book: their household, name, whether they left, their home."""

    id: int
    household_id: int
    name: str
    left_at: dt.datetime | None
    home: Unit


class Full(NamedTuple):
    """The first slot a booking found full: its start, the places held and the capacity."""

    starts_at: dt.datetime
    used: int
    capacity: int


_PLACED_FROM: Final = resources.join(_owner, _owner.c.id == _r.unit_id).join(
    _scope, _scope.c.id == _r.scope_id
)
_PLACED: Final = select(
    resources, *_labelled(_owner, "owner_unit_"), *_labelled(_scope, "scope_unit_")
).select_from(_PLACED_FROM)
_PLACED_ONE: Final = _PLACED.where(_r.id == bindparam("id"))
_PLACED_LOCKED: Final = _PLACED_ONE.with_for_update(of=resources)
"""Held by a closure: bookings of the resource wait for it."""
_TO_BOOK: Final = (
    select(
        resources, *_labelled(_owner, "owner_unit_"), *_labelled(_scope, "scope_unit_"),
        exists()
        .where(
            resource_closures.c.resource_id == _r.id,
            resource_closures.c.starts_at < bindparam("end"),
            resource_closures.c.ends_at > bindparam("start"),
        )
        .label("closed"),
    )
    .select_from(_PLACED_FROM)
    .where(_r.id == bindparam("id"))
    .with_for_update(of=resources, read=True, key_share=True)
)  # fmt: skip
"""A resource to book, held under ``FOR KEY SHARE`` (closures wait for the booking, other
bookings do not), and whether a closed period overlaps the time asked for."""
_home = units.alias("home")
_TO_BOOK_AS_RESIDENT: Final = (
    _TO_BOOK.add_columns(
        residents.c.id.label("resident_id"),
        residents.c.household_id.label("resident_household_id"),
        residents.c.name.label("resident_name"), residents.c.left_at.label("resident_left_at"),
        *_labelled(_home, "home_unit_"),
    )
    .join(residents, residents.c.id == bindparam("resident_id"))
    .join(_home, _home.c.id == residents.c.unit_id)
    .with_for_update(of=[resources, residents], read=True, key_share=True)
)  # fmt: skip
"""The same with the resident who books and their home, their row held too: a life event of
theirs (which locks it for update) waits for the booking, or the booking for it."""
_RESOURCE: Final = select(resources).where(_r.id == bindparam("id"))
_LISTED_FROM: Final = resource_bookings.join(resources, _r.id == _b.resource_id).join(
    _party, _party.c.id == _b.unit_id
)
_LISTED: Final = select(
    resource_bookings, _r.name.label("resource_name"), _party.c.code.label("party_code"),
    _party.c.path.label("party_path"),
).select_from(_LISTED_FROM)  # fmt: skip
_BOOKING_AT: Final = (
    select(
        resource_bookings, resources, *_labelled(_owner, "owner_unit_"),
        *_labelled(_scope, "scope_unit_"), _party.c.code.label("party_code"),
        _party.c.path.label("party_path"),
    )
    .select_from(_LISTED_FROM.join(_owner, _owner.c.id == _r.unit_id).join(
        _scope, _scope.c.id == _r.scope_id
    ))
    .where(_b.id == bindparam("id"))
)  # fmt: skip
_BOOKING_AT_LOCKED: Final = _BOOKING_AT.with_for_update(of=resource_bookings)
_BOOKING: Final = select(resource_bookings).where(_b.id == bindparam("id"))
_CALENDAR: Final = _LISTED.where(
    _b.resource_id == bindparam("id"),
    _b.starts_at < bindparam("end"),
    _b.ends_at > bindparam("start"),
).order_by(_b.starts_at, _b.id)
_CLOSURES: Final = (
    select(resource_closures)
    .where(
        resource_closures.c.resource_id.in_(bindparam("ids", expanding=True)),
        resource_closures.c.starts_at < bindparam("end"),
        resource_closures.c.ends_at > bindparam("start"),
    )
    .order_by(resource_closures.c.starts_at, resource_closures.c.id)
)
_LIVE_OVERLAPPING: Final = (
    select(resource_bookings)
    .where(
        _b.resource_id == bindparam("id"),
        _b.state.in_(LIVE),
        _b.starts_at < bindparam("end"),
        _b.ends_at > bindparam("start"),
    )
    .order_by(_b.starts_at, _b.id)
)
_FULLEST: Final = (
    select(_s.starts_at, _s.used, _s.capacity)
    .where(
        _s.resource_id == bindparam("id"),
        _s.starts_at.in_(bindparam("starts", expanding=True)),
        _s.used + bindparam("n") > _s.capacity,
    )
    .order_by(_s.starts_at)
    .limit(1)
)
_RELEASE: Final = (
    update(resource_slots)
    .where(
        _s.resource_id == bindparam("id"),
        _s.starts_at.in_(
            select(_s.starts_at)
            .where(
                _s.resource_id == bindparam("id"),
                _s.starts_at.in_(bindparam("starts", expanding=True)),
            )
            .order_by(_s.starts_at)
            .with_for_update()
            .scalar_subquery()
        ),
    )
    .values(used=_s.used - bindparam("n"))
)
"""Slots locked in their order first (as a booking's upsert takes them), then given back."""
_ADD_BOOKING: Final = insert(resource_bookings).returning(_b.id)
_ADD_BOOKINGS: Final = insert(resource_bookings).returning(_b.id, sort_by_parameter_order=True)
_ADD_CLOSURE: Final = insert(resource_closures).returning(resource_closures.c.id)
_ADD_SERIES: Final = insert(resource_series).returning(resource_series.c.id)
_ADD_RESOURCE: Final = insert(resources).returning(_r.id)


def _hold_statement(module: Any) -> Any:
    statement = module.insert(resource_slots)
    return statement.on_conflict_do_update(
        index_elements=[_s.resource_id, _s.starts_at],
        set_={"used": _s.used + statement.excluded.used},
    ).returning(_s.used)


_HOLD: Final = {"postgresql": _hold_statement(postgresql), "sqlite": _hold_statement(sqlite)}
"""The slot upsert, given every slot's row at once: SQLAlchemy sends them as one statement of
many rows (its "insertmanyvalues", which the ``RETURNING`` asks for), in slot order, on both
back ends."""


class ResourceRepository(Repository):
    # -- for other capabilities -----------------------------------------------------------------
    def resource(self, resource_id: int) -> Resource | None:
        """The resource, if any."""
        row = self.conn.execute(_RESOURCE, {"id": resource_id}).first()
        return None if row is None else _resource(row)

    def booking(self, booking_id: int) -> Booking | None:
        """The booking, if any."""
        row = self.conn.execute(_BOOKING, {"id": booking_id}).first()
        return None if row is None else _booking(row)

    # -- resources ------------------------------------------------------------------------------
    def add(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(_ADD_RESOURCE, dict(values)).scalar_one())

    def placed(self, resource_id: int, *, lock: bool = False) -> Placed | None:
        """The resource with its owner and community, in one statement; ``lock`` holds it
        (a closure: bookings of the resource wait for it)."""
        query = _PLACED_LOCKED if lock else _PLACED_ONE
        row = self.conn.execute(query, {"id": resource_id}).first()
        return None if row is None else _placed(row)

    def to_book(
        self, resource_id: int, start: dt.datetime, end: dt.datetime, resident_id: int | None
    ) -> tuple[Placed, bool, Booker | None] | None:
        """The resource to book (held: closures of it wait for the booking), whether a closed
        period overlaps ``[start, end)`` and, with ``resident_id``, the resident who books
        (``None`` for the whole when either is missing), in one statement."""
        params = {"id": resource_id, "start": start, "end": end}
        if resident_id is None:
            row = self.conn.execute(_TO_BOOK, params).first()
            return None if row is None else (_placed(row), bool(row.closed), None)
        row = self.conn.execute(
            _TO_BOOK_AS_RESIDENT, {**params, "resident_id": resident_id}
        ).first()
        if row is None:
            return None
        booker = Booker(
            row.resident_id,
            row.resident_household_id,
            row.resident_name,
            row.resident_left_at,
            _unit(row, "home_unit_"),
        )
        return _placed(row), bool(row.closed), booker

    def under(
        self,
        path: str,
        *,
        bookable_by: Unit | None = None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[Placed]:
        """The resources owned at or below the unit at ``path``, by id. With ``bookable_by``
        (a party's unit), those of them within the party's community and the shared ones
        anywhere instead. ``after_id`` continues after that id, ``limit`` caps the rows."""
        owned: ColumnElement[bool] = _owner.c.path.like(like_prefix(path), escape="\\")
        if bookable_by is not None:
            communities = [*bookable_by.ancestor_ids, bookable_by.id]
            owned = or_(_r.shared.is_(True), and_(owned, _r.scope_id.in_(communities)))
        query = _PLACED.where(owned)
        if after_id is not None:
            query = query.where(_r.id > after_id)
        query = query.order_by(_r.id)
        if limit is not None:
            query = query.limit(limit)
        return [_placed(row) for row in self.conn.execute(query)]

    # -- closed periods -------------------------------------------------------------------------
    def add_closure(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(_ADD_CLOSURE, dict(values)).scalar_one())

    def closures(
        self, resource_ids: Sequence[int], start: dt.datetime, end: dt.datetime
    ) -> list[Closure]:
        """The closed periods of the resources that overlap ``[start, end)``."""
        if not resource_ids:
            return []
        params = {"ids": list(resource_ids), "start": start, "end": end}
        return [_closure(row) for row in self.conn.execute(_CLOSURES, params)]

    # -- slots ----------------------------------------------------------------------------------
    def hold(
        self, resource_id: int, capacity: int, starts: Sequence[dt.datetime], size: int
    ) -> Full | None:
        """Add ``size`` places to every slot at ``starts`` (sorted), creating the slots no
        booking covered yet; ``None`` when all took them, else the first slot that was full,
        nothing held. The upsert runs in a savepoint, rolled back when the CHECK refuses a
        slot; on SQLite one statement needs none: SQLite undoes a failing statement whole and
        the transaction goes on."""
        try:
            if self.dialect == "sqlite" and len(starts) <= ONE_STATEMENT:
                self._adjust(resource_id, capacity, starts, size)  # undone whole if it fails
            else:
                with self.conn.begin_nested():
                    self._adjust(resource_id, capacity, starts, size)
        except IntegrityError as exc:
            if FULL_CHECK not in str(exc.orig):
                raise
            params = {"id": resource_id, "starts": list(starts), "n": size}
            row = self.conn.execute(_FULLEST, params).first()
            at = starts[0] if row is None else row.starts_at
            used = capacity if row is None else int(row.used)
            return Full(at, used, capacity if row is None else int(row.capacity))
        return None

    def release(
        self, resource_id: int, capacity: int, starts: Sequence[dt.datetime], size: int
    ) -> None:
        """Give ``size`` places back on every slot at ``starts`` (locked in slot order)."""
        for first in range(0, len(starts), CHUNK):
            params = {"id": resource_id, "starts": list(starts[first : first + CHUNK]), "n": size}
            self.conn.execute(_RELEASE, params)

    def _adjust(
        self, resource_id: int, capacity: int, starts: Sequence[dt.datetime], size: int
    ) -> None:
        """Every slot's row in one call, in slot order: rows are locked in slot order by every
        writer, so two bookings never wait on each other in a circle."""
        rows = [
            {"resource_id": resource_id, "starts_at": at, "capacity": capacity, "used": size}
            for at in starts
        ]
        self.conn.execute(_HOLD[self.dialect], rows)

    def slots(self, resource_id: int) -> dict[dt.datetime, tuple[int, int]]:
        """Every slot row of the resource: start → (places held, capacity)."""
        query = select(_s.starts_at, _s.used, _s.capacity).where(_s.resource_id == resource_id)
        return {
            row.starts_at: (int(row.used), int(row.capacity)) for row in self.conn.execute(query)
        }

    # -- bookings -------------------------------------------------------------------------------
    def add_series(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(_ADD_SERIES, dict(values)).scalar_one())

    def add_booking(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(_ADD_BOOKING, dict(values)).scalar_one())

    def add_bookings(self, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Insert bookings; their ids come back in the order given."""
        found = self.conn.execute(_ADD_BOOKINGS, [dict(r) for r in rows]).scalars()
        return [int(i) for i in found]

    def booking_at(
        self, booking_id: int, *, lock: bool = False
    ) -> tuple[Booking, Placed, str, str] | None:
        """The booking, its resource placed, and its party's unit code and path, in one
        statement; ``lock`` holds the booking's row while its state changes."""
        query = _BOOKING_AT_LOCKED if lock else _BOOKING_AT
        row = self.conn.execute(query, {"id": booking_id}).first()
        if row is None:
            return None
        return _booking(row), _placed(row), str(row.party_code), str(row.party_path)

    def update_booking(self, booking_id: int, values: Mapping[str, Any]) -> None:
        query = update(resource_bookings).where(_b.id == booking_id).values(**values)
        self.conn.execute(query)

    def calendar(self, resource_id: int, start: dt.datetime, end: dt.datetime) -> list[Listed]:
        """The resource's bookings overlapping ``[start, end)``, by start."""
        params = {"id": resource_id, "start": start, "end": end}
        return [_listed(row) for row in self.conn.execute(_CALENDAR, params)]

    def of_party(
        self, *, resident_id: int | None = None, staff_id: int | None = None
    ) -> list[Listed]:
        """The bookings a resident made, or a staff member, by start."""
        if resident_id is not None:
            query = _LISTED.where(_b.resident_id == resident_id)
        else:
            query = _LISTED.where(_b.staff_id == staff_id)
        return [_listed(row) for row in self.conn.execute(query.order_by(_b.starts_at, _b.id))]

    def live_overlapping(
        self, resource_id: int, start: dt.datetime, end: dt.datetime
    ) -> list[Booking]:
        """Pending and approved bookings of the resource overlapping ``[start, end)``."""
        params = {"id": resource_id, "start": start, "end": end}
        return [_booking(row) for row in self.conn.execute(_LIVE_OVERLAPPING, params)]

    def used(
        self, resource_ids: Sequence[int], start: dt.datetime, end: dt.datetime
    ) -> list[Booking]:
        """The bookings of the resources overlapping ``[start, end)`` that used time or were
        missed (approved, attended, no-show)."""
        if not resource_ids:
            return []
        query = select(resource_bookings).where(
            _b.resource_id.in_(list(resource_ids)),
            _b.state.in_(("approved", "attended", "no_show")),
            _b.starts_at < end,
            _b.ends_at > start,
        )
        return [_booking(row) for row in self.conn.execute(query)]

    def future_of_resident(
        self, resident_id: int, after: dt.datetime
    ) -> list[tuple[Booking, Placed]]:
        """The resident's live bookings starting after ``after``, locked, each with its
        resource, by resource and start (the order slots are locked in)."""
        query = (
            select(resource_bookings, resources, *_labelled(_owner, "owner_unit_"),
                   *_labelled(_scope, "scope_unit_"))
            .select_from(resource_bookings.join(_PLACED_FROM, _r.id == _b.resource_id))
            .where(_b.resident_id == resident_id, _b.state.in_(LIVE), _b.starts_at > after)
            .order_by(_b.resource_id, _b.starts_at, _b.id)
            .with_for_update(of=resource_bookings)
        )  # fmt: skip
        return [(_booking(row), _placed(row)) for row in self.conn.execute(query)]

    def repoint_resident(self, resident_id: int, into: int, household_id: int) -> int:
        """Every booking of ``resident_id`` becomes ``into``'s (of ``household_id``)."""
        query = (
            update(resource_bookings)
            .where(_b.resident_id == resident_id)
            .values(resident_id=into, household_id=household_id)
        )
        return int(self.conn.execute(query).rowcount or 0)


def _placed(row: Any) -> Placed:
    return Placed(_resource(row), _unit(row, "owner_unit_"), _unit(row, "scope_unit_"))


def _listed(row: Any) -> Listed:
    return Listed(_booking(row), str(row.resource_name), str(row.party_code), str(row.party_path))
