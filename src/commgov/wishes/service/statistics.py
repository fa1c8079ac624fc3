"""Wish statistics for a unit and a period: counts by kind, tier, category and state, the
fulfilment rate and the median days to fulfil, for the unit and each unit right below it."""

from __future__ import annotations

import datetime as dt
import statistics as stats
from collections import Counter
from typing import Any

from commgov.errors import ValidationError
from commgov.kernel.times import as_utc, day_start
from commgov.people.model.units import Unit
from commgov.people.repository import UnitRepository
from commgov.wishes.model.categories import top
from commgov.wishes.model.vocab import WISH_READ
from commgov.wishes.service.desk import WishDesk
from commgov.wishes.views import WishStatistics

Moment = dt.datetime | dt.date


def period(start: object, end: object, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` in UTC: a datetime as it is (aware), a day from its first instant in
    the store's zone; an ``end`` day is included whole."""
    found = []
    for field, value in (("start", start), ("end", end)):
        if isinstance(value, dt.datetime):
            found.append(as_utc(field, value))
        elif isinstance(value, dt.date):
            day = value + dt.timedelta(days=1) if field == "end" else value
            found.append(day_start(day, zone))
        else:
            raise ValidationError(field, value, "expected a date or an aware datetime")
    if found[1] <= found[0]:
        raise ValidationError("end", end, "must come after start")
    return found[0], found[1]


def statistics(desk: WishDesk, unit: str, start: object, end: object) -> list[WishStatistics]:
    since, until = period(start, end, desk.ctx.zone)
    top_unit = desk.unit_by_code(unit)
    desk.ctx.authorize(desk.actor, WISH_READ, desk.reader_target(top_unit))
    children = desk.uow.repo(UnitRepository).children(top_unit.id)
    groups: list[Unit] = [top_unit, *children]
    rows = desk.repo.statistics_rows(top_unit.path, since, until)
    out = []
    for group in groups:
        mine = [r for r in rows if f"/{group.id}/" in r[0]]
        out.append(_row(group, mine, desk.ctx.zone))
    return out


def _row(unit: Unit, rows: list[Any], zone: dt.tzinfo) -> WishStatistics:
    kinds = Counter(r[1] for r in rows)
    wants = [r for r in rows if r[1] == "want"]
    done = [r for r in wants if r[2] == "fulfilled" and r[6] is not None]
    days = [(r[6] - r[5]).total_seconds() / 86400 for r in done]
    return WishStatistics(
        unit_code=unit.code,
        unit_name=unit.name,
        wishes=len(rows),
        wants=kinds["want"],
        offers=kinds["offer"],
        suggestions=kinds["suggestion"],
        by_tier=dict(sorted(Counter(r[3] or "untriaged" for r in rows).items())),
        by_category=dict(sorted(Counter(top(r[4]) for r in rows).items())),
        by_state=dict(sorted(Counter(r[2] for r in rows).items())),
        fulfilled=len(done),
        fulfilment_rate=len(done) / len(wants) if wants else None,
        median_days_to_fulfil=round(stats.median(days), 3) if days else None,
    )


def frame_rows(found: list[WishStatistics]) -> tuple[list[dict[str, Any]], list[str]]:
    """Flat rows for a DataFrame: the counts by tier, category and state as ``tier_now``,
    ``category_elder``, ``state_open`` … columns (0 where a unit has none)."""
    fixed = [
        "unit_code", "unit_name", "wishes", "wants", "offers", "suggestions", "fulfilled",
        "fulfilment_rate", "median_days_to_fulfil",
    ]  # fmt: skip
    extra: dict[str, None] = {}
    flat = []
    for row in found:
        item = {name: getattr(row, name) for name in fixed}
        for prefix, counts in (
            ("tier", row.by_tier), ("category", row.by_category), ("state", row.by_state)
        ):  # fmt: skip
            for key, n in counts.items():
                extra[f"{prefix}_{key}"] = None
                item[f"{prefix}_{key}"] = n
        flat.append(item)
    columns = fixed + sorted(extra)
    return [{c: r.get(c, 0) for c in columns} for r in flat], columns
