"""Times at the boundary: every moment is aware, stored and returned in UTC, within a range the
store and date arithmetic can hold; days, weeks and months are counted in the store's zone.

``EARLIEST`` and ``LATEST`` bound every moment a caller gives (and every moment a service
computes from one, such as a deadline or a timeout); ``LONGEST`` bounds every duration. Both
back ends hold these, and adding ``LONGEST`` to ``LATEST`` still fits in a ``datetime``."""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from commgov.errors import ConfigurationError, ValidationError

DEFAULT_ZONE: Final = "Asia/Shanghai"
EARLIEST: Final = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST: Final = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
LONGEST: Final = dt.timedelta(days=36_600)  # a hundred years
CLOCK_SKEW: Final = dt.timedelta(minutes=5)
"""How far past the store's clock a reported moment may lie (a device's clock running fast)."""


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``Asia/Shanghai``), or ``ConfigurationError``."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ConfigurationError(f"time_zone={name!r}: not an IANA time zone name") from None


def as_utc(field: str, value: object) -> dt.datetime:
    """``value`` as an aware UTC datetime, or ``ValidationError`` naming ``field``: it must be
    a ``datetime`` with a time zone (a naive one is refused, not guessed) between ``EARLIEST``
    and ``LATEST``."""
    if not isinstance(value, dt.datetime):
        raise ValidationError(field, value, "expected a datetime with a time zone")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(field, value, "a naive datetime: give it a time zone")
    try:
        moment = value.astimezone(dt.UTC)
    except OverflowError:
        moment = None
    if moment is None or not EARLIEST <= moment <= LATEST:
        raise ValidationError(
            field, value, f"outside {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d} (UTC)"
        )
    return moment


def not_future(field: str, value: object, now: dt.datetime) -> dt.datetime:
    """``as_utc``, refusing a moment later than ``now`` by more than ``CLOCK_SKEW``: what has
    happened (a death, a move, an hour of service) cannot be dated in the future."""
    moment = as_utc(field, value)
    if moment > now + CLOCK_SKEW:
        raise ValidationError(field, value, f"is in the future (now is {now:%Y-%m-%d %H:%M} UTC)")
    return moment


def optional_utc(field: str, value: object) -> dt.datetime | None:
    """``as_utc``, letting ``None`` through."""
    return None if value is None else as_utc(field, value)


def duration(field: str, value: object, *, positive: bool = True) -> dt.timedelta:
    """``value`` as a ``timedelta`` no longer than ``LONGEST`` (and above zero when
    ``positive``), or ``ValidationError`` naming ``field``."""
    if not isinstance(value, dt.timedelta):
        raise ValidationError(field, value, "expected a timedelta")
    if abs(value) > LONGEST:
        raise ValidationError(field, value, f"longer than {LONGEST.days} days")
    if positive and value <= dt.timedelta(0):
        raise ValidationError(field, value, "must be positive")
    return value


def stored(value: dt.datetime) -> dt.datetime:
    """A moment read back from the store, as an aware UTC datetime (SQLite keeps UTC without
    its zone; PostgreSQL answers in the session's zone)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def local_date(moment: dt.datetime, where: dt.tzinfo) -> dt.date:
    """The calendar day ``moment`` falls on in the zone ``where``."""
    return moment.astimezone(where).date()


def day_start(day: dt.date, where: dt.tzinfo) -> dt.datetime:
    """The first instant of ``day`` in the zone ``where``, in UTC; a day outside
    ``EARLIEST``–``LATEST`` is a ``ValidationError`` (not an overflow deep in a query)."""
    if not EARLIEST.date() <= day <= LATEST.date():
        raise ValidationError(
            "day", day.isoformat(), f"expected a day from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}"
        )
    return dt.datetime.combine(day, dt.time(), tzinfo=where).astimezone(dt.UTC)


def month_start(moment: dt.datetime, where: dt.tzinfo) -> dt.datetime:
    """The first instant, in UTC, of the month ``moment`` falls in, counted in ``where``."""
    return day_start(local_date(moment, where).replace(day=1), where)


__all__ = [
    "DEFAULT_ZONE",
    "EARLIEST",
    "LATEST",
    "LONGEST",
    "as_utc",
    "day_start",
    "duration",
    "local_date",
    "month_start",
    "optional_utc",
    "stored",
    "zone",
]
