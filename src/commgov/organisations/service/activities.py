"""``cg.activities``: what organisations do (a service to elders, a cleaning day, a choir
rehearsal), who signs up, who came, and what coming paid.

- Staff within reach of an organisation's home unit, and its own leaders, publish activities
  (optionally in a booking of a shared resource), cancel them and take attendance.
- Residents sign up themselves (staff may sign up a resident they serve); when the places are
  taken they join the waiting list, and a withdrawal gives the first waiting resident the place.
- Attendance pays through the ledgers by the town's rules (the activity's entry in the points
  table, the activity's minutes in the time bank): attending once pays once; marking someone
  absent afterwards reverses what they were paid.
- ``statistics`` counts activities, participants, hours and unique volunteers per organisation
  and per unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import attrs

from commgov.errors import ConflictError, NotFoundError, StateError, ValidationError
from commgov.kernel.access import READ, WRITE
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import as_utc, day_start
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import row_id, whole_number
from commgov.ledger import calls as ledger_calls
from commgov.ledger.service.residents import ledger_resident
from commgov.organisations.model import checks
from commgov.organisations.model.limits import (
    ACTIVITY_HOURS_MAX,
    CODE_MAX,
    NAME_MAX,
    NOTE_MAX,
    PEOPLE_MAX,
    PLACES_MAX,
)
from commgov.organisations.model.values import Activity, Organisation, Signup
from commgov.organisations.repository import Attended, OrganisationRepository
from commgov.organisations.service import events
from commgov.organisations.service.access import authorize_running, is_resident
from commgov.organisations.service.organisations import LIST_MAX, load_organisation
from commgov.organisations.service.payments import Payer
from commgov.organisations.views import ActivityView, SignupView
from commgov.people.model.units import Unit, path_within, unit_target
from commgov.people.repository import UnitRepository
from commgov.people.service.grids import load_unit
from commgov.resources.repository import ResourceRepository

if TYPE_CHECKING:
    import pandas as pd

BY_ORGANISATION: Final = (
    "organisation_id", "organisation", "kind", "unit", "activities", "participants",
    "volunteers", "hours",
)  # fmt: skip
BY_UNIT: Final = ("unit", "activities", "participants", "volunteers", "hours")
LIVE_BOOKINGS: Final = ("pending", "approved")
_STANDING: Final = {"signed": "signed up for", "waiting": "waiting for"}


class ActivityService:
    """Activities, sign-ups and attendance. Reach it as ``cg.activities``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._payer = Payer(ctx)

    # -- publishing -------------------------------------------------------------------------
    def publish(
        self,
        actor: Actor,
        *,
        organisation_id: int,
        title: str,
        kind: str,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        places: int,
        unit: str | None = None,
        booking_id: int | None = None,
        points_activity: str | None = "volunteer",
        bank_time: bool = True,
    ) -> ActivityView:
        """Publish an activity of the organisation, held at ``unit`` (its home by default; a
        unit under its home or under a unit it serves), optionally in ``booking_id`` (a live
        booking of a shared resource that covers the time). ``points_activity`` names the
        entry of the town's points table attending pays (``None``: no points); ``bank_time``
        banks the activity's minutes for each attendee."""
        named = checks.text("title", title, NAME_MAX)
        kind_code = checks.text("kind", kind, CODE_MAX)
        starts, ends = as_utc("starts_at", starts_at), as_utc("ends_at", ends_at)
        if ends <= starts:
            raise ValidationError("ends_at", ends_at, f"must come after starts_at ({starts_at})")
        if ends - starts > dt.timedelta(hours=ACTIVITY_HOURS_MAX):
            raise ValidationError(
                "ends_at", ends_at, f"an activity lasts at most {ACTIVITY_HOURS_MAX} hours"
            )
        seats = checks.whole("places", places, 1, PLACES_MAX)
        booking = checks.optional_id("booking_id", booking_id)
        pays = (
            None
            if points_activity is None
            else checks.text("points_activity", points_activity, CODE_MAX)
        )
        banks = checks.flag("bank_time", bank_time)
        with self._ctx.uow() as uow:
            organisation, home = load_organisation(uow, organisation_id)
            authorize_running(self._ctx, uow, actor, organisation, home, what="publish")
            if organisation.dissolved_at is not None:
                raise StateError(
                    f"organisation_id={organisation.id}: {organisation.name} is dissolved"
                )
            where = home if unit is None else load_unit(uow, unit, live=True)
            self._check_place(uow, organisation.id, home, where)
            if booking is not None:
                self._check_booking(
                    uow, booking, span=(starts, ends), organisation_id=organisation.id, home=home
                )
            if pays is not None and pays not in ledger_calls.points_table(
                self._ctx.plugins, where.path
            ):
                known = ", ".join(sorted(ledger_calls.points_table(self._ctx.plugins, where.path)))
                raise ValidationError(
                    "points_activity", pays, f"not in this town's points table: {known}"
                )
            activity_id = uow.repo(OrganisationRepository).add_activity(
                {
                    "organisation_id": organisation.id, "title": named, "kind": kind_code,
                    "unit_id": where.id, "booking_id": booking, "starts_at": starts,
                    "ends_at": ends, "places": seats, "points_activity": pays, "bank_time": banks,
                    "state": "published", "note": "", "created_at": self._ctx.clock(),
                    "created_by": actor.label(),
                }
            )  # fmt: skip
            self._ctx.audit(
                uow, actor, "activity.publish", entity="activity", entity_id=activity_id,
                detail={"organisation_id": organisation.id, "unit": where.code, "places": seats},
            )  # fmt: skip
            published, place = self._activity(uow, activity_id)
            now = self._ctx.clock()
            events.emit(uow, "activity.published", published, unit=place.code, now=now)
            return self._view(uow, published, place)

    def cancel(self, actor: Actor, activity_id: int, *, reason: str) -> ActivityView:
        """Cancel an activity whose attendance was not taken; the sign-ups stay, unpaid."""
        why = checks.text("reason", reason, NOTE_MAX)
        with self._ctx.uow() as uow:
            activity, place = self._running(uow, actor, activity_id, "cancel")
            repo = uow.repo(OrganisationRepository)
            if any(s.attended is not None for s in repo.signups(activity.id)):
                raise StateError(
                    f"activity {activity.id}: attendance was taken; "
                    "correct it instead of cancelling"
                )
            repo.set_activity_state(activity.id, "cancelled", why)
            cancelled = attrs.evolve(activity, state="cancelled", note=why)
            now = self._ctx.clock()
            events.emit(uow, "activity.cancelled", cancelled, unit=place.code, now=now)
            self._ctx.audit(
                uow, actor, "activity.cancel", entity="activity", entity_id=activity.id,
                detail={"reason": why[:80]},
            )  # fmt: skip
            return self._view(uow, *self._activity(uow, activity.id))

    # -- signing up -------------------------------------------------------------------------
    def sign_up(
        self, actor: Actor, activity_id: int, *, resident_id: int | None = None
    ) -> SignupView:
        """Sign a resident up (a resident signs themselves up; staff name the resident): a
        place while places last, else the waiting list. Signing up twice is refused."""
        with self._ctx.uow() as uow:
            activity, _where = self._activity(uow, activity_id, lock=True)
            rid = self._person(uow, actor, resident_id)
            self._check_open(activity)
            repo = uow.repo(OrganisationRepository)
            signed, waiting, last, own = repo.standing(activity.id, rid)
            if own is not None and own != "withdrawn":
                raise ConflictError(
                    f"resident_id={rid}: already {_STANDING[own]} activity {activity.id} (已报名)"
                )
            state = "signed" if signed < activity.places else "waiting"
            now = self._ctx.clock()
            if own is None:
                repo.add_signup(
                    {
                        "activity_id": activity.id, "resident_id": rid, "state": state,
                        "signed_at": now, "queued": last + 1, "attended": None, "points": 0,
                        "minutes": 0, "paid_round": 0,
                    }
                )  # fmt: skip
            else:  # back after withdrawing: at the end of the queue
                repo.resign(activity.id, rid, state=state, at=now, queued=last + 1)
            self._ctx.audit(
                uow, actor, "activity.sign_up", entity="activity", entity_id=activity.id,
                detail={"resident_id": rid, "state": state},
            )  # fmt: skip
            return SignupView(
                activity_id=activity.id, resident_id=rid, state=state,
                position=waiting + 1 if state == "waiting" else None, signed_at=now,
                attended=None, points=0, minutes=0,
            )  # fmt: skip

    def withdraw(
        self, actor: Actor, activity_id: int, *, resident_id: int | None = None
    ) -> SignupView:
        """Give up a place (the first waiting resident takes it) or leave the waiting list."""
        with self._ctx.uow() as uow:
            activity, _where = self._activity(uow, activity_id, lock=True)
            rid = self._person(uow, actor, resident_id)
            self._check_open(activity)
            withdraw_signup(uow, activity, rid)
            self._ctx.audit(
                uow, actor, "activity.withdraw", entity="activity", entity_id=activity.id,
                detail={"resident_id": rid},
            )  # fmt: skip
            return self._signup_view(uow, activity.id, rid)

    # -- attendance -------------------------------------------------------------------------
    def take_attendance(
        self,
        actor: Actor,
        activity_id: int,
        *,
        present: Sequence[int] = (),
        absent: Sequence[int] = (),
    ) -> list[SignupView]:
        """Record who came (``present``) and who did not (``absent``), once the activity has
        begun; each must hold a place. A resident newly present is paid; one marked present
        again is not paid twice; one marked absent after being paid has the payment
        reversed. All or nothing: a bad name changes nothing."""
        came = checks.ids("present", present, PEOPLE_MAX)
        missed = checks.ids("absent", absent, PEOPLE_MAX)
        both = set(came) & set(missed)
        if both:
            raise ValidationError("absent", min(both), "also named present")
        with self._ctx.uow() as uow:
            activity, where = self._running(uow, actor, activity_id, "take_attendance")
            if activity.state == "cancelled":
                raise StateError(f"activity {activity.id} was cancelled")
            if self._ctx.clock() < activity.starts_at:
                raise StateError(
                    f"activity {activity.id} has not begun (starts "
                    f"{activity.starts_at.isoformat()}); attendance is taken once it begins"
                )
            repo = uow.repo(OrganisationRepository)
            held = {s.resident_id: s for s in repo.signups(activity.id)}
            for field, people in (("present", came), ("absent", missed)):
                for rid in people:
                    signup = held.get(rid)
                    if signup is None or signup.state != "signed":
                        state = (
                            "not signed up" if signup is None else f"{signup.state}, holds no place"
                        )
                        raise ValidationError(
                            field, rid, f"{state} for activity {activity.id} (未报名该活动)"
                        )
            to_pay = [held[r] for r in came if held[r].attended is not True]
            to_reverse = [held[r] for r in missed if held[r].attended is True]
            marked_absent = [
                attrs.evolve(held[r], attended=False) for r in missed if held[r].attended is None
            ]
            paid = self._payer.pay(uow, activity, where.path, to_pay)
            reversed_ = self._payer.reverse(uow, activity, to_reverse)
            repo.put_signups([*paid, *reversed_, *marked_absent])
            self._ctx.audit(
                uow, actor, "activity.attendance", entity="activity", entity_id=activity.id,
                detail={
                    "paid": len(paid), "reversed": len(reversed_), "absent": len(marked_absent),
                },
            )  # fmt: skip
            counts = {"paid": len(paid), "reversed": len(reversed_), "absent": len(marked_absent)}
            events.emit(
                uow, "activity.attendance_taken", activity, unit=where.code,
                now=self._ctx.clock(), counts=counts,
            )  # fmt: skip
            changed = {s.resident_id for s in (*paid, *reversed_, *marked_absent)}
            return [
                _signup_view(s, None)
                for s in repo.signups(activity.id)
                if s.resident_id in changed or s.resident_id in came
            ]

    # -- reading ----------------------------------------------------------------------------
    def get(self, actor: Actor, activity_id: int) -> ActivityView:
        with self._ctx.uow(readonly=True) as uow:
            activity, where = self._activity(uow, activity_id)
            if not is_resident(self._ctx, actor):  # residents read activities to sign up
                self._ctx.authorize(actor, READ, unit_target(where))
            return self._view(uow, activity, where)

    def find(
        self,
        actor: Actor,
        *,
        unit: str | None = None,
        organisation_id: int | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[ActivityView]:
        """Activities held at or under ``unit`` or of one organisation, from ``start`` to
        ``end`` (days in the store's zone, both counted), by start. Residents see those of any
        unit (to sign up), staff those within reach. A page (``after_id`` or ``limit`` given)
        goes by id instead: at most ``limit`` after the id ``after_id`` (the last of a
        previous page)."""
        if unit is None and organisation_id is None:
            raise ValidationError("unit", None, "name a unit or an organisation_id")
        if after_id is not None:
            row_id("after_id", after_id)
        if limit is not None:
            whole_number("limit", limit, 1, LIST_MAX)
        first = None if start is None else day_start(checks.day("start", start), self._ctx.zone)
        last = None
        if end is not None:
            last = day_start(checks.day("end", end) + dt.timedelta(days=1), self._ctx.zone)
        with self._ctx.uow(readonly=True) as uow:
            path = None
            org = None
            if unit is not None:
                top = load_unit(uow, unit)
                if not is_resident(self._ctx, actor):
                    self._ctx.authorize(actor, READ, unit_target(top))
                path = top.path
            if organisation_id is not None:
                organisation, home = load_organisation(uow, organisation_id)
                if not is_resident(self._ctx, actor):
                    self._ctx.authorize(actor, READ, unit_target(home))
                org = organisation.id
            found = uow.repo(OrganisationRepository).activities_of(
                organisation_id=org, path=path, start=first, end=last, after_id=after_id,
                limit=limit,
            )  # fmt: skip
            return [self._view(uow, a, w) for a, w in found]

    def signups(self, actor: Actor, activity_id: int) -> list[SignupView]:
        """Every sign-up, in the order residents signed up (waiting ones with their position)."""
        with self._ctx.uow(readonly=True) as uow:
            activity, _where = self._running(uow, actor, activity_id, "read", write=False)
            return _signup_views(uow.repo(OrganisationRepository).signups(activity.id))

    def statistics(self, actor: Actor, *, unit: str, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Per organisation at or under ``unit`` (or serving there): activities held from
        ``start`` to ``end`` (days in the store's zone, both counted; cancelled ones left out),
        participants (attendances), unique volunteers and hours served (the attendances'
        minutes ÷ 60)."""
        import pandas as pd

        _top, attendance, counts, organisations = self._figures(actor, unit, start, end)
        rows = []
        for organisation, home in organisations:
            mine = [a for a in attendance if a[0] == organisation.id]
            rows.append(
                (
                    organisation.id, organisation.name, organisation.kind, home.code,
                    sum(n for o, _, n in counts if o == organisation.id), len(mine),
                    len({a[4] for a in mine}), _hours(mine),
                )
            )  # fmt: skip
        return pd.DataFrame(rows, columns=list(BY_ORGANISATION))

    def statistics_by_unit(
        self, actor: Actor, *, unit: str, start: dt.date, end: dt.date
    ) -> pd.DataFrame:
        """Per unit where activities were held (at or under ``unit``): activities,
        participants, unique volunteers and hours, as ``statistics``. A volunteer who served in
        two units counts in each; ``volunteers`` gives the whole unit's unique count."""
        import pandas as pd

        _top, attendance, counts, _orgs = self._figures(actor, unit, start, end)
        codes = sorted({c for _, c, _ in counts})
        rows = []
        for code in codes:
            mine = [a for a in attendance if a[2] == code]
            rows.append(
                (code, sum(n for _, c, n in counts if c == code), len(mine),
                 len({a[4] for a in mine}), _hours(mine))
            )  # fmt: skip
        return pd.DataFrame(rows, columns=list(BY_UNIT))

    def volunteers(self, actor: Actor, *, unit: str, start: dt.date, end: dt.date) -> int:
        """Unique residents who attended an activity held at or under ``unit`` in the period
        (Chang'an's "1,000 volunteers" counted this way)."""
        _top, attendance, _counts, _orgs = self._figures(actor, unit, start, end)
        return len({a[4] for a in attendance})

    # -- helpers ----------------------------------------------------------------------------
    def _figures(
        self, actor: Actor, unit: str, start: object, end: object
    ) -> tuple[Unit, list[Attended], list[tuple[int, str, int]], list[tuple[Organisation, Unit]]]:
        first, last = checks.days(start, end)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            repo = uow.repo(OrganisationRepository)
            begin, finish = day_start(first, self._ctx.zone), day_start(last, self._ctx.zone)
            return (
                top,
                repo.attendance(top.path, begin, finish),
                repo.activity_counts(top.path, begin, finish),
                repo.under(top.path),
            )

    def _activity(
        self, uow: UnitOfWork, activity_id: object, *, lock: bool = False
    ) -> tuple[Activity, Unit]:
        found = checks.entity_id("activity_id", activity_id)
        loaded = uow.repo(OrganisationRepository).activity(found, lock=lock)
        if loaded is None:
            raise NotFoundError(
                "activity", found, message=f"没有编号为 {found} 的活动 (no activity {found})"
            )
        return loaded

    def _running(
        self, uow: UnitOfWork, actor: Actor, activity_id: object, what: str, *, write: bool = True
    ) -> tuple[Activity, Unit]:
        """The activity (locked for a write), once ``actor`` may run its organisation."""
        activity, where = self._activity(uow, activity_id, lock=write)
        organisation, home = load_organisation(uow, activity.organisation_id)
        if write or is_resident(self._ctx, actor):
            authorize_running(self._ctx, uow, actor, organisation, home, what=what)
        elif not self._ctx.allowed(actor, READ, unit_target(where)):
            self._ctx.authorize(actor, READ, unit_target(home))
        return activity, where

    def _person(self, uow: UnitOfWork, actor: Actor, resident_id: int | None) -> int:
        """Who signs up: the resident acting, or the resident staff name."""
        if resident_id is None:
            if actor.resident_id is None:
                raise ValidationError("resident_id", None, "name the resident to sign up")
            resident_id = actor.resident_id
        row, _home = ledger_resident(self._ctx, uow, actor, resident_id, WRITE, live=True)
        return int(row.id)

    def _check_open(self, activity: Activity) -> None:
        if activity.state != "published":
            raise StateError(f"activity {activity.id} is {activity.state}")
        if self._ctx.clock() >= activity.starts_at:
            raise StateError(f"activity {activity.id} has begun; sign-ups are closed (活动已开始)")

    def _check_place(self, uow: UnitOfWork, organisation_id: int, home: Unit, where: Unit) -> None:
        if not self._places_of(uow, organisation_id, home, where):
            raise ValidationError(
                "unit", where.code,
                f"not under the organisation's home ({home.code}) or a unit it serves",
            )  # fmt: skip

    @staticmethod
    def _places_of(uow: UnitOfWork, organisation_id: int, home: Unit, where: Unit) -> bool:
        """Does ``where`` lie under the organisation's home or a unit it serves?"""
        if path_within(where.path, home):
            return True
        served = uow.repo(OrganisationRepository).served([organisation_id]).get(organisation_id, [])
        units = uow.repo(UnitRepository)
        for code in served:
            unit = units.find_by_code(code)
            if unit is not None and path_within(where.path, unit):
                return True
        return False

    def _check_booking(
        self,
        uow: UnitOfWork,
        booking_id: int,
        *,
        span: tuple[dt.datetime, dt.datetime],
        organisation_id: int,
        home: Unit,
    ) -> None:
        """The booking is live, covers the activity (``span``), and is the organisation's to
        use: made for a unit the organisation lives in or serves, or by one of its members."""
        starts, ends = span
        booking = uow.repo(ResourceRepository).booking(booking_id)
        if booking is None:
            raise ValidationError("booking_id", booking_id, "no such booking")
        if booking.state not in LIVE_BOOKINGS:
            raise ValidationError("booking_id", booking_id, f"the booking is {booking.state}")
        if not (booking.starts_at <= starts and ends <= booking.ends_at):
            raise ValidationError(
                "booking_id", booking_id,
                f"the booking ({booking.starts_at.isoformat()}–{booking.ends_at.isoformat()}) "
                "does not cover the activity's time",
            )  # fmt: skip
        party = uow.repo(UnitRepository).get(booking.unit_id)
        repo = uow.repo(OrganisationRepository)
        if booking.resident_id is not None:
            member = repo.member(organisation_id, booking.resident_id)
            if member is not None and member.left_at is None:
                return
        if self._places_of(uow, organisation_id, home, party):
            return
        raise ValidationError(
            "booking_id", booking_id,
            f"booked for {party.code}, which the organisation neither lives in nor serves, "
            "and not by one of its members",
        )  # fmt: skip

    def _view(self, uow: UnitOfWork, activity: Activity, where: Unit) -> ActivityView:
        signed, waiting = uow.repo(OrganisationRepository).counts(activity.id)
        return ActivityView(
            id=activity.id, organisation_id=activity.organisation_id, title=activity.title,
            kind=activity.kind, unit_code=where.code, booking_id=activity.booking_id,
            starts_at=activity.starts_at, ends_at=activity.ends_at, minutes=activity.minutes,
            places=activity.places, signed=signed, waiting=waiting,
            points_activity=activity.points_activity, bank_time=activity.bank_time,
            state=activity.state, note=activity.note,
        )  # fmt: skip

    def _signup_view(self, uow: UnitOfWork, activity_id: int, resident_id: int) -> SignupView:
        views = _signup_views(uow.repo(OrganisationRepository).signups(activity_id))
        return next(v for v in views if v.resident_id == resident_id)


def withdraw_signup(uow: UnitOfWork, activity: Activity, resident_id: int) -> None:
    """Withdraw a resident's sign-up; a place given up goes to the first on the waiting list."""
    repo = uow.repo(OrganisationRepository)
    signup = repo.signup(activity.id, resident_id)
    if signup is None or signup.state == "withdrawn":
        raise ValidationError(
            "resident_id", resident_id, f"not signed up for activity {activity.id} (未报名该活动)"
        )
    changed = [attrs.evolve(signup, state="withdrawn")]
    if signup.state == "signed":
        first = repo.first_waiting(activity.id)
        if first is not None:
            changed.append(attrs.evolve(first, state="signed"))
    repo.put_signups(changed)


def _signup_views(found: Sequence[Signup]) -> list[SignupView]:
    out = []
    position = 0
    for s in found:
        if s.state == "waiting":
            position += 1
        out.append(_signup_view(s, position if s.state == "waiting" else None))
    return out


def _signup_view(s: Signup, position: int | None) -> SignupView:
    return SignupView(
        activity_id=s.activity_id, resident_id=s.resident_id, state=s.state, position=position,
        signed_at=s.signed_at, attended=s.attended, points=s.points, minutes=s.minutes,
    )  # fmt: skip


def _hours(attendance: Sequence[Attended]) -> float:
    minutes = sum(int((ends - starts).total_seconds() // 60) for *_, starts, ends in attendance)
    return round(minutes / 60, 2)
