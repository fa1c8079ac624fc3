"""The communities' shared resources (跨社区资源共享): published on the first Monday; the
room's afternoons booked by the work station for its elders and one evening a week by the
choir, four weeks at a time; booked by residents through the season (the ground by the
neighbouring community's residents too), the tool boxes' bookings reviewed by the work
station; bookings cancelled, checked in, missed, or refused when full."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Final

import attrs

from commgov.demo.community.plan import (
    BLOCK_LEAD,
    BLOCK_WEEKS,
    LEAD_DAYS,
    SETUP_DAY,
    WEEKS,
)
from commgov.demo.community.stage import Neighbourhood, Stage, adults, person
from commgov.demo.community.texts import (
    CANCELLED,
    CHOIRS,
    FACILITIES,
    PROGRAMME,
    REJECTED,
    ROOM,
    TOOLS,
    Facility,
)
from commgov.demo.community.timeline import between
from commgov.errors import ConflictError
from commgov.kernel.actors import Actor
from commgov.people.views import ResidentView
from commgov.resources.views import BookingView

PART: Final = "resources"
REHEARSAL: Final = (19, 2)
"""A choir rehearses one evening a week from 19:00, for two hours."""
WEEKDAY_WEIGHTS: Final = (1, 1, 1, 1, 1, 2, 2)
"""Residents book weekends twice as often as weekdays."""
NEIGHBOURS: Final = 0.25
"""The share of the shared ground's bookings made by the neighbouring community's residents."""
APPROVED: Final = 0.85
"""The share of the tool boxes' bookings the work station approves."""
ROOM_HORIZON: Final = 60
"""The room takes bookings 60 days ahead, so the work station and the choir book a block of
four weeks a week before it begins."""
CANCEL, NO_SHOW, CHECK_IN = 0.08, 0.14, 0.5
"""What follows an approved booking, by a draw: below ``CANCEL`` the booker cancels, below
``NO_SHOW`` nobody comes (staff mark it), below ``CHECK_IN`` the booker checks in; above,
it stays approved (used, not checked in)."""


@attrs.frozen
class Request:
    """A booking a resident will ask for."""

    facility: Facility
    booker: ResidentView
    starts_at: dt.datetime
    ends_at: dt.datetime
    size: int
    purpose: str


class ResourceSeason:
    """Every community's resources and their bookings through the season."""

    def __init__(self, stage: Stage) -> None:
        self.cg = stage.cg
        self.cast = stage.cast
        self.rng = stage.rng
        self.timeline = stage.timeline
        self.plan = stage.plan
        self.figures = stage.figures
        self.full = stage.full

    # -- the plan --------------------------------------------------------------------------
    def play(self, hoods: list[Neighbourhood]) -> None:
        for hood in hoods:
            self.timeline.at(
                self.cast.moment(SETUP_DAY, 9 + hood.index / 30), PART, partial(self.publish, hood)
            )
            for first in range(0, WEEKS, BLOCK_WEEKS):
                day = SETUP_DAY + dt.timedelta(days=7 * first) - BLOCK_LEAD
                moment = self.cast.moment(max(day, SETUP_DAY), 9.5 + hood.index / 60)
                self.timeline.at(moment, PART, partial(self.book_programme, hood, first))
                if hood.group_leader is None:  # too few residents for a choir
                    continue
                day = rehearsal_day(hood, first) - BLOCK_LEAD
                moment = self.cast.moment(max(day, SETUP_DAY), 10 + hood.index / 60)
                self.timeline.at(moment, PART, partial(self.book_rehearsals, hood, first))
            for week in range(WEEKS):
                for _ in range(self.plan.bookings):
                    self.plan_booking(hood, week)

    def publish(self, hood: Neighbourhood) -> None:
        """The work station publishes the community's resources."""
        office, code = hood.community.office, hood.community.code
        for facility in FACILITIES:
            resource = self.cg.resources.publish(
                office, unit=code, name=facility.name, kind=facility.kind,
                capacity=facility.capacity, hours=facility.hours(),
                slot_minutes=facility.slot_minutes, longest_minutes=facility.longest_minutes,
                shared=facility.shared, approval=facility.approval,
                horizon_days=ROOM_HORIZON if facility is ROOM else 30,
                description=facility.description,
            )  # fmt: skip
            hood.resources[facility.key] = resource.id
            self.figures["resources published"] += 1

    # -- residents' bookings ---------------------------------------------------------------
    def plan_booking(self, hood: Neighbourhood, week: int) -> None:
        """A resident's booking in ``week``: which resource, who, when, for how many."""
        rng = self.rng
        facility = rng.choices(FACILITIES, weights=[f.weight for f in FACILITIES])[0]
        home = hood.community
        if facility.shared and hood.neighbour is not home and rng.random() < NEIGHBOURS:
            home = hood.neighbour
        people = adults(home)
        if not people:
            return
        booker = rng.choice(people)
        days = [d for d in range(7) if facility.opening(d) is not None]
        offset = rng.choices(days, weights=[WEEKDAY_WEIGHTS[d] for d in days])[0]
        day = SETUP_DAY + dt.timedelta(days=7 * week + offset)
        if day == SETUP_DAY:  # the resources are published that morning
            day += dt.timedelta(days=1)
        opens, closes = facility.opening(offset) or (0, 0)
        fitting = [(h, w) for h, w in facility.starts if opens <= h < closes]
        hour = rng.choices([h for h, _ in fitting], weights=[w for _, w in fitting])[0]
        length = rng.choice([n for n in facility.lengths if hour + n <= closes] or [1])
        start = self.cast.moment(day, hour)
        end = self.cast.moment(day, hour + length)
        size = rng.randint(*facility.party)
        purpose = rng.choice(facility.purposes)
        low = max(LEAD_DAYS[0], 1.5) if facility.approval else LEAD_DAYS[0]
        moment = max(
            start - dt.timedelta(days=rng.uniform(low, LEAD_DAYS[1])),
            self.cast.moment(SETUP_DAY, 11),
        )
        request = Request(facility, booker, start, end, size, purpose)
        self.timeline.at(moment, PART, partial(self.book, hood, request))

    def book(self, hood: Neighbourhood, request: Request) -> None:
        """The resident books; a slot already full is refused and counted."""
        booker = request.booker
        try:
            made = self.cg.resources.book(
                person(booker), hood.resources[request.facility.key],
                starts_at=request.starts_at, ends_at=request.ends_at,
                party_size=request.size, purpose=request.purpose,
            )  # fmt: skip
        except ConflictError:
            self.full[hood.community.code] += 1
            self.figures["bookings refused as full"] += 1
            return
        self.figures["bookings by residents"] += 1
        if not booker.unit_code.startswith(hood.community.code):
            self.figures["bookings from neighbouring communities"] += 1
        if made.state == "pending":
            self.review(hood, made, person(booker))
        else:
            self.follow(hood, made, person(booker))

    def review(self, hood: Neighbourhood, made: BookingView, booker: Actor) -> None:
        """The work station reviews a pending booking the next morning (sooner when the
        booking is near)."""
        now = self.cg.context.clock()
        morning = self.cast.moment(self.cast.day(now) + dt.timedelta(days=1), 9 + hood.index / 60)
        if morning > made.starts_at - dt.timedelta(hours=1):
            morning = between(now, made.starts_at, 0.5)
        self.timeline.at(morning, PART, partial(self.decide, hood, made, booker))

    def decide(self, hood: Neighbourhood, made: BookingView, booker: Actor) -> None:
        office = hood.community.office
        if self.rng.random() < APPROVED:
            approved = self.cg.resources.approve(office, made.id)
            self.figures["tool bookings approved"] += 1
            self.follow(hood, approved, booker)
        else:
            self.cg.resources.reject(office, made.id, reason=self.rng.choice(REJECTED))
            self.figures["tool bookings rejected"] += 1

    def follow(self, hood: Neighbourhood, made: BookingView, booker: Actor) -> None:
        """What becomes of an approved booking: cancelled, missed, checked in, or just used."""
        rng, now, start = self.rng, self.cg.context.clock(), made.starts_at
        draw = rng.random()
        if draw < CANCEL:
            deadline = start - dt.timedelta(hours=1)
            moment = between(now, deadline if deadline > now else start, rng.uniform(0.1, 0.9))
            self.timeline.at(moment, PART, partial(self.cancel, booker, made.id))
        elif draw < NO_SHOW:
            moment = start + dt.timedelta(minutes=20)
            self.timeline.at(moment, PART, partial(self.no_show, hood.community.office, made.id))
        elif draw < CHECK_IN:
            moment = start - dt.timedelta(minutes=10)
            self.timeline.at(moment, PART, partial(self.check_in, booker, made.id))

    def cancel(self, booker: Actor, booking_id: int) -> None:
        self.cg.resources.cancel(booker, booking_id, reason=self.rng.choice(CANCELLED))
        self.figures["bookings cancelled"] += 1

    def no_show(self, office: Actor, booking_id: int) -> None:
        self.cg.resources.no_show(office, booking_id)
        self.figures["no-shows"] += 1

    def check_in(self, who: Actor, booking_id: int) -> None:
        self.cg.resources.check_in(who, booking_id)
        self.figures["checked in"] += 1

    # -- the organisations' bookings -------------------------------------------------------
    def book_rehearsals(self, hood: Neighbourhood, first: int) -> None:
        """The choir's leader books the room for the block's weekly rehearsals at once (all
        or nothing: a clash refuses the series, and those weeks rehearse without it)."""
        leader = hood.group_leader
        assert leader is not None
        count = min(BLOCK_WEEKS, WEEKS - first)
        day = rehearsal_day(hood, first)
        hour, length = REHEARSAL
        try:
            series = self.cg.resources.book_recurring(
                person(leader), hood.resources[ROOM.key], starts_at=self.cast.moment(day, hour),
                ends_at=self.cast.moment(day, hour + length), occurrences=count,
                purpose=f"{hood.community.name}{rehearsal_words(hood)}",
            )  # fmt: skip
        except ConflictError:
            self.full[hood.community.code] += 1
            self.figures["rehearsal series refused"] += 1
            return
        for week, booking in enumerate(series, start=first):
            hood.rehearsals[week] = booking.id
        self.figures["rehearsals booked"] += len(series)

    def book_programme(self, hood: Neighbourhood, first: int) -> None:
        """The work station books the room's afternoons for its elders, every day of the
        block's four weeks (all or nothing)."""
        office = hood.community.office
        what, (hour, length) = PROGRAMME
        day = SETUP_DAY + dt.timedelta(days=7 * first)
        count = 7 * min(BLOCK_WEEKS, WEEKS - first)
        try:
            series = self.cg.resources.book_recurring(
                office, hood.resources[ROOM.key], starts_at=self.cast.moment(day, hour),
                ends_at=self.cast.moment(day, hour + length), occurrences=count, repeat="daily",
                purpose=what,
            )  # fmt: skip
        except ConflictError:
            self.full[hood.community.code] += 1
            self.figures["programme series refused"] += 1
            return
        self.figures["programme afternoons booked"] += len(series)

    def lend_tools(self, hood: Neighbourhood, start: dt.datetime, end: dt.datetime) -> int | None:
        """The work station books a tool box for the volunteers' cleaning day and approves it
        (``None`` when residents have taken them all), and checks it out when the day
        begins."""
        office, tools = hood.community.office, hood.resources[TOOLS.key]
        try:
            made = self.cg.resources.book(
                office, tools, starts_at=start, ends_at=end, purpose="环境清洁日借用"
            )
        except ConflictError:
            self.full[hood.community.code] += 1
            self.figures["bookings refused as full"] += 1
            return None
        if made.state == "pending":
            self.cg.resources.approve(office, made.id)
        self.figures["tool boxes lent to volunteers"] += 1
        self.timeline.at(
            start - dt.timedelta(minutes=10), PART, partial(self.check_in, office, made.id)
        )
        return made.id


def rehearsal_day(hood: Neighbourhood, week: int) -> dt.date:
    """The evening of the week the community's choir rehearses (Monday to Friday by turn)."""
    return SETUP_DAY + dt.timedelta(days=7 * week + hood.index % 5)


def rehearsal_words(hood: Neighbourhood) -> str:
    """``合唱排练`` or ``腰鼓排练``, by the community's turn."""
    return CHOIRS[hood.index % len(CHOIRS)][1]
