"""The 7336 plugin in the console: its monthly report is a console page (tables and charts in
Chinese, the report's own figures) and its households placed on the map (绘制一图) are the
map the console draws, for the town where it is enabled only."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.api.conftest import live
from tests.console.plugin_fixtures import signed_in

import commgov
from commgov.api import create_app
from commgov_yucheng7336 import five_steps, geo, report, standards, vocab
from conftest import Towns

JUNE = dt.date(2025, 6, 1)
ELDER = {"name": "张秀英", "birth_date": "1945-03-02", "sex": "F", "care_groups": "living_alone"}


@pytest.fixture
def worked(t: Towns) -> Towns:
    """Households in every grid of the 7336 town, a few cases and a sampled month of work."""
    for grid in t.towns.grids[t.town]:
        for _ in range(3):
            t.household(grid, ELDER)
        t.store.cases.report(t.admin, unit=grid, text="路灯坏了")
    sampled = t.store.reports.sample(
        t.admin, vocab.MONTHLY_REPORT, unit=t.town, year=JUNE.year, month=JUNE.month, seed=3
    )
    assert sampled > 0
    return t


def test_the_monthly_page_shows_the_reports_own_figures_in_chinese(worked: Towns) -> None:
    t = worked
    made = report.monthly_report(t.store, t.admin, t.town, JUNE.year, JUNE.month)
    page = t.store.reports.page(
        t.admin, vocab.MONTHLY_REPORT, unit=t.town, year=JUNE.year, month=JUNE.month
    )
    assert page.title == "7336 月度报告 2025-06"
    main, steps, scores = page.tables
    assert [row[0] for row in main.rows] == [row["community"] for row in made.rows]
    assert [row[1] for row in main.rows] == [str(row["cases"]) for row in made.rows]
    assert [row[5] for row in main.rows] == [str(row["six_standards"]) for row in made.rows]
    assert steps.headers == ("社区", "排查", "研判", "化解", "回访")
    assert scores.headers[1:] == tuple(v.split()[0] for v in standards.STANDARDS.values())
    step_chart, six, seven, _satisfaction = page.charts
    assert [bar.label for bar in step_chart.bars] == ["排查", "研判", "化解", "回访"]
    expected = [
        sum(row[f"step_{s}"] for row in made.rows)
        for s in five_steps.STEPS
        if s != five_steps.PREVENTION
    ]
    assert [bar.value for bar in step_chart.bars] == expected and sum(expected) == 4
    assert [bar.value for bar in six.bars] == [row["six_standards"] for row in made.rows]
    assert [bar.value for bar in seven.bars] == [100 * row["seven_duties"] for row in made.rows]
    assert [bar.label for bar in six.bars] == [row["community"] for row in made.rows]
    for chart in page.charts:  # every chart is labelled in Chinese
        assert not any(c.isascii() and c.isalpha() for c in chart.title)


def test_the_monthly_page_renders_in_the_console(worked: Towns) -> None:
    t = worked
    staff = t.add_staff("community_staff", t.community)
    with live(create_app(t.store)) as url:
        client = signed_in(f"{url}/console", t.store, t.admin, staff)
        listed = client.get("/reports")
        assert "7336 月度报告 monthly report" in listed.text
        page = client.get(
            f"/reports/{vocab.MONTHLY_REPORT}", params={"unit": t.community, "month": "2025-06"}
        )
        assert page.status_code == 200
        charts = page.text[page.text.index("<svg") :]
        for word in ("排查", "研判", "化解", "回访", "六到位：各社区得分", "七个一：各社区完成率"):
            assert word in charts
        made = report.monthly_report(t.store, staff, t.community, JUNE.year, JUNE.month)
        (row,) = made.rows
        assert f"<td>{row['community']}</td><td>{row['cases']}</td>" in page.text
        other = t.add_staff("community_staff", t.towns.communities[t.towns.default_town][0])
        elsewhere = signed_in(f"{url}/console", t.store, t.admin, other)
        assert "7336" not in elsewhere.get("/reports").text  # not enabled on that town
        refused = elsewhere.get(
            f"/reports/{vocab.MONTHLY_REPORT}",
            params={"unit": t.towns.communities[t.towns.default_town][0]},
        )
        assert refused.status_code == 404


def test_the_console_map_is_the_grid_map(worked: Towns) -> None:
    t = worked
    drawn = t.store.reports.unit_map(t.admin, t.grid)
    assert drawn == geo.grid_map(t.store, t.admin, t.grid) and drawn["features"]
    default_grid = t.towns.grids[t.towns.default_town][0]
    assert t.store.reports.unit_map(t.admin, default_grid) is None


def test_the_page_is_listed_where_the_plugin_is_enabled(t: Towns) -> None:
    assert t.store.reports.pages(t.town) == {vocab.MONTHLY_REPORT: "7336 月度报告 monthly report"}
    assert t.store.reports.pages(t.towns.default_town) == {}
    with pytest.raises(commgov.ValidationError) as caught:
        t.store.reports.page(
            t.admin, vocab.MONTHLY_REPORT, unit=t.towns.default_town, year=2025, month=6
        )
    assert caught.value.field == "name"
