"""Utilisation per resource and per community: open hours per local day less closures, booked
and missed place-hours over capacity, the ratio; expected figures computed from the inputs."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import RTown

DAILY = {"daily": ["08:00-18:00"]}
OPEN_A_DAY = 10.0  # 08:00-18:00


def hours(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 3600


def test_utilisation_counts_places_over_open_hours(any_rtown: RTown) -> None:
    t = any_rtown
    ground = t.room(name="篮球场", kind="ground", capacity=2, hours=DAILY)
    room_b = t.room(name="书画室", capacity=1, hours=DAILY, unit=t.community_b, by=t.clerk_b)
    closed = (t.at(3, "12:00"), t.at(3, "14:00"))
    t.cg.resources.close(t.clerk_a, ground.id, starts_at=closed[0], ends_at=closed[1],
                         reason="场地划线")  # fmt: skip
    attended = t.book(t.anna, ground.id, 1, "09:00", "11:00", party_size=2)
    approved = t.book(t.clerk_a, ground.id, 2, "14:00", "17:00")
    missed = t.book(t.elder, ground.id, 3, "08:00", "09:00")
    cancelled = t.book(t.anna, ground.id, 2, "09:00", "10:00")
    t.book(t.anna, ground.id, 4, "09:00", "10:00")  # after the days reported
    in_b = t.book(t.ben, room_b.id, 1, "10:00", "12:00")
    t.cg.resources.cancel(t.anna, cancelled.id, reason="改期")
    t.clock.now = t.at(1, "08:40").astimezone(dt.UTC)
    t.cg.resources.check_in(t.anna, attended.id)
    t.clock.now = t.at(3, "08:20").astimezone(dt.UTC)
    t.cg.resources.no_show(t.clerk_a, missed.id)

    days = 3  # Tuesday to Thursday
    open_ground = days * OPEN_A_DAY - hours(*closed)
    booked_ground = (2 * hours(attended.starts_at, attended.ends_at)
                     + 1 * hours(approved.starts_at, approved.ends_at)) / 2  # fmt: skip
    missed_ground = 1 * hours(missed.starts_at, missed.ends_at) / 2
    booked_b = hours(in_b.starts_at, in_b.ends_at) / 1
    frame = t.cg.resources.utilisation(t.admin, unit=t.town, start=t.day(1), end=t.day(3))
    assert list(frame.columns) == [
        "resource_id", "resource", "kind", "community", "unit", "open_hours", "booked_hours",
        "no_show_hours", "utilisation",
    ]  # fmt: skip
    rows = frame.set_index("resource_id")
    row = rows.loc[ground.id]
    assert (row["resource"], row["kind"], row["community"]) == ("篮球场", "ground", t.community_a)
    assert row["open_hours"] == pytest.approx(open_ground)
    assert row["booked_hours"] == pytest.approx(booked_ground)
    assert row["no_show_hours"] == pytest.approx(missed_ground)
    assert row["utilisation"] == pytest.approx(booked_ground / open_ground)
    other = rows.loc[room_b.id]
    assert (other["community"], other["open_hours"]) == (t.community_b, days * OPEN_A_DAY)
    assert other["utilisation"] == pytest.approx(booked_b / (days * OPEN_A_DAY))

    by = t.cg.resources.utilisation_by_community(
        t.admin, unit=t.town, start=t.day(1), end=t.day(3)
    ).set_index("community")
    assert list(by.index) == [t.community_a, t.community_b]
    assert by.loc[t.community_a, "resources"] == 1
    assert by.loc[t.community_a, "booked_hours"] == pytest.approx(booked_ground)
    total_open = open_ground + days * OPEN_A_DAY
    assert by["open_hours"].sum() == pytest.approx(total_open)
    assert by.loc[t.community_b, "utilisation"] == pytest.approx(booked_b / (days * OPEN_A_DAY))

    before_publishing = t.cg.resources.utilisation(
        t.clerk_b, unit=t.community_b, start=t.day(-3), end=t.day(-1)
    )
    assert before_publishing["open_hours"].tolist() == [0.0]
    assert before_publishing["utilisation"].tolist() == [0.0]  # never open: 0, not a division
