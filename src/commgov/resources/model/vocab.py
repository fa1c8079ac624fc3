"""The resources' vocabulary: kinds, who may book, booking states and how they move, how a
booking repeats. Labels are Chinese first, then English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

KINDS: Final = {
    "room": ("活动室", "room"),
    "ground": ("运动场地", "sports ground"),
    "equipment": ("设备", "equipment"),
    "places": ("名额（学位、托位）", "places"),
    "service_hours": ("服务时段", "service hours"),
}
"""What a community publishes: a room booked whole (capacity 1), a ground, equipment lent out,
places such as a kindergarten's, a medical team's hours."""
BOOKERS: Final = {
    "residents": ("居民", "residents"),
    "staff": ("工作人员", "staff"),
    "both": ("居民和工作人员", "residents and staff"),
}
"""Who may book a resource: residents for themselves, staff for their unit, or both."""
BOOKING_STATES: Final = {
    "pending": ("待审核", "awaiting approval"),
    "approved": ("已预约", "approved"),
    "rejected": ("未通过", "rejected"),
    "cancelled": ("已取消", "cancelled"),
    "attended": ("已使用", "attended"),
    "no_show": ("未到场", "no-show"),
}
MOVES: Final = {
    "pending": frozenset({"approved", "rejected", "cancelled"}),
    "approved": frozenset({"cancelled", "attended", "no_show"}),
    "rejected": frozenset(),
    "cancelled": frozenset(),
    "attended": frozenset(),
    "no_show": frozenset(),
}
"""Which state a booking may move to from each."""
HOLDING: Final = ("pending", "approved", "attended")
"""States whose booking holds its places over its whole time (a no-show holds them until it
was marked: ``Booking.held_until``)."""
LIVE: Final = ("pending", "approved")
"""Bookings still to be used: a closure may not overlap them, a departure cancels them."""
BOOKED: Final = ("approved", "attended")
"""Bookings that count as used time in the utilisation."""
REPEATS: Final = {"weekly": ("每周", "weekly", 7), "daily": ("每天", "daily", 1)}
"""How a recurring booking repeats, and the days between its occurrences."""
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekdays as opening hours name them, Monday first (``date.weekday()``)."""


def label(vocabulary: Mapping[str, tuple[object, ...]], code: str) -> str:
    """``活动室 room``: the Chinese label, then the English."""
    found = vocabulary[code]
    return f"{found[0]} {found[1]}"
