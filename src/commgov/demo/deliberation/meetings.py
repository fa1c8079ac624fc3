"""The councils' topics and monthly meetings: topics raised by residents and staff (and the
participation season's suggestions), agenda, registrations, check-ins by code, attendance
taken by staff, resolutions and what follows them, minutes and closing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Final

from commgov.demo.deliberation.councils import Chamber, person
from commgov.demo.deliberation.plan import (
    AGENDA,
    COUNCIL_DAY,
    MEETING_WEEKS,
    PROJECT_DUE,
    VOTE_DAYS,
)
from commgov.demo.deliberation.stage import Stage
from commgov.demo.deliberation.texts import (
    DEFERRED,
    DEPARTMENT_WORDS,
    MEETING_PLACES,
    OWNERS_QUESTION,
    RESIDENT_MATTERS,
    STAFF_MATTERS,
    Matter,
)
from commgov.demo.deliberation.timeline import between
from commgov.kernel.actors import Actor
from commgov.people.views import ResidentView

PART: Final = "councils"
FollowUp = Callable[[Chamber, int], None]
"""What a resolution sets going: given the chamber and the resolution's id."""


class MeetingSeason:
    """Each council's topics and its meeting in October, November and December. A meeting
    takes the special topics first (the compound's micro-renovation, to be put to its
    households; the owners' decision; the project once the households have voted), then the
    oldest topics proposed; each is decided (a department's task, a vote, a project or nothing
    further), referred elsewhere or left for the next meeting."""

    def __init__(self, stage: Stage, follow_ups: dict[str, FollowUp]) -> None:
        self.cg = cg = stage.cg
        self.cast = cast = stage.cast
        self.rng = stage.rng
        self.timeline = stage.timeline
        self.plan = stage.plan
        self.figures = stage.figures
        self.follow_ups = follow_ups
        """``households`` and ``owners`` (a vote), ``project``: called with the resolution."""
        self.matters: dict[int, Matter] = {}
        self.special: dict[int, str] = {}
        self.departments: dict[str, str] = {}
        for department in cg.staff.departments(cast.admin, cast.town):
            self.departments.setdefault(department.kind, department.code)

    # -- the plan --------------------------------------------------------------------------
    def play(self, chambers: list[Chamber]) -> None:
        for index, chamber in enumerate(chambers):
            self.timeline.at(
                self.cast.moment(COUNCIL_DAY, 10 + index / 60), PART, partial(self.open, chamber)
            )
            opened = COUNCIL_DAY + dt.timedelta(days=1)  # the day after it is set up
            for week in MEETING_WEEKS:
                day = week + dt.timedelta(days=index % 5)
                self.raise_topics(chamber, opened, day - dt.timedelta(days=4))
                self.timeline.at(
                    self.cast.moment(day - dt.timedelta(days=7), 10),
                    PART,
                    partial(self.schedule, chamber, day),
                )
                opened = day + dt.timedelta(days=1)

    def open(self, chamber: Chamber) -> None:
        """The council's first day of work: the compound's micro-renovation and the
        suggestions residents made in the summer go on its list."""
        office = chamber.community.office
        grid_name = chamber.compound[1]
        renovation = chamber.renovation.title
        self.propose_special(
            chamber, "households", f"{grid_name}微改造：{renovation}",
            f"拟将{renovation}方案提交{grid_name}全体住户表决",
        )  # fmt: skip
        if chamber.owners_compound is not None:
            self.propose_special(
                chamber, "owners", f"{chamber.owners_compound[1]}：{OWNERS_QUESTION}",
                "涉及改建共有部分设施，须由业主依民法典第二百七十八条共同决定",
            )  # fmt: skip
        self.suggestions(chamber, office)

    def suggestions(self, chamber: Chamber, office: Actor) -> None:
        """Suggestions (micro-wishes) referred to the council in the summer become its topics,
        by wish id; a few still open are referred now (adopting them) and proposed too."""
        admin, code = self.cast.admin, chamber.community.code
        adopted = self.cg.wishes.under(admin, code, kind="suggestion", state="adopted", limit=5000)
        for wish in adopted:
            if wish.referred_to == "topic":
                self.propose_suggestion(chamber, wish.id, wish.text)
        waiting = self.cg.wishes.under(admin, code, kind="suggestion", state="open", limit=5000)
        for wish in self.rng.sample(waiting, min(len(waiting), self.plan.referrals)):
            topic_id = self.propose_suggestion(chamber, wish.id, wish.text)
            self.cg.wishes.refer(office, wish.id, to="topic", reference=f"议题 topic {topic_id}")
            self.figures["suggestions referred now"] += 1

    # -- topics ----------------------------------------------------------------------------
    def raise_topics(self, chamber: Chamber, first: dt.date, last: dt.date) -> None:
        rng = self.rng
        for _ in range(self.plan.resident_topics):
            moment = between(self.cast, rng, first, last, (8, 21))
            self.timeline.at(moment, PART, partial(self.propose_resident, chamber))
        moment = between(self.cast, rng, first, last, (9, 17))
        self.timeline.at(moment, PART, partial(self.propose_staff, chamber))

    def propose_resident(self, chamber: Chamber) -> None:
        matter = self.rng.choice(RESIDENT_MATTERS)
        who = self.rng.choice(chamber.community.residents)
        topic = self.cg.meetings.propose(
            person(who), chamber.council_id, title=matter.title, description=matter.description
        )
        self.matters[topic.id] = matter
        self.figures["topics from residents"] += 1

    def propose_staff(self, chamber: Chamber) -> None:
        matter = self.rng.choice(STAFF_MATTERS)
        topic = self.cg.meetings.propose(
            chamber.community.office, chamber.council_id,
            title=matter.title, description=matter.description,
        )  # fmt: skip
        self.matters[topic.id] = matter
        self.figures["topics from staff"] += 1

    def propose_suggestion(self, chamber: Chamber, wish_id: int, text: str) -> int:
        topic = self.cg.meetings.propose(
            chamber.community.office, chamber.council_id, title=text,
            description=f"来自微心愿 {wish_id} from micro-wish {wish_id}",
            source="suggestion", source_ref=wish_id,
        )  # fmt: skip
        self.matters[topic.id] = Matter(text, "", "city_management")
        self.figures["topics from suggestions"] += 1
        return topic.id

    def propose_special(self, chamber: Chamber, kind: str, title: str, description: str) -> None:
        topic = self.cg.meetings.propose(
            chamber.community.office, chamber.council_id, title=title, description=description
        )
        self.special[topic.id] = kind
        self.figures["topics from staff"] += 1

    def propose_project(self, chamber: Chamber) -> None:
        """Once the households have voted: carrying the micro-renovation out goes to the next
        meeting (as voted, or revised after a no)."""
        revised = "" if chamber.vote_carried else "（按表决意见修改方案后）"
        self.propose_special(
            chamber, "project", f"实施{chamber.compound[1]}{chamber.renovation.title}{revised}",
            "确定施工单位、资金来源和工期，接受居民监督",
        )  # fmt: skip

    # -- a meeting -------------------------------------------------------------------------
    def schedule(self, chamber: Chamber, day: dt.date) -> None:
        rng, office = self.rng, chamber.community.office
        hybrid = rng.random() < 0.5
        starts = self.cast.moment(day, 19 if rng.random() < 0.7 else 15)
        link = f"https://meeting.example/{chamber.community.code}-{day.month}"
        meeting = self.cg.meetings.schedule(
            office, chamber.council_id, title=f"{chamber.community.name}议事会{day.month}月会议",
            starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
            mode="hybrid" if hybrid else "in_person", place=rng.choice(MEETING_PLACES),
            link=link if hybrid else None, capacity=self.plan.registrations + 20,
        )  # fmt: skip
        self.figures["meetings"] += 1
        assert meeting.code is not None
        code, meeting_id = meeting.code, meeting.id
        first = self.cast.day(self.cg.context.clock()) + dt.timedelta(days=1)
        coming = self.registrants(chamber)
        at = self.timeline.at
        for resident in coming:
            moment = between(self.cast, rng, first, day - dt.timedelta(days=1), (8, 21))
            at(moment, PART, partial(self.register, resident, meeting_id))
            if rng.random() < 0.85:
                moment = starts + dt.timedelta(hours=rng.uniform(-0.75, 0.5))
                at(moment, PART, partial(self.check_in, resident, meeting_id, code))
        at(
            self.cast.moment(day - dt.timedelta(days=3), 10),
            PART,
            partial(self.agenda, chamber, meeting_id),
        )
        at(
            starts + dt.timedelta(hours=0.6),
            PART,
            partial(self.attendance, chamber, meeting_id, coming),
        )
        at(starts + dt.timedelta(hours=1.5), PART, partial(self.decide, chamber, meeting_id, day))
        at(
            self.cast.moment(day + dt.timedelta(days=1), 10),
            PART,
            partial(self.close, chamber, meeting_id),
        )

    def registrants(self, chamber: Chamber) -> list[ResidentView]:
        """Most residents on the council and others of the community, up to the plan's number."""
        rng = self.rng
        reps = [r for r in chamber.residents if rng.random() < 0.8]
        taken = {r.id for r in chamber.residents}
        others = [r for r in chamber.community.residents if r.id not in taken]
        wanted = max(0, self.plan.registrations - len(reps))
        return reps + rng.sample(others, min(wanted, len(others)))

    def register(self, resident: ResidentView, meeting_id: int) -> None:
        self.cg.meetings.register(person(resident), meeting_id)
        self.figures["registrations"] += 1

    def check_in(self, resident: ResidentView, meeting_id: int, code: str) -> None:
        self.cg.meetings.check_in(person(resident), meeting_id, code=code)
        self.figures["check-ins by code"] += 1

    def agenda(self, chamber: Chamber, meeting_id: int) -> None:
        """The special topics first, then the oldest proposed, up to the agenda's size."""
        office = chamber.community.office
        waiting = self.cg.meetings.topics(office, chamber.council_id, state="proposed")
        first = [t for t in waiting if t.id in self.special]
        rest = [t for t in waiting if t.id not in self.special]
        for topic in (first + rest)[: max(AGENDA, len(first))]:
            self.cg.meetings.accept(office, topic.id, meeting_id=meeting_id)

    def attendance(self, chamber: Chamber, meeting_id: int, coming: list[ResidentView]) -> None:
        """Staff take down who came without checking in: the members who are neither
        residents nor staff, the secretary, the compound's grid worker, representatives who
        did not register."""
        came = [*chamber.others, f"staff:{chamber.secretary}"]
        worker = chamber.community.workers.get(chamber.compound[0])
        if worker is not None:
            came.append(f"staff:{worker}")
        registered = {r.id for r in coming}
        came += [
            f"resident:{r.id}"
            for r in chamber.residents
            if r.id not in registered and self.rng.random() < 0.5
        ]
        added = self.cg.meetings.record_attendance(
            chamber.community.office, meeting_id, people=came
        )
        self.figures["attendance taken by staff"] += added

    def decide(self, chamber: Chamber, meeting_id: int, day: dt.date) -> None:
        """Each agenda topic: decided with what follows, referred, or left for next time;
        then the minutes."""
        office = chamber.community.office
        meeting = self.cg.meetings.get(office, meeting_id)
        summaries: dict[int, str] = {}
        counts: Counter[str] = Counter()
        for item in meeting.agenda:
            kind = self.special.get(item.topic_id)
            if kind is not None:
                summaries[item.topic_id] = self.resolve_special(
                    chamber, meeting_id, item.topic_id, kind, day
                )
                counts["decided"] += 1
                continue
            roll = self.rng.random()
            matter = self.matters.get(item.topic_id, Matter(item.title, "", None))
            if roll < 0.12:
                where = DEPARTMENT_WORDS.get(matter.department or "", "城关镇人民政府")
                self.cg.meetings.refer(office, item.topic_id, to=where)
                self.figures["topics referred"] += 1
                counts["referred"] += 1
            elif roll < 0.3:
                summaries[item.topic_id] = DEFERRED
                self.figures["topics left for the next meeting"] += 1
                counts["left"] += 1
            else:
                summaries[item.topic_id] = self.resolve(
                    chamber, meeting_id, item.topic_id, matter, day
                )
                counts["decided"] += 1
        summary = (
            f"到会{meeting.attended}人。审议议题{len(meeting.agenda)}项：议决{counts['decided']}项，"
            f"转办{counts['referred']}项，下次再议{counts['left']}项。"
        )
        self.cg.meetings.record_minutes(office, meeting_id, summary=summary, topics=summaries)

    def resolve(
        self, chamber: Chamber, meeting_id: int, topic_id: int, matter: Matter, day: dt.date
    ) -> str:
        """A topic decided: a department's task with a due day (mostly done on time, some
        late, a few not at all), or nothing further for the community's own work."""
        rng, office = self.rng, chamber.community.office
        department = self.departments.get(matter.department or "")
        if department is None or rng.random() < 0.25:
            text = f"{matter.title}：由社区组织志愿者落实"
            self.cg.meetings.resolve(office, meeting_id, text=text, topic_id=topic_id)
            self.figures["resolutions: nothing further"] += 1
            return text
        due = day + dt.timedelta(days=rng.randint(14, 40))
        words = DEPARTMENT_WORDS.get(matter.department or "", "相关部门")
        text = f"{matter.title}：请{words}于{due.month}月{due.day}日前处理并反馈"
        resolution = self.cg.meetings.resolve(
            office, meeting_id, text=text, topic_id=topic_id, follow_up="task",
            owner_department=department, due_on=due,
        )  # fmt: skip
        self.figures["resolutions: tasks"] += 1
        roll = rng.random()
        if roll < 0.8:
            when = between(self.cast, rng, day + dt.timedelta(days=3), due, (9, 17))
        elif roll < 0.92:
            when = between(
                self.cast, rng, due + dt.timedelta(days=2), due + dt.timedelta(days=20), (9, 17)
            )
        else:
            return text  # never reported done
        self.timeline.at(when, PART, lambda: self.task_done(chamber, resolution.id, due))
        return text

    def task_done(self, chamber: Chamber, resolution_id: int, due: dt.date) -> None:
        self.cg.meetings.fulfil(chamber.community.office, resolution_id, note="已办结并反馈居民")
        late = self.cast.day(self.cg.context.clock()) > due
        self.figures["tasks done late" if late else "tasks done on time"] += 1

    def resolve_special(
        self, chamber: Chamber, meeting_id: int, topic_id: int, kind: str, day: dt.date
    ) -> str:
        """The compound's micro-renovation goes to its households' vote (and, in one
        compound, a matter to its owners'); once voted, it becomes a project."""
        office, grid = chamber.community.office, chamber.compound[1]
        if kind == "project":
            by = f"{PROJECT_DUE.month}月{PROJECT_DUE.day}日"
            text = f"同意实施{grid}{chamber.renovation.title}，{by}前完工"
            follow, due = "project", PROJECT_DUE
        elif kind == "owners":
            assert chamber.owners_compound is not None
            text = f"提请{chamber.owners_compound[1]}业主共同决定：{OWNERS_QUESTION}"
            follow, due = "vote", day + dt.timedelta(days=1 + VOTE_DAYS)
        else:
            text = f"{chamber.renovation.title}方案提交{grid}全体住户表决（无记名）"
            follow, due = "vote", day + dt.timedelta(days=1 + VOTE_DAYS)
        resolution = self.cg.meetings.resolve(
            office, meeting_id, text=text, topic_id=topic_id, follow_up=follow, due_on=due
        )
        self.figures[f"resolutions: {follow}s"] += 1
        self.follow_ups[kind](chamber, resolution.id)
        return text

    def close(self, chamber: Chamber, meeting_id: int) -> None:
        self.cg.meetings.close(chamber.community.office, meeting_id)
        self.figures["meetings closed"] += 1
