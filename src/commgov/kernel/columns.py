"""Column types that guard the store: every value bound to a column is checked before it
reaches the database, so no back end stores what another would refuse.

- ``Str(n)``: text of at most ``n`` characters, without NUL characters or lone surrogates
  (PostgreSQL refuses the first, every UTF-8 encoder the second; SQLite takes any length).
- ``Int`` and ``BigInt``: whole numbers (not ``bool``, not ``float``) that fit in 32 and 64
  bits (PostgreSQL's ``integer`` and ``bigint``; SQLite would take 64 bits in either).
- ``Moment``: an aware datetime, stored in UTC and read back aware in UTC on both back ends
  (SQLite keeps no zone; PostgreSQL answers in the session's zone).
- ``Json``: JSON data with finite numbers, text as ``Str`` allows, nested at most
  ``JSON_DEPTH`` deep.

A value that fails is a ``ValidationError`` naming the column; ``UnitOfWork`` hands it to the
caller as it is (SQLAlchemy wraps it on the way) and rolls back, so nothing is written. The
length in ``Str(n)`` is the one declaration of a limit: models check against the same
constant, with the caller's own name for the field (``commgov.kernel.values``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Dialect, Integer, String, event
from sqlalchemy.types import TypeDecorator

from commgov.kernel.times import as_utc, stored
from commgov.kernel.values import INT32, INT64, check_int, check_json, check_text


class _Guarded(TypeDecorator[Any]):
    """A type that knows its column's name (set when the column joins its table)."""

    cache_ok = True
    field = "value"


class Str(_Guarded):
    impl = String
    cache_ok = True

    def __init__(self, length: int | None = None) -> None:
        super().__init__(length)
        self.length = length

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else check_text(self.field, value, self.length)


class Int(_Guarded):
    impl = Integer
    cache_ok = True
    top = INT32

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else check_int(self.field, value, self.top)


class BigInt(Int):
    impl = BigInteger
    cache_ok = True
    top = INT64


class Moment(_Guarded):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        moment = as_utc(self.field, value)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else stored(value)


class Json(_Guarded):
    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else check_json(self.field, value)


@event.listens_for(Column, "after_parent_attach")
def _name_guard(column: Column[Any], _table: object) -> None:
    if isinstance(column.type, _Guarded):
        column.type.field = column.name


__all__ = ["BigInt", "Int", "Json", "Moment", "Str"]
