"""The visit log: every visit and conversation at a point, with its topic; personal data masked
on read; bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import NOW
from tests.opinions.conftest import Board, all_counts, local

import commgov
from commgov.opinions.model.limits import NOTE_MAX
from commgov.opinions.model.values import VisitEntry


def test_a_visit_is_logged_with_its_topic(any_board: Board) -> None:
    b = any_board
    cg = b.cg
    visit = cg.opinions.log(
        b.worker,
        point_id=b.a1.id,
        topic="information.policy",
        note="咨询医保报销政策",
        at=local(2025, 6, 30, 9),
        resident_id=b.resident_id,
        people=2,
    )
    assert (visit.point_id, visit.point_name, visit.unit_code) == (
        b.a1.id, "下洋小区服务点", b.town.grid_a1
    )  # fmt: skip
    assert (visit.topic, visit.note, visit.people) == ("information.policy", "咨询医保报销政策", 2)
    assert visit.at == dt.datetime(2025, 6, 30, 1, tzinfo=dt.UTC)
    assert visit.resident_name == "李秀英" and visit.personal_visible
    assert visit.actor == b.worker.label()
    assert (visit.case_id, visit.wish_id, visit.council_topic) == (None, None, None)
    now = cg.opinions.log(b.worker, point_id=b.a1.id, topic="help.printing", note="打印租房合同")
    assert now.at == NOW and now.resident_id is None and now.resident_name is None
    assert cg.opinions.visit(b.worker, visit.id) == visit
    found = cg.opinions.visits(b.town.admin, b.town.town)
    assert [v.id for v in found] == [visit.id, now.id]


def test_log_many_writes_all_or_nothing(any_board: Board) -> None:
    b = any_board
    cg = b.cg
    good = [
        VisitEntry(point_id=b.a1.id, topic="help.elderly", note="代缴水电费", at=local(2025, 6, 2)),
        {"point_id": b.a2.id, "topic": "complaint.property", "note": "电梯停运", "people": 5},
    ]
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.log_many(
            b.community_worker, [*good, {"point_id": 999, "topic": "help", "note": "x"}]
        )
    assert (caught.value.field, caught.value.value) == ("visits[2].point_id", 999)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.log_many(
            b.community_worker, [*good, {"point_id": b.a1.id, "topic": "gripe", "note": "x"}]
        )
    assert caught.value.field == "visits[2].topic"
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.log_many(
            b.community_worker,
            [*good, {"point_id": b.a1.id, "topic": "help", "note": "x", "resident_id": 999}],
        )
    assert caught.value.field == "visits[2].resident_id"
    with pytest.raises(commgov.PermissionDenied):  # b1 is out of the community worker's reach
        cg.opinions.log_many(
            b.community_worker, [*good, {"point_id": b.b1.id, "topic": "help", "note": "x"}]
        )
    assert all_counts(cg) == before
    logged = cg.opinions.log_many(b.community_worker, good)
    assert [(v.unit_code, v.topic, v.people) for v in logged] == [
        (b.town.grid_a1, "help.elderly", 1), (b.town.grid_a2, "complaint.property", 5)
    ]  # fmt: skip
    assert cg.opinions.log_many(b.community_worker, []) == []


def test_the_log_is_filtered_by_unit_time_topic_and_point(board: Board) -> None:
    cg, t = board.cg, board.town
    cg.opinions.log_many(
        t.admin,
        [
            {"point_id": board.a1.id, "topic": "complaint", "note": "1", "at": local(2025, 6, 1)},
            {
                "point_id": board.a2.id,
                "topic": "complaint.environment",
                "note": "2",
                "at": local(2025, 6, 2),
            },
            {
                "point_id": board.b1.id,
                "topic": "complaint.property",
                "note": "3",
                "at": local(2025, 6, 3),
            },
            {"point_id": board.a1.id, "topic": "praise", "note": "4", "at": local(2025, 6, 4)},
        ],
    )
    notes = lambda found: [v.note for v in found]  # noqa: E731
    assert notes(cg.opinions.visits(t.admin, t.community_a)) == ["1", "2", "4"]
    assert notes(cg.opinions.visits(t.admin, t.town, topic="complaint")) == ["1", "2", "3"]
    between = cg.opinions.visits(t.admin, t.town, since=local(2025, 6, 2), until=local(2025, 6, 4))
    assert notes(between) == ["2", "3"]
    assert notes(cg.opinions.visits(t.admin, t.town, point_id=board.a1.id)) == ["1", "4"]
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.visits(t.admin, t.town, topic="complaint.noise")
    assert caught.value.field == "topic"


def test_personal_data_is_masked_unless_the_reader_may_see_it(board: Board) -> None:
    cg, t = board.cg, board.town
    visit = cg.opinions.log(
        board.worker,
        point_id=board.a1.id,
        topic="help.elderly",
        note="上门送药",
        resident_id=board.resident_id,
    )
    department = t.worker(t.town, "department_staff")  # reads, without read_personal
    seen = cg.opinions.visit(department, visit.id)
    assert seen.resident_name == "李**" and not seen.personal_visible
    assert [v.resident_name for v in cg.opinions.visits(department, t.community_a)] == ["李**"]
    assert cg.opinions.visit(board.community_worker, visit.id).resident_name == "李秀英"
    assert "李秀英" not in repr(cg.opinions.visit(board.community_worker, visit.id))
    # the resident came to a point outside their grid: a worker there sees the name masked
    worker_a2 = t.worker(t.grid_a2)
    elsewhere = cg.opinions.log(
        worker_a2,
        point_id=board.a2.id,
        topic="information",
        note="问路",
        resident_id=board.resident_id,
    )
    assert elsewhere.resident_name == "李**"


def test_residents_and_staff_out_of_reach_have_no_access_to_the_log(board: Board) -> None:
    cg, t = board.cg, board.town
    visit = cg.opinions.log(board.worker, point_id=board.a1.id, topic="praise", note="感谢")
    resident = commgov.Actor.resident("李秀英", board.household_id)
    worker_b = t.worker(t.grid_b1)
    department = t.worker(t.town, "department_staff")
    before = all_counts(cg)
    for actor in (resident, worker_b):
        with pytest.raises(commgov.PermissionDenied):
            cg.opinions.log(actor, point_id=board.a1.id, topic="praise", note="x")
        with pytest.raises(commgov.PermissionDenied):
            cg.opinions.visit(actor, visit.id)
        with pytest.raises(commgov.PermissionDenied):
            cg.opinions.visits(actor, t.grid_a1)
        with pytest.raises(commgov.PermissionDenied):
            cg.opinions.board(actor, t.grid_a1, year=2025, month=6)
    with pytest.raises(commgov.PermissionDenied):
        cg.opinions.log(department, point_id=board.a1.id, topic="praise", note="x")
    assert all_counts(cg) == before


@pytest.mark.parametrize(
    ("fields", "field", "value"),
    [
        ({"topic": "complaint.noise"}, "topic", "complaint.noise"),
        ({"note": "长" * (NOTE_MAX + 1)}, "note", None),
        ({"note": ""}, "note", ""),
        ({"at": NOW + dt.timedelta(days=1)}, "at", NOW + dt.timedelta(days=1)),
        ({"people": 0}, "people", 0),
        ({"resident_id": 999}, "resident_id", 999),
        ({"point_id": 999}, "point_id", 999),
    ],
)
def test_bad_input_names_field_and_value_and_writes_nothing(
    board: Board, fields: dict[str, object], field: str, value: object
) -> None:
    cg = board.cg
    given: dict[str, object] = {"point_id": board.a1.id, "topic": "help", "note": "x", **fields}
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.log(board.worker, **given)  # type: ignore[arg-type]
    assert caught.value.field == field
    if value is not None:
        assert caught.value.value == value
    assert all_counts(cg) == before


def test_a_retired_point_takes_no_visits(board: Board) -> None:
    cg = board.cg
    cg.opinions.retire_point(board.town.admin, board.a1.id, reason="搬迁")
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.log(
            board.worker, point_id=board.a1.id, topic="help", note="x", at=local(2025, 6, 1)
        )
    assert (caught.value.field, caught.value.value) == ("point_id", board.a1.id)
    assert "retired" in caught.value.reason
    assert all_counts(cg) == before
