"""Checks on what callers give, before any database work: text, ids, head counts, and a visit
to log (its fields named as the caller gave them: ``topic``, or ``visits[2].topic`` in a
batch)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from commgov.errors import ValidationError
from commgov.kernel.times import not_future
from commgov.kernel.values import INT32, check_int, check_text, shown
from commgov.opinions.model.limits import NOTE_MAX, PEOPLE_MAX
from commgov.opinions.model.topics import TopicTree
from commgov.opinions.model.values import VISIT_FIELDS, VisitEntry


def text(field: str, value: object, limit: int, *, required: bool = True) -> str | None:
    """``value`` stripped: text of at most ``limit`` characters the store can keep; empty (or
    ``None``) is refused when ``required`` and ``None`` when not."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ValidationError(field, value, "expected text")
    stripped = value.strip()
    if not stripped:
        if required:
            raise ValidationError(field, value, "must not be empty")
        return None
    if len(stripped) > limit:
        raise ValidationError(
            field, shown(stripped), f"{len(stripped)} characters; at most {limit} allowed"
        )
    return check_text(field, stripped, limit)


def record_id(field: str, value: object) -> int:
    """An id: a whole number from 1 that the store's ids can hold."""
    number = check_int(field, value, INT32)
    if number < 1:
        raise ValidationError(field, value, "an id is a whole number from 1")
    return number


def head_count(field: str, value: object) -> int:
    """How many people came: 1 to ``PEOPLE_MAX``."""
    number = check_int(field, value)
    if not 1 <= number <= PEOPLE_MAX:
        raise ValidationError(field, value, f"expected 1 to {PEOPLE_MAX} people")
    return number


def visit_entry(
    given: VisitEntry | Mapping[str, Any], *, where: str, topics: TopicTree, now: dt.datetime
) -> VisitEntry:
    """``given`` checked and normalised (note stripped, ``at`` in UTC, ``now`` when not given);
    ``where`` prefixes every field name (``visits[2].``)."""
    if isinstance(given, Mapping):
        unknown = sorted(set(given) - set(VISIT_FIELDS))
        if unknown:
            raise ValidationError(f"{where}{unknown[0]}", given[unknown[0]], "unknown field")
        for name in ("point_id", "topic", "note"):
            if name not in given:
                raise ValidationError(f"{where}{name}", None, "required")
        fields = dict(given)
    elif isinstance(given, VisitEntry):
        fields = attrs.asdict(given)
    else:
        raise ValidationError(where.rstrip(".") or "visit", given, "a VisitEntry or a mapping")
    at = fields.get("at")
    resident = fields.get("resident_id")
    return VisitEntry(
        point_id=record_id(f"{where}point_id", fields["point_id"]),
        topic=topics.get(fields["topic"], f"{where}topic").code,
        note=str(text(f"{where}note", fields["note"], NOTE_MAX)),
        at=now if at is None else not_future(f"{where}at", at, now),
        resident_id=None if resident is None else record_id(f"{where}resident_id", resident),
        people=head_count(f"{where}people", fields.get("people", 1)),
    )
