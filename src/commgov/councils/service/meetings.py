"""``cg.meetings``: a council's topics (议题), meetings (议事会议, 恳谈会) and resolutions (决议).

- Topics come from residents (a resident living under the council's unit proposes one), from
  suggestions and cases (their ids kept as ``source_ref``) and from staff; a topic moves
  proposed → accepted (on a meeting's agenda) → decided, or is withdrawn or referred.
- Staff within reach of the council's unit (``write``) schedule and run meetings: agenda,
  attendance, minutes (a summary per topic), resolutions, closing — which needs the minutes.
- Residents living under the unit and staff within reach (``read``) read meetings, register
  (within the capacity) and check in with the meeting's code.
Every write runs in one unit of work and is audited; closing tells the plugins of the unit
(``commgov_meeting_closed``: 7336's 开好一会 counts there)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from commgov.councils.calls import meeting_closed
from commgov.councils.model import checks
from commgov.councils.model.limits import (
    ATTENDEES_MAX,
    CAPACITY_MAX,
    CODE_DIGITS,
    NOTE_MAX,
    PERSON_KEY_MAX,
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from commgov.councils.model.meetings import (
    FOLLOW_UPS,
    MEETING_MODES,
    MEETING_STATES,
    TOPIC_MOVES,
    TOPIC_SOURCES,
    TOPIC_STATES,
    Meeting,
    MeetingInfo,
    Resolution,
    Topic,
)
from commgov.councils.repository import MeetingRepository
from commgov.councils.service.councils import load_council
from commgov.councils.views import (
    AgendaItemView,
    AttendanceView,
    MeetingView,
    ResolutionView,
    TopicView,
)
from commgov.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from commgov.kernel.access import READ, WRITE
from commgov.kernel.actors import RESIDENT, Actor
from commgov.kernel.context import Context
from commgov.kernel.times import as_utc, local_date
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import row_id, whole_number
from commgov.people.model.units import Unit, path_within, unit_target
from commgov.people.repository import (
    DepartmentRepository,
    HouseholdRepository,
    StaffRepository,
)

PERSON_KINDS = ("resident", "staff", "household", "member")
LIST_MAX: Final = 100_000
"""The most meetings one call of ``meetings`` answers."""


def person_of(actor: Actor) -> str:
    """Who the actor is at a meeting: themselves as a resident or staff member, else their
    household."""
    if actor.resident_id is not None:
        return f"resident:{actor.resident_id}"
    if actor.staff_id is not None:
        return f"staff:{actor.staff_id}"
    if actor.household_id is not None:
        return f"household:{actor.household_id}"
    raise ValidationError("actor", actor.label(), "registers and checks in as a resident or staff")


class MeetingService:
    """Topics, meetings and resolutions. Reach it as ``cg.meetings``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # -- topics ----------------------------------------------------------------------------
    def propose(
        self,
        actor: Actor,
        council_id: int,
        *,
        title: str,
        description: str = "",
        source: str | None = None,
        source_ref: int | None = None,
    ) -> TopicView:
        """Put a topic to the council. ``source``: ``resident`` (the default for a resident,
        who must live under the council's unit), ``suggestion`` or ``case`` (with the wish's
        or the case's id as ``source_ref``), ``staff`` (the default for staff)."""
        title = checks.text("title", title, TITLE_MAX)
        described = "" if description == "" else checks.text("description", description, TEXT_MAX)
        resident = actor.role == RESIDENT
        kind = checks.code("source", source or ("resident" if resident else "staff"), TOPIC_SOURCES)
        ref = checks.optional_id("source_ref", source_ref)
        if kind in ("suggestion", "case") and ref is None:
            raise ValidationError("source_ref", None, f"a topic from a {kind} names its id")
        if resident and kind != "resident":
            raise ValidationError("source", kind, "a resident raises a topic as a resident")
        with self._ctx.uow() as uow:
            council, home = load_council(uow, council_id)
            if resident:
                self._check_lives_under(uow, actor, home)
            else:
                self._ctx.authorize(actor, WRITE, unit_target(home))
            if council.dissolved_at is not None:
                raise StateError(f"council {council.id} is dissolved")
            topic_id = uow.repo(MeetingRepository).add_topic(
                {
                    "council_id": council.id, "title": title, "description": described,
                    "source": kind, "source_ref": ref, "raised_by": actor.label(),
                    "state": "proposed", "created_at": self._ctx.clock(),
                }
            )  # fmt: skip
            self._ctx.audit(
                uow, actor, "topic.propose", entity="council_topic", entity_id=topic_id,
                detail={"council": council.id, "source": kind},
            )  # fmt: skip
            return self._topic_view(self._topic(uow, topic_id))

    def accept(self, actor: Actor, topic_id: int, *, meeting_id: int) -> TopicView:
        """Accept a proposed topic for a scheduled meeting of its council (on its agenda)."""
        with self._ctx.uow() as uow:
            topic, meeting, _home = self._topic_and_meeting(uow, actor, topic_id, meeting_id)
            self._move(topic, "accepted")
            repo = uow.repo(MeetingRepository)
            repo.add_to_agenda(meeting.id, topic.id)
            repo.update_topic(topic.id, {"state": "accepted", "meeting_id": meeting.id})
            self._ctx.audit(
                uow, actor, "topic.accept", entity="council_topic", entity_id=topic.id,
                detail={"meeting": meeting.id},
            )  # fmt: skip
            return self._topic_view(attrs.evolve(topic, state="accepted", meeting_id=meeting.id))

    def withdraw(self, actor: Actor, topic_id: int, *, reason: str) -> TopicView:
        """Withdraw a topic not yet decided (off its meeting's agenda, if on one)."""
        return self._end_topic(
            actor, topic_id, "withdrawn", checks.text("reason", reason, NOTE_MAX)
        )

    def refer(self, actor: Actor, topic_id: int, *, to: str) -> TopicView:
        """Refer a topic not yet decided elsewhere (``to`` says where: a department, the
        town, a case number)."""
        return self._end_topic(actor, topic_id, "referred", checks.text("to", to, NOTE_MAX))

    def topics(self, actor: Actor, council_id: int, *, state: str | None = None) -> list[TopicView]:
        """The council's topics, oldest first, optionally in one ``state``."""
        states = None if state is None else [checks.code("state", state, TOPIC_STATES)]
        with self._ctx.uow(readonly=True) as uow:
            council, home = load_council(uow, council_id)
            self._check_reader(uow, actor, home)
            found = uow.repo(MeetingRepository).topics(council.id, states)
            return [self._topic_view(t) for t in found]

    def _end_topic(self, actor: Actor, topic_id: int, state: str, note: str) -> TopicView:
        with self._ctx.uow() as uow:
            repo = uow.repo(MeetingRepository)
            topic = self._topic(uow, topic_id, lock=True)
            _, home = load_council(uow, topic.council_id)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            self._move(topic, state)
            if topic.meeting_id is not None:
                meeting = self._meeting(uow, topic.meeting_id, lock=True)
                self._check_scheduled(meeting)
                repo.drop_from_agenda(meeting.id, topic.id)
            repo.update_topic(topic.id, {"state": state, "meeting_id": None, "note": note})
            self._ctx.audit(
                uow, actor, f"topic.{state}", entity="council_topic", entity_id=topic.id,
                detail={},
            )  # fmt: skip
            return self._topic_view(self._topic(uow, topic.id))

    # -- meetings --------------------------------------------------------------------------
    def schedule(
        self,
        actor: Actor,
        council_id: int,
        *,
        title: str,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        mode: str = "in_person",
        place: str | None = None,
        link: str | None = None,
        capacity: int | None = None,
    ) -> MeetingView:
        """Schedule a meeting: ``in_person`` at a ``place``, ``online`` at a ``link`` or
        ``hybrid`` (both); ``capacity`` caps registrations. A six-digit check-in code is
        made for it (shown to staff who run it)."""
        title = checks.text("title", title, TITLE_MAX)
        mode = checks.code("mode", mode, MEETING_MODES)
        where = checks.optional_text("place", place, PLACE_MAX)
        url = checks.optional_text("link", link, PLACE_MAX)
        if mode in ("in_person", "hybrid") and where is None:
            raise ValidationError("place", place, f"an {mode} meeting needs a place")
        if mode in ("online", "hybrid") and url is None:
            raise ValidationError("link", link, f"an {mode} meeting needs a link")
        start, end = as_utc("starts_at", starts_at), as_utc("ends_at", ends_at)
        if end <= start:
            raise ValidationError("ends_at", ends_at, "is not after starts_at")
        cap = None if capacity is None else _count("capacity", capacity, CAPACITY_MAX)
        with self._ctx.uow() as uow:
            council, home = load_council(uow, council_id)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            if council.dissolved_at is not None:
                raise StateError(f"council {council.id} is dissolved")
            code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
            meeting_id = uow.repo(MeetingRepository).add_meeting(
                {
                    "council_id": council.id, "title": title, "mode": mode, "place": where,
                    "link": url, "starts_at": start, "ends_at": end, "capacity": cap,
                    "code": code, "state": "scheduled", "created_at": self._ctx.clock(),
                }
            )  # fmt: skip
            self._ctx.audit(
                uow, actor, "meeting.schedule", entity="council_meeting", entity_id=meeting_id,
                detail={"council": council.id, "mode": mode},
            )  # fmt: skip
            return self._meeting_view(uow, actor, self._meeting(uow, meeting_id), home)

    def register(self, actor: Actor, meeting_id: int) -> MeetingView:
        """Register the actor for a scheduled meeting within its capacity (registering twice
        is a ``ConflictError``, as is a full meeting)."""
        person = person_of(actor)
        with self._ctx.uow() as uow:
            meeting, home = self._load(uow, meeting_id, lock=True)
            self._check_reader(uow, actor, home)
            self._check_scheduled(meeting)
            repo = uow.repo(MeetingRepository)
            if meeting.capacity is not None and repo.registered(meeting.id) >= meeting.capacity:
                raise ConflictError(f"meeting {meeting.id} is full ({meeting.capacity} places)")
            row = {"meeting_id": meeting.id, "person": person, "registered_at": self._ctx.clock()}
            if not repo.register(row):
                raise ConflictError(f"{person} is already registered for meeting {meeting.id}")
            self._ctx.audit(
                uow, actor, "meeting.register", entity="council_meeting", entity_id=meeting.id,
                detail={"person": person},
            )  # fmt: skip
            return self._meeting_view(uow, actor, meeting, home)

    def check_in(self, actor: Actor, meeting_id: int, *, code: str) -> AttendanceView:
        """Take the actor's attendance with the meeting's code, from an hour before it starts
        until it ends."""
        person = person_of(actor)
        with self._ctx.uow() as uow:
            meeting, home = self._load(uow, meeting_id)
            self._check_reader(uow, actor, home)
            self._check_scheduled(meeting)
            if not isinstance(code, str) or not secrets.compare_digest(code, meeting.code):
                raise ValidationError("code", "…", f"is not meeting {meeting.id}'s check-in code")
            now = self._ctx.clock()
            if not meeting.checks_in_at(now):
                raise StateError(
                    f"meeting {meeting.id} takes check-ins from an hour before it starts "
                    "until it ends"
                )
            row = {"meeting_id": meeting.id, "person": person, "at": now, "how": "code",
                   "recorded_by": actor.label()}  # fmt: skip
            uow.repo(MeetingRepository).attend([row])
            self._ctx.audit(
                uow, actor, "meeting.check_in", entity="council_meeting", entity_id=meeting.id,
                detail={"person": person},
            )  # fmt: skip
            return _attendance(uow.repo(MeetingRepository).attendance_of(meeting.id, person))

    def record_attendance(self, actor: Actor, meeting_id: int, *, people: Sequence[str]) -> int:
        """Staff record who attended, by key (``resident:12``, ``staff:3``, ``household:7``,
        ``member:5`` for a council member who is neither). Returns how many were new; someone
        already recorded keeps their first record."""
        if isinstance(people, str) or not isinstance(people, Sequence):
            raise ValidationError("people", people, "expected a list of person keys")
        if not 1 <= len(people) <= ATTENDEES_MAX:
            raise ValidationError("people", len(people), f"expected 1 to {ATTENDEES_MAX} people")
        keys = [_person_key(i, p) for i, p in enumerate(people)]
        with self._ctx.uow() as uow:
            meeting, home = self._load(uow, meeting_id)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            self._check_scheduled(meeting)
            self._check_people_exist(uow, keys)
            now = self._ctx.clock()
            rows = [
                {"meeting_id": meeting.id, "person": k, "at": now, "how": "staff",
                 "recorded_by": actor.label()}
                for k in dict.fromkeys(keys)
            ]  # fmt: skip
            added = uow.repo(MeetingRepository).attend(rows)
            self._ctx.audit(
                uow, actor, "meeting.attendance", entity="council_meeting", entity_id=meeting.id,
                detail={"recorded": len(rows), "new": added},
            )  # fmt: skip
            return added

    def attendance(self, actor: Actor, meeting_id: int) -> list[AttendanceView]:
        """Who attended, when and how; staff within reach only."""
        with self._ctx.uow(readonly=True) as uow:
            meeting, home = self._load(uow, meeting_id)
            self._ctx.authorize(actor, READ, unit_target(home))
            return [_attendance(a) for a in uow.repo(MeetingRepository).attendance(meeting.id)]

    def record_minutes(
        self, actor: Actor, meeting_id: int, *, summary: str, topics: Mapping[int, str]
    ) -> MeetingView:
        """Write (or rewrite) the minutes: the meeting's ``summary`` and a summary per agenda
        topic, by topic id. Topics not on the agenda are refused."""
        text = checks.text("summary", summary, TEXT_MAX)
        if not isinstance(topics, Mapping):
            raise ValidationError("topics", topics, "expected a mapping of topic id to summary")
        given = {
            checks.entity_id("topics", k): checks.text(f"topics[{k}]", v, TEXT_MAX)
            for k, v in topics.items()
        }
        with self._ctx.uow() as uow:
            meeting, home = self._load(uow, meeting_id, lock=True)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            self._check_scheduled(meeting)
            repo = uow.repo(MeetingRepository)
            on_agenda = {t.id for t, _ in repo.agenda(meeting.id)}
            stray = sorted(set(given) - on_agenda)
            if stray:
                raise ValidationError(
                    "topics", stray[0], f"is not on meeting {meeting.id}'s agenda"
                )
            repo.update_meeting(meeting.id, {"minutes": text})
            repo.summarise(meeting.id, given)
            self._ctx.audit(
                uow, actor, "meeting.minutes", entity="council_meeting", entity_id=meeting.id,
                detail={"topics": sorted(given)},
            )  # fmt: skip
            return self._meeting_view(uow, actor, attrs.evolve(meeting, minutes=text), home)

    def close(self, actor: Actor, meeting_id: int) -> MeetingView:
        """Close a meeting. It needs its minutes: a summary, and one for every topic on its
        agenda. Topics it did not decide go back to proposed (for a later meeting). The
        plugins of the council's unit are told (``commgov_meeting_closed``)."""
        with self._ctx.uow() as uow:
            meeting, home = self._load(uow, meeting_id, lock=True)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            self._check_scheduled(meeting)
            repo = uow.repo(MeetingRepository)
            agenda = repo.agenda(meeting.id)
            missing = [t.title for t, summary in agenda if not summary]
            if meeting.minutes is None or missing:
                lacking = (
                    "its minutes"
                    if meeting.minutes is None
                    else "a summary of " + "、".join(missing)
                )
                raise StateError(f"meeting {meeting.id} cannot close without {lacking}")
            waiting = [t.id for t, _ in agenda if t.state == "accepted"]
            for topic_id in waiting:
                repo.update_topic(topic_id, {"state": "proposed", "meeting_id": None})
            now = self._ctx.clock()
            repo.update_meeting(meeting.id, {"state": "closed", "closed_at": now})
            registered, attended = repo.counts(meeting.id)
            info = MeetingInfo(
                id=meeting.id, council_id=meeting.council_id, unit_code=home.code,
                unit_kind=home.kind, title=meeting.title, mode=meeting.mode,
                starts_at=meeting.starts_at, attendees=attended, minutes=meeting.minutes,
                topics=tuple(t.title for t, _ in agenda),
            )  # fmt: skip
            meeting_closed(self._ctx, home.path, info, actor)
            self._ctx.audit(
                uow, actor, "meeting.close", entity="council_meeting", entity_id=meeting.id,
                detail={"attended": attended, "topics": len(agenda)},
            )  # fmt: skip
            closed = attrs.evolve(meeting, state="closed", closed_at=now)
            after = [
                (attrs.evolve(t, state="proposed", meeting_id=None) if t.id in waiting else t, note)
                for t, note in agenda
            ]
            return self._meeting_view(uow, actor, closed, home, known=(registered, attended, after))

    def cancel(self, actor: Actor, meeting_id: int, *, reason: str) -> MeetingView:
        """Cancel a scheduled meeting; the topics on its agenda go back to proposed."""
        why = checks.text("reason", reason, NOTE_MAX)
        with self._ctx.uow() as uow:
            meeting, home = self._load(uow, meeting_id, lock=True)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            self._check_scheduled(meeting)
            repo = uow.repo(MeetingRepository)
            for topic, _ in repo.agenda(meeting.id):
                if topic.state == "accepted":
                    repo.update_topic(topic.id, {"state": "proposed", "meeting_id": None})
            now = self._ctx.clock()
            repo.update_meeting(meeting.id, {"state": "cancelled", "closed_at": now})
            self._ctx.audit(
                uow, actor, "meeting.cancel", entity="council_meeting", entity_id=meeting.id,
                detail={"reason": why},
            )  # fmt: skip
            cancelled = attrs.evolve(meeting, state="cancelled", closed_at=now)
            return self._meeting_view(uow, actor, cancelled, home)

    def get(self, actor: Actor, meeting_id: int) -> MeetingView:
        with self._ctx.uow(readonly=True) as uow:
            meeting, home = self._load(uow, meeting_id)
            self._check_reader(uow, actor, home)
            return self._meeting_view(uow, actor, meeting, home)

    def meetings(
        self,
        actor: Actor,
        council_id: int,
        *,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[MeetingView]:
        """The council's meetings by start; at most ``limit``, continuing after the meeting
        ``after_id`` (the last of a previous page: one of this council's) when given."""
        if after_id is not None:
            row_id("after_id", after_id)
        if limit is not None:
            whole_number("limit", limit, 1, LIST_MAX)
        with self._ctx.uow(readonly=True) as uow:
            council, home = load_council(uow, council_id)
            self._check_reader(uow, actor, home)
            repo = uow.repo(MeetingRepository)
            if after_id is not None:
                last = repo.meeting(after_id)
                if last is None or last.council_id != council.id:
                    raise ValidationError("after_id", after_id, "no such meeting of this council")
            found = repo.meetings(council.id, after_id=after_id, limit=limit)
            return [self._meeting_view(uow, actor, m, home) for m in found]

    # -- resolutions -----------------------------------------------------------------------
    def resolve(
        self,
        actor: Actor,
        meeting_id: int,
        *,
        text: str,
        topic_id: int | None = None,
        follow_up: str = "none",
        reference: int | None = None,
        owner_staff_id: int | None = None,
        owner_department: str | None = None,
        due_on: dt.date | None = None,
    ) -> ResolutionView:
        """Record what the meeting decided (on an agenda topic, which becomes decided) and
        what follows: ``case``, ``task`` (a department's or a staff member's), ``project`` or
        ``vote`` (``reference``: its id, now or later with ``link``), ``none``; the owner
        and the day it is due."""
        decided = checks.text("text", text, TEXT_MAX)
        kind = checks.code("follow_up", follow_up, FOLLOW_UPS)
        topic_key = checks.optional_id("topic_id", topic_id)
        ref = checks.optional_id("reference", reference)
        staff = checks.optional_id("owner_staff_id", owner_staff_id)
        department = checks.optional_text("owner_department", owner_department, TITLE_MAX)
        due = None if due_on is None else checks.day("due_on", due_on)
        if kind == "none" and ref is not None:
            raise ValidationError("reference", ref, "a resolution with nothing to follow has none")
        if kind == "task" and staff is None and department is None:
            raise ValidationError("owner_department", None, "a task needs an owner")
        with self._ctx.uow() as uow:
            meeting, home = self._load(uow, meeting_id, lock=True)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            self._check_scheduled(meeting)
            repo = uow.repo(MeetingRepository)
            if topic_key is not None:
                topic = self._topic(uow, topic_key, lock=True)
                if topic.meeting_id != meeting.id:
                    raise ValidationError(
                        "topic_id", topic_key, f"is not on meeting {meeting.id}'s agenda"
                    )
                self._move(topic, "decided")
                repo.update_topic(topic.id, {"state": "decided"})
            if staff is not None:
                uow.repo(StaffRepository).get(staff)
            department_id = None
            if department is not None:
                department_id = uow.repo(DepartmentRepository).id_of(department)
                if department_id is None:
                    raise NotFoundError("department", department)
            resolution_id = repo.add_resolution(
                {
                    "meeting_id": meeting.id, "topic_id": topic_key, "text": decided,
                    "follow_up": kind, "reference": ref, "owner_staff_id": staff,
                    "owner_department_id": department_id, "due_on": due,
                    "created_at": self._ctx.clock(),
                }
            )  # fmt: skip
            self._ctx.audit(
                uow, actor, "meeting.resolve", entity="council_meeting", entity_id=meeting.id,
                detail={"resolution": resolution_id, "follow_up": kind},
            )  # fmt: skip
            return self._resolution_view(self._resolution(uow, resolution_id))

    def link(self, actor: Actor, resolution_id: int, *, reference: int) -> ResolutionView:
        """Name the case, project or vote that follows a resolution, once it exists."""
        ref = checks.entity_id("reference", reference)
        with self._ctx.uow() as uow:
            resolution = self._resolution(uow, resolution_id, lock=True)
            _, home = self._load(uow, resolution.meeting_id)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            if resolution.follow_up in ("none", "task"):
                raise ValidationError(
                    "reference", ref, f"a {resolution.follow_up} follow-up has no reference"
                )
            if resolution.reference is not None:
                raise ConflictError(
                    f"resolution {resolution.id} already follows up with {resolution.reference}"
                )
            uow.repo(MeetingRepository).update_resolution(resolution.id, {"reference": ref})
            self._ctx.audit(
                uow, actor, "resolution.link", entity="council_resolution", entity_id=resolution.id,
                detail={"reference": ref},
            )  # fmt: skip
            return self._resolution_view(self._resolution(uow, resolution.id))

    def fulfil(self, actor: Actor, resolution_id: int, *, note: str) -> ResolutionView:
        """Mark a resolution carried out, with a note."""
        said = checks.text("note", note, NOTE_MAX)
        with self._ctx.uow() as uow:
            resolution = self._resolution(uow, resolution_id, lock=True)
            _, home = self._load(uow, resolution.meeting_id)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            if resolution.done_at is not None:
                raise StateError(f"resolution {resolution.id} was carried out already")
            uow.repo(MeetingRepository).update_resolution(
                resolution.id, {"done_at": self._ctx.clock(), "done_note": said}
            )
            self._ctx.audit(
                uow, actor, "resolution.fulfil", entity="council_resolution",
                entity_id=resolution.id, detail={},
            )  # fmt: skip
            return self._resolution_view(self._resolution(uow, resolution.id))

    def resolutions(
        self, actor: Actor, council_id: int, *, open_only: bool = False
    ) -> list[ResolutionView]:
        """The council's resolutions, oldest first (``open_only``: not yet carried out);
        ``overdue`` when due before today in the store's zone and not carried out."""
        with self._ctx.uow(readonly=True) as uow:
            council, home = load_council(uow, council_id)
            self._check_reader(uow, actor, home)
            repo = uow.repo(MeetingRepository)
            found = repo.resolutions([m.id for m in repo.meetings(council.id)])
            views = [self._resolution_view(r) for r in found]
            return [v for v in views if v.done_at is None] if open_only else views

    # -- helpers ---------------------------------------------------------------------------
    def _load(
        self, uow: UnitOfWork, meeting_id: int, *, lock: bool = False
    ) -> tuple[Meeting, Unit]:
        key = checks.entity_id("meeting", meeting_id)
        found = uow.repo(MeetingRepository).meeting_at(key, lock=lock)
        if found is None:
            raise NotFoundError("meeting", meeting_id)
        return found

    def _meeting(self, uow: UnitOfWork, meeting_id: int, *, lock: bool = False) -> Meeting:
        key = checks.entity_id("meeting", meeting_id)
        found = uow.repo(MeetingRepository).meeting(key, lock=lock)
        if found is None:
            raise NotFoundError("meeting", meeting_id)
        return found

    def _topic(self, uow: UnitOfWork, topic_id: int, *, lock: bool = False) -> Topic:
        key = checks.entity_id("topic", topic_id)
        found = uow.repo(MeetingRepository).topic(key, lock=lock)
        if found is None:
            raise NotFoundError("topic", topic_id)
        return found

    def _resolution(self, uow: UnitOfWork, resolution_id: int, *, lock: bool = False) -> Resolution:
        key = checks.entity_id("resolution", resolution_id)
        found = uow.repo(MeetingRepository).resolution(key, lock=lock)
        if found is None:
            raise NotFoundError("resolution", resolution_id)
        return found

    def _topic_and_meeting(
        self, uow: UnitOfWork, actor: Actor, topic_id: int, meeting_id: int
    ) -> tuple[Topic, Meeting, Unit]:
        topic = self._topic(uow, topic_id, lock=True)
        meeting, home = self._load(uow, meeting_id, lock=True)
        self._ctx.authorize(actor, WRITE, unit_target(home))
        if meeting.council_id != topic.council_id:
            raise ValidationError(
                "meeting_id", meeting.id, f"is not a meeting of topic {topic.id}'s council"
            )
        self._check_scheduled(meeting)
        return topic, meeting, home

    def _move(self, topic: Topic, state: str) -> None:
        if state not in TOPIC_MOVES[topic.state]:
            raise StateError(f"topic {topic.id} is {topic.state}: it cannot become {state}")

    def _check_scheduled(self, meeting: Meeting) -> None:
        if meeting.state != "scheduled":
            raise StateError(f"meeting {meeting.id} is {meeting.state}")

    def _check_lives_under(self, uow: UnitOfWork, actor: Actor, home: Unit) -> None:
        path = None
        if actor.household_id is not None:
            path = uow.repo(HouseholdRepository).unit_path(actor.household_id)
        if not path_within(path, home):
            raise PermissionDenied(
                actor.label(), "take part in", f"councils of unit {home.code} (lives elsewhere)"
            )

    def _check_reader(self, uow: UnitOfWork, actor: Actor, home: Unit) -> None:
        if actor.role == RESIDENT:
            self._check_lives_under(uow, actor, home)
        else:
            self._ctx.authorize(actor, READ, unit_target(home))

    def _check_people_exist(self, uow: UnitOfWork, keys: Sequence[str]) -> None:
        wanted: dict[str, list[int]] = {}
        for key in keys:
            kind, _, number = key.partition(":")
            wanted.setdefault(kind, []).append(int(number))
        repo = uow.repo(MeetingRepository)
        for kind, ids in wanted.items():
            missing = sorted(set(ids) - repo.existing(kind, ids))
            if missing:
                name = "council member" if kind == "member" else kind
                raise NotFoundError(name, missing[0])

    def _topic_view(self, topic: Topic) -> TopicView:
        return TopicView(
            id=topic.id, council_id=topic.council_id, title=topic.title,
            description=topic.description, source=topic.source, source_ref=topic.source_ref,
            raised_by=topic.raised_by, state=topic.state,
            state_label=TOPIC_STATES[topic.state][0], meeting_id=topic.meeting_id,
            note=topic.note, created_at=topic.created_at,
        )  # fmt: skip

    def _meeting_view(
        self,
        uow: UnitOfWork,
        actor: Actor,
        meeting: Meeting,
        home: Unit,
        *,
        known: tuple[int, int, list[tuple[Topic, str | None]]] | None = None,
    ) -> MeetingView:
        """The meeting as ``actor`` sees it; ``known`` gives the counts and the agenda when
        the caller has them already."""
        repo = uow.repo(MeetingRepository)
        runs = actor.role != RESIDENT and self._ctx.allowed(actor, WRITE, unit_target(home))
        if known is None:
            registered, attended = repo.counts(meeting.id)
            agenda = repo.agenda(meeting.id)
        else:
            registered, attended, agenda = known
        return MeetingView(
            id=meeting.id, council_id=meeting.council_id, unit_code=home.code,
            title=meeting.title, mode=meeting.mode, mode_label=MEETING_MODES[meeting.mode][0],
            place=meeting.place, link=meeting.link, starts_at=meeting.starts_at,
            ends_at=meeting.ends_at, capacity=meeting.capacity,
            registered=registered,
            attended=attended, state=meeting.state,
            state_label=MEETING_STATES[meeting.state][0],
            agenda=[
                AgendaItemView(topic_id=t.id, title=t.title, state=t.state, summary=s)
                for t, s in agenda
            ],
            minutes=meeting.minutes, closed_at=meeting.closed_at,
            code=meeting.code if runs else None,
        )  # fmt: skip

    def _resolution_view(self, resolution: Resolution) -> ResolutionView:
        today = local_date(self._ctx.clock(), self._ctx.zone)
        overdue = (
            resolution.done_at is None
            and resolution.due_on is not None
            and resolution.due_on < today
        )
        return ResolutionView(
            id=resolution.id, meeting_id=resolution.meeting_id, topic_id=resolution.topic_id,
            text=resolution.text, follow_up=resolution.follow_up,
            follow_up_label=FOLLOW_UPS[resolution.follow_up][0], reference=resolution.reference,
            owner_staff_id=resolution.owner_staff_id,
            owner_department_id=resolution.owner_department_id, due_on=resolution.due_on,
            done_at=resolution.done_at, done_note=resolution.done_note, overdue=overdue,
            created_at=resolution.created_at,
        )  # fmt: skip


def _count(field: str, value: object, top: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
        raise ValidationError(field, value, f"expected a whole number from 1 to {top}")
    return value


def _person_key(index: int, value: object) -> str:
    field = f"people[{index}]"
    if not isinstance(value, str) or len(value) > PERSON_KEY_MAX:
        raise ValidationError(field, value, "expected a key like resident:12")
    kind, sep, number = value.partition(":")
    if not sep or kind not in PERSON_KINDS or not number.isdigit() or not 1 <= int(number) < 2**31:
        raise ValidationError(
            field, value, f"expected kind:id with kind one of {', '.join(PERSON_KINDS)}"
        )
    return value


def _attendance(row: Any) -> AttendanceView:
    return AttendanceView(
        person=row.person, at=row.at, how=row.how,
        recorded_by=row.recorded_by,
    )  # fmt: skip
