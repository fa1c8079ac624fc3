"""What a front-desk clerk reads when a booking or a closure is refused: one sentence in
English with its Chinese after it, times local to the store. No personal data: bookings are
named by their number and time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from commgov.resources.model.slots import local, span_words
from commgov.resources.model.values import Booking, Closure


def full(name: str, at: dt.datetime, used: int, capacity: int, zone: dt.tzinfo) -> str:
    """``活动室 is full at 2026-12-05 19:00 (3 of 3 places booked)`` and its Chinese."""
    when = local(at, zone)
    return (
        f"{name} is full at {when} ({used} of {capacity} places booked) "
        f"({name} {when} 已约满，已预约 {used}/{capacity})"
    )


def closed(name: str, closure: Closure, zone: dt.tzinfo) -> str:
    span = span_words(closure.starts_at, closure.ends_at, zone)
    return f"{name} is closed {span} ({closure.reason}) ({name} {span} 暂停开放：{closure.reason})"


def bookings_in_the_way(name: str, found: Sequence[Booking], zone: dt.tzinfo) -> str:
    """The live bookings a closure would overlap: cancel them first."""
    shown = ", ".join(
        f"booking {b.id} ({span_words(b.starts_at, b.ends_at, zone)})" for b in found[:10]
    )
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    return (
        f"{len(found)} live booking(s) of {name} fall in the closed period: {shown}{more}; "
        f"cancel them first ({name} 在该时段有 {len(found)} 个有效预约，请先取消)"
    )


def no_such(kind: str, key: int) -> str:
    """``no resource number 8 (没有编号为 8 的资源)``; ``kind``: resource, booking."""
    zh = {"resource": "资源", "booking": "预约"}.get(kind, kind)
    return f"no {kind} number {key} (没有编号为 {key} 的{zh})"
