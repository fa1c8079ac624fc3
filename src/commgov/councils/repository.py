"""Loading and saving councils and their memberships."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from commgov.councils.model.meetings import Meeting, Resolution, Topic
from commgov.councils.model.values import Council, Membership
from commgov.councils.tables import (
    council_meetings,
    council_members,
    council_resolutions,
    council_topics,
    councils,
    meeting_agenda,
    meeting_attendance,
    meeting_registrations,
)
from commgov.kernel.repository import Repository
from commgov.people.model.units import Unit
from commgov.people.repository import unit_columns, unit_from_row
from commgov.people.tables import households, residents, staff, units


def _council(row: Any) -> Council:
    return Council(
        id=row.id,
        unit_id=row.unit_id,
        name=row.name,
        kind=row.kind,
        created_at=row.created_at,
        dissolved_at=row.dissolved_at,
    )


def _member(row: Any) -> Membership:
    return Membership(
        id=row.id,
        council_id=row.council_id,
        seat=row.seat,
        role=row.role,
        name=row.name,
        resident_id=row.resident_id,
        staff_id=row.staff_id,
        represents=row.represents,
        term_start=row.term_start,
        term_end=row.term_end,
        ended_on=row.ended_on,
    )


_COUNCIL_AT: Final = (
    select(councils, *unit_columns("home_"))
    .join(units, units.c.id == councils.c.unit_id)
    .where(councils.c.id == bindparam("id"))
)
_COUNCIL_AT_LOCKED: Final = _COUNCIL_AT.with_for_update(of=councils)
_MEETING_AT: Final = (
    select(council_meetings, *unit_columns("home_"))
    .join(councils, councils.c.id == council_meetings.c.council_id)
    .join(units, units.c.id == councils.c.unit_id)
    .where(council_meetings.c.id == bindparam("id"))
)
_MEETING_AT_LOCKED: Final = _MEETING_AT.with_for_update(of=council_meetings)
_COUNTS: Final = select(
    select(func.count())
    .where(meeting_registrations.c.meeting_id == bindparam("id"))
    .scalar_subquery(),
    select(func.count())
    .where(meeting_attendance.c.meeting_id == bindparam("id"))
    .scalar_subquery(),
)
_AGENDA: Final = (
    select(council_topics, meeting_agenda.c.summary)
    .join(meeting_agenda, meeting_agenda.c.topic_id == council_topics.c.id)
    .where(meeting_agenda.c.meeting_id == bindparam("id"))
    .order_by(meeting_agenda.c.position)
)
_TOPIC: Final = select(council_topics).where(council_topics.c.id == bindparam("id"))
_TOPIC_LOCKED: Final = _TOPIC.with_for_update()
_MEETING: Final = select(council_meetings).where(council_meetings.c.id == bindparam("id"))
_MEETING_LOCKED: Final = _MEETING.with_for_update()
_ATTENDANCE_OF: Final = select(meeting_attendance).where(
    meeting_attendance.c.meeting_id == bindparam("id"),
    meeting_attendance.c.person == bindparam("person"),
)
_NEXT_POSITION: Final = select(func.coalesce(func.max(meeting_agenda.c.position), 0) + 1).where(
    meeting_agenda.c.meeting_id == bindparam("id")
)
_REGISTER: Final = {
    name: dialect.insert(meeting_registrations)
    .on_conflict_do_nothing()
    .returning(meeting_registrations.c.person)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_ATTEND: Final = {
    name: dialect.insert(meeting_attendance)
    .on_conflict_do_nothing()
    .returning(meeting_attendance.c.person)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_ADD_TOPIC: Final = insert(council_topics).returning(council_topics.c.id)
_ADD_MEETING: Final = insert(council_meetings).returning(council_meetings.c.id)
_ADD_RESOLUTION: Final = insert(council_resolutions).returning(council_resolutions.c.id)
_ADD_TO_AGENDA: Final = insert(meeting_agenda)
_SUMMARISE: Final = (
    update(meeting_agenda)
    .where(
        meeting_agenda.c.meeting_id == bindparam("m_id"),
        meeting_agenda.c.topic_id == bindparam("t_id"),
    )
    .values(summary=bindparam("summary"))
)
"""Statements built once: one built anew each call costs more than running it."""


class CouncilRepository(Repository):
    def add(self, values: Mapping[str, Any]) -> int:
        query = insert(councils).returning(councils.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def get(self, council_id: int, *, lock: bool = False) -> Council | None:
        """The council, if any; ``lock`` holds its row while its members change."""
        query = select(councils).where(councils.c.id == council_id)
        if lock:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return None if row is None else _council(row)

    def with_unit(self, council_id: int, *, lock: bool = False) -> tuple[Council, Unit] | None:
        """The council and its unit in one statement; ``lock`` holds the council's row."""
        query = _COUNCIL_AT_LOCKED if lock else _COUNCIL_AT
        row = self.conn.execute(query, {"id": council_id}).first()
        return None if row is None else (_council(row), unit_from_row(row, "home_"))

    def of_unit(self, unit_id: int) -> list[Council]:
        query = select(councils).where(councils.c.unit_id == unit_id).order_by(councils.c.id)
        return [_council(row) for row in self.conn.execute(query)]

    def dissolve(self, council_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(update(councils).where(councils.c.id == council_id).values(**values))

    def add_member(self, values: Mapping[str, Any]) -> int:
        query = insert(council_members).returning(council_members.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def member(self, member_id: int) -> Membership | None:
        query = select(council_members).where(council_members.c.id == member_id)
        row = self.conn.execute(query).first()
        return None if row is None else _member(row)

    def members(self, council_id: int) -> list[Membership]:
        """Every membership the council has had, by term and id."""
        m = council_members.c
        query = (
            select(council_members).where(m.council_id == council_id).order_by(m.term_start, m.id)
        )
        return [_member(row) for row in self.conn.execute(query)]

    def end_member(self, member_id: int, values: Mapping[str, Any]) -> None:
        m = council_members.c
        self.conn.execute(update(council_members).where(m.id == member_id).values(**values))


def _topic(row: Any) -> Topic:
    return Topic(**{c.name: row._mapping[c] for c in council_topics.c})


def _meeting(row: Any) -> Meeting:
    return Meeting(**{c.name: row._mapping[c] for c in council_meetings.c})


def _resolution(row: Any) -> Resolution:
    return Resolution(**{c.name: row._mapping[c] for c in council_resolutions.c})


class MeetingRepository(Repository):
    # -- topics ----------------------------------------------------------------------------
    def add_topic(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(_ADD_TOPIC, dict(values)).scalar_one())

    def topic(self, topic_id: int, *, lock: bool = False) -> Topic | None:
        query = _TOPIC_LOCKED if lock else _TOPIC
        row = self.conn.execute(query, {"id": topic_id}).first()
        return None if row is None else _topic(row)

    def topics(self, council_id: int, states: Sequence[str] | None = None) -> list[Topic]:
        t = council_topics.c
        query = select(council_topics).where(t.council_id == council_id)
        if states is not None:
            query = query.where(t.state.in_(list(states)))
        return [_topic(r) for r in self.conn.execute(query.order_by(t.id))]

    def update_topic(self, topic_id: int, values: Mapping[str, Any]) -> None:
        t = council_topics.c
        self.conn.execute(update(council_topics).where(t.id == topic_id).values(**values))

    # -- meetings --------------------------------------------------------------------------
    def add_meeting(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(_ADD_MEETING, dict(values)).scalar_one())

    def meeting_at(self, meeting_id: int, *, lock: bool = False) -> tuple[Meeting, Unit] | None:
        """The meeting and its council's unit in one statement; ``lock`` holds the meeting."""
        query = _MEETING_AT_LOCKED if lock else _MEETING_AT
        row = self.conn.execute(query, {"id": meeting_id}).first()
        return None if row is None else (_meeting(row), unit_from_row(row, "home_"))

    def counts(self, meeting_id: int) -> tuple[int, int]:
        """How many registered and how many attended, in one statement."""
        registered, attended = self.conn.execute(_COUNTS, {"id": meeting_id}).one()
        return int(registered), int(attended)

    def existing(self, kind: str, ids: Sequence[int]) -> set[int]:
        """Which of ``ids`` exist as ``kind`` (resident, staff, household, member)."""
        table = {"resident": residents, "staff": staff, "household": households,
                 "member": council_members}[kind]  # fmt: skip
        found: set[int] = set()
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 500):
            query = select(table.c.id).where(table.c.id.in_(wanted[start : start + 500]))
            found.update(int(i) for i in self.conn.execute(query).scalars())
        return found

    def meeting(self, meeting_id: int, *, lock: bool = False) -> Meeting | None:
        """The meeting; ``lock`` holds it (registering against its capacity, closing)."""
        query = _MEETING_LOCKED if lock else _MEETING
        row = self.conn.execute(query, {"id": meeting_id}).first()
        return None if row is None else _meeting(row)

    def meetings(
        self, council_id: int, *, after_id: int | None = None, limit: int | None = None
    ) -> list[Meeting]:
        """The council's meetings by start (then id); ``after_id`` continues after that
        meeting of the council (none when it is not one), ``limit`` caps the rows."""
        m = council_meetings.c
        query = select(council_meetings).where(m.council_id == council_id)
        if after_id is not None:
            last = select(m.starts_at).where(m.id == after_id, m.council_id == council_id)
            start = last.scalar_subquery()
            query = query.where(
                or_(m.starts_at > start, and_(m.starts_at == start, m.id > after_id))
            )
        query = query.order_by(m.starts_at, m.id)
        if limit is not None:
            query = query.limit(limit)
        return [_meeting(r) for r in self.conn.execute(query)]

    def update_meeting(self, meeting_id: int, values: Mapping[str, Any]) -> None:
        m = council_meetings.c
        self.conn.execute(update(council_meetings).where(m.id == meeting_id).values(**values))

    # -- agenda ----------------------------------------------------------------------------
    def add_to_agenda(self, meeting_id: int, topic_id: int) -> None:
        position = int(self.conn.execute(_NEXT_POSITION, {"id": meeting_id}).scalar_one())
        row = {"meeting_id": meeting_id, "topic_id": topic_id, "position": position}
        self.conn.execute(_ADD_TO_AGENDA, row)

    def drop_from_agenda(self, meeting_id: int, topic_id: int) -> None:
        a = meeting_agenda.c
        query = delete(meeting_agenda).where(a.meeting_id == meeting_id, a.topic_id == topic_id)
        self.conn.execute(query)

    def agenda(self, meeting_id: int) -> list[tuple[Topic, str | None]]:
        """The meeting's topics in order, each with its summary in the minutes."""
        return [(_topic(r), r.summary) for r in self.conn.execute(_AGENDA, {"id": meeting_id})]

    def summarise(self, meeting_id: int, summaries: Mapping[int, str]) -> None:
        rows = [{"m_id": meeting_id, "t_id": t, "summary": text} for t, text in summaries.items()]
        if rows:
            self.conn.execute(_SUMMARISE, rows)

    # -- registrations and attendance -------------------------------------------------------
    def registered(self, meeting_id: int) -> int:
        """How many have registered for the meeting."""
        r = meeting_registrations.c
        query = select(func.count()).where(r.meeting_id == meeting_id)
        return int(self.conn.execute(query).scalar_one())

    def attendance_of(self, meeting_id: int, person: str) -> Any:
        return self.conn.execute(_ATTENDANCE_OF, {"id": meeting_id, "person": person}).one()

    def register(self, values: Mapping[str, Any]) -> bool:
        """Register a person; ``False`` when they already were."""
        query = _REGISTER["postgresql" if self.dialect == "postgresql" else "sqlite"]
        return self.conn.execute(query, dict(values)).first() is not None

    def attend(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Record attendance; a person already recorded keeps their first record. Returns how
        many were new."""
        query = _ATTEND["postgresql" if self.dialect == "postgresql" else "sqlite"]
        return sum(self.conn.execute(query, dict(row)).first() is not None for row in rows)

    def attendance(self, meeting_id: int) -> list[Any]:
        a = meeting_attendance.c
        query = select(meeting_attendance).where(a.meeting_id == meeting_id)
        return list(self.conn.execute(query.order_by(a.at, a.person)))

    # -- resolutions -----------------------------------------------------------------------
    def add_resolution(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(_ADD_RESOLUTION, dict(values)).scalar_one())

    def resolution(self, resolution_id: int, *, lock: bool = False) -> Resolution | None:
        query = select(council_resolutions).where(council_resolutions.c.id == resolution_id)
        if lock:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return None if row is None else _resolution(row)

    def resolutions(self, meeting_ids: Sequence[int]) -> list[Resolution]:
        r = council_resolutions.c
        query = select(council_resolutions).where(r.meeting_id.in_(list(meeting_ids)))
        return [_resolution(row) for row in self.conn.execute(query.order_by(r.id))]

    def update_resolution(self, resolution_id: int, values: Mapping[str, Any]) -> None:
        r = council_resolutions.c
        query = update(council_resolutions).where(r.id == resolution_id).values(**values)
        self.conn.execute(query)
