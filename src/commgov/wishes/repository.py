"""Queries of the wish tables: load and save wishes and matches through the unit of work's
connection, lock the rows a write changes (PostgreSQL ``FOR UPDATE``; SQLite's writer holds the
database lock already), and read what rankings, lists and statistics need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Select, and_, func, insert, or_, select, update

from commgov.kernel.repository import Repository
from commgov.people.tables import residents, staff, units
from commgov.wishes.model.vocab import MatchState
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


def _match(row: Any) -> Match:
    return Match(
        id=row.id,
        want_id=row.want_id,
        offer_id=row.offer_id,
        quantity=row.quantity,
        score=row.score,
        reasons=tuple(row.reasons),
        state=row.state,
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        note=row.note,
    )


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _with_units() -> Select[Any]:
    return select(
        wishes,
        units.c.code.label("unit_code"),
        units.c.path.label("unit_path"),
        units.c.parent_id.label("unit_parent_id"),
    ).join(units, units.c.id == _w.unit_id)


def _under(path: str) -> Any:
    return units.c.path.like(_escape_like(path) + "%", escape="\\")


class WishRepository(Repository):
    # -- wishes --------------------------------------------------------------------------
    def add(self, values: Mapping[str, Any]) -> int:
        found = self.conn.execute(insert(wishes).returning(_w.id), dict(values)).scalar_one()
        return int(found)

    def get(self, wish_id: int) -> Wish | None:
        row = self.conn.execute(_with_units().where(_w.id == wish_id)).one_or_none()
        return None if row is None else _wish(row)

    def lock(self, wish_ids: Iterable[int]) -> dict[int, Wish]:
        """These wishes, their rows locked for this unit of work in id order (so two writers
        that lock the same rows queue instead of deadlocking)."""
        ids = sorted(set(wish_ids))
        if not ids:
            return {}
        if self.dialect == "postgresql":
            locking = select(_w.id).where(_w.id.in_(ids)).order_by(_w.id).with_for_update()
            self.conn.execute(locking).all()
        return self.many(ids)

    def many(self, wish_ids: Iterable[int]) -> dict[int, Wish]:
        ids = sorted(set(wish_ids))
        found: dict[int, Wish] = {}
        for start in range(0, len(ids), _CHUNK):
            query = _with_units().where(_w.id.in_(ids[start : start + _CHUNK]))
            found.update({row.id: _wish(row) for row in self.conn.execute(query)})
        return found

    def update(self, wish_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(update(wishes).where(_w.id == wish_id).values(**values))

    def commit_capacity(self, wish_id: int, change: int) -> bool:
        """Add ``change`` to the wish's ``committed`` unless that would leave ``0..quantity``
        (``False``: nothing changed)."""
        done = self.conn.execute(
            update(wishes)
            .where(
                _w.id == wish_id,
                _w.committed + change >= 0,
                _w.committed + change <= _w.quantity,
            )
            .values(committed=_w.committed + change)
        )
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
    ) -> list[Wish]:
        """Wishes in units under the unit at ``path`` (itself included), oldest first."""
        query = _with_units().where(_under(path))
        if kinds is not None:
            query = query.where(_w.kind.in_(list(kinds)))
        if states is not None:
            query = query.where(_w.state.in_(list(states)))
        if triaged:
            query = query.where(_w.tier.is_not(None))
        if category is not None:
            like = _escape_like(category) + ".%"
            query = query.where(or_(_w.category == category, _w.category.like(like, escape="\\")))
        query = query.order_by(_w.id)
        if limit is not None:
            query = query.limit(limit)
        return [_wish(row) for row in self.conn.execute(query)]

    def due(self, path: str, before: dt.date) -> list[int]:
        """Open wants under ``path`` (nobody accepted them) wanted by a day before ``before``."""
        query = (
            select(_w.id)
            .join(units, units.c.id == _w.unit_id)
            .where(
                _under(path),
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
        like = _escape_like(category) + ".%"
        query = _with_units().where(
            _w.kind == "offer",
            _w.state == "open",
            _w.committed < _w.quantity,
            or_(_w.category == category, _w.category.like(like, escape="\\")),
        )
        return [_wish(row) for row in self.conn.execute(query.order_by(_w.id))]

    def of_author(
        self, *, resident_id: int | None = None, staff_id: int | None = None, states: Sequence[str]
    ) -> list[Wish]:
        """Wishes by a resident or a staff member in ``states``."""
        column = _w.author_resident_id if resident_id is not None else _w.author_staff_id
        person = resident_id if resident_id is not None else staff_id
        query = _with_units().where(column == person, _w.state.in_(list(states)))
        return [_wish(row) for row in self.conn.execute(query.order_by(_w.id))]

    def ratings(self, offer_ids: Sequence[int]) -> dict[tuple[str, int | str], tuple[float, int]]:
        """The mean rating and the count of rated wants fulfilled through offers by the same
        authors as ``offer_ids``, by author key (``("resident", id)``, ``("staff", id)``,
        ``("organisation", ref)`` …)."""
        if not offer_ids:
            return {}
        offers = wishes.alias("offers")
        wants = wishes.alias("wants")
        author = func.coalesce(offers.c.author_resident_id, offers.c.author_staff_id, -1).label(
            "person"
        )
        query = (
            select(
                offers.c.author_kind,
                author,
                offers.c.author_ref,
                func.avg(wants.c.rating),
                func.count(wants.c.rating),
            )
            .select_from(wish_matches)
            .join(offers, offers.c.id == _m.offer_id)
            .join(wants, wants.c.id == _m.want_id)
            .where(_m.state == "fulfilled", wants.c.rating.is_not(None))
            .group_by(offers.c.author_kind, author, offers.c.author_ref)
        )
        out: dict[tuple[str, int | str], tuple[float, int]] = {}
        for kind, person, ref, mean, count in self.conn.execute(query):
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
            .where(_under(path), _w.created_at >= start, _w.created_at < end)
        )
        return [tuple(row) for row in self.conn.execute(query)]

    # -- matches -------------------------------------------------------------------------
    def add_match(self, values: Mapping[str, Any]) -> int:
        found = self.conn.execute(insert(wish_matches).returning(_m.id), dict(values))
        return int(found.scalar_one())

    def match(self, match_id: int) -> Match | None:
        row = self.conn.execute(select(wish_matches).where(_m.id == match_id)).one_or_none()
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
        query = select(wish_matches).where(
            or_(_m.want_id.in_(list(want_ids)), _m.offer_id.in_(list(offer_ids)))
        )
        if states is not None:
            query = query.where(_m.state.in_(list(states)))
        return [_match(row) for row in self.conn.execute(query.order_by(_m.id))]

    def live_pair(self, want_id: int, offer_id: int) -> int | None:
        query = select(_m.id).where(
            and_(_m.want_id == want_id, _m.offer_id == offer_id),
            _m.state.in_(["proposed", "accepted"]),
        )
        return self.conn.execute(query.limit(1)).scalar_one_or_none()

    def update_match(self, match_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(update(wish_matches).where(_m.id == match_id).values(**values))

    # -- people --------------------------------------------------------------------------
    def residents(self, ids: Iterable[int]) -> dict[int, Any]:
        """Rows (id, name, household_id, unit_id, left_at) of these residents, by id."""
        wanted = sorted(set(ids))
        r = residents.c
        out: dict[int, Any] = {}
        for start in range(0, len(wanted), _CHUNK):
            query = select(r.id, r.name, r.household_id, r.unit_id, r.left_at).where(
                r.id.in_(wanted[start : start + _CHUNK])
            )
            out.update({row.id: row for row in self.conn.execute(query)})
        return out

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
