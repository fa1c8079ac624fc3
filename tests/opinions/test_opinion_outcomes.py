"""What visits became: a case through the case loop, a micro-wish, a council topic; each at
most once per visit, also under concurrent calls."""

from __future__ import annotations

import threading

import pytest
from tests.conftest import SECRET, build_town
from tests.opinions.conftest import Board, all_counts, furnish, local

import commgov


def test_a_visit_becomes_a_case_in_the_points_grid(any_board: Board) -> None:
    b = any_board
    cg = b.cg
    visit = cg.opinions.log(
        b.worker,
        point_id=b.a1.id,
        topic="complaint.environment",
        note="垃圾站异味",
        resident_id=b.resident_id,
    )
    case = cg.opinions.to_case(b.worker, visit.id, category="environment")
    assert (case.channel, case.unit_code, case.text, case.category) == (
        "grid_visit", b.town.grid_a1, "垃圾站异味", "environment"
    )  # fmt: skip
    assert case.number.endswith("000001") and case.state == "reported"
    assert cg.opinions.visit(b.worker, visit.id).case_id == case.id
    assert cg.cases.get(b.worker, case.id).id == case.id
    before = all_counts(cg)
    with pytest.raises(
        commgov.ConflictError, match=f"visit_id={visit.id}: already became case {case.id}"
    ):
        cg.opinions.to_case(b.worker, visit.id)
    assert all_counts(cg) == before


def test_the_case_text_may_be_given_and_is_checked(board: Board) -> None:
    cg = board.cg
    staff = board.community_worker
    visit = cg.opinions.log(staff, point_id=board.a2.id, topic="complaint", note="反映问题")
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.to_case(staff, visit.id, category="noise")
    assert (caught.value.field, caught.value.value) == ("category", "noise")
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.to_case(staff, visit.id, text="   ")
    assert caught.value.field == "text"
    with pytest.raises(commgov.NotFoundError):
        cg.opinions.to_case(staff, 999)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.to_case(staff, "1")  # type: ignore[arg-type]
    assert caught.value.field == "visit_id"
    assert all_counts(cg) == before
    case = cg.opinions.to_case(staff, visit.id, text="上沙3栋楼道灯不亮")
    assert case.text == "上沙3栋楼道灯不亮" and case.unit_code == board.town.grid_a2


def test_a_resident_from_another_grid_does_not_stop_the_case(board: Board) -> None:
    cg = board.cg
    worker_a2 = board.town.worker(board.town.grid_a2)
    visit = cg.opinions.log(
        worker_a2,
        point_id=board.a2.id,
        topic="complaint",
        note="路灯坏了",
        resident_id=board.resident_id,
    )
    assert cg.opinions.to_case(worker_a2, visit.id).unit_code == board.town.grid_a2


def test_a_visit_links_to_one_wish_and_one_council_topic(any_board: Board) -> None:
    b = any_board
    cg = b.cg
    visit = cg.opinions.log(
        b.worker, point_id=b.a1.id, topic="suggestion", note="想要一个儿童游乐区"
    )
    linked = cg.opinions.link(b.worker, visit.id, wish_id=12)
    assert (linked.wish_id, linked.council_topic) == (12, None)
    linked = cg.opinions.link(b.worker, visit.id, topic="council:3")
    assert (linked.wish_id, linked.council_topic) == (12, "council:3")
    before = all_counts(cg)
    assert cg.opinions.link(b.worker, visit.id, wish_id=12, topic="council:3") == linked  # no-op
    with pytest.raises(
        commgov.ConflictError, match=r"wish_id=13: visit \d+ already became wish_id 12"
    ):
        cg.opinions.link(b.worker, visit.id, wish_id=13)
    with pytest.raises(commgov.ConflictError, match="already became topic 'council:3'"):
        cg.opinions.link(b.worker, visit.id, topic="council:4")
    assert all_counts(cg) == before
    second = cg.opinions.log(b.worker, point_id=b.a1.id, topic="suggestion", note="加装电梯")
    cg.opinions.link(b.worker, second.id, topic="council:3")  # many visits, one council topic
    before = all_counts(cg)
    with pytest.raises(commgov.ConflictError):  # a new wish with a conflicting topic: neither
        cg.opinions.link(b.worker, second.id, wish_id=14, topic="council:9")
    assert all_counts(cg) == before
    assert cg.opinions.visit(b.worker, second.id).wish_id is None


@pytest.mark.parametrize(
    ("wish_id", "topic", "field"),
    [(None, None, "wish_id"), (0, None, "wish_id"), (True, None, "wish_id"), (None, " ", "wish_id"),
     (None, "t" * 121, "topic"), (None, 5, "topic")],
)  # fmt: skip
def test_bad_links_name_their_field(
    board: Board, wish_id: object, topic: object, field: str
) -> None:
    cg = board.cg
    visit = cg.opinions.log(board.worker, point_id=board.a1.id, topic="suggestion", note="x")
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.link(board.worker, visit.id, wish_id=wish_id, topic=topic)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert all_counts(cg) == before


def test_linking_needs_write_within_reach(board: Board) -> None:
    cg, t = board.cg, board.town
    visit = cg.opinions.log(board.worker, point_id=board.a1.id, topic="suggestion", note="x")
    department = t.worker(t.town, "department_staff")
    before = all_counts(cg)
    with pytest.raises(commgov.PermissionDenied):
        cg.opinions.link(department, visit.id, wish_id=1)
    worker_b = t.worker(t.grid_b1)
    before = all_counts(cg)
    for actor in (department, worker_b):
        with pytest.raises(commgov.PermissionDenied):
            cg.opinions.to_case(actor, visit.id)
    with pytest.raises(commgov.PermissionDenied):
        cg.opinions.link(worker_b, visit.id, topic="council:1")
    assert all_counts(cg) == before


def test_concurrent_calls_make_one_case_per_visit(pg_url: str) -> None:
    with commgov.open(
        pg_url, secret_key=SECRET, discover_plugins=False, clock=lambda: local(2025, 6, 30)
    ) as cg:
        b = furnish(build_town(cg))
        visit = cg.opinions.log(b.worker, point_id=b.a1.id, topic="complaint", note="井盖缺失")
        before = all_counts(cg)
        start = threading.Barrier(8)
        made: list[int] = []
        refused: list[Exception] = []

        def race() -> None:
            start.wait()
            try:
                made.append(cg.opinions.to_case(b.worker, visit.id).id)
            except commgov.ConflictError as exc:
                refused.append(exc)

        threads = [threading.Thread(target=race) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(made) == 1 and len(refused) == 7
        assert cg.opinions.visit(b.worker, visit.id).case_id == made[0]
        after = all_counts(cg)
        assert after["cases"] == before["cases"] + 1
        assert after["opinion_visits"] == before["opinion_visits"]
