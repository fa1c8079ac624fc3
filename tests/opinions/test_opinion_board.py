"""The board (民意感知器): a quantified issue list per community and month, checked against a
log computed by hand across the May/June and June/July boundaries in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import SECRET, build_town
from tests.opinions.conftest import Board, all_counts, furnish, local

import commgov
from commgov.opinions.views import BOARD_COLUMNS, CommunityBoard, TopicLine

LATER = dt.datetime(2025, 7, 20, 2, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def logged(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Board]:
    """The town with its log: visits in May, June and July, some of them taken further."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'board.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    with commgov.open(url, secret_key=SECRET, discover_plugins=False, clock=lambda: LATER) as cg:
        b = furnish(build_town(cg))
        a1, a2, b1 = b.a1.id, b.a2.id, b.b1.id

        def v(point: int, topic: str, when: dt.datetime, people: int = 1) -> dict[str, object]:
            return {"point_id": point, "topic": topic, "note": topic, "at": when, "people": people}

        may = [
            v(a1, "complaint.environment", local(2025, 5, 10)),
            v(a1, "complaint.environment", local(2025, 5, 10, 11)),
            v(a2, "complaint.environment", local(2025, 5, 20)),
            v(a1, "help.elderly", local(2025, 5, 31, 23, 30)),  # 15:30 UTC: still May
            v(a1, "help.printing", local(2025, 5, 3)),
            v(b1, "information.policy", local(2025, 5, 15)),
        ]
        june = [
            v(a1, "complaint.environment", local(2025, 6, 1, 0, 30)),  # 16:30 UTC on 31 May
            v(a2, "complaint.environment", local(2025, 6, 5)),
            v(a2, "complaint.environment", local(2025, 6, 5, 15), people=3),
            v(a1, "help.elderly", local(2025, 6, 10)),
            v(a1, "complaint.property", local(2025, 6, 12)),
            v(a2, "praise", local(2025, 6, 15)),
            v(a1, "information", local(2025, 6, 30, 16, 30)),
            v(a1, "suggestion", local(2025, 6, 20)),
            v(a2, "other", local(2025, 6, 21), people=2),
            v(b1, "information.policy", local(2025, 6, 2)),
            v(b1, "information.policy", local(2025, 6, 3)),
            v(b1, "complaint.safety", local(2025, 6, 4)),
        ]
        july = [v(a1, "suggestion", local(2025, 7, 1, 0, 10))]  # 16:10 UTC on 30 June
        visits = cg.opinions.log_many(b.town.admin, [*may, *june, *july])
        ids = {i: visit.id for i, visit in enumerate(visits)}
        first_june = len(may)
        cg.opinions.to_case(b.town.admin, ids[first_june + 1])  # a2 environment → case
        cg.opinions.to_case(b.town.admin, ids[0])  # a May visit: counts in May only
        cg.opinions.link(b.town.admin, ids[first_june + 4], wish_id=7)  # property → wish
        cg.opinions.link(b.town.admin, ids[first_june + 1], topic="council:1")
        cg.opinions.link(b.town.admin, ids[first_june + 2], topic="council:1")
        cg.opinions.retire_point(b.town.admin, a2, reason="并点")  # its log still counts
        yield b


def line(
    topic: str, visits: int, people: int, previous: int, ratio: float | None, **outcomes: int
) -> tuple[object, ...]:
    return (
        topic, visits, people, previous, visits - previous, ratio,
        outcomes.get("cases", 0), outcomes.get("wishes", 0), outcomes.get("council_topics", 0),
    )  # fmt: skip


def lines(community: CommunityBoard) -> list[tuple[object, ...]]:
    def row(x: TopicLine) -> tuple[object, ...]:
        return (
            x.topic,
            x.visits,
            x.people,
            x.previous,
            x.change,
            x.ratio,
            x.cases,
            x.wishes,
            x.council_topics,
        )

    return [row(x) for x in community.lines]


def test_the_town_board_for_june(logged: Board) -> None:
    cg, t = logged.cg, logged.town
    board = cg.opinions.board(t.admin, t.town, year=2025, month=6)
    assert (board.unit, board.year, board.month) == (t.town, 2025, 6)
    assert board.start == dt.datetime(2025, 5, 31, 16, tzinfo=dt.UTC)
    assert board.end == dt.datetime(2025, 6, 30, 16, tzinfo=dt.UTC)
    a, b = board.communities
    assert (a.community, a.name, b.community) == (t.community_a, "城关镇社区1", t.community_b)
    assert lines(a) == [
        line("complaint.environment", 3, 5, 3, 1.0, cases=1, council_topics=2),
        line("complaint.property", 1, 1, 0, None, wishes=1),
        line("help.elderly", 1, 1, 1, 1.0),
        line("information", 1, 1, 0, None),
        line("other", 1, 2, 0, None),
        line("praise", 1, 1, 0, None),
        line("suggestion", 1, 1, 0, None),
        line("help.printing", 0, 0, 1, 0.0),
    ]
    assert a.top_topics == [
        "complaint.environment", "complaint.property", "help.elderly", "information", "other"
    ]  # fmt: skip
    assert (a.visits, a.people, a.previous, a.change, a.ratio) == (9, 12, 5, 4, 1.8)
    assert (a.cases, a.wishes, a.council_topics) == (1, 1, 2)
    assert lines(b) == [
        line("information.policy", 2, 2, 1, 2.0),
        line("complaint.safety", 1, 1, 0, None),
    ]
    assert b.top_topics == ["information.policy", "complaint.safety"]
    assert (b.visits, b.previous, b.change, b.ratio, b.cases) == (3, 1, 2, 3.0, 0)
    labels = {x.topic: (x.label, x.kind) for x in a.lines}
    assert labels["complaint.property"] == ("物业管理 property management", "complaint")


def test_a_community_a_grid_and_the_next_month(logged: Board) -> None:
    cg, t = logged.cg, logged.town
    (a,) = cg.opinions.board(t.admin, t.community_a, year=2025, month=6).communities
    assert a == cg.opinions.board(t.admin, t.town, year=2025, month=6).communities[0]
    (grid,) = cg.opinions.board(logged.worker, t.grid_a1, year=2025, month=6).communities
    assert grid.community == t.community_a  # the grid's community, counting its own points
    assert (grid.visits, grid.previous) == (5, 4)
    assert lines(grid)[0] == line("complaint.environment", 1, 1, 2, 0.5)
    (may,) = cg.opinions.board(t.admin, t.community_a, year=2025, month=5).communities
    assert (may.visits, may.cases, may.previous, may.ratio) == (5, 1, 0, None)
    july = cg.opinions.board(t.admin, t.town, year=2025, month=7)
    assert [(c.visits, c.previous, c.change) for c in july.communities] == [(1, 9, -8), (0, 3, -3)]
    assert july.communities[0].top_topics == ["suggestion"]
    (quiet,) = cg.opinions.board(t.admin, t.community_b, year=2025, month=3).communities
    assert (quiet.visits, quiet.previous, quiet.ratio, quiet.lines, quiet.top_topics) == (
        0,
        0,
        None,
        [],
        [],
    )


def test_the_board_as_a_data_frame(logged: Board) -> None:
    cg, t = logged.cg, logged.town
    frame = cg.opinions.board_frame(t.admin, t.town, year=2025, month=6)
    assert list(frame.columns) == list(BOARD_COLUMNS)
    assert len(frame) == 10
    assert frame.groupby("community")["visits"].sum().to_dict() == {
        t.community_a: 9,
        t.community_b: 3,
    }
    top = frame[frame["top_rank"].notna()].sort_values(["community", "top_rank"])
    assert top["topic"].tolist()[:5] == [
        "complaint.environment", "complaint.property", "help.elderly", "information", "other"
    ]  # fmt: skip
    env = frame[(frame["community"] == t.community_a) & (frame["topic"] == "complaint.environment")]
    counted = ["visits", "previous", "change", "ratio", "cases", "council_topics"]
    assert env[counted].iloc[0].tolist() == [3, 3, 0, 1.0, 1, 2]
    assert frame[frame["topic"] == "complaint.safety"]["ratio"].isna().all()


def test_department_staff_read_the_board_and_bad_months_are_refused(logged: Board) -> None:
    cg, t = logged.cg, logged.town
    department = t.worker(t.town, "department_staff")
    assert cg.opinions.board(department, t.town, year=2025, month=6).communities[0].visits == 9
    before = all_counts(cg)
    for year, month, field in ((2025, 13, "month"), (2025, 0, "month"), (1800, 1, "year")):
        with pytest.raises(commgov.ValidationError) as caught:
            cg.opinions.board(t.admin, t.town, year=year, month=month)
        assert caught.value.field == field
    with pytest.raises(commgov.NotFoundError):
        cg.opinions.board(t.admin, "411425100009", year=2025, month=6)
    assert all_counts(cg) == before
