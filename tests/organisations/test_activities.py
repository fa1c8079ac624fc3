"""Activities through ``cg.activities``: sign-ups within the places and a waiting list,
attendance that pays points and time-bank minutes once, corrections that reverse it, and the
statistics per organisation and unit."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.organisations.conftest import END, START, Club, organisation_rows

import commgov


def points(club: Club, rid: int) -> int:
    found = club.cg.points.balance(club.admin, rid)
    return 0 if found is None else found.balance


def minutes(club: Club, rid: int) -> int:
    return club.cg.timebank.person(club.admin, rid).held


def test_places_then_a_waiting_list_and_a_withdrawal_gives_the_place_on(club: Club) -> None:
    cg = club.cg
    activity = club.activity(places=2)
    states = [cg.activities.sign_up(a, activity.id).state for a in club.actors[1:5]]
    assert states == ["signed", "signed", "waiting", "waiting"]
    now = cg.activities.get(club.admin, activity.id)
    assert (now.signed, now.waiting) == (2, 2)
    cg.activities.withdraw(club.actors[1], activity.id)
    by_id = {s.resident_id: s for s in cg.activities.signups(club.admin, activity.id)}
    assert by_id[club.residents[3]].state == "signed"  # the first on the waiting list
    assert (by_id[club.residents[4]].state, by_id[club.residents[4]].position) == ("waiting", 1)
    assert by_id[club.residents[1]].state == "withdrawn"
    again = cg.activities.sign_up(club.actors[1], activity.id)  # back, at the end of the queue
    assert (again.state, again.position) == ("waiting", 2)


def test_signing_up_twice_is_refused_and_changes_nothing(club: Club) -> None:
    activity = club.activity()
    club.cg.activities.sign_up(club.actors[1], activity.id)
    before = organisation_rows(club.cg)
    with pytest.raises(commgov.ConflictError, match="already signed up"):
        club.cg.activities.sign_up(club.actors[1], activity.id)
    assert organisation_rows(club.cg) == before


def test_attendance_pays_points_and_minutes_once(club: Club) -> None:
    cg = club.cg
    activity = club.activity()
    for actor in club.actors[1:4]:
        cg.activities.sign_up(actor, activity.id)
    club.clock.now = END
    came, missed = club.residents[1:3], club.residents[3]
    cg.activities.take_attendance(club.leader, activity.id, present=came, absent=[missed])
    rule = cg.points.table(club.town.community_a)["volunteer"]
    hours = (END - START) // dt.timedelta(hours=1)
    assert [points(club, r) for r in club.residents[1:4]] == [rule.points * hours] * 2 + [0]
    assert [minutes(club, r) for r in club.residents[1:4]] == [activity.minutes] * 2 + [0]
    # taken again (a clerk re-submits the register): nobody is paid twice
    cg.activities.take_attendance(club.leader, activity.id, present=came)
    assert [points(club, r) for r in came] == [rule.points * hours] * 2
    assert [minutes(club, r) for r in came] == [activity.minutes] * 2


def test_a_corrected_attendance_reverses_the_payment_and_a_new_mark_pays_again(club: Club) -> None:
    cg = club.cg
    activity = club.activity()
    rid = club.residents[1]
    cg.activities.sign_up(club.actors[1], activity.id)
    club.clock.now = END
    cg.activities.take_attendance(club.leader, activity.id, present=[rid])
    paid = points(club, rid)
    assert paid > 0
    (undone,) = cg.activities.take_attendance(club.leader, activity.id, absent=[rid])
    assert (undone.attended, undone.points, undone.minutes) == (False, 0, 0)
    assert (points(club, rid), minutes(club, rid)) == (0, 0)
    cg.activities.take_attendance(club.leader, activity.id, present=[rid])
    assert (points(club, rid), minutes(club, rid)) == (paid, activity.minutes)
    books = cg.ledger.books(club.admin, "points")  # paid, taken back, paid: 3 postings
    assert books["debits_posted"] == books["credits_posted"] == 3 * paid


@pytest.mark.parametrize(
    ("field", "who", "words"),
    [
        ("present", 5, "not signed up"),
        ("absent", 4, "waiting, holds no place"),
    ],
)
def test_attendance_for_someone_without_a_place_is_refused_whole(
    club: Club, field: str, who: int, words: str
) -> None:
    cg = club.cg
    activity = club.activity(places=2)
    for actor in club.actors[1:5]:
        cg.activities.sign_up(actor, activity.id)
    club.clock.now = END
    before = organisation_rows(cg)
    register = {"present": [club.residents[1]], "absent": []}
    register[field] = [*register[field], club.residents[who]]
    with pytest.raises(commgov.ValidationError) as caught:
        cg.activities.take_attendance(club.leader, activity.id, **register)
    assert (caught.value.field, caught.value.value) == (field, club.residents[who])
    assert words in str(caught.value)
    assert organisation_rows(cg) == before  # the good name in the register was not paid either
    assert points(club, club.residents[1]) == 0


def test_attendance_waits_for_the_activity_and_sign_ups_close_when_it_begins(club: Club) -> None:
    cg = club.cg
    activity = club.activity()
    cg.activities.sign_up(club.actors[1], activity.id)
    with pytest.raises(commgov.StateError, match="has not begun"):
        cg.activities.take_attendance(club.leader, activity.id, present=[club.residents[1]])
    club.clock.now = START
    with pytest.raises(commgov.StateError, match="has begun"):
        cg.activities.sign_up(club.actors[2], activity.id)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("title", " ", "must not be empty"),
        ("places", 0, "whole number"),
        ("ends_at", START, "must come after"),
        ("points_activity", "dancing", "not in this town's points table"),
        ("unit", "411425100002001", None),
    ],
)
def test_bad_activities_are_refused_naming_the_field(
    club: Club, field: str, value: object, reason: str | None
) -> None:
    before = organisation_rows(club.cg)
    fields: dict[str, object] = {field: value}
    if field == "unit":  # community b's grid is served by the team: allowed
        assert club.activity(**fields).unit_code == value
        return
    with pytest.raises(commgov.ValidationError) as caught:
        club.activity(**fields)
    assert caught.value.field == field
    assert reason is not None and reason in str(caught.value)
    assert organisation_rows(club.cg) == before


def test_an_activity_elsewhere_is_refused(club: Club) -> None:
    other = club.cg.grids.create(
        club.admin, parent=club.town.town, code="411425100003", name="第三社区", kind="community"
    )
    with pytest.raises(commgov.ValidationError) as caught:
        club.activity(unit=other.code)
    assert (caught.value.field, caught.value.value) == ("unit", other.code)


def test_a_resident_who_does_not_lead_cannot_publish_or_take_attendance(club: Club) -> None:
    cg = club.cg
    with pytest.raises(commgov.PermissionDenied):
        cg.activities.publish(
            club.actors[1], organisation_id=club.team.id, title="x", kind="x",
            starts_at=START, ends_at=END, places=1,
        )  # fmt: skip
    activity = club.activity()
    cg.activities.sign_up(club.actors[1], activity.id)
    club.clock.now = END
    with pytest.raises(commgov.PermissionDenied):
        cg.activities.take_attendance(club.actors[1], activity.id, present=[club.residents[1]])


def test_statistics_per_organisation_and_unit(club: Club) -> None:
    cg = club.cg
    first = club.activity()
    second = club.activity(unit=club.town.grid_b1)
    club.activity(title="取消的活动").id  # noqa: B018
    cancelled = cg.activities.find(club.admin, organisation_id=club.team.id)[-1]
    cg.activities.cancel(club.leader, cancelled.id, reason="下雨")
    for actor in club.actors[1:4]:
        cg.activities.sign_up(actor, first.id)
    for actor in club.actors[2:4]:
        cg.activities.sign_up(actor, second.id)
    club.clock.now = END
    cg.activities.take_attendance(club.leader, first.id, present=club.residents[1:4])
    cg.activities.take_attendance(club.leader, second.id, present=club.residents[2:4])
    day = START.date()
    frame = cg.activities.statistics(
        club.admin, unit=club.town.town, start=day, end=day + dt.timedelta(days=1)
    )
    row = frame.set_index("organisation_id").loc[club.team.id]
    hours = (END - START) / dt.timedelta(hours=1)
    assert (row.activities, row.participants, row.volunteers) == (2, 5, 3)
    assert row.hours == pytest.approx(5 * hours)
    by_unit = cg.activities.statistics_by_unit(
        club.admin, unit=club.town.town, start=day, end=day + dt.timedelta(days=1)
    ).set_index("unit")
    assert by_unit.loc[club.town.community_a, "participants"] == 3
    assert by_unit.loc[club.town.grid_b1, "volunteers"] == 2
    assert (
        cg.activities.volunteers(
            club.admin, unit=club.town.town, start=day, end=day + dt.timedelta(days=1)
        )
        == 3
    )
    assert cg.activities.volunteers(
        club.admin, unit=club.town.town, start=day + dt.timedelta(days=1),
        end=day + dt.timedelta(days=2),
    ) == 0  # fmt: skip


@pytest.mark.parametrize("reason", ["died", "moved_out"])
def test_a_resident_who_leaves_gives_up_their_place_and_memberships(
    club: Club, reason: str
) -> None:
    cg = club.cg
    activity = club.activity(places=1)
    cg.activities.sign_up(club.actors[1], activity.id)
    cg.activities.sign_up(club.actors[2], activity.id)
    cg.organisations.add_member(club.admin, club.team.id, resident_id=club.residents[1])
    cg.residents.leave(club.admin, club.residents[1], reason=reason)  # type: ignore[arg-type]
    by_id = {s.resident_id: s.state for s in cg.activities.signups(club.admin, activity.id)}
    assert by_id == {club.residents[1]: "withdrawn", club.residents[2]: "signed"}
    members = {m.resident_id for m in cg.organisations.members(club.admin, club.team.id)}
    assert club.residents[1] not in members


def test_a_merged_record_hands_its_sign_ups_to_the_kept_one(club: Club) -> None:
    cg = club.cg
    activity = club.activity()
    cg.activities.sign_up(club.actors[1], activity.id)
    cg.residents.merge(club.admin, club.residents[1], into=club.residents[3])
    (signup,) = cg.activities.signups(club.admin, activity.id)
    assert (signup.resident_id, signup.state) == (club.residents[3], "signed")
