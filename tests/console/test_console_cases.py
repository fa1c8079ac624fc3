"""The case board and a case's page over real HTTP: a grid worker sees only their grid's cases,
a section per state in the loop's order, overdue ones marked 超期; the filters narrow the board
and a bad one is named (422) and changes nothing; a case's page shows its fields with the phone
masked, its timeline in the store's time zone and only the steps open now, as forms; a form
without its token, a step the state refuses and bad fields change nothing; another grid's
case is not found."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from tests.conftest import row_counts
from tests.console.cases_fixtures import (
    Loop,
    alert,
    board_numbers,
    csrf,
    offered,
    open_loop,
    overdue_numbers,
    sections,
)

from commgov.api.console.i18n import catalogue
from commgov.api.console.pages import TEMPLATES
from commgov.cases.model.vocab import (
    LEVELS,
    RATING_RANGE,
    REJECT_KINDS,
    SEVERITIES,
    Action,
    State,
)
from commgov.cases.views import CaseView

LOOP_ORDER = [
    "reported",
    "accepted",
    "triaged",
    "dispatched",
    "in_progress",
    "resolved",
    "informed",
    "visited",
    "closed",
    "rejected",
    "withdrawn",
    "merged",
]


@pytest.fixture
def loop() -> Iterator[Loop]:
    with open_loop() as made:
        yield made


def _unchanged(loop: Loop, case: CaseView) -> tuple[object, ...]:
    """What a refused request must leave as it was: the rows, the case and its history."""
    admin = loop.town.admin
    now = loop.cg.cases.get(admin, case.id)
    return row_counts(loop.cg), now.state, now.version, len(loop.cg.cases.history(admin, case.id))


def test_the_board_shows_the_workers_grid_by_state(loop: Loop) -> None:
    town = loop.town
    mine = loop.report(town.grid_a1, "楼道灯坏了")
    other = loop.report(town.grid_b1, "井盖松动")
    accepted = loop.report(town.grid_a1, "垃圾清运不及时")
    worker = town.worker(town.grid_a1)
    loop.cg.cases.accept(worker, accepted.id)
    client = loop.client(worker)
    board = client.get("/cases")
    assert board.status_code == 200 and "诉求看板" in board.text
    assert sections(board) == LOOP_ORDER
    assert board_numbers(board) == {mine.number, accepted.number}  # not grid b1's
    assert other.number not in board.text
    reported = board.text.split('data-state="reported"')[1].split("<section")[0]
    assert mine.number in reported and accepted.number not in reported
    assert f'href="/console/cases/{mine.id}"' in board.text
    assert "Case board" in client.get("/cases", params={"lang": "en"}).text


def test_overdue_cases_are_marked_in_words(loop: Loop) -> None:
    town = loop.town
    late = loop.report(town.grid_a1, "路面塌陷")
    loop.clock.advance(hours=25)  # past the 24 h to respond
    fresh = loop.report(town.grid_a1, "噪音扰民")
    client = loop.client(town.worker(town.grid_a1))
    board = client.get("/cases")
    assert overdue_numbers(board) == {late.number}
    row = board.text.split(f'data-case="{late.number}"')[1].split("</tr>")[0]
    assert "超期" in row
    fresh_row = board.text.split(f'data-case="{fresh.number}"')[1].split("</tr>")[0]
    assert "超期" not in fresh_row
    page = client.get(f"/cases/{late.id}")
    assert "超期" in page.text


def test_each_filter_narrows_the_board(loop: Loop) -> None:
    town = loop.town
    lamp = loop.report(town.grid_a1, "路灯不亮", category="facilities")
    quarrel = loop.report(town.grid_a2, "邻里争吵", category="dispute.neighbour")
    worker = town.worker(town.grid_a1)
    call = loop.cg.cases.report(worker, text="热线来电", channel="hotline", unit=town.grid_a1)
    staff = town.worker(town.community_a, "community_staff")
    client = loop.client(staff)
    everything = board_numbers(client.get("/cases"))
    assert everything == {lamp.number, quarrel.number, call.number}
    by_unit = client.get("/cases", params={"unit": town.grid_a2})
    assert by_unit.status_code == 200 and board_numbers(by_unit) == {quarrel.number}
    by_category = client.get("/cases", params={"category": "dispute"})  # and those below it
    assert board_numbers(by_category) == {quarrel.number}
    by_channel = client.get("/cases", params={"channel": "hotline"})
    assert board_numbers(by_channel) == {call.number}
    both = client.get("/cases", params={"unit": town.grid_a1, "channel": "resident"})
    assert board_numbers(both) == {lamp.number}
    assert '<option value="hotline" selected>' in by_channel.text  # the choice stays


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"unit": "411425100002001"}, ["单元", "411425100002001"]),  # another community
        ({"unit": "nowhere"}, ["单元", "nowhere"]),
        ({"category": "nonsense"}, ["类别", "nonsense"]),
        ({"channel": "fax"}, ["渠道", "fax"]),
        ({"state": "lost"}, ["状态", "lost"]),
        ({"state": "reported", "after": "x1"}, ["起始编号", "x1"]),
    ],
)
def test_a_bad_filter_is_named_and_changes_nothing(
    loop: Loop, params: dict[str, str], words: list[str]
) -> None:
    town = loop.town
    case = loop.report(town.grid_a1, "楼顶漏水")
    client = loop.client(town.worker(town.community_a, "community_staff"))
    before = _unchanged(loop, case)
    answer = client.get("/cases", params=params)
    assert answer.status_code == 422 and "text/html" in answer.headers["content-type"]
    message = alert(answer)
    assert all(word in message for word in words), message
    assert "Traceback" not in answer.text and case.number not in board_numbers(answer)
    assert _unchanged(loop, case) == before


def test_the_board_pages_on_past_two_hundred_cases(loop: Loop) -> None:
    town = loop.town
    worker = town.worker(town.grid_a1)
    reports = [
        {"text": f"走访发现 {i}", "channel": "grid_visit", "unit": town.grid_a1} for i in range(201)
    ]
    ids = loop.cg.cases.report_many(worker, reports)
    client = loop.client(worker)
    board = client.get("/cases")
    shown = board.text.split('data-state="reported"')[1].split("<section")[0]
    assert shown.count('<tr class="case') == 200
    more = re.search(r'<a href="/console/cases\?([^"]+)">更多诉求</a>', board.text)
    assert more is not None
    rest = client.get(f"/cases?{more.group(1).replace('&amp;', '&')}")
    assert rest.status_code == 200 and sections(rest) == ["reported"]
    last = loop.cg.cases.get(worker, ids[-1]).number
    assert board_numbers(rest) == {last}


def test_the_case_page_shows_fields_timeline_and_open_steps(loop: Loop) -> None:
    town = loop.town
    case = loop.report(
        town.grid_a1, "小区门口积水", reporter_phone="13812345678", address="文化路 8 号"
    )
    worker = town.worker(town.grid_a1)
    client = loop.client(worker)
    page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200
    for shown in (case.number, "小区门口积水", "文化路 8 号", "已上报", "居民随手拍", town.grid_a1):
        assert shown in page.text
    assert "138****5678" in page.text and "13812345678" not in page.text  # masked
    assert "王秀英" not in page.text  # a resident's name is not shown in the timeline
    assert "2025-06-10 09:00" in page.text  # 01:00 UTC in the store's zone
    assert offered(page) == {"accept", "reject", "withdraw", "merge", "escalate"}
    accepted = client.post(f"/cases/{case.id}/act", data={"csrf": csrf(page), "action": "accept"})
    assert (
        accepted.status_code == 303 and accepted.headers["location"] == f"/console/cases/{case.id}"
    )
    page = client.get(f"/cases/{case.id}")
    assert offered(page) == {"triage", "withdraw", "merge", "escalate"}
    steps = re.findall(r'<tr data-action="([a-z_]+)">', page.text)
    assert steps == ["report", "accept"]
    assert "已上报 → 已受理" in page.text and worker.name in page.text


def test_a_form_without_its_token_changes_nothing(loop: Loop) -> None:
    town = loop.town
    case = loop.report(town.grid_a1, "树枝挡路")
    client = loop.client(town.worker(town.grid_a1))
    before = _unchanged(loop, case)
    for data in ({"action": "accept"}, {"action": "accept", "csrf": "forged"}):
        refused = client.post(f"/cases/{case.id}/act", data=data)
        assert refused.status_code == 403 and "表单已失效" in refused.text
    assert _unchanged(loop, case) == before


def test_a_refused_step_shows_its_reason_and_changes_nothing(loop: Loop) -> None:
    town = loop.town
    case = loop.report(town.grid_a1, "电梯异响")
    client = loop.client(town.worker(town.grid_a1))
    token = csrf(client.get(f"/cases/{case.id}"))
    before = _unchanged(loop, case)
    wrong_state = client.post(
        f"/cases/{case.id}/act", data={"csrf": token, "action": "resolve", "note": "已处理"}
    )
    assert wrong_state.status_code == 409
    assert alert(wrong_state) == f"诉求 {case.number} 当前状态为“已上报”，现在不能“办结”。"
    assert 'data-action="accept"' in wrong_state.text  # the page again, with its forms
    no_reason = client.post(
        f"/cases/{case.id}/act", data={"csrf": token, "action": "reject", "kind": "invalid"}
    )
    assert no_reason.status_code == 422 and "理由" in alert(no_reason)
    unknown = client.post(f"/cases/{case.id}/act", data={"csrf": token, "action": "explode"})
    assert unknown.status_code == 422 and "explode" in alert(unknown)
    nowhere = client.post(
        f"/cases/{case.id}/act",
        data={"csrf": token, "action": "merge", "into": "2025-999999"},
    )
    assert nowhere.status_code == 422 and "2025-999999" in alert(nowhere)
    assert _unchanged(loop, case) == before
    for step in ("accept", "triage", "dispatch", "start", "resolve", "inform"):
        data = {"csrf": token, "action": step, "note": "已修复" if step == "resolve" else ""}
        assert client.post(f"/cases/{case.id}/act", data=data).status_code == 303
    before = _unchanged(loop, case)
    bad_rating = client.post(
        f"/cases/{case.id}/act", data={"csrf": token, "action": "visit", "rating": "7"}
    )
    assert (
        bad_rating.status_code == 422 and "满意度" in alert(bad_rating) and "7" in alert(bad_rating)
    )
    assert _unchanged(loop, case) == before


def test_another_grids_case_is_not_found(loop: Loop) -> None:
    town = loop.town
    theirs = loop.report(town.grid_b1, "围墙开裂")
    client = loop.client(town.worker(town.grid_a1))
    for path in (f"/cases/{theirs.id}", "/cases/999999", "/cases/abc", "/cases/99999999999"):
        page = client.get(path)
        assert page.status_code == 404 and "未找到诉求" in page.text, path
        assert "围墙开裂" not in page.text
    token = csrf(client.get("/cases"))
    before = _unchanged(loop, theirs)
    refused = client.post(f"/cases/{theirs.id}/act", data={"csrf": token, "action": "accept"})
    assert refused.status_code == 404
    assert _unchanged(loop, theirs) == before


def test_every_word_of_these_pages_has_chinese_and_english() -> None:
    chinese, english = catalogue("zh_CN"), catalogue("en")
    literal = re.compile(r"""_\(\s*(?:"([^"]+)"|'([^']+)')\s*\)""")
    ids = {"Case board", "Rates", "Response rate", "Resolution rate", "Satisfaction rate"}
    for name in ("cases.html", "case.html", "rates.html"):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        ids |= {a or b for a, b in literal.findall(text)}
    coded = [f"state.{s.value}" for s in State] + [f"action.{a.value}" for a in Action]
    coded += [f"severity.{s}" for s in SEVERITIES] + [f"level.{v}" for v in LEVELS]
    coded += [f"reject.{k}" for k in REJECT_KINDS] + [f"rating.{r}" for r in RATING_RANGE]
    missing = sorted(i for i in ids | set(coded) if not chinese.get(i))
    assert not missing, missing
    assert not [c for c in coded if not english.get(c)]
