"""Boundary data of the case engine: commands in (``CaseReport``, ``CaseAction``) and views out
(``CaseView``, ``CaseEventView``, ``CategoryView``, ``BatchResult``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict, StrictInt

from commgov.errors import ValidationError

M = TypeVar("M", bound=BaseModel)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def parse(model: type[M], value: M | dict[str, Any]) -> M:
    """``model`` from a dict; pydantic's errors become ``ValidationError(field, value, why)``."""
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or model.__name__
        raise ValidationError(field, first.get("input"), first["msg"]) from None


class CaseReport(_Model):
    """A new case. The grid comes from ``unit`` (a grid code), else from a point placed by a
    ``commgov_locate`` plugin, else from a resident reporter's household."""

    text: str
    channel: str = "resident"
    unit: str | None = None
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    photos: tuple[str, ...] = ()
    category: str | None = None
    severity: str = "normal"
    device_id: str | None = None
    household_id: int | None = None


class CaseAction(_Model):
    """One transition for ``cases.apply_many``. Which fields count depends on ``action``:
    reject (``kind``, ``note`` = reason, ``duplicate_of``), triage (``category``, ``severity``,
    ``owner_level``), dispatch (``lead`` as ``staff:<id>`` or ``department:<code>``,
    ``co_operators``), resolve (``note`` = what was done), visit (``rating``), merge
    (``into``), escalate (``note``)."""

    case_id: int
    action: str
    note: str | None = None
    attachments: tuple[str, ...] = ()
    kind: str | None = None
    duplicate_of: int | None = None
    category: str | None = None
    severity: str | None = None
    owner_level: str | None = None
    lead: str | None = None
    co_operators: tuple[str, ...] | None = None
    rating: StrictInt | None = None
    into: int | None = None


class CaseView(_Model):
    id: int
    unit_code: str
    channel: str
    state: str
    text: str
    category: str | None
    severity: str
    owner_level: str
    lead: str | None
    co_operators: tuple[str, ...]
    address: str | None
    lat: float | None
    lon: float | None
    photos: tuple[str, ...]
    device_id: str | None
    alarm_count: int
    reported_at: dt.datetime
    response_due: dt.datetime
    resolve_due: dt.datetime
    responded_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    rating: int | None
    reopen_count: int
    escalations: int
    merged_into: int | None
    duplicate_of: int | None
    reject_kind: str | None
    version: int


class CaseEventView(_Model):
    seq: int
    action: str
    actor: str
    at: dt.datetime
    from_state: str | None
    to_state: str
    note: str | None
    attachments: tuple[str, ...]
    data: dict[str, Any]


class CategoryView(_Model):
    code: str
    label: str
    parent: str | None
    department: str | None
    level: str


class BatchResult(_Model):
    """What ``apply_many`` did: the number of events and each touched case's state/version."""

    applied: int
    states: dict[int, str]
    versions: dict[int, int]
