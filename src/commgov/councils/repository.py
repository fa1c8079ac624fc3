"""Loading and saving councils and their memberships."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
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
        query = insert(council_topics).returning(council_topics.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def topic(self, topic_id: int, *, lock: bool = False) -> Topic | None:
        query = select(council_topics).where(council_topics.c.id == topic_id)
        if lock:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
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
        query = insert(council_meetings).returning(council_meetings.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def meeting(self, meeting_id: int, *, lock: bool = False) -> Meeting | None:
        """The meeting; ``lock`` holds it (registering against its capacity, closing)."""
        query = select(council_meetings).where(council_meetings.c.id == meeting_id)
        if lock:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return None if row is None else _meeting(row)

    def meetings(self, council_id: int) -> list[Meeting]:
        m = council_meetings.c
        query = select(council_meetings).where(m.council_id == council_id)
        return [_meeting(r) for r in self.conn.execute(query.order_by(m.starts_at, m.id))]

    def update_meeting(self, meeting_id: int, values: Mapping[str, Any]) -> None:
        m = council_meetings.c
        self.conn.execute(update(council_meetings).where(m.id == meeting_id).values(**values))

    # -- agenda ----------------------------------------------------------------------------
    def add_to_agenda(self, meeting_id: int, topic_id: int) -> None:
        a = meeting_agenda.c
        last = select(func.coalesce(func.max(a.position), 0)).where(a.meeting_id == meeting_id)
        position = int(self.conn.execute(last).scalar_one()) + 1
        row = {"meeting_id": meeting_id, "topic_id": topic_id, "position": position}
        self.conn.execute(insert(meeting_agenda), row)

    def drop_from_agenda(self, meeting_id: int, topic_id: int) -> None:
        a = meeting_agenda.c
        query = delete(meeting_agenda).where(a.meeting_id == meeting_id, a.topic_id == topic_id)
        self.conn.execute(query)

    def agenda(self, meeting_id: int) -> list[tuple[Topic, str | None]]:
        """The meeting's topics in order, each with its summary in the minutes."""
        a = meeting_agenda.c
        query = (
            select(council_topics, a.summary)
            .join(meeting_agenda, a.topic_id == council_topics.c.id)
            .where(a.meeting_id == meeting_id)
            .order_by(a.position)
        )
        return [(_topic(r), r.summary) for r in self.conn.execute(query)]

    def summarise(self, meeting_id: int, summaries: Mapping[int, str]) -> None:
        a = meeting_agenda.c
        for topic_id, summary in summaries.items():
            query = update(meeting_agenda).where(a.meeting_id == meeting_id, a.topic_id == topic_id)
            self.conn.execute(query.values(summary=summary))

    # -- registrations and attendance -------------------------------------------------------
    def registered(self, meeting_id: int) -> int:
        """How many have registered for the meeting."""
        r = meeting_registrations.c
        query = select(func.count()).where(r.meeting_id == meeting_id)
        return int(self.conn.execute(query).scalar_one())

    def attended(self, meeting_id: int) -> int:
        """How many people's attendance was taken."""
        a = meeting_attendance.c
        query = select(func.count()).where(a.meeting_id == meeting_id)
        return int(self.conn.execute(query).scalar_one())

    def attendance_of(self, meeting_id: int, person: str) -> Any:
        a = meeting_attendance.c
        query = select(meeting_attendance).where(a.meeting_id == meeting_id, a.person == person)
        return self.conn.execute(query).one()

    def register(self, values: Mapping[str, Any]) -> bool:
        """Register a person; ``False`` when they already were."""
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        query = dialect.insert(meeting_registrations).on_conflict_do_nothing()
        query = query.returning(meeting_registrations.c.person)
        return self.conn.execute(query, dict(values)).first() is not None

    def attend(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Record attendance; a person already recorded keeps their first record. Returns how
        many were new."""
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        query = dialect.insert(meeting_attendance).on_conflict_do_nothing()
        query = query.returning(meeting_attendance.c.person)
        return sum(self.conn.execute(query, dict(row)).first() is not None for row in rows)

    def attendance(self, meeting_id: int) -> list[Any]:
        a = meeting_attendance.c
        query = select(meeting_attendance).where(a.meeting_id == meeting_id)
        return list(self.conn.execute(query.order_by(a.at, a.person)))

    # -- resolutions -----------------------------------------------------------------------
    def add_resolution(self, values: Mapping[str, Any]) -> int:
        query = insert(council_resolutions).returning(council_resolutions.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

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
