"""The resources' pure rules, without a database: opening hours, slots, the rules of time,
recurring expansion in a zone without daylight saving and in one with it, utilisation."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from commgov.errors import ValidationError
from commgov.resources.model import usage
from commgov.resources.model.hours import WeeklyHours, parse_hours
from commgov.resources.model.slots import occurrences, plan, released_from, slot_starts
from commgov.resources.model.values import Resource

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 in Shanghai
MINUTES = dt.timedelta(minutes=1)


def resource(**rules: object) -> Resource:
    values: dict[str, object] = {
        "id": 1, "unit_id": 1, "scope_id": 1, "name": "活动室", "kind": "room", "capacity": 3,
        "slot_minutes": 30, "hours": parse_hours({"mon-fri": ["08:00-12:00", "14:00-21:00"]}, 30),
        "bookers": "both", "shared": False, "horizon_days": 30, "longest_minutes": 240,
        "approval": False, "description": "", "created_at": NOW, "created_by": "system:t",
    }  # fmt: skip
    values.update(rules)
    return Resource(**values)  # type: ignore[arg-type]


def at(day: dt.date, hhmm: str, zone: dt.tzinfo = SHANGHAI) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=zone)


TUESDAY = dt.date(2026, 12, 1)


# -- opening hours ------------------------------------------------------------------------------
def test_hours_by_day_range_and_daily() -> None:
    hours = parse_hours({"mon-fri": ["14:00-21:00", "08:00-12:00"], "sat": ["09:00-24:00"]}, 30)
    assert hours.intervals(0) == ((480, 720), (840, 1260))  # sorted
    assert hours.intervals(5) == ((540, 1440),) and hours.intervals(6) == ()
    assert hours.shown()["sat"] == ["09:00-24:00"] and "sun" not in hours.shown()
    assert hours.words(6) == "closed (不开放)"
    assert WeeklyHours.from_stored(hours.stored()) == hours
    assert hours.weekly_minutes == 5 * 11 * 60 + 15 * 60
    assert parse_hours({"daily": ["00:00-24:00"]}, 60).weekly_minutes == 7 * 24 * 60
    assert hours.covers(0, 480, 510) and not hours.covers(0, 690, 750)  # 11:30-12:30 spans a gap


@pytest.mark.parametrize(
    ("given", "field", "words"),
    [
        ({}, "hours", "expected days"),
        ("mon 08:00-12:00", "hours", "expected days"),
        ({"monday": ["08:00-12:00"]}, "hours['monday']", "expected daily"),
        ({"fri-mon": ["08:00-12:00"]}, "hours['fri-mon']", "expected daily"),
        ({"mon": "08:00-12:00"}, "hours['mon']", "expected a list"),
        ({"mon": ["8-12"]}, "hours['mon']", "not a time of day"),
        ({"mon": ["08:00-25:00"]}, "hours['mon']", "not a time of day"),
        ({"mon": ["12:00-08:00"]}, "hours['mon']", "ends before it starts"),
        ({"mon": ["08:10-12:00"]}, "hours['mon']", "not on a 30-minute slot boundary"),
        ({"mon": ["08:00-12:00", "11:00-13:00"]}, "hours['mon']", "intervals overlap"),
        ({"mon-fri": ["08:00-12:00"], "fri": ["14:00-16:00"]}, "hours['fri']", "second time"),
    ],
)
def test_bad_hours_name_the_day_and_value(given: object, field: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words) as caught:
        parse_hours(given, 30)
    assert caught.value.field == field


# -- slots and the rules of time ----------------------------------------------------------------
def test_a_booking_covers_its_slots() -> None:
    start = at(TUESDAY, "19:00")
    found = plan(resource(), start, start + 90 * MINUTES, now=NOW, zone=SHANGHAI)
    assert found == [start + i * 30 * MINUTES for i in range(3)]
    assert slot_starts(start, start + 60 * MINUTES, 30 * MINUTES) == found[:2]


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        ("19:00", "19:00", "ends_at", "is not after starts_at"),
        ("19:10", "19:40", "starts_at", "on the 30-minute slots"),
        ("19:00", "19:45", "ends_at", "whole number of 30-minute slots"),
        ("07:30", "08:30", "starts_at", "outside opening hours: tue 2026-12-01 07:30–08:00"),
        ("11:30", "12:30", "ends_at", "outside opening hours: tue 2026-12-01 12:00–12:30"),
        ("20:30", "21:30", "ends_at", "is not within 08:00–12:00, 14:00–21:00"),
        ("14:00", "18:30", "ends_at", "a booking of 270 minutes; 活动室 takes at most 240"),
    ],
)
def test_times_break_the_rules(start: str, end: str, field: str, words: str) -> None:
    given = (at(TUESDAY, start), at(TUESDAY, end))
    with pytest.raises(ValidationError, match=words) as caught:
        plan(resource(), *given, now=NOW, zone=SHANGHAI, given=given)
    assert caught.value.field == field
    assert caught.value.value == (given[0] if field == "starts_at" else given[1])


def test_past_horizon_and_closed_days() -> None:
    monday = NOW.astimezone(SHANGHAI).date()
    with pytest.raises(ValidationError, match="is in the past"):
        plan(resource(), at(monday, "08:30"), at(monday, "09:00"), now=NOW, zone=SHANGHAI)
    last = monday + dt.timedelta(days=30)  # a Wednesday: open
    assert plan(resource(), at(last, "19:00"), at(last, "19:30"), now=NOW, zone=SHANGHAI)
    beyond = last + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match=f"beyond the booking horizon.*until {last}"):
        plan(resource(), at(beyond, "19:00"), at(beyond, "19:30"), now=NOW, zone=SHANGHAI)
    saturday = dt.date(2026, 12, 5)
    with pytest.raises(ValidationError, match=r"sat .* is not within closed \(不开放\)"):
        plan(resource(), at(saturday, "10:00"), at(saturday, "10:30"), now=NOW, zone=SHANGHAI)


def test_a_booking_over_midnight_uses_both_days_hours() -> None:
    late = resource(hours=parse_hours({"daily": ["20:00-24:00", "00:00-02:00"]}, 30))
    start = at(TUESDAY, "23:00")
    assert len(plan(late, start, start + 120 * MINUTES, now=NOW, zone=SHANGHAI)) == 4


def test_no_show_releases_the_slots_not_begun() -> None:
    start, end, slot = at(TUESDAY, "14:00"), at(TUESDAY, "16:00"), 30 * MINUTES
    assert released_from(start, end, slot, start - MINUTES) == start
    assert released_from(start, end, slot, start + 10 * MINUTES) == start + slot
    assert released_from(start, end, slot, start + slot) == start + slot
    assert released_from(start, end, slot, end + MINUTES) == end


# -- recurring ----------------------------------------------------------------------------------
def test_weekly_occurrences_in_shanghai_keep_the_utc_time() -> None:
    start = at(TUESDAY, "19:00")
    found = occurrences(start, start + 60 * MINUTES, every_days=7, count=5, zone=SHANGHAI)
    assert [s.astimezone(SHANGHAI).date() for s, _ in found] == [
        TUESDAY + dt.timedelta(weeks=k) for k in range(5)
    ]
    assert {(s.hour, e.hour) for s, e in found} == {(11, 12)}  # 19:00-20:00 in UTC+8, always


def test_weekly_occurrences_across_a_clock_change_keep_the_wall_time() -> None:
    start = at(dt.date(2027, 3, 16), "19:00", BERLIN)  # a Tuesday; summer time on 28 March
    found = occurrences(start, start + 60 * MINUTES, every_days=7, count=4, zone=BERLIN)
    assert [f"{s.astimezone(BERLIN):%m-%d %H:%M}" for s, _ in found] == [
        "03-16 19:00", "03-23 19:00", "03-30 19:00", "04-06 19:00",
    ]  # fmt: skip
    assert [s.hour for s, _ in found] == [18, 18, 17, 17]  # UTC moves by the hour
    assert all(e - s == 60 * MINUTES for s, e in found)


def test_daily_occurrences_in_a_custom_zone_and_a_skipped_hour() -> None:
    kolkata = dt.timezone(dt.timedelta(hours=5, minutes=30))
    start = at(TUESDAY, "07:30", kolkata)
    found = occurrences(start, start + 30 * MINUTES, every_days=1, count=3, zone=kolkata)
    assert [(s.hour, s.minute) for s, _ in found] == [(2, 0)] * 3
    skipped = at(dt.date(2027, 3, 27), "02:30", BERLIN)  # 28 March 02:30 does not exist
    with pytest.raises(ValidationError, match="occurrence 2 on 2027-03-28: 02:30 does not exist"):
        occurrences(skipped, skipped + 30 * MINUTES, every_days=1, count=2, zone=BERLIN)


# -- utilisation --------------------------------------------------------------------------------
def test_open_hours_less_closures_and_before_publishing() -> None:
    hours = parse_hours({"daily": ["08:00-18:00"]}, 30)
    first, last = TUESDAY, TUESDAY + dt.timedelta(days=2)
    assert usage.open_hours(hours, first, last, SHANGHAI, closed=[], published=NOW) == 30.0
    closed = [(at(first, "16:00"), at(first + dt.timedelta(days=1), "10:00"))]  # 2 h + 2 h
    found = usage.open_hours(hours, first, last, SHANGHAI, closed=closed, published=NOW)
    assert found == 26.0
    published = at(first, "12:00")  # the first morning not yet published
    assert usage.open_hours(hours, first, last, SHANGHAI, closed=[], published=published) == 26.0


def test_open_hours_on_the_days_clocks_change() -> None:
    hours = parse_hours({"daily": ["00:00-24:00"]}, 60)
    spring, autumn = dt.date(2027, 3, 28), dt.date(2027, 10, 31)
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    assert usage.open_hours(hours, spring, spring, BERLIN, closed=[], published=past) == 23.0
    assert usage.open_hours(hours, autumn, autumn, BERLIN, closed=[], published=past) == 25.0
    window = usage.window(spring, spring, BERLIN)
    assert usage.overlap_hours(window[0] - 3600 * MINUTES, window[0] + 90 * MINUTES, window) == 1.5
