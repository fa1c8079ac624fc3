"""七个一: the seven duties of a grid worker, recorded as plugin records.

每日一访 a visit a day, 建好一档 complete household files (counted by the core, see
``compliance.py``), 绘制一图 a map point per household, 组建一群 the grid's resident group,
发放一卡 a contact card per household, 稳控一域 the grid's risk level, 开好一会 a meeting held.

Every function validates all of its input before it writes. A visit whose finding opens a case
reports the case first (that is the step the case engine may refuse) and then keeps the visit
record with the case id; a refused case leaves no visit record behind."""

from __future__ import annotations

import datetime as dt
from typing import Final

from commgov import Actor, Commgov, RecordView, ValidationError
from commgov_yucheng7336 import vocab

TEXT_MAX: Final = 2000
RISK_LEVELS: Final = {"low": "低 low", "medium": "中 medium", "high": "高 high"}


def _text(field: str, value: object, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        need = "non-empty text" if required else "text"
        raise ValidationError(field, value, f"{need} of at most {limit} characters")
    return value.strip()


def _count(field: str, value: object, *, low: int = 0, high: int = 100_000) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field, value, f"a whole number from {low} to {high}")
    return value


def _when(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and (not isinstance(value, dt.datetime) or value.tzinfo is None):
        raise ValidationError("at", value, "a timezone-aware datetime")
    return value


def household_ref(household_id: int) -> str:
    return f"household:{household_id}"


def record_visit(
    store: Commgov,
    actor: Actor,
    *,
    household_id: int,
    findings: str = "",
    open_case: str | None = None,
    category: str | None = None,
    at: dt.datetime | None = None,
) -> RecordView:
    """每日一访: the actor visited a household; ``open_case`` (the problem, in words) reports
    a case from the visit (channel ``grid_visit``) in the household's grid."""
    findings = _text("findings", findings)
    if open_case is not None:
        open_case = _text("open_case", open_case, required=True)
    at = _when(at)
    home = store.residents.household(actor, household_id)  # the household and the reach
    case_id = None
    if open_case is not None:
        case = store.cases.report(
            actor,
            unit=home.unit_code,
            channel="grid_visit",
            text=open_case,
            category=category,
            household_id=household_id,
        )
        case_id = case.id
    return store.records.add(
        actor,
        kind=vocab.VISIT_LOG,
        unit=home.unit_code,
        data={"worker": actor.label(), "findings": findings, "case_id": case_id},
        at=at,
        ref=household_ref(household_id),
    )


def record_group(
    store: Commgov, actor: Actor, *, grid: str, name: str, size: int, at: dt.datetime | None = None
) -> RecordView:
    """组建一群: the grid's resident group (a chat group) and how many residents are in it."""
    data = {"name": _text("name", name, required=True, limit=80), "size": _count("size", size)}
    return store.records.add(actor, kind=vocab.GROUP_CHAT, unit=grid, data=data, at=_when(at))


def issue_card(
    store: Commgov, actor: Actor, *, household_id: int, at: dt.datetime | None = None
) -> RecordView:
    """发放一卡: a contact card with the grid worker's number was given to a household."""
    at = _when(at)
    home = store.residents.household(actor, household_id)
    return store.records.add(
        actor,
        kind=vocab.CONTACT_CARD,
        unit=home.unit_code,
        data={"worker": actor.label()},
        at=at,
        ref=household_ref(household_id),
    )


def assess_risk(
    store: Commgov,
    actor: Actor,
    *,
    grid: str,
    level: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> RecordView:
    """稳控一域: the grid's stability risk as the worker assesses it (low, medium, high)."""
    if level not in RISK_LEVELS:
        raise ValidationError("level", level, f"expected one of {', '.join(RISK_LEVELS)}")
    data = {"level": level, "note": _text("note", note)}
    return store.records.add(actor, kind=vocab.AREA_RISK, unit=grid, data=data, at=_when(at))


def record_meeting(
    store: Commgov,
    actor: Actor,
    *,
    grid: str,
    topic: str,
    attendees: int,
    minutes: str,
    at: dt.datetime | None = None,
) -> RecordView:
    """开好一会: a meeting held in the grid, with its minutes."""
    data = {
        "topic": _text("topic", topic, required=True, limit=200),
        "attendees": _count("attendees", attendees, low=1),
        "minutes": _text("minutes", minutes, required=True),
    }
    return store.records.add(actor, kind=vocab.GRID_MEETING, unit=grid, data=data, at=_when(at))


def place_household(
    store: Commgov,
    actor: Actor,
    *,
    household_id: int,
    lat: float,
    lon: float,
    at: dt.datetime | None = None,
) -> RecordView:
    """绘制一图: where a household is on the grid's map (WGS-84 degrees)."""
    for field, value, limit in (("lat", lat, 90.0), ("lon", lon, 180.0)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or abs(value) > limit:
            raise ValidationError(field, value, f"degrees between -{limit:g} and {limit:g}")
    at = _when(at)
    home = store.residents.household(actor, household_id)
    return store.records.add(
        actor,
        kind=vocab.HOUSEHOLD_PLACE,
        unit=home.unit_code,
        data={"lat": float(lat), "lon": float(lon)},
        at=at,
        ref=household_ref(household_id),
    )
