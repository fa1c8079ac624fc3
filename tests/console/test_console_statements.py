"""A resident's points (积分) and time-bank (时间银行) statements in the console, over real HTTP:
a grid worker reads those of a resident of their grid (balance now, every entry of the period
with its time in the store's zone and its running balance, as the ledger holds them); another
grid's resident is not there for them; bad dates are refused naming the field and the value,
and change nothing; a resident signed in with their own key reads their own statement at /me
and cannot open a staff page."""

from __future__ import annotations

import re

import httpx
import pytest
from tests.conftest import row_counts
from tests.console.people_fixtures import (
    People,
    console,
    main_text,
    people,
    signed_in,
    staff_key,
)

__all__ = ["console", "people"]  # fixtures


def _raw(page: httpx.Response, ledger: str) -> str:
    """One ledger's section of a statement page (``points`` or ``time``), as HTML."""
    found = re.search(rf'(?s)<section data-ledger="{ledger}">(.*?)</section>', page.text)
    assert found is not None, page.text
    return found.group(1)


def _section(page: httpx.Response, ledger: str) -> str:
    """The text of one ledger's section, tags dropped and spaces folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", _raw(page, ledger)).split())


def _field(text: str, field: str) -> str:
    found = re.search(rf'data-field="{field}">([^<]*)<', text)
    assert found is not None, text
    return found.group(1).strip()


def test_a_worker_reads_the_statements_the_ledger_holds(people: People, console: str) -> None:
    cg, worker = people.cg, people.worker_a
    client, _ = signed_in(console, staff_key(people.town, worker))
    page = client.get(f"/residents/{people.child}/statement")
    assert page.status_code == 200, page.text
    points = cg.points.account_statement(worker, people.child)
    bank = cg.timebank.account_statement(worker, people.child)
    balance = cg.points.balance(worker, people.child)
    assert balance is not None and balance.balance == 20  # two hours of volunteering
    assert points.name in main_text(page)  # the name as the service gives it
    shown = _section(page, "points")
    assert _field(_raw(page, "points"), "balance") == "20 积分"
    (line,) = points.lines
    assert f"2025-06-30 17:00 {line.label} +20 20" in shown  # 09:00 UTC is 17:00 in Beijing
    held = cg.timebank.person(worker, people.child).held
    assert held == 60 and bank.closing == 60
    minutes = _section(page, "time")
    assert _field(_raw(page, "time"), "balance") == "60 分钟" and "陪伴 +60 60" in minutes
    english = client.get(f"/residents/{people.child}/statement", params={"lang": "en"})
    assert "Points" in english.text and "Time bank" in english.text
    assert "Balance now" in english.text


def test_a_period_shows_its_entries_and_the_balance_now(people: People, console: str) -> None:
    client, _ = signed_in(console, staff_key(people.town, people.worker_a))
    may = client.get(
        f"/residents/{people.child}/statement", params={"from": "2025-05-01", "to": "2025-05-31"}
    )
    assert may.status_code == 200
    points = _section(may, "points")
    assert _field(may.text, "period") == "2025-05-01 – 2025-05-31"
    assert "本期间没有明细" in points and _field(_raw(may, "points"), "balance") == "20 积分"
    assert _field(_raw(may, "points"), "closing") == "0"  # nothing earned by the end of May
    june = client.get(f"/residents/{people.child}/statement", params={"from": "2025-06-30"})
    assert "+20" in _section(june, "points")


def test_the_form_on_residents_leads_to_the_statement(people: People, console: str) -> None:
    client, _ = signed_in(console, staff_key(people.town, people.worker_a))
    form = client.get("/residents")
    assert form.status_code == 200 and 'name="resident_id"' in form.text
    went = client.get("/residents", params={"resident_id": str(people.child), "from": "2025-06-01"})
    assert went.status_code == 303
    assert (
        went.headers["location"] == f"/console/residents/{people.child}/statement?from=2025-06-01"
    )


@pytest.mark.parametrize("who", ["other", "unknown"])
def test_a_resident_the_worker_may_not_read_is_not_found(
    people: People, console: str, who: str
) -> None:
    client, _ = signed_in(console, staff_key(people.town, people.worker_a))
    number = people.other if who == "other" else 99_999
    page = client.get(f"/residents/{number}/statement")
    assert page.status_code == 404
    assert f"没有您可以查看的编号为 {number} 的居民" in page.text
    assert "王建国" not in page.text and "Traceback" not in page.text


@pytest.mark.parametrize(
    ("path", "params", "words"),
    [
        ("statement", {"from": "2025-13-01"}, "起始日期（from）“2025-13-01”有误"),
        ("statement", {"from": "yesterday"}, "起始日期（from）“yesterday”有误"),
        ("statement", {"to": "2025-06-01"}, "截止日期（to）“2025-06-01”有误：请同时填写起始日期"),
        ("statement", {"from": "2025-06-30", "to": "2025-06-01"}, "早于起始日期（2025-06-30）"),
        ("statement", {"from": "1800-01-01"}, "日期应在 1900 年至 8999 年之间"),
        (
            "statement",
            {"from": "2025-07-01"},
            "“2025-07-01”有误：晚于今天（2025-06-30）",
        ),
        ("statement", {"from": "2000-01-01", "to": "2025-06-01"}, "账单最长覆盖 3660 天"),
        ("lookup", {"resident_id": "abc"}, "居民编号（resident_id）“abc”有误"),
        ("lookup", {"resident_id": "2", "to": "2025-02-30"}, "截止日期（to）“2025-02-30”有误"),
        ("path", {}, "居民编号（resident_id）“x1”有误"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    people: People, console: str, path: str, params: dict[str, str], words: str
) -> None:
    client, _ = signed_in(console, staff_key(people.town, people.worker_a))
    before = row_counts(people.cg)
    url = {
        "statement": f"/residents/{people.child}/statement",
        "lookup": "/residents",
        "path": "/residents/x1/statement",
    }[path]
    page = client.get(url, params=params)
    assert page.status_code == 422, page.text
    assert words in page.text
    assert "Traceback" not in page.text and 'data-ledger="points"' not in page.text
    assert row_counts(people.cg) == before


def test_a_resident_reads_their_own_statement_at_me(people: People, console: str) -> None:
    cg = people.cg
    key = cg.api_keys.create(people.town.admin, resident_id=people.child).secret
    client, landed = signed_in(console, key)
    assert landed == "/console/me"
    page = client.get("/me")
    assert page.status_code == 200
    assert "我的积分" in main_text(page)
    assert _field(_raw(page, "points"), "balance") == "20 积分"
    assert _field(_raw(page, "time"), "balance") == "60 分钟"
    assert "志愿服务" in _section(page, "points") and "陪伴" in _section(page, "time")
    assert 'href="/console/me"' in page.text  # the header's link for residents
    assert 'href="/console/wishes"' not in page.text  # staff links are not shown to them
    refused = client.get("/me", params={"from": "2025-06-31"})
    assert refused.status_code == 422 and "起始日期（from）“2025-06-31”有误" in refused.text


@pytest.mark.parametrize(
    "path", ["/grids", "/cases", "/rates", "/wishes", "/councils", "/resources", "/residents"]
)
def test_a_resident_cannot_open_a_staff_page(people: People, console: str, path: str) -> None:
    key = people.cg.api_keys.create(people.town.admin, resident_id=people.child).secret
    client, _ = signed_in(console, key)
    page = client.get(path)
    assert page.status_code == 403
    assert "居民无权访问" in page.text
    other = client.get(f"/residents/{people.elder}/statement")  # their own household, still
    assert other.status_code == 403


def test_staff_at_me_go_to_their_grids(people: People, console: str) -> None:
    client, _ = signed_in(console, staff_key(people.town, people.worker_a))
    went = client.get("/me")
    assert went.status_code == 303 and went.headers["location"] == "/console/grids"
