"""七个一 compliance: for each grid (and the workers who answer for it) whether each of the
seven duties was met in a period, and per community the share of grids that met each.

The rules (also in ``docs/yucheng7336.md``, "七个一"):

- 每日一访 visit: at least one household visit on every day of the period (met by a grid
  without households, e.g. a dedicated grid);
- 建好一档 files: at least 90% of the grid's residents have a complete file;
- 绘制一图 map: at least 90% of the grid's households have a map point;
- 组建一群 group: the grid's resident group was recorded by the period's end;
- 发放一卡 card: at least 90% of households were given a contact card by the period's end;
- 稳控一域 risk: a risk assessment in the period or the 7 days before its end;
- 开好一会 meeting: a grid meeting in the period or the 7 days before its end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Final

import attrs

from commgov import Actor, Commgov, RecordView, ValidationError
from commgov_yucheng7336 import vocab

DUTIES: Final = {
    "visit": "每日一访 a visit a day",
    "files": "建好一档 household files complete",
    "map": "绘制一图 households on the map",
    "group": "组建一群 resident group",
    "card": "发放一卡 contact cards issued",
    "risk": "稳控一域 area risk assessed",
    "meeting": "开好一会 meeting held",
}
COVERAGE_TARGET: Final = 0.9
LOOKBACK: Final = dt.timedelta(days=7)


@attrs.frozen
class GridDuties:
    """One grid's duties over a period; ``met`` maps each duty to whether it was met."""

    grid: str
    workers: tuple[str, ...]
    visit_days: int
    days: int
    files_share: float
    map_share: float
    card_share: float
    met: dict[str, bool]

    @property
    def met_count(self) -> int:
        return sum(self.met.values())


@attrs.frozen
class CommunityDuties:
    """A community's share of grids meeting each duty."""

    community: str
    grids: int
    shares: dict[str, float]


def moment(store: Commgov, day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the store's time zone (``store.time_zone``, default
    Asia/Shanghai): every duty day, week and month starts there."""
    return dt.datetime.combine(day, dt.time(), tzinfo=store.time_zone)


def day_of(store: Commgov, at: dt.datetime) -> dt.date:
    """The calendar day ``at`` falls on in the store's time zone."""
    return at.astimezone(store.time_zone).date()


def grid_duties(
    store: Commgov, actor: Actor, unit: str, start: dt.date, end: dt.date
) -> list[GridDuties]:
    """Every grid under ``unit`` over the days ``start`` (inclusive) to ``end`` (exclusive)."""
    if not isinstance(start, dt.date) or not isinstance(end, dt.date) or end <= start:
        raise ValidationError("end", end, f"a date after start {start!r}")
    grids = [u.code for u in store.grids.descendants(unit) if u.kind == "grid" and not u.retired]
    if store.grids.get(unit).kind == "grid":
        grids = [unit]
    since, until = moment(store, start) - LOOKBACK, moment(store, end)
    found = {
        kind: store.records.find(actor, kind=kind, under=unit, until=until)
        for kind in (vocab.GROUP_CHAT, vocab.CONTACT_CARD, vocab.HOUSEHOLD_PLACE)
    }
    recent = {
        kind: store.records.find(actor, kind=kind, under=unit, since=since, until=until)
        for kind in (vocab.VISIT_LOG, vocab.AREA_RISK, vocab.GRID_MEETING)
    }
    files = store.household_files.counts(actor, unit)
    names: dict[str, list[str]] = defaultdict(list)
    for member in store.staff.workers(actor, unit):
        for code in member.unit_codes:
            names[code].append(member.name)
    visits = _visit_days(store, recent[vocab.VISIT_LOG], moment(store, start))
    cards = _refs(found[vocab.CONTACT_CARD])
    places = _refs(found[vocab.HOUSEHOLD_PLACE])
    groups = {r.unit_code for r in found[vocab.GROUP_CHAT]}
    risks = {r.unit_code for r in recent[vocab.AREA_RISK]}
    meetings = {r.unit_code for r in recent[vocab.GRID_MEETING]}
    days = (end - start).days
    rows = []
    for grid in grids:
        counts = files.get(grid)
        households = counts.households if counts else 0
        residents = counts.residents if counts else 0
        complete = counts.complete_files if counts else 0
        files_share = complete / residents if residents else 1.0
        map_share = len(places[grid]) / households if households else 1.0
        card_share = len(cards[grid]) / households if households else 1.0
        visit_days = len(visits[grid])
        met = {
            "visit": visit_days >= days or households == 0,  # nothing to visit
            "files": files_share >= COVERAGE_TARGET,
            "map": map_share >= COVERAGE_TARGET,
            "group": grid in groups,
            "card": card_share >= COVERAGE_TARGET,
            "risk": grid in risks,
            "meeting": grid in meetings,
        }
        rows.append(
            GridDuties(
                grid=grid,
                workers=tuple(sorted(names.get(grid, ()))),
                visit_days=visit_days,
                days=days,
                files_share=files_share,
                map_share=map_share,
                card_share=card_share,
                met=met,
            )
        )
    return rows


def daily(store: Commgov, actor: Actor, unit: str, day: dt.date) -> list[GridDuties]:
    """The day's compliance per grid."""
    return grid_duties(store, actor, unit, day, day + dt.timedelta(days=1))


def weekly(store: Commgov, actor: Actor, unit: str, monday: dt.date) -> list[GridDuties]:
    """The week's compliance per grid, the week starting on ``monday``."""
    if monday.weekday() != 0:
        raise ValidationError("monday", monday, "a Monday")
    return grid_duties(store, actor, unit, monday, monday + dt.timedelta(days=7))


def by_community(store: Commgov, actor: Actor, rows: Iterable[GridDuties]) -> list[CommunityDuties]:
    """The share of each community's grids that met each duty."""
    grouped: dict[str, list[GridDuties]] = defaultdict(list)
    for row in rows:
        grouped[store.grids.get(row.grid).parent_code or row.grid].append(row)
    return [
        CommunityDuties(
            community=code,
            grids=len(members),
            shares={d: sum(r.met[d] for r in members) / len(members) for d in DUTIES},
        )
        for code, members in sorted(grouped.items())
    ]


def by_worker(rows: Iterable[GridDuties]) -> dict[str, list[GridDuties]]:
    """Each worker's grids and their duties (a worker may answer for several grids)."""
    out: dict[str, list[GridDuties]] = defaultdict(list)
    for row in rows:
        for name in row.workers:
            out[name].append(row)
    return dict(sorted(out.items()))


def frame(rows: Iterable[GridDuties]) -> Any:
    """The rows as a pandas DataFrame, one column per duty."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "grid": r.grid,
                "workers": ", ".join(r.workers),
                "visit_days": r.visit_days,
                "days": r.days,
                **{duty: r.met[duty] for duty in DUTIES},
                "met": r.met_count,
            }
            for r in rows
        ]
    )


def _refs(records: Iterable[RecordView]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for record in records:
        if record.ref is not None:
            out[record.unit_code].add(record.ref)
    return out


def _visit_days(
    store: Commgov, records: Iterable[RecordView], start: dt.datetime
) -> dict[str, set[dt.date]]:
    out: dict[str, set[dt.date]] = defaultdict(set)
    for record in records:
        if record.at >= start:
            out[record.unit_code].add(day_of(store, record.at))
    return out
