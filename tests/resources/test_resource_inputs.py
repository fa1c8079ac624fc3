"""Bad input is refused with an error naming the field and the value, and changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

import commgov

from .conftest import HOURS, RTown, counts

Call = Callable[[RTown, int], object]


def publish(**change: Any) -> Call:
    def call(t: RTown, _room: int) -> object:
        values: dict[str, Any] = {"unit": t.community_a, "name": "球场", "kind": "ground",
                                  "hours": HOURS}  # fmt: skip
        values.update(change)
        return t.cg.resources.publish(t.clerk_a, **values)

    return call


def book(start: str = "19:00", end: str = "20:00", day: int = 1, by: str = "anna",
         room: int | None = None, **more: Any) -> Call:  # fmt: skip
    def call(t: RTown, resource: int) -> object:
        return t.book(getattr(t, by), resource if room is None else room, day, start, end, **more)

    return call


PUBLISH: list[tuple[str, Call, str, object]] = [
    ("name empty", publish(name=" "), "name", " "),
    ("kind unknown", publish(kind="hall"), "kind", "hall"),
    ("capacity zero", publish(capacity=0), "capacity", 0),
    ("capacity a flag", publish(capacity=True), "capacity", True),
    ("capacity too large", publish(capacity=10_001), "capacity", 10_001),
    ("slot not dividing the day", publish(slot_minutes=7), "slot_minutes", 7),
    ("hours not on the slots", publish(hours={"mon": ["08:15-09:00"]}), "hours['mon']",
     "08:15-09:00"),
    ("bookers unknown", publish(bookers="everyone"), "bookers", "everyone"),
    ("shared not a flag", publish(shared="yes"), "shared", "yes"),
    ("horizon negative", publish(horizon_days=-1), "horizon_days", -1),
    ("longest off the slots", publish(longest_minutes=45), "longest_minutes", 45),
    ("longest below a slot", publish(longest_minutes=10), "longest_minutes", 10),
    ("approval not a flag", publish(approval=1), "approval", 1),
]  # fmt: skip
BOOK: list[tuple[str, Call, str, object]] = [
    ("resource id zero", book(room=0), "resource_id", 0),
    ("end before start", book("20:00", "19:00"), "ends_at", (1, "19:00")),
    ("start off the slots", book("19:10", "20:10"), "starts_at", (1, "19:10")),
    ("end off the slots", book("19:00", "19:45"), "ends_at", (1, "19:45")),
    ("outside opening hours", book("07:00", "08:00"), "starts_at", (1, "07:00")),
    ("over the lunch break", book("11:00", "14:30"), "ends_at", (1, "14:30")),
    ("longer than the longest", book("14:00", "18:30"), "ends_at", (1, "18:30")),
    ("beyond the horizon", book(day=31), "starts_at", (31, "19:00")),
    ("in the past", book("08:00", "08:30", day=0), "starts_at", (0, "08:00")),
    ("party of none", book(party_size=0), "party_size", 0),
    ("party beyond capacity", book(party_size=4), "party_size", 4),
    ("purpose too long", book(purpose="x" * 501), "purpose", "x" * 40 + "…"),
    ("a resident for a unit", book(for_unit="411425100001"), "for_unit", "411425100001"),
    ("closed", book(day=2), "starts_at", (2, "19:00")),
]  # fmt: skip
"""A ``(day, "HH:MM")`` value stands for that local time on that day."""


def test_bad_input_names_field_and_value_and_changes_nothing(any_rtown: RTown) -> None:
    t = any_rtown
    room = t.room()
    t.cg.resources.close(
        t.clerk_a, room.id, starts_at=t.at(2, "00:00"), ends_at=t.at(3, "00:00"), reason="保洁"
    )
    t.book(t.anna, room.id, 1, "14:00", "15:00")
    before = counts(t.cg)
    for name, call, field, value in PUBLISH + BOOK:
        with pytest.raises(commgov.ValidationError) as caught:
            call(t, room.id)
            pytest.fail(f"{name}: accepted")
        expected = t.at(*value) if isinstance(value, tuple) else value
        assert (caught.value.field, caught.value.value) == (field, expected), name
        assert counts(t.cg) == before, name


def test_refusals_by_rule_and_unknown_ids_change_nothing(any_rtown: RTown) -> None:
    t = any_rtown
    room = t.room()
    staff_only = t.room(name="会议室", bookers="staff")
    residents_only = t.room(name="自习室", bookers="residents")
    mine = t.book(t.anna, room.id, 1, "14:00", "15:00")
    day = t.day(1)
    before = counts(t.cg)
    denied: list[tuple[str, Callable[[], object], str]] = [
        ("another community's resident", lambda: t.book(t.ben, room.id, 1, "19:00", "20:00"),
         "not shared beyond 411425100001"),
        ("another community's staff", lambda: t.book(t.clerk_b, room.id, 1, "19:00", "20:00"),
         "not shared beyond"),
        ("a resident, staff only", lambda: t.book(t.anna, staff_only.id, 1, "19:00", "20:00"),
         "only 工作人员 staff may book it"),
        ("staff, residents only", lambda: t.book(t.clerk_a, residents_only.id, 1, "19:00", "20:00"),
         "only 居民 residents may book it"),
        ("another household's resident id",
         lambda: t.book(commgov.Actor.resident("王安娜", 999, t.anna_id), room.id, 1, "19:00",
                        "20:00"), "of another household"),
        ("a grid worker of another community approves",
         lambda: t.cg.resources.approve(t.worker_b, mine.id), "may not write"),
        ("a resident closes", lambda: t.cg.resources.close(
            t.anna, room.id, starts_at=t.at(5, "00:00"), ends_at=t.at(6, "00:00"), reason="x"),
         "may not write"),
        ("a stranger reads a booking", lambda: t.cg.resources.booking(t.ben, mine.id),
         "may not read"),
        ("a resident reports utilisation", lambda: t.cg.resources.utilisation(
            t.anna, unit=t.town, start=day, end=day), "may not read"),
    ]  # fmt: skip
    for name, call, words in denied:
        with pytest.raises(commgov.PermissionDenied, match=words):
            call()
        assert counts(t.cg) == before, name
    missing: list[tuple[str, Callable[[], object], str]] = [
        ("resource", lambda: t.book(t.anna, 999, 1, "19:00", "20:00"),
         "no resource number 999 (没有编号为 999 的资源)"),
        ("booking", lambda: t.cg.resources.cancel(t.anna, 999, reason="x"),
         "no booking number 999 (没有编号为 999 的预约)"),
        ("unit", lambda: t.cg.resources.publish(
            t.admin, unit="411425100009", name="x", kind="room", hours=HOURS), "no unit"),
    ]  # fmt: skip
    for name, call, words in missing:
        with pytest.raises(commgov.NotFoundError, match=re.escape(words)):
            call()
        assert counts(t.cg) == before, name
    others: list[tuple[str, Callable[[], object], str, object]] = [
        ("no resident id", lambda: t.book(commgov.Actor.resident("王安娜", 1), room.id, 1,
                                          "19:00", "20:00"), "actor", "resident:王安娜"),
        ("occurrences zero", lambda: t.cg.resources.book_recurring(
            t.anna, room.id, starts_at=t.at(1, "19:00"), ends_at=t.at(1, "20:00"),
            occurrences=0), "occurrences", 0),
        ("repeat unknown", lambda: t.cg.resources.book_recurring(
            t.anna, room.id, starts_at=t.at(1, "19:00"), ends_at=t.at(1, "20:00"),
            occurrences=2, repeat="monthly"), "repeat", "monthly"),
        ("daily and overlapping", lambda: t.cg.resources.book_recurring(
            t.clerk_a, room.id, starts_at=t.at(1, "19:00"), ends_at=t.at(2, "20:00"),
            occurrences=2, repeat="daily"), "ends_at", t.at(2, "20:00")),
        ("closure ends first", lambda: t.cg.resources.close(
            t.clerk_a, room.id, starts_at=t.at(5, "00:00"), ends_at=t.at(4, "00:00"),
            reason="x"), "ends_at", t.at(4, "00:00")),
        ("closure in the past", lambda: t.cg.resources.close(
            t.clerk_a, room.id, starts_at=t.at(-2, "00:00"), ends_at=t.at(-1, "00:00"),
            reason="x"), "ends_at", t.at(-1, "00:00")),
        ("closure without a reason", lambda: t.cg.resources.close(
            t.clerk_a, room.id, starts_at=t.at(5, "00:00"), ends_at=t.at(6, "00:00"),
            reason=""), "reason", ""),
        ("rejection without a reason", lambda: t.cg.resources.reject(
            t.clerk_a, mine.id, reason="  "), "reason", "  "),
        ("naive start", lambda: t.cg.resources.book(
            t.anna, room.id, starts_at=dt.datetime(2026, 12, 1, 19), ends_at=t.at(1, "20:00")),
         "starts_at", dt.datetime(2026, 12, 1, 19)),
        ("utilisation backwards", lambda: t.cg.resources.utilisation(
            t.clerk_a, unit=t.town, start=day, end=day - dt.timedelta(days=1)), "end",
         day - dt.timedelta(days=1)),
        ("utilisation of moments", lambda: t.cg.resources.utilisation(
            t.clerk_a, unit=t.town, start=t.at(1, "00:00"), end=day), "start",  # type: ignore[arg-type]
         t.at(1, "00:00")),
    ]  # fmt: skip
    for name, call, field, value in others:
        with pytest.raises(commgov.ValidationError) as caught:
            call()
        assert (caught.value.field, caught.value.value) == (field, value), name
        assert counts(t.cg) == before, name
