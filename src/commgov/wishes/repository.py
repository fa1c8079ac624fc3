"""Queries of the wish tables: load and save wishes and matches through the unit of work's
connection, lock the rows a write changes (PostgreSQL ``FOR UPDATE``; SQLite's writer holds the
database lock already), and read what rankings, lists and statistics need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    FromClause,
    Select,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from commgov.kernel.repository import Repository
from commgov.people.model.units import Unit
from commgov.people.repository import like_prefix, path_under, unit_columns, unit_from_row
from commgov.people.tables import residents, staff, units
from commgov.wishes.model.vocab import LIVE_MATCHES, MatchState
from commgov.wishes.model.wish import Match, Wish
from commgov.wishes.tables import wish_matches, wishes

_w = wishes.c
_m = wish_matches.c
_CHUNK = 500


def _wish(row: Any) -> Wish:
    return Wish(
        id=row.id,
        kind=row.kind,
        state=row.state,
        unit_id=row.unit_id,
        unit_code=row.unit_code,
        unit_path=row.unit_path,
        unit_parent_id=row.unit_parent_id,
        category=row.category,
        text=row.text,
        author_kind=row.author_kind,
        author_resident_id=row.author_resident_id,
        author_staff_id=row.author_staff_id,
        author_name=row.author_name,
        author_ref=row.author_ref,
        address=row.address,
        lat=row.lat,
        lon=row.lon,
        photos=tuple(row.photos),
        wanted_by=row.wanted_by,
        quantity=row.quantity,
        committed=row.committed,
        tier=row.tier,
        target=row.target,
        created_at=row.created_at,
        created_by=row.created_by,
        closed_at=row.closed_at,
        closed_reason=row.closed_reason,
        rating=row.rating,
        evidence=tuple(row.evidence),
        note=row.note,
        case_id=row.case_id,
        referred_to=row.referred_to,
        reference=row.reference,
        rewards=tuple(row.rewards),
    )


_MATCH_FIELDS = tuple(c.name for c in wish_matches.c)


def _match(row: Any, prefix: str = "") -> Match:
    """The match of a wish_matches row (or of its columns joined in as ``<prefix><name>``)."""
    values = row._mapping
    found = {name: values[f"{prefix}{name}"] for name in _MATCH_FIELDS}
    return Match(**(found | {"reasons": tuple(found["reasons"])}))


_WHO = residents.alias("who")
_WHO_HOME = units.alias("who_home")


@attrs.frozen
class Person:
    """A resident as the wish calls need them: to authorise their household, mask their name,
    pay them while they live in the town."""

    id: int
    name: str
    household_id: int
    unit_id: int
    left_at: dt.datetime | None
    home_code: str
    home_path: str


def _with_units(table: FromClause = wishes) -> Select[Any]:
    """Wishes (of ``table``: the wishes table or an alias) with their unit and, for a
    resident author, the author as a ``Person`` (so a call that checks or shows the author
    reads them in the same statement)."""
    w = table.c
    return (
        select(
            table,
            units.c.code.label("unit_code"),
            units.c.path.label("unit_path"),
            units.c.parent_id.label("unit_parent_id"),
            _WHO.c.name.label("who_name"),
            _WHO.c.household_id.label("who_household_id"),
            _WHO.c.unit_id.label("who_unit_id"),
            _WHO.c.left_at.label("who_left_at"),
            _WHO_HOME.c.code.label("who_home_code"),
            _WHO_HOME.c.path.label("who_home_path"),
        )
        .join(units, units.c.id == w.unit_id)
        .outerjoin(_WHO, _WHO.c.id == w.author_resident_id)
        .outerjoin(_WHO_HOME, _WHO_HOME.c.id == _WHO.c.unit_id)
    )


def _author(row: Any) -> Person | None:
    if row.author_resident_id is None or row.who_household_id is None:
        return None
    return Person(
        id=row.author_resident_id,
        name=row.who_name,
        household_id=row.who_household_id,
        unit_id=row.who_unit_id,
        left_at=row.who_left_at,
        home_code=row.who_home_code,
        home_path=row.who_home_path,
    )


# The statements every write runs, built once (their bound values given at each call).
_IDS: BindParameter[int] = bindparam("ids", expanding=True)
_PAIR: list[BindParameter[int]] = [bindparam("id"), bindparam("other")]
_GET = _with_units().where(_w.id == bindparam("id"))
_GET_PAIR = _with_units().where(_w.id.in_(_PAIR))
_MANY = _with_units().where(_w.id.in_(_IDS))
_LOCKED = _with_units().order_by(_w.id).with_for_update(of=wishes)
_LOCK_ONE = _LOCKED.where(_w.id == bindparam("id"))
_LOCK_PAIR = _LOCKED.where(_w.id.in_(_PAIR))
_LOCK = _LOCKED.where(_w.id.in_(_IDS))
"""One or two wishes are read by statements of their own: an expanding list of ids is
rendered again at every call, which costs more than the query."""
_ADD = insert(wishes).returning(_w.id)
_UPDATE = update(wishes).where(_w.id == bindparam("_id"))
_CAPACITY = (
    update(wishes)
    .where(
        _w.id == bindparam("_id"),
        _w.committed + bindparam("change") >= 0,
        _w.committed + bindparam("change") <= _w.quantity,
    )
    .values(committed=_w.committed + bindparam("change"))
)
_CAPACITY_MATCHED = _CAPACITY.values(
    state=case((_w.state == "open", literal("matched")), else_=_w.state)
)
_OFFERS = wishes.alias("offers")
_WANTS = wishes.alias("wants")
_RATER = func.coalesce(_OFFERS.c.author_resident_id, _OFFERS.c.author_staff_id, -1).label("person")
_RATED = (
    select(
        _OFFERS.c.author_kind, _RATER, _OFFERS.c.author_ref, func.avg(_WANTS.c.rating), func.count()
    )
    .select_from(_OFFERS)
    .join(wish_matches, _m.offer_id == _OFFERS.c.id)
    .join(_WANTS, _WANTS.c.id == _m.want_id)
    .where(_m.state == "fulfilled", _WANTS.c.rating.is_not(None))
    .group_by(_OFFERS.c.author_kind, _RATER, _OFFERS.c.author_ref)
)
_RATED_BY_RESIDENT = _RATED.where(_OFFERS.c.author_resident_id == bindparam("person"))
_RATED_BY_STAFF = _RATED.where(_OFFERS.c.author_staff_id == bindparam("person"))
_ADD_MATCH = insert(wish_matches).returning(_m.id)
_MATCH = select(wish_matches).where(_m.id == bindparam("id"))
_MATCHES = (
    select(wish_matches)
    .where(
        or_(
            _m.want_id.in_(bindparam("wants", expanding=True)),
            _m.offer_id.in_(bindparam("offers", expanding=True)),
        )
    )
    .order_by(_m.id)
)
_MATCHES_IN = _MATCHES.where(_m.state.in_(bindparam("states", expanding=True)))
_LIVE_OF_ONE = (
    select(wish_matches)
    .where(
        or_(_m.want_id == bindparam("id"), _m.offer_id == bindparam("id")),
        _m.state.in_(LIVE_MATCHES),
    )
    .order_by(_m.id)
)
_OTHER = wishes.alias("other")
_LIVE_WITH_OTHERS = (
    _with_units(_OTHER)
    .add_columns(*(column.label(f"m_{column.name}") for column in wish_matches.c))
    .join(
        wish_matches,
        _OTHER.c.id == case((_m.want_id == bindparam("id"), _m.offer_id), else_=_m.want_id),
    )
    .where(
        or_(_m.want_id == bindparam("id"), _m.offer_id == bindparam("id")),
        _m.state.in_(LIVE_MATCHES),
    )
    .order_by(_m.id)
)
"""The live matches of one wish (found by the indexes on either end), each with the wish at
its other end (found by its key)."""
_LIVE_WITH_OTHERS_LOCKED = _LIVE_WITH_OTHERS.with_for_update(of=_OTHER)
_UPDATE_MATCH = update(wish_matches).where(_m.id == bindparam("_id"))
_DECIDE_MATCH = _UPDATE_MATCH.where(_m.state == bindparam("_from"))
_LIVE_PAIR = (
    select(_m.id)
    .where(
        _m.want_id == bindparam("want"),
        _m.offer_id == bindparam("offer"),
        _m.state.in_(["proposed", "accepted"]),
    )
    .limit(1)
)
_AT_HOME = select(
    residents.c.id,
    residents.c.name,
    residents.c.household_id,
    residents.c.unit_id,
    residents.c.left_at,
    *unit_columns("home_"),
).join(units, units.c.id == residents.c.unit_id)
_RESIDENT = _AT_HOME.where(residents.c.id == bindparam("id"))
_RESIDENTS = _AT_HOME.where(residents.c.id.in_(_IDS))


class WishRepository(Repository):
    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self.authors: dict[int, Person] = {}
        """Resident authors of the wishes this unit of work read, by id (read with them)."""

    def _read(self, row: Any) -> Wish:
        person = _author(row)
        if person is not None:
            self.authors[person.id] = person
        return _wish(row)

    @property
    def row_locks(self) -> bool:
        """Whether ``lock`` takes row locks (PostgreSQL): then what was read before a lock
        must be read again under it. Without (SQLite) the writer holds the whole store from
        the start of its unit of work, so every read is already under the lock."""
        return self.dialect == "postgresql"

    # -- wishes --------------------------------------------------------------------------
    def add(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(_ADD, dict(values)).scalar_one())

    def get(self, wish_id: int) -> Wish | None:
        row = self.conn.execute(_GET, {"id": wish_id}).one_or_none()
        return None if row is None else self._read(row)

    def lock(self, wish_ids: Iterable[int]) -> dict[int, Wish]:
        """These wishes, their rows locked for this unit of work in id order (so two writers
        that lock the same rows queue instead of deadlocking)."""
        ids = sorted(set(wish_ids))
        if not ids:
            return {}
        if not self.row_locks:
            return self.many(ids)
        return self._by_ids(ids, _LOCK_ONE, _LOCK_PAIR, _LOCK)

    def many(self, wish_ids: Iterable[int]) -> dict[int, Wish]:
        return self._by_ids(sorted(set(wish_ids)), _GET, _GET_PAIR, _MANY)

    def _by_ids(
        self, ids: Sequence[int], one: Select[Any], pair: Select[Any], many: Select[Any]
    ) -> dict[int, Wish]:
        """The wishes of ``ids`` (sorted, distinct) by the statement for their number."""
        if len(ids) == 1:
            rows = self.conn.execute(one, {"id": ids[0]})
        elif len(ids) == 2:
            rows = self.conn.execute(pair, {"id": ids[0], "other": ids[1]})
        else:
            found: dict[int, Wish] = {}
            for start in range(0, len(ids), _CHUNK):
                chunk = self.conn.execute(many, {"ids": ids[start : start + _CHUNK]})
                found.update({row.id: self._read(row) for row in chunk})
            return found
        return {row.id: self._read(row) for row in rows}

    def update(self, wish_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(_UPDATE, {"_id": wish_id, **values})

    def commit_capacity(self, wish_id: int, change: int, *, matched: bool = False) -> bool:
        """Add ``change`` to the wish's ``committed`` unless that would leave ``0..quantity``
        (``False``: nothing changed); with ``matched`` an open wish becomes matched too."""
        statement = _CAPACITY_MATCHED if matched else _CAPACITY
        done = self.conn.execute(statement, {"_id": wish_id, "change": change})
        return done.rowcount == 1

    def under(
        self,
        path: str,
        *,
        kinds: Sequence[str] | None = None,
        states: Sequence[str] | None = None,
        triaged: bool = False,
        category: str | None = None,
        limit: int | None = None,
        after_id: int | None = None,
    ) -> list[Wish]:
        """Wishes in units under the unit at ``path`` (itself included), oldest first;
        ``after_id`` continues after that id."""
        query = _with_units().where(path_under(path))
        if after_id is not None:
            query = query.where(_w.id > after_id)
        if kinds is not None:
            query = query.where(_w.kind.in_(list(kinds)))
        if states is not None:
            query = query.where(_w.state.in_(list(states)))
        if triaged:
            query = query.where(_w.tier.is_not(None))
        if category is not None:
            like = like_prefix(category + ".")
            query = query.where(or_(_w.category == category, _w.category.like(like, escape="\\")))
        query = query.order_by(_w.id)
        if limit is not None:
            query = query.limit(limit)
        return [self._read(row) for row in self.conn.execute(query)]

    def due(self, path: str, before: dt.date) -> list[int]:
        """Open wants under ``path`` (nobody accepted them) wanted by a day before ``before``."""
        query = (
            select(_w.id)
            .join(units, units.c.id == _w.unit_id)
            .where(
                path_under(path),
                _w.kind == "want",
                _w.state == "open",
                _w.wanted_by.is_not(None),
                _w.wanted_by < before,
            )
            .order_by(_w.id)
        )
        return [int(i) for i in self.conn.execute(query).scalars()]

    def open_offers(self, category: str) -> list[Wish]:
        """Open offers of ``category`` or its items with capacity to spare."""
        like = like_prefix(category + ".")
        query = _with_units().where(
            _w.kind == "offer",
            _w.state == "open",
            _w.committed < _w.quantity,
            or_(_w.category == category, _w.category.like(like, escape="\\")),
        )
        return [self._read(row) for row in self.conn.execute(query.order_by(_w.id))]

    def of_author(
        self, *, resident_id: int | None = None, staff_id: int | None = None, states: Sequence[str]
    ) -> list[Wish]:
        """Wishes by a resident or a staff member in ``states``."""
        column = _w.author_resident_id if resident_id is not None else _w.author_staff_id
        person = resident_id if resident_id is not None else staff_id
        query = _with_units().where(column == person, _w.state.in_(list(states)))
        return [self._read(row) for row in self.conn.execute(query.order_by(_w.id))]

    def ratings(self, offers: Sequence[Wish]) -> dict[tuple[str, int | str], tuple[float, int]]:
        """The mean rating and the count of rated wants fulfilled through offers by the same
        authors as ``offers``, by author key (``("resident", id)``, ``("staff", id)``,
        ``("organisation", ref)`` …). Only those authors' offers are read."""
        authors = [
            (w.author_kind, w.author_resident_id, w.author_staff_id, w.author_ref) for w in offers
        ]
        o = _OFFERS.c
        people = {r for _, r, _, _ in authors if r is not None}
        staff_ids = {s for _, r, s, _ in authors if r is None and s is not None}
        named = {(k, ref) for k, r, s, ref in authors if r is None and s is None and ref}
        mine: list[ColumnElement[bool]] = []
        if people:
            mine.append(o.author_resident_id.in_(sorted(people)))
        if staff_ids:
            mine.append(o.author_staff_id.in_(sorted(staff_ids)))
        mine += [
            and_(
                o.author_kind == kind,
                o.author_ref == ref,
                o.author_resident_id.is_(None),
                o.author_staff_id.is_(None),
            )
            for kind, ref in sorted(named)
        ]
        if not mine:
            return {}
        if len(authors) == 1 and (people or staff_ids):  # one offer's author: a prebuilt query
            one = _RATED_BY_RESIDENT if people else _RATED_BY_STAFF
            rows = self.conn.execute(one, {"person": next(iter(people or staff_ids))})
        else:
            rows = self.conn.execute(_RATED.where(or_(*mine)))
        out: dict[tuple[str, int | str], tuple[float, int]] = {}
        for kind, person, ref, mean, count in rows:
            key: int | str = ref if person == -1 else int(person)
            out[(str(kind), key)] = (float(mean), int(count))
        return out

    def statistics_rows(
        self, path: str, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[str, str, str, str | None, str, dt.datetime, dt.datetime | None]]:
        """(unit path, kind, state, tier, category, created_at, closed_at) of each wish made
        in ``[start, end)`` under ``path``."""
        query = (
            select(
                units.c.path, _w.kind, _w.state, _w.tier, _w.category, _w.created_at, _w.closed_at
            )
            .join(units, units.c.id == _w.unit_id)
            .where(path_under(path), _w.created_at >= start, _w.created_at < end)
        )
        return [tuple(row) for row in self.conn.execute(query)]

    # -- matches -------------------------------------------------------------------------
    def add_match(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(_ADD_MATCH, dict(values)).scalar_one())

    def match(self, match_id: int) -> Match | None:
        row = self.conn.execute(_MATCH, {"id": match_id}).one_or_none()
        return None if row is None else _match(row)

    def matches(
        self,
        *,
        want_ids: Sequence[int] = (),
        offer_ids: Sequence[int] = (),
        states: Sequence[MatchState] | None = None,
    ) -> list[Match]:
        """Matches of these wants or offers, oldest first."""
        if not want_ids and not offer_ids:
            return []
        if (
            states is not None
            and tuple(states) == LIVE_MATCHES
            and len(want_ids) == 1
            and list(want_ids) == list(offer_ids)
        ):
            return [_match(row) for row in self.conn.execute(_LIVE_OF_ONE, {"id": want_ids[0]})]
        values: dict[str, list[Any]] = {"wants": list(want_ids), "offers": list(offer_ids)}
        query = _MATCHES
        if states is not None:
            query, values["states"] = _MATCHES_IN, list(states)
        return [_match(row) for row in self.conn.execute(query, values)]

    def live_with_others(self, wish_id: int) -> tuple[list[Match], dict[int, Wish]]:
        """The live matches of this wish, oldest first, and the wishes at their other ends
        (their rows locked, where locks are taken row by row), in one statement."""
        statement = _LIVE_WITH_OTHERS_LOCKED if self.row_locks else _LIVE_WITH_OTHERS
        matches: list[Match] = []
        others: dict[int, Wish] = {}
        for row in self.conn.execute(statement, {"id": wish_id}):
            matches.append(_match(row, "m_"))
            others.setdefault(row.id, self._read(row))
        return matches, others

    def live_pair(self, want_id: int, offer_id: int) -> int | None:
        found = self.conn.execute(_LIVE_PAIR, {"want": want_id, "offer": offer_id})
        return found.scalar_one_or_none()

    def update_match(self, match_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(_UPDATE_MATCH, {"_id": match_id, **values})

    def decide_match(self, match_id: int, state: str, values: Mapping[str, Any]) -> bool:
        """Update the match while it is in ``state`` (``False``: it was not; nothing changed)."""
        done = self.conn.execute(_DECIDE_MATCH, {"_id": match_id, "_from": state, **values})
        return done.rowcount == 1

    # -- people --------------------------------------------------------------------------
    def residents_at_home(self, ids: Iterable[int]) -> tuple[dict[int, Any], dict[int, Unit]]:
        """Rows (id, name, household_id, unit_id, left_at) of these residents, by id, and the
        units they live in, by id (one statement)."""
        wanted = sorted(set(ids))
        out: dict[int, Any] = {}
        homes: dict[int, Unit] = {}
        for start in range(0, len(wanted), _CHUNK):
            part = wanted[start : start + _CHUNK]
            found = (
                self.conn.execute(_RESIDENT, {"id": part[0]})
                if len(part) == 1
                else self.conn.execute(_RESIDENTS, {"ids": part})
            )
            for row in found:
                out[row.id] = row
                homes[row.unit_id] = unit_from_row(row, "home_")
        return out, homes

    def staff_names(self, ids: Iterable[int]) -> dict[int, tuple[str, bool]]:
        """Name and whether active, of these staff members, by id."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = select(staff.c.id, staff.c.name, staff.c.active).where(staff.c.id.in_(wanted))
        return {int(i): (str(n), bool(a)) for i, n, a in self.conn.execute(query)}

    def members(self, household_id: int) -> list[int]:
        """Residents living in the household now."""
        r = residents.c
        query = select(r.id).where(r.household_id == household_id, r.left_at.is_(None))
        return [int(i) for i in self.conn.execute(query).scalars()]


__all__ = ["WishRepository"]
