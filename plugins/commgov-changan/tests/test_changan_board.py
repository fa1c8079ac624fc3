"""The service point's opinion board (民意感知器) under Chang'an's topics, through cg.opinions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

import commgov
from commgov.testing import PluginTowns
from commgov_changan import plugin, vocab

BEIJING = dt.timezone(dt.timedelta(hours=8))


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=BEIJING)


def test_visits_at_a_service_point_make_the_communitys_issue_list(
    commgov_towns: Callable[..., PluginTowns],
) -> None:
    towns = commgov_towns(plugin)
    store, admin, town = towns.store, towns.admin, towns.plugin_town
    community, grid = towns.communities[town][0], towns.grids[town][0]
    worker = towns.add_staff(vocab.SOCIAL_WORKER, community)
    point = store.opinions.add_point(admin, unit=grid, name="霄边下洋小区群防群治服务点")
    known = {t.code: t.label for t in store.opinions.topics()}  # the core's and Chang'an's
    assert {"help.printing", "complaint.safety", "tip.fraud", "other.chat"} <= set(known)
    assert known["help"] == "求助 help given"  # the core's labels stay

    may = [("complaint.safety", 2), ("help.printing", 1)]
    june = [
        ("help.printing", 3),
        ("information.policy", 2),
        ("complaint.safety", 1),
        ("tip.fraud", 1),
        ("other.chat", 4),
        ("suggestion.security", 1),
    ]
    entries = [
        {"point_id": point.id, "topic": topic, "note": f"{topic} #{n}", "at": at(5, 10 + n)}
        for topic, count in may
        for n in range(count)
    ] + [
        {"point_id": point.id, "topic": topic, "note": f"{topic} #{n}", "at": at(6, 1 + n)}
        for topic, count in june
        for n in range(count)
    ]
    logged = store.opinions.log_many(worker, entries)
    assert len(logged) == 15
    tip = next(v for v in logged if v.topic == "tip.fraud")
    case = store.opinions.to_case(worker, tip.id, category="order")
    assert case.channel == "grid_visit"

    board = store.opinions.board(worker, community, year=2025, month=6)
    (line,) = board.communities
    assert (line.community, line.visits, line.previous, line.cases) == (community, 12, 3, 1)
    assert line.top_topics[:2] == ["other.chat", "help.printing"]
    by_topic = {t.topic: t for t in line.lines}
    assert (by_topic["help.printing"].visits, by_topic["help.printing"].previous) == (3, 1)
    assert by_topic["complaint.safety"].change == -1
    assert by_topic["tip.fraud"].label == "诈骗线索 fraud" and by_topic["tip.fraud"].cases == 1
    frame = store.opinions.board_frame(worker, community, year=2025, month=6)
    assert int(frame["visits"].sum()) == 12


def test_a_case_raised_at_the_point_is_referred_by_the_social_worker(
    commgov_towns: Callable[..., PluginTowns],
) -> None:
    towns = commgov_towns(plugin)
    store, admin, town = towns.store, towns.admin, towns.plugin_town
    community, grid = towns.communities[town][0], towns.grids[town][0]
    store.staff.add_department(
        admin, code="changan-police", name="派出所", kind="police", unit=town
    )
    worker = towns.add_staff(vocab.SOCIAL_WORKER, community)
    point = store.opinions.add_point(admin, unit=grid, name="服务点")
    visit = store.opinions.log(
        worker, point_id=point.id, topic="tip.suspicious", note="夜间有人撬锁"
    )
    case = store.opinions.to_case(worker, visit.id)
    store.cases.accept(worker, case.id)
    store.cases.triage(worker, case.id, category="order", owner_level="community")
    routed = store.cases.dispatch(worker, case.id)
    assert (routed.lead, routed.co_operators) == (f"staff:{worker.staff_id}", ("changan-police",))


def test_an_unknown_topic_is_refused(commgov_towns: Callable[..., PluginTowns]) -> None:
    towns = commgov_towns(plugin)
    grid = towns.grids[towns.plugin_town][0]
    point = towns.store.opinions.add_point(towns.admin, unit=grid, name="服务点")
    with pytest.raises(commgov.ValidationError) as error:
        towns.store.opinions.log(towns.admin, point_id=point.id, topic="tip.gossip", note="…")
    assert error.value.field == "topic"
