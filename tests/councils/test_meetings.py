"""Topics, meetings and resolutions through ``cg.meetings``: the agenda, registration within
capacity, attendance by code or by staff, minutes required to close, resolutions followed up."""

from __future__ import annotations

import datetime as dt
import threading

import attrs
import pytest
from tests.conftest import NOW, SECRET, Town, build_town
from tests.votes.conftest import all_counts

import commgov

START = NOW + dt.timedelta(minutes=30)
END = NOW + dt.timedelta(hours=2)


@attrs.frozen
class Hall:
    town: Town
    council: commgov.CouncilView
    meeting: commgov.MeetingView
    resident: commgov.Actor
    away: commgov.Actor

    @property
    def cg(self) -> commgov.Commgov:
        return self.town.cg


def furnish(town: Town, capacity: int | None = None) -> Hall:
    cg, admin = town.cg, town.admin
    council = cg.councils.create(
        admin, unit=town.community_a, name="居民议事厅", kind="residents_hall"
    )
    meeting = cg.meetings.schedule(
        admin, council.id, title="七月议事", starts_at=START, ends_at=END, mode="hybrid",
        place="社区活动室", link="https://meet.example/abc", capacity=capacity,
    )  # fmt: skip
    home = town.household(town.grid_a1, {"name": "李秀英", "birth_date": "1950-01-01", "sex": "F"})
    (person,) = cg.residents.members(admin, home.id)
    away = town.household(town.grid_b1, {"name": "外人", "birth_date": "1950-01-01", "sex": "M"})
    return Hall(
        town, council, meeting, commgov.Actor.resident("李秀英", home.id, person.id),
        commgov.Actor.resident("外人", away.id),
    )  # fmt: skip


@pytest.fixture
def hall(town: Town) -> Hall:
    return furnish(town)


def test_a_meeting_from_topics_to_closed_minutes_and_resolutions(hall: Hall) -> None:
    cg, admin = hall.cg, hall.town.admin
    raised = cg.meetings.propose(
        hall.resident, hall.council.id, title="楼道堆物", description="三楼"
    )
    wish = cg.meetings.propose(
        admin, hall.council.id, title="增设长椅", source="suggestion", source_ref=17
    )
    later = cg.meetings.propose(admin, hall.council.id, title="停车收费")
    assert (raised.source, raised.raised_by, wish.source_ref) == ("resident", "resident:李秀英", 17)
    for topic in (raised, wish, later):
        cg.meetings.accept(admin, topic.id, meeting_id=hall.meeting.id)
    assert cg.meetings.register(hall.resident, hall.meeting.id).registered == 1
    code = cg.meetings.get(admin, hall.meeting.id).code
    assert code is not None and cg.meetings.get(hall.resident, hall.meeting.id).code is None
    seen = cg.meetings.check_in(hall.resident, hall.meeting.id, code=code)
    assert (seen.how, seen.person) == ("code", f"resident:{hall.resident.resident_id}")
    worker = hall.town.worker(hall.town.grid_a1)
    people = [f"staff:{worker.staff_id}", f"resident:{hall.resident.resident_id}"]
    assert cg.meetings.record_attendance(admin, hall.meeting.id, people=people) == 1
    first = cg.meetings.resolve(
        admin, hall.meeting.id, topic_id=raised.id, text="一周内清理", follow_up="case",
        due_on=dt.date(2025, 6, 10),
    )  # fmt: skip
    task = cg.meetings.resolve(
        admin, hall.meeting.id, topic_id=wish.id, text="采购长椅两张", follow_up="task",
        owner_staff_id=worker.staff_id,
    )  # fmt: skip
    with pytest.raises(commgov.StateError, match="without its minutes"):
        cg.meetings.close(admin, hall.meeting.id)
    cg.meetings.record_minutes(
        admin, hall.meeting.id, summary="议题三项", topics={raised.id: "同意清理", wish.id: "同意"}
    )
    with pytest.raises(commgov.StateError, match="停车收费"):
        cg.meetings.close(admin, hall.meeting.id)  # every topic on the agenda needs a summary
    cg.meetings.record_minutes(
        admin, hall.meeting.id, summary="议题三项，两项议决",
        topics={raised.id: "同意清理", wish.id: "同意", later.id: "下次再议"},
    )  # fmt: skip
    closed = cg.meetings.close(admin, hall.meeting.id)
    assert (closed.state, closed.attended, [a.state for a in closed.agenda]) == (
        "closed", 2, ["decided", "decided", "proposed"]
    )  # fmt: skip
    assert cg.meetings.topics(admin, hall.council.id, state="proposed")[0].id == later.id
    linked = cg.meetings.link(admin, first.id, reference=4021)
    assert linked.reference == 4021
    hall.cg.context.clock = lambda: NOW + dt.timedelta(days=20)
    overdue = {r.id: r.overdue for r in cg.meetings.resolutions(admin, hall.council.id)}
    assert overdue == {first.id: True, task.id: False}
    cg.meetings.fulfil(admin, first.id, note="已清理")
    assert [r.id for r in cg.meetings.resolutions(admin, hall.council.id, open_only=True)] == [
        task.id
    ]


def test_capacity_and_registration(town: Town) -> None:
    hall = furnish(town, capacity=1)
    cg = hall.cg
    cg.meetings.register(hall.resident, hall.meeting.id)
    with pytest.raises(commgov.ConflictError, match="full"):
        cg.meetings.register(
            hall.town.worker(hall.town.community_a, "community_staff"), hall.meeting.id
        )
    with pytest.raises(commgov.PermissionDenied, match="lives elsewhere"):
        cg.meetings.register(hall.away, hall.meeting.id)


def test_checking_in_needs_the_code_and_the_time(hall: Hall) -> None:
    cg = hall.cg
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.meetings.check_in(hall.resident, hall.meeting.id, code="000000x")
    assert caught.value.field == "code"
    code = cg.meetings.get(hall.town.admin, hall.meeting.id).code
    assert code is not None
    cg.context.clock = lambda: END + dt.timedelta(minutes=1)
    with pytest.raises(commgov.StateError, match="check-ins"):
        cg.meetings.check_in(hall.resident, hall.meeting.id, code=code)
    assert all_counts(cg) == before


def test_topic_states_follow_their_moves(hall: Hall) -> None:
    cg, admin = hall.cg, hall.town.admin
    topic = cg.meetings.propose(admin, hall.council.id, title="噪音")
    cg.meetings.accept(admin, topic.id, meeting_id=hall.meeting.id)
    withdrawn = cg.meetings.withdraw(admin, topic.id, reason="已自行解决")
    assert (withdrawn.state, withdrawn.meeting_id, withdrawn.note) == (
        "withdrawn",
        None,
        "已自行解决",
    )
    assert cg.meetings.get(admin, hall.meeting.id).agenda == []
    with pytest.raises(commgov.StateError, match="withdrawn"):
        cg.meetings.accept(admin, topic.id, meeting_id=hall.meeting.id)
    other = cg.meetings.propose(admin, hall.council.id, title="物业费")
    assert cg.meetings.refer(admin, other.id, to="街道办").state == "referred"
    with pytest.raises(commgov.PermissionDenied):
        cg.meetings.propose(hall.away, hall.council.id, title="别处的事")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"mode": "radio"}, "mode"),
        ({"mode": "online", "link": None}, "link"),
        ({"mode": "in_person", "place": None}, "place"),
        ({"ends_at": START}, "ends_at"),
        ({"starts_at": dt.datetime(2025, 6, 1, 10)}, "starts_at"),  # no zone
        ({"capacity": 0}, "capacity"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_meeting_settings_change_nothing(
    hall: Hall, fields: dict[str, object], field: str
) -> None:
    given: dict[str, object] = {
        "title": "会", "starts_at": START, "ends_at": END, "mode": "in_person", "place": "室",
        "link": "https://x", **fields,
    }  # fmt: skip
    before = all_counts(hall.cg)
    with pytest.raises(commgov.ValidationError) as caught:
        hall.cg.meetings.schedule(hall.town.admin, hall.council.id, **given)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert all_counts(hall.cg) == before


@pytest.mark.parametrize(
    ("call", "field"),
    [
        ("attendance", "people[0]"),
        ("minutes", "topics"),
        ("task", "owner_department"),
        ("none_ref", "reference"),
        ("suggestion", "source_ref"),
        ("resident_staff_source", "source"),
    ],
)
def test_bad_input_to_a_meeting_names_the_field_and_changes_nothing(
    hall: Hall, call: str, field: str
) -> None:
    cg, admin, meeting = hall.cg, hall.town.admin, hall.meeting.id
    calls = {
        "attendance": lambda: cg.meetings.record_attendance(admin, meeting, people=["boss:1"]),
        "minutes": lambda: cg.meetings.record_minutes(
            admin, meeting, summary="s", topics={99: "x"}
        ),
        "task": lambda: cg.meetings.resolve(admin, meeting, text="t", follow_up="task"),
        "none_ref": lambda: cg.meetings.resolve(admin, meeting, text="t", reference=5),
        "suggestion": lambda: cg.meetings.propose(
            admin, hall.council.id, title="t", source="suggestion"
        ),
        "resident_staff_source": lambda: cg.meetings.propose(
            hall.resident, hall.council.id, title="t", source="staff"
        ),
    }
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError) as caught:
        calls[call]()
    assert caught.value.field == field
    assert all_counts(cg) == before


def test_unknown_people_and_departments_are_not_found_and_change_nothing(hall: Hall) -> None:
    cg, admin, meeting = hall.cg, hall.town.admin, hall.meeting.id
    before = all_counts(cg)
    with pytest.raises(commgov.NotFoundError, match="resident"):
        cg.meetings.record_attendance(admin, meeting, people=["resident:9999"])
    with pytest.raises(commgov.NotFoundError, match="department"):
        cg.meetings.resolve(admin, meeting, text="t", follow_up="task", owner_department="nope")
    assert all_counts(cg) == before


def test_a_plugin_that_refuses_a_closing_keeps_the_meeting_open(town: Town) -> None:
    class Refuses:
        commgov_plugin_name = "refuses_meetings"

        @commgov.hookimpl
        def commgov_meeting_closed(
            self, meeting: commgov.MeetingInfo, actor: commgov.Actor
        ) -> None:
            raise commgov.ValidationError("minutes", meeting.minutes, "too short for this town")

    name = town.cg.add_plugin(Refuses())
    town.cg.enable_plugins(town.admin, town.community_a, [name])
    hall = furnish(town)
    cg, admin = hall.cg, hall.town.admin
    cg.meetings.record_minutes(admin, hall.meeting.id, summary="短", topics={})
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError, match="too short"):
        cg.meetings.close(admin, hall.meeting.id)
    assert all_counts(cg) == before
    assert cg.meetings.get(admin, hall.meeting.id).state == "scheduled"


@pytest.mark.postgres
def test_registrations_never_exceed_capacity_under_concurrency(pg_url: str) -> None:
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW) as cg:
        town = build_town(cg)
        hall = furnish(town, capacity=10)
        homes = [
            town.household(
                town.grid_a1, {"name": f"居民{i}", "birth_date": "1970-01-01", "sex": "M"}
            )
            for i in range(24)
        ]
        start = threading.Barrier(len(homes))
        outcomes: list[str] = []

        def register(home: commgov.HouseholdView) -> None:
            start.wait()
            try:
                cg.meetings.register(commgov.Actor.resident("r", home.id), hall.meeting.id)
                outcomes.append("in")
            except commgov.ConflictError:
                outcomes.append("full")

        threads = [threading.Thread(target=register, args=(h,)) for h in homes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes).count("in") == 10 and len(outcomes) == 24
        assert cg.meetings.get(town.admin, hall.meeting.id).registered == 10
