"""The organisations' weekly activities: the volunteer team's (敬老探访, 环境清洁日, 反诈宣传;
every fourth week in the neighbouring community it serves) and the choir's rehearsal in its
booking of the room. Residents sign up (those beyond the places wait; a place given up goes to
the first waiting), the leader takes attendance when it is over (a few absent), and
attending a volunteer activity pays points and time-bank minutes; one attendance per team is
corrected afterwards."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Final

from commgov.demo.community.plan import CORRECTION_WEEK, SETUP_DAY, WEEKS
from commgov.demo.community.resources import (
    REHEARSAL,
    ResourceSeason,
    rehearsal_day,
    rehearsal_words,
)
from commgov.demo.community.stage import Neighbourhood, Stage, person
from commgov.demo.community.texts import (
    CLEANING,
    FESTIVAL,
    FESTIVAL_WEEK,
    PUBLICITY,
    REHEARSAL_KIND,
    VISIT,
)
from commgov.demo.community.timeline import between
from commgov.kernel.actors import Actor
from commgov.people.views import ResidentView

PART: Final = "activities"
VOLUNTEERING: Final = (9, 2)
"""The volunteers' activity: Saturday (or Sunday, by the community's turn) from 9:00, two
hours."""
ABSENT: Final = 0.1
"""The share of volunteers holding a place who do not come."""
WITHDRAW: Final = 0.3
"""The chance that a volunteer gives up their place before the day."""
SINGING: Final = 0.9
"""The share of singers who sign up for a week's rehearsal."""
MISSED: Final = 0.08
"""The share of singers signed up who miss the rehearsal."""


class ActivitySeason:
    """Each team's and each choir's activity every week of the season."""

    def __init__(self, stage: Stage, resources: ResourceSeason) -> None:
        self.cg = stage.cg
        self.cast = stage.cast
        self.rng = stage.rng
        self.timeline = stage.timeline
        self.plan = stage.plan
        self.figures = stage.figures
        self.resources = resources

    def play(self, hoods: list[Neighbourhood]) -> None:
        for hood in hoods:
            for week in range(WEEKS):
                monday = SETUP_DAY + dt.timedelta(days=7 * week)
                if hood.team_leader is not None:
                    moment = self.cast.moment(monday, 10.5 + hood.index / 60)
                    self.timeline.at(moment, PART, partial(self.volunteering, hood, week))
                if hood.group_leader is not None:
                    moment = self.cast.moment(monday, 12 + hood.index / 60)
                    self.timeline.at(moment, PART, partial(self.rehearsal, hood, week))

    # -- the volunteers --------------------------------------------------------------------
    def volunteering(self, hood: Neighbourhood, week: int) -> None:
        """The team's leader publishes the week's activity (a cleaning day with a tool box
        the work station books for it); volunteers sign up over the week."""
        rng, leader = self.rng, hood.team_leader
        assert leader is not None
        (title, kind), away = _activity(week)
        where = hood.neighbour if away and hood.neighbour is not hood.community else hood.community
        day = SETUP_DAY + dt.timedelta(days=7 * week + 5 + hood.index % 2)
        hour, length = VOLUNTEERING
        start, end = self.cast.moment(day, hour), self.cast.moment(day, hour + length)
        booking = None
        if kind == CLEANING[1] and where is hood.community:
            booking = self.resources.lend_tools(hood, start, end)
        activity = self.cg.activities.publish(
            person(leader), organisation_id=hood.team_id, title=title, kind=kind,
            starts_at=start, ends_at=end, places=self.plan.places,
            unit=rng.choice(where.grids)[0], booking_id=booking,
        )  # fmt: skip
        self.figures["volunteer activities"] += 1
        if where is not hood.community:
            self.figures["activities in the neighbouring community"] += 1
        now = self.cg.context.clock()
        close = start - dt.timedelta(days=1)
        chosen = rng.sample(hood.volunteers, min(len(hood.volunteers), self.plan.signups))
        moments = sorted(between(now, close, rng.random()) for _ in chosen)
        for who, moment in zip(chosen, moments, strict=True):
            self.timeline.at(moment, PART, partial(self.sign_up, who, activity.id))
        if len(chosen) > self.plan.places and rng.random() < WITHDRAW:
            who = rng.choice(chosen[: self.plan.places])  # they hold a place
            moment = between(close, start, rng.uniform(0.2, 0.8))
            self.timeline.at(moment, PART, partial(self.withdraw, who, activity.id))
        done = end + dt.timedelta(minutes=30)
        take = partial(self.attendance, leader, activity.id, correct=week == CORRECTION_WEEK)
        self.timeline.at(done, PART, take)

    def sign_up(self, who: ResidentView, activity_id: int) -> None:
        signed = self.cg.activities.sign_up(person(who), activity_id)
        self.figures["sign-ups"] += 1
        if signed.state == "waiting":
            self.figures["sign-ups on the waiting list"] += 1

    def withdraw(self, who: ResidentView, activity_id: int) -> None:
        self.cg.activities.withdraw(person(who), activity_id)
        self.figures["places given up"] += 1

    def attendance(
        self, leader: ResidentView, activity_id: int, *, correct: bool, missed: float = ABSENT
    ) -> None:
        """The leader takes attendance of those holding a place; a team corrects it the next
        morning (one marked present had not come: what it paid is taken back)."""
        rng, actor = self.rng, person(leader)
        holding = [
            s.resident_id
            for s in self.cg.activities.signups(actor, activity_id)
            if s.state == "signed"
        ]
        absent = [r for r in holding if rng.random() < missed]
        present = [r for r in holding if r not in absent]
        self.cg.activities.take_attendance(actor, activity_id, present=present, absent=absent)
        self.figures["attendances"] += len(present)
        self.figures["absences"] += len(absent)
        if correct and present:
            wrong = rng.choice(present)
            today = self.cast.day(self.cg.context.clock())
            morning = self.cast.moment(today + dt.timedelta(days=1), 10)
            self.timeline.at(morning, PART, partial(self.correct, actor, activity_id, wrong))

    def correct(self, actor: Actor, activity_id: int, resident_id: int) -> None:
        self.cg.activities.take_attendance(actor, activity_id, absent=[resident_id])
        self.figures["attendances corrected"] += 1

    # -- the choir -------------------------------------------------------------------------
    def rehearsal(self, hood: Neighbourhood, week: int) -> None:
        """The choir's leader publishes the week's rehearsal in its booking of the room (when
        the series was booked), checks the room in and takes attendance after."""
        rng, leader = self.rng, hood.group_leader
        assert leader is not None
        day = rehearsal_day(hood, week)
        hour, length = REHEARSAL
        start, end = self.cast.moment(day, hour), self.cast.moment(day, hour + length)
        booking = hood.rehearsals.get(week)
        activity = self.cg.activities.publish(
            person(leader), organisation_id=hood.group_id, title=rehearsal_words(hood),
            kind=REHEARSAL_KIND, starts_at=start, ends_at=end,
            places=max(1, len(hood.singers)), booking_id=booking, points_activity=None,
            bank_time=False,
        )  # fmt: skip
        self.figures["rehearsals"] += 1
        now = self.cg.context.clock()
        close = start - dt.timedelta(hours=1)
        for who in hood.singers:
            if rng.random() < SINGING:
                self.timeline.at(
                    between(now, close, rng.random()), PART, partial(self.sign_up, who, activity.id)
                )
        if booking is not None:
            self.timeline.at(
                start - dt.timedelta(minutes=10), PART,
                partial(self.resources.check_in, person(leader), booking),
            )  # fmt: skip
        take = partial(self.attendance, leader, activity.id, correct=False, missed=MISSED)
        self.timeline.at(end + dt.timedelta(minutes=10), PART, take)


def _activity(week: int) -> tuple[tuple[str, str], bool]:
    """The volunteers' activity of ``week`` and whether it is held in the neighbouring
    community: a visit to elders, a cleaning day, anti-fraud publicity, then a visit to the
    neighbour's elders; at the Spring Festival, visits to elders living alone."""
    if week == FESTIVAL_WEEK:
        return FESTIVAL, False
    turn = week % 4
    return ((VISIT, CLEANING, PUBLICITY, VISIT)[turn], turn == 3)
