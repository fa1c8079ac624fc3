"""The board's pure arithmetic and the checks on a visit, without a database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commgov.errors import PluginError, ValidationError
from commgov.opinions.model.board import Month, Tally, issue_list, ratio, top_topics
from commgov.opinions.model.checks import visit_entry
from commgov.opinions.model.limits import NOTE_MAX, PEOPLE_MAX
from commgov.opinions.model.rules import OpinionTopic
from commgov.opinions.model.topics import DEFAULT_TOPICS, TopicTree
from commgov.opinions.model.values import VisitEntry

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 6, 30, 9, 0, tzinfo=dt.UTC)
TOPICS = TopicTree.build(DEFAULT_TOPICS)


def test_a_month_is_counted_in_the_zone() -> None:
    june = Month.of(2025, 6, SHANGHAI)
    assert june.start == dt.datetime(2025, 5, 31, 16, tzinfo=dt.UTC)
    assert june.end == dt.datetime(2025, 6, 30, 16, tzinfo=dt.UTC)
    assert june.previous_start == dt.datetime(2025, 4, 30, 16, tzinfo=dt.UTC)
    january = Month.of(2026, 1, SHANGHAI)
    assert january.previous_start == dt.datetime(2025, 11, 30, 16, tzinfo=dt.UTC)
    assert january.end == dt.datetime(2026, 1, 31, 16, tzinfo=dt.UTC)
    assert Month.of(2025, 12, dt.UTC).end == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("year", "month", "field"),
    [
        (2025, 13, "month"),
        (2025, 0, "month"),
        (1900, 5, "year"),
        ("2025", 5, "year"),
        (2025, 1.0, "month"),
    ],
)
def test_a_month_out_of_range_names_its_field(year: object, month: object, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Month.of(year, month, SHANGHAI)
    assert caught.value.field == field


@settings(max_examples=40, deadline=None)
@given(st.integers(1902, 8998), st.integers(1, 12))
def test_months_tile_time(year: int, month: int) -> None:
    this = Month.of(year, month, SHANGHAI)
    before = Month.of(year - (month == 1), (month - 2) % 12 + 1, SHANGHAI)
    assert before.end == this.start and before.start == this.previous_start
    assert dt.timedelta(days=28) <= this.end - this.start <= dt.timedelta(days=31)
    first = this.start.astimezone(SHANGHAI)
    assert (first.day, first.hour, first.minute) == (1, 0, 0)


def test_trend_ratio() -> None:
    assert ratio(6, 4) == 1.5
    assert ratio(0, 4) == 0.0
    assert ratio(2, 3) == 0.6667
    assert ratio(3, 0) is None


def test_issue_list_and_top_topics() -> None:
    current = {
        "complaint": Tally(visits=4, people=6, cases=1),
        "help": Tally(visits=2),
        "praise": Tally(visits=2),
        "other": Tally(visits=1),
        "information": Tally(visits=1),
        "suggestion": Tally(visits=1),
    }
    lines = issue_list(current, {"complaint": 2, "help.printing": 3})
    assert [(x.topic, x.tally.visits, x.previous, x.change, x.ratio) for x in lines] == [
        ("complaint", 4, 2, 2, 2.0),
        ("help", 2, 0, 2, None),
        ("praise", 2, 0, 2, None),
        ("information", 1, 0, 1, None),
        ("other", 1, 0, 1, None),
        ("suggestion", 1, 0, 1, None),
        ("help.printing", 0, 3, -3, 0.0),
    ]
    assert top_topics(lines) == ["complaint", "help", "praise", "information", "other"]
    assert top_topics(issue_list({}, {"help": 1})) == []


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(st.sampled_from([t.code for t in DEFAULT_TOPICS]), st.integers(0, 9)),
    st.dictionaries(st.sampled_from([t.code for t in DEFAULT_TOPICS]), st.integers(0, 9)),
)
def test_the_issue_list_counts_every_visit_once(
    now: dict[str, int], before: dict[str, int]
) -> None:
    lines = issue_list({t: Tally(visits=n) for t, n in now.items()}, before)
    assert sum(x.tally.visits for x in lines) == sum(now.values())
    assert sum(x.previous for x in lines) == sum(before.values())
    assert len({x.topic for x in lines}) == len(lines)
    top = top_topics(lines)
    assert len(top) == min(5, sum(1 for n in now.values() if n))
    counts = [now[t] for t in top]
    assert counts == sorted(counts, reverse=True)
    left_out = [now.get(x.topic, 0) for x in lines if x.topic not in top]
    assert (
        all(n <= min(counts) for n in left_out) if counts else left_out == [] or max(left_out) == 0
    )


def test_default_topics_cover_what_a_service_point_hears() -> None:
    assert {"help", "help.elderly", "information", "information.policy", "complaint"} <= set(
        TOPICS.by_code
    )
    assert {"complaint.environment", "complaint.property", "suggestion", "praise", "other"} <= set(
        TOPICS.by_code
    )
    assert {t.kind for t in DEFAULT_TOPICS} == {
        "help", "information", "complaint", "suggestion", "praise", "other"
    }  # fmt: skip
    assert TOPICS.get("help.elderly").parent == "help"
    assert TOPICS.describe("gone.topic") == OpinionTopic("gone.topic", "gone.topic", "other")


@pytest.mark.parametrize(
    ("topic", "says"),
    [
        (OpinionTopic("Help", "x", "help"), "dotted lower_case"),
        (OpinionTopic("noise.night", "夜间噪音", "complaint"), "no parent 'noise'"),
        (OpinionTopic("noise", "噪音", "grumble"), "kind 'grumble'"),
        (OpinionTopic("noise", " ", "complaint"), "needs a label"),
        (OpinionTopic("n" * 65, "x", "other"), "longer than 64"),
    ],
)
def test_bad_topics_are_plugin_errors(topic: OpinionTopic, says: str) -> None:
    with pytest.raises(PluginError, match=says):
        TopicTree.build([*DEFAULT_TOPICS, topic])


def test_a_visit_entry_is_checked_and_normalised() -> None:
    entry = visit_entry(
        {"point_id": 3, "topic": "praise", "note": "  谢谢网格员  "},
        where="",
        topics=TOPICS,
        now=NOW,
    )
    assert entry == VisitEntry(point_id=3, topic="praise", note="谢谢网格员", at=NOW)
    beijing = dt.datetime(2025, 6, 30, 8, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    given = VisitEntry(point_id=3, topic="other", note="x", at=beijing, resident_id=7, people=4)
    assert visit_entry(given, where="", topics=TOPICS, now=NOW).at == dt.datetime(
        2025, 6, 30, 0, tzinfo=dt.UTC
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"topic": "complaint.noise"}, "visits[2].topic"),
        ({"note": "  "}, "visits[2].note"),
        ({"note": "长" * (NOTE_MAX + 1)}, "visits[2].note"),
        ({"note": 12}, "visits[2].note"),
        ({"at": NOW + dt.timedelta(hours=1)}, "visits[2].at"),
        ({"at": dt.datetime(2025, 6, 1)}, "visits[2].at"),
        ({"people": 0}, "visits[2].people"),
        ({"people": PEOPLE_MAX + 1}, "visits[2].people"),
        ({"people": True}, "visits[2].people"),
        ({"point_id": 0}, "visits[2].point_id"),
        ({"resident_id": "7"}, "visits[2].resident_id"),
        ({"colour": "red"}, "visits[2].colour"),
    ],
)
def test_a_bad_visit_names_its_field(change: dict[str, object], field: str) -> None:
    given = {"point_id": 1, "topic": "help", "note": "x", **change}
    with pytest.raises(ValidationError) as caught:
        visit_entry(given, where="visits[2].", topics=TOPICS, now=NOW)
    assert caught.value.field == field
    with pytest.raises(ValidationError, match=r"visits\[2\]\.note=None: required"):
        visit_entry({"point_id": 1, "topic": "help"}, where="visits[2].", topics=TOPICS, now=NOW)
