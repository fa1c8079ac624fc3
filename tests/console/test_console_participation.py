"""The participation pages over real HTTP, read-only: the micro-wish board (微心愿) and its
timetable, council meetings (议事会) with their agendas and vote results (表决), and a shared
resource's calendar (共享资源). Each shows what the services hold, only for the signed-in staff
member's units; a bad query is refused naming the field and the value, and changes nothing."""

from __future__ import annotations

import re

import httpx
import pytest
from tests.conftest import row_counts
from tests.console.people_fixtures import (
    BOOKED_DAY,
    People,
    console,
    main_text,
    people,
    signed_in,
    staff_key,
)

import commgov

__all__ = ["console", "people"]  # fixtures


def _client(people: People, console: str, actor: commgov.Actor) -> httpx.Client:
    client, _ = signed_in(console, staff_key(people.town, actor))
    return client


def _rows(page: httpx.Response, attribute: str) -> list[str]:
    """The values of ``data-<attribute>`` on the page, in order."""
    return re.findall(rf'data-{attribute}="([^"]+)"', page.text)


def test_the_wish_board_shows_the_wishes_of_the_workers_grid(people: People, console: str) -> None:
    cg, worker = people.cg, people.worker_a
    page = _client(people, console, worker).get("/wishes")
    assert page.status_code == 200
    held = {w.id for w in cg.wishes.under(worker, people.town.grid_a1)}
    assert {int(n) for n in _rows(page, "wish")} == held == {people.wish_a, people.idea_a}
    text = main_text(page)
    assert "修水龙头" in text and "办读书会" in text and "换灯泡" not in text
    assert "待认领 (2)" in text  # the board by state
    assert 'class="chart"' in page.text
    timetable = cg.wishes.timetable(worker, people.town.grid_a1)
    assert [int(n) for n in _rows(page, "timetable")] == [r.wish_id for r in timetable]
    assert f"{timetable[0].target.isoformat()} 立即实现 修水龙头" in text
    other = _client(people, console, people.worker_b).get("/wishes")
    assert [int(n) for n in _rows(other, "wish")] == [people.wish_b]
    assert "修水龙头" not in other.text


def test_a_town_administrator_sees_every_community(people: People, console: str) -> None:
    admin = people.town.worker(people.town.town, "town_admin")
    page = _client(people, console, admin).get("/wishes")
    assert {int(n) for n in _rows(page, "wish")} == {people.wish_a, people.idea_a, people.wish_b}
    councils = _client(people, console, admin).get("/councils")
    assert [int(n) for n in _rows(councils, "council")] == [people.council]


def test_the_board_by_one_state_and_one_unit(people: People, console: str) -> None:
    client = _client(people, console, people.worker_a)
    opened = client.get("/wishes", params={"state": "open", "unit": people.town.grid_a1})
    assert opened.status_code == 200 and len(_rows(opened, "wish")) == 2
    done = client.get("/wishes", params={"state": "fulfilled"})
    assert _rows(done, "wish") == [] and "这里还没有微心愿" in done.text
    english = client.get("/wishes", params={"lang": "en"})
    assert "open (2)" in main_text(english) and "want" in main_text(english)


def test_council_meetings_agendas_and_vote_results(people: People, console: str) -> None:
    cg, clerk = people.cg, people.clerk_a
    page = _client(people, console, clerk).get("/councils")
    assert page.status_code == 200
    assert [int(n) for n in _rows(page, "council")] == [people.council]
    assert [int(n) for n in _rows(page, "meeting")] == [people.meeting]
    text = main_text(page)
    meeting = cg.meetings.get(clerk, people.meeting)
    assert "下洋邻里议事会" in text and meeting.title in text
    assert "2025-07-01 17:00" in text  # its start in the store's zone
    assert "小区停车难 (已列入议程)" in text  # the agenda
    result = cg.votes.result(clerk, people.vote)
    assert result.outcome == "carried" and result.ballots == 2
    assert "小区停车改造方案" in text and "过半数通过" in text
    assert "人数: 达到" in text and "通过" in text and "同意: 2 (100%) ✓" in text
    english = _client(people, console, clerk).get("/councils", params={"lang": "en"})
    assert "simple majority" in english.text and "headcount: met" in main_text(english)


def test_a_grid_worker_sees_no_council_of_the_community(people: People, console: str) -> None:
    client = _client(people, console, people.worker_a)
    page = client.get("/councils")
    assert page.status_code == 200 and _rows(page, "council") == []
    assert "小区停车改造方案" not in page.text and "这里没有议事会" in page.text
    asked = client.get("/councils", params={"unit": people.town.community_a})
    assert asked.status_code == 404
    assert f"没有您可以查看的单元 {people.town.community_a}" in asked.text


def test_a_resource_calendar_day_by_day(people: People, console: str) -> None:
    cg, worker = people.cg, people.worker_a
    client = _client(people, console, worker)
    listed = client.get("/resources")
    assert [int(n) for n in _rows(listed, "listed")] == [people.room]  # not community B's gym
    start = BOOKED_DAY.replace(day=1)
    page = client.get(
        "/resources", params={"resource": people.room, "from": start.isoformat(), "days": "3"}
    )
    assert page.status_code == 200
    assert _rows(page, "day") == ["2025-07-01", "2025-07-02", "2025-07-03"]
    (booking,) = cg.resources.bookings(worker, resource_id=people.room, start=start, end=BOOKED_DAY)
    assert _rows(page, "booking") == [str(booking.id)]
    day = re.search(r'(?s)data-day="2025-07-02">(.*?)</tr>', page.text)
    assert day is not None
    shown = " ".join(re.sub(r"<[^>]+>", " ", day.group(1)).split())
    assert booking.booked_by == "resident:小张"  # as the service shows it to this worker
    assert "09:00–10:00 · 居民 小张 · 读书会 · 人数 1 · 已预约" in shown
    assert "星期三" in shown
    widest = client.get("/resources", params={"resource": people.room, "days": "366"})
    assert widest.status_code == 200 and len(_rows(widest, "day")) == 366


def test_another_communitys_resource_is_not_found(people: People, console: str) -> None:
    page = _client(people, console, people.worker_a).get(
        "/resources", params={"resource": people.gym}
    )
    assert page.status_code == 404
    assert f"没有您可以查看的编号为 {people.gym} 的资源" in page.text
    assert "健身房" not in page.text


@pytest.mark.parametrize(
    ("path", "params", "words"),
    [
        ("/resources", {"resource": "1", "days": "367"}, "天数（days）“367”有误：应为 1 到 366"),
        ("/resources", {"resource": "1", "days": "0"}, "天数（days）“0”有误"),
        ("/resources", {"resource": "1", "days": "a week"}, "天数（days）“a week”有误"),
        ("/resources", {"resource": "1", "from": "2025-7-1"}, "起始日期（from）“2025-7-1”有误"),
        ("/resources", {"resource": "room"}, "资源编号（resource）“room”有误"),
        ("/wishes", {"state": "done"}, "状态（state）“done”有误：应为以下之一"),
        ("/wishes", {"unit": "A1"}, "单元（unit）“A1”有误"),
        ("/councils", {"unit": "grid one"}, "单元（unit）“grid one”有误"),
    ],
)
def test_a_bad_query_is_refused_naming_the_field_and_changes_nothing(
    people: People, console: str, path: str, params: dict[str, str], words: str
) -> None:
    client = _client(people, console, people.clerk_a)
    before = row_counts(people.cg)
    page = client.get(path, params=params)
    assert page.status_code == 422, page.text
    assert words in page.text and "Traceback" not in page.text
    assert _rows(page, "day") == [] and _rows(page, "wish") == [] and _rows(page, "council") == []
    assert row_counts(people.cg) == before


def test_an_unknown_unit_is_not_found(people: People, console: str) -> None:
    page = _client(people, console, people.clerk_a).get("/wishes", params={"unit": "999"})
    assert page.status_code == 404 and "没有您可以查看的单元 999" in page.text
