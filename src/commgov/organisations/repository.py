"""Loading and saving organisations, members, party registrations, activities and sign-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from sqlalchemy import bindparam, delete, func, insert, select, update

from commgov.kernel.repository import Repository
from commgov.organisations.model.values import Activity, Member, Organisation, Signup
from commgov.organisations.tables import (
    activities,
    activity_signups,
    organisation_members,
    organisation_units,
    organisations,
    party_registrations,
)
from commgov.people.model.units import Unit
from commgov.people.repository import under, unit_columns, unit_from_row
from commgov.people.tables import residents, units

Attended = tuple[int, int, str, int, int, dt.datetime, dt.datetime]
"""One attendance: (organisation id, activity id, the activity's unit code and id, the
resident, starts, ends)."""
CHUNK: Final = 900
"""Ids per ``IN`` list (SQLite's bound-parameter limit is far above; kept small and fixed)."""


def _organisation(row: Any) -> Organisation:
    return Organisation(
        id=row.id,
        name=row.name,
        kind=row.kind,
        unit_id=row.unit_id,
        parent_id=row.parent_id,
        contact_name=row.contact_name,
        contact_phone=row.contact_phone_cipher,
        created_at=row.created_at,
        dissolved_at=row.dissolved_at,
    )


def _member(row: Any) -> Member:
    return Member(
        organisation_id=row.organisation_id,
        resident_id=row.resident_id,
        role=row.role,
        joined_at=row.joined_at,
        left_at=row.left_at,
    )


def _activity(row: Any) -> Activity:
    return Activity(
        id=row.id,
        organisation_id=row.organisation_id,
        title=row.title,
        kind=row.kind,
        unit_id=row.unit_id,
        booking_id=row.booking_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        places=row.places,
        points_activity=row.points_activity,
        bank_time=bool(row.bank_time),
        state=row.state,
        note=row.note,
    )


def _signup(row: Any) -> Signup:
    return Signup(
        activity_id=row.activity_id,
        resident_id=row.resident_id,
        state=row.state,
        signed_at=row.signed_at,
        attended=None if row.attended is None else bool(row.attended),
        points=row.points,
        minutes=row.minutes,
        paid_round=row.paid_round,
    )


_ORGANISATION_AT: Final = (
    select(organisations, *unit_columns("home_"))
    .join(units, units.c.id == organisations.c.unit_id)
    .where(organisations.c.id == bindparam("id"))
)
_ORGANISATION_AT_LOCKED: Final = _ORGANISATION_AT.with_for_update(of=organisations)
_ADD_ORGANISATION: Final = insert(organisations).returning(organisations.c.id)
_MEMBER: Final = select(organisation_members).where(
    organisation_members.c.organisation_id == bindparam("org"),
    organisation_members.c.resident_id == bindparam("rid"),
)
_ACTIVITY_AT: Final = (
    select(activities, *unit_columns("home_"))
    .join(units, units.c.id == activities.c.unit_id)
    .where(activities.c.id == bindparam("id"))
)
_ACTIVITY_AT_LOCKED: Final = _ACTIVITY_AT.with_for_update(of=activities)
_ADD_ACTIVITY: Final = insert(activities).returning(activities.c.id)
_COUNTS: Final = select(
    func.count().filter(activity_signups.c.state == "signed"),
    func.count().filter(activity_signups.c.state == "waiting"),
).where(activity_signups.c.activity_id == bindparam("id"))
_SIGNUP: Final = select(activity_signups).where(
    activity_signups.c.activity_id == bindparam("aid"),
    activity_signups.c.resident_id == bindparam("rid"),
)
_ADD_SIGNUP: Final = insert(activity_signups)
_SET_SIGNUP: Final = (
    update(activity_signups)
    .where(
        activity_signups.c.activity_id == bindparam("aid"),
        activity_signups.c.resident_id == bindparam("rid"),
    )
    .values(
        state=bindparam("state"),
        attended=bindparam("attended"),
        points=bindparam("points"),
        minutes=bindparam("minutes"),
        paid_round=bindparam("paid_round"),
    )
)
_FIRST_WAITING: Final = (
    select(activity_signups)
    .where(
        activity_signups.c.activity_id == bindparam("aid"),
        activity_signups.c.state == "waiting",
    )
    .order_by(activity_signups.c.queued)
    .limit(1)
)
_SIGNUPS: Final = (
    select(activity_signups)
    .where(activity_signups.c.activity_id == bindparam("aid"))
    .order_by(activity_signups.c.queued)
)
_STANDING: Final = select(
    func.count().filter(activity_signups.c.state == "signed"),
    func.count().filter(activity_signups.c.state == "waiting"),
    func.coalesce(func.max(activity_signups.c.queued), 0),
    func.max(activity_signups.c.state).filter(activity_signups.c.resident_id == bindparam("rid")),
).where(activity_signups.c.activity_id == bindparam("aid"))


class OrganisationRepository(Repository):
    # -- organisations ----------------------------------------------------------------------
    def add(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(_ADD_ORGANISATION, dict(values)).scalar_one())

    def get(self, organisation_id: int, *, lock: bool = False) -> tuple[Organisation, Unit] | None:
        """The organisation and its home unit (``None``: no such organisation); ``lock`` holds
        its row while its members change."""
        query = (
            _ORGANISATION_AT_LOCKED if lock and self.dialect == "postgresql" else _ORGANISATION_AT
        )
        row = self.conn.execute(query, {"id": organisation_id}).one_or_none()
        return None if row is None else (_organisation(row), unit_from_row(row, "home_"))

    def named(self, unit_id: int, name: str) -> int | None:
        query = select(organisations.c.id).where(
            organisations.c.unit_id == unit_id, organisations.c.name == name
        )
        found = self.conn.execute(query).scalar_one_or_none()
        return None if found is None else int(found)

    def set_fields(self, organisation_id: int, values: Mapping[str, Any]) -> None:
        query = update(organisations).where(organisations.c.id == organisation_id)
        self.conn.execute(query.values(**values))

    def serve(self, organisation_id: int, unit_ids: Sequence[int]) -> None:
        """Replace the units the organisation serves besides its home."""
        self.conn.execute(
            delete(organisation_units).where(
                organisation_units.c.organisation_id == organisation_id
            )
        )
        if unit_ids:
            rows = [{"organisation_id": organisation_id, "unit_id": u} for u in unit_ids]
            self.conn.execute(insert(organisation_units), rows)

    def served(self, organisation_ids: Iterable[int]) -> dict[int, list[str]]:
        """The codes of the units each organisation serves besides its home."""
        out: dict[int, list[str]] = {}
        wanted = sorted(set(organisation_ids))
        for start in range(0, len(wanted), CHUNK):
            query = (
                select(organisation_units.c.organisation_id, units.c.code)
                .join(units, units.c.id == organisation_units.c.unit_id)
                .where(organisation_units.c.organisation_id.in_(wanted[start : start + CHUNK]))
                .order_by(units.c.code)
            )
            for org, code in self.conn.execute(query):
                out.setdefault(int(org), []).append(str(code))
        return out

    def under(
        self,
        path: str,
        *,
        kinds: Sequence[str] | None = None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[tuple[Organisation, Unit]]:
        """Organisations whose home lies at ``path`` or below, or that serve a unit there, by
        home unit (top down) then id; paged (``after_id`` or ``limit`` given): by id, after
        ``after_id``, at most ``limit``."""
        serving = select(organisation_units.c.organisation_id).where(
            under(organisation_units.c.unit_id, path)
        )
        query = (
            select(organisations, *unit_columns("home_"))
            .join(units, units.c.id == organisations.c.unit_id)
            .where(under(organisations.c.unit_id, path) | organisations.c.id.in_(serving))
        )
        if kinds is not None:
            query = query.where(organisations.c.kind.in_(list(kinds)))
        if after_id is not None:
            query = query.where(organisations.c.id > after_id)
        if after_id is None and limit is None:
            query = query.order_by(units.c.depth, units.c.code, organisations.c.id)
        else:
            query = query.order_by(organisations.c.id).limit(limit)
        return [(_organisation(r), unit_from_row(r, "home_")) for r in self.conn.execute(query)]

    def children(self, organisation_id: int) -> int:
        query = select(func.count()).where(
            organisations.c.parent_id == organisation_id, organisations.c.dissolved_at.is_(None)
        )
        return int(self.conn.execute(query).scalar_one())

    # -- members ----------------------------------------------------------------------------
    def member(self, organisation_id: int, resident_id: int) -> Member | None:
        row = self.conn.execute(_MEMBER, {"org": organisation_id, "rid": resident_id}).one_or_none()
        return None if row is None else _member(row)

    def put_member(self, values: Mapping[str, Any], *, new: bool) -> None:
        if new:
            self.conn.execute(insert(organisation_members), dict(values))
            return
        query = update(organisation_members).where(
            organisation_members.c.organisation_id == values["organisation_id"],
            organisation_members.c.resident_id == values["resident_id"],
        )
        keep = {k: v for k, v in values.items() if k not in ("organisation_id", "resident_id")}
        self.conn.execute(query.values(**keep))

    def members(
        self, organisation_id: int, *, current: bool = True, resident_id: int | None = None
    ) -> list[tuple[Member, Any, Unit]]:
        """The members (or the one ``resident_id``) with their resident rows and home units,
        by id."""
        query = (
            select(organisation_members, residents, *unit_columns("home_"))
            .join(residents, residents.c.id == organisation_members.c.resident_id)
            .join(units, units.c.id == residents.c.unit_id)
            .where(organisation_members.c.organisation_id == organisation_id)
            .order_by(organisation_members.c.resident_id)
        )
        if current:
            query = query.where(organisation_members.c.left_at.is_(None))
        if resident_id is not None:
            query = query.where(organisation_members.c.resident_id == resident_id)
        return [(_member(r), r, unit_from_row(r, "home_")) for r in self.conn.execute(query)]

    def member_count(self, organisation_id: int) -> int:
        """Current members."""
        query = select(func.count()).where(
            organisation_members.c.organisation_id == organisation_id,
            organisation_members.c.left_at.is_(None),
        )
        return int(self.conn.execute(query).scalar_one())

    def memberships_of(self, resident_id: int) -> list[Member]:
        query = select(organisation_members).where(
            organisation_members.c.resident_id == resident_id,
            organisation_members.c.left_at.is_(None),
        )
        return [_member(r) for r in self.conn.execute(query)]

    def end_memberships(self, resident_id: int, at: dt.datetime) -> int:
        query = (
            update(organisation_members)
            .where(
                organisation_members.c.resident_id == resident_id,
                organisation_members.c.left_at.is_(None),
            )
            .values(left_at=at)
        )
        return int(self.conn.execute(query).rowcount)

    # -- party members' dual registration ---------------------------------------------------
    def registration(self, resident_id: int) -> Any | None:
        query = select(party_registrations).where(party_registrations.c.resident_id == resident_id)
        return self.conn.execute(query).one_or_none()

    def put_registration(self, values: Mapping[str, Any], *, new: bool) -> None:
        if new:
            self.conn.execute(insert(party_registrations), dict(values))
            return
        query = update(party_registrations).where(
            party_registrations.c.resident_id == values["resident_id"]
        )
        self.conn.execute(query.values(**{k: v for k, v in values.items() if k != "resident_id"}))

    def registrations_under(self, path: str) -> list[tuple[Any, Unit, Organisation, Unit]]:
        """Dual registrations whose home branch lies at ``path`` or below: the registration
        (with the resident's ``resident_name``, ``care_groups``, ``household_id``), the
        resident's home unit, the branch and its unit."""
        branch_units = units.alias("branch_units")
        query = (
            select(
                party_registrations,
                residents.c.name.label("resident_name"),
                residents.c.care_groups,
                residents.c.household_id,
                *unit_columns("home_"),
                organisations,
                *[c.label(f"branch_{c.name}") for c in branch_units.c],
            )
            .join(residents, residents.c.id == party_registrations.c.resident_id)
            .join(units, units.c.id == residents.c.unit_id)
            .join(organisations, organisations.c.id == party_registrations.c.organisation_id)
            .join(branch_units, branch_units.c.id == organisations.c.unit_id)
            .where(under(organisations.c.unit_id, path))
            .order_by(party_registrations.c.resident_id)
        )
        return [
            (row, unit_from_row(row, "home_"), _organisation(row), unit_from_row(row, "branch_"))
            for row in self.conn.execute(query)
        ]

    # -- activities -------------------------------------------------------------------------
    def add_activity(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(_ADD_ACTIVITY, dict(values)).scalar_one())

    def activity(self, activity_id: int, *, lock: bool = False) -> tuple[Activity, Unit] | None:
        """The activity and its unit; ``lock`` holds its row while places are taken."""
        query = _ACTIVITY_AT_LOCKED if lock and self.dialect == "postgresql" else _ACTIVITY_AT
        row = self.conn.execute(query, {"id": activity_id}).one_or_none()
        return None if row is None else (_activity(row), unit_from_row(row, "home_"))

    def set_activity_state(self, activity_id: int, state: str, note: str) -> None:
        query = update(activities).where(activities.c.id == activity_id)
        self.conn.execute(query.values(state=state, note=note))

    def counts(self, activity_id: int) -> tuple[int, int]:
        """Places taken and residents waiting."""
        signed, waiting = self.conn.execute(_COUNTS, {"id": activity_id}).one()
        return int(signed), int(waiting)

    def activities_of(
        self, *, organisation_id: int | None = None, path: str | None = None,
        start: dt.datetime | None = None, end: dt.datetime | None = None,
        after_id: int | None = None, limit: int | None = None,
    ) -> list[tuple[Activity, Unit]]:  # fmt: skip
        """Activities of one organisation or held under ``path``, starting from ``start`` (and
        before ``end``), by start then id; paged (``after_id`` or ``limit`` given): by id,
        after ``after_id``, at most ``limit``."""
        query = select(activities, *unit_columns("home_")).join(
            units, units.c.id == activities.c.unit_id
        )
        if organisation_id is not None:
            query = query.where(activities.c.organisation_id == organisation_id)
        if path is not None:
            query = query.where(under(activities.c.unit_id, path))
        if start is not None:
            query = query.where(activities.c.starts_at >= start)
        if end is not None:
            query = query.where(activities.c.starts_at < end)
        if after_id is not None:
            query = query.where(activities.c.id > after_id)
        if after_id is None and limit is None:
            query = query.order_by(activities.c.starts_at, activities.c.id)
        else:
            query = query.order_by(activities.c.id).limit(limit)
        return [(_activity(r), unit_from_row(r, "home_")) for r in self.conn.execute(query)]

    # -- sign-ups ---------------------------------------------------------------------------
    def signup(self, activity_id: int, resident_id: int) -> Signup | None:
        row = self.conn.execute(_SIGNUP, {"aid": activity_id, "rid": resident_id}).one_or_none()
        return None if row is None else _signup(row)

    def signups(self, activity_id: int) -> list[Signup]:
        """Every sign-up, in the order residents signed up."""
        return [_signup(r) for r in self.conn.execute(_SIGNUPS, {"aid": activity_id})]

    def add_signup(self, values: Mapping[str, Any]) -> None:
        self.conn.execute(_ADD_SIGNUP, dict(values))

    def put_signups(self, found: Sequence[Signup]) -> None:
        """Write back the state, attendance and payments of these sign-ups."""
        if not found:
            return
        rows = [
            {
                "aid": s.activity_id, "rid": s.resident_id, "state": s.state,
                "attended": s.attended, "points": s.points, "minutes": s.minutes,
                "paid_round": s.paid_round,
            }
            for s in found
        ]  # fmt: skip
        self.conn.execute(_SET_SIGNUP, rows)

    def standing(self, activity_id: int, resident_id: int) -> tuple[int, int, int, str | None]:
        """In one read: places taken, residents waiting, the latest place in the queue (0: no
        sign-up yet) and the state of the resident's own sign-up (``None``: none)."""
        signed, waiting, last, own = self.conn.execute(
            _STANDING, {"aid": activity_id, "rid": resident_id}
        ).one()
        return int(signed), int(waiting), int(last), own

    def resign(
        self, activity_id: int, resident_id: int, *, state: str, at: dt.datetime, queued: int
    ) -> None:
        """A withdrawn resident signs up again: at the end of the queue, attendance not taken."""
        query = (
            update(activity_signups)
            .where(
                activity_signups.c.activity_id == activity_id,
                activity_signups.c.resident_id == resident_id,
            )
            .values(state=state, signed_at=at, queued=queued, attended=None, points=0, minutes=0)
        )
        self.conn.execute(query)

    def first_waiting(self, activity_id: int) -> Signup | None:
        row = self.conn.execute(_FIRST_WAITING, {"aid": activity_id}).one_or_none()
        return None if row is None else _signup(row)

    def open_signups_of(self, resident_id: int, after: dt.datetime) -> list[Signup]:
        """The resident's sign-ups (taken or waiting) to published activities not yet begun."""
        query = (
            select(activity_signups)
            .join(activities, activities.c.id == activity_signups.c.activity_id)
            .where(
                activity_signups.c.resident_id == resident_id,
                activity_signups.c.state.in_(("signed", "waiting")),
                activities.c.state == "published",
                activities.c.starts_at > after,
            )
        )
        return [_signup(r) for r in self.conn.execute(query)]

    def move_signups(self, from_id: int, to_id: int) -> int:
        """Give the merged record's sign-ups to the kept record, where it has none of its own."""
        theirs = select(activity_signups.c.activity_id).where(
            activity_signups.c.resident_id == to_id
        )
        query = (
            update(activity_signups)
            .where(
                activity_signups.c.resident_id == from_id,
                activity_signups.c.activity_id.not_in(theirs),
            )
            .values(resident_id=to_id)
        )
        return int(self.conn.execute(query).rowcount)

    # -- statistics -------------------------------------------------------------------------
    def attendance(self, path: str, start: dt.datetime, end: dt.datetime) -> list[Attended]:
        """Every attended sign-up of activities held under ``path`` in ``[start, end)``:
        (organisation id, activity id, the activity's unit code, its unit id, the resident,
        starts, ends)."""
        query = (
            select(
                activities.c.organisation_id, activities.c.id, units.c.code, units.c.id,
                activity_signups.c.resident_id, activities.c.starts_at, activities.c.ends_at,
            )
            .join(activity_signups, activity_signups.c.activity_id == activities.c.id)
            .join(units, units.c.id == activities.c.unit_id)
            .where(
                under(activities.c.unit_id, path),
                activities.c.starts_at >= start,
                activities.c.starts_at < end,
                activities.c.state != "cancelled",
                activity_signups.c.attended.is_(True),
            )
        )  # fmt: skip
        return [tuple(r) for r in self.conn.execute(query)]

    def activity_counts(
        self, path: str, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[int, str, int]]:
        """Activities held (not cancelled) under ``path`` in ``[start, end)``: (organisation
        id, unit code, count)."""
        query = (
            select(activities.c.organisation_id, units.c.code, func.count())
            .join(units, units.c.id == activities.c.unit_id)
            .where(
                under(activities.c.unit_id, path),
                activities.c.starts_at >= start,
                activities.c.starts_at < end,
                activities.c.state != "cancelled",
            )
            .group_by(activities.c.organisation_id, units.c.code)
        )
        return [(int(o), str(c), int(n)) for o, c, n in self.conn.execute(query)]

    def attended_by(
        self, resident_ids: Sequence[int], start: dt.datetime, end: dt.datetime
    ) -> list[tuple[int, str, int, dt.datetime, dt.datetime]]:
        """Activities these residents attended in ``[start, end)``: (resident, the activity's
        unit path, its unit id, starts, ends)."""
        out: list[tuple[int, str, int, dt.datetime, dt.datetime]] = []
        wanted = sorted(set(resident_ids))
        for at in range(0, len(wanted), CHUNK):
            query = (
                select(
                    activity_signups.c.resident_id, units.c.path, units.c.id,
                    activities.c.starts_at, activities.c.ends_at,
                )
                .join(activities, activities.c.id == activity_signups.c.activity_id)
                .join(units, units.c.id == activities.c.unit_id)
                .where(
                    activity_signups.c.resident_id.in_(wanted[at : at + CHUNK]),
                    activity_signups.c.attended.is_(True),
                    activities.c.state != "cancelled",
                    activities.c.starts_at >= start,
                    activities.c.starts_at < end,
                )
            )  # fmt: skip
            out.extend(tuple(r) for r in self.conn.execute(query))
        return out
