"""Between simulations and a store: a town's shape from the store, a run's cases into it.

``write_cases`` drives each simulated case through the real case engine with the store's
clock moved to the simulated times, in batches (one ``report_many`` per day, one
``apply_many`` per moment), so the store's metrics describe the simulated period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.sim.categories import CATEGORY_NAMES, LEVELS
from commgov.sim.registry import make_rules
from commgov.sim.rules import Rules
from commgov.sim.run import SimulationResult
from commgov.sim.spec import TownSpec

REPORTED, DISPATCHED, ESCALATED, RESOLVED = (
    dt.timedelta(hours=9),
    dt.timedelta(hours=9, minutes=30),
    dt.timedelta(hours=12),
    dt.timedelta(hours=16),
)


def town_from_store(cg: Commgov, unit: str, **overrides: Any) -> TownSpec:
    """A ``TownSpec`` with the store's counts under ``unit``: residents, comprehensive grids,
    communities and grid workers per grid (other fields from ``overrides`` or defaults)."""
    viewer = Actor.system("simulation")
    counts = cg.grids.counts(viewer, unit)
    grids = max(counts.get("comprehensive_grid", 0), 1)
    workers = len(cg.staff.workers(viewer, unit, role="grid_worker"))
    values: dict[str, Any] = {
        "residents": max(counts.get("residents", 0), 1),
        "grids": grids,
        "communities": min(max(counts.get("community", 0), 1), grids),
        "workers_per_grid": max(round(workers / grids), 1) if workers else 0,
    }
    return TownSpec(**(values | overrides))


@contextmanager
def moved_clock(cg: Commgov) -> Iterator[list[dt.datetime]]:
    """Within the block the store's clock reads ``holder[0]``; set it to move time."""
    context = cg.context
    original = context.clock
    holder = [original()]
    context.clock = lambda: holder[0]
    try:
        yield holder
    finally:
        context.clock = original


def write_cases(
    cg: Commgov,
    result: SimulationResult,
    unit: str,
    *,
    start: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Store ``result``'s cases (``simulate(..., log_cases=True)``) under the comprehensive
    grids of ``unit``: simulated grid ``g`` is the unit's ``g``-th grid (by code), day 0 is
    ``start``. Each case is dispatched to the grid worker, community staff or town
    administrator of its owner level and escalated as it was in the run. Returns the count.
    ``progress(done, total)`` is called as each simulated day is stored."""
    if result.cases is None:
        raise ValueError("simulate(..., log_cases=True) first: the result holds no cases")
    actor = Actor.system("simulation")
    grids = [u.code for u in cg.grids.descendants(unit) if u.grid_type == "comprehensive"]
    leads = {g: _leads(cg, actor, g) for g in grids}
    base = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    deadlines = _deadline_table(make_rules(result.scenario.rules))
    moments: dict[dt.datetime, list[dict[str, Any]]] = defaultdict(list)
    by_day: dict[int, list[dict[str, int]]] = defaultdict(list)
    for record in result.cases.to_dict("records"):
        row = {str(k): int(v) for k, v in record.items()}
        by_day[row["reported"]].append(row)
    days = sorted(by_day)
    with moved_clock(cg) as clock:
        for done, day in enumerate(days, 1):
            rows = by_day[day]
            clock[0] = base + dt.timedelta(days=day) + REPORTED
            homes = [grids[row["grid"] % len(grids)] for row in rows]
            reports = [
                {"text": f"simulated case {row['id']}", "unit": home, "channel": "resident",
                 "category": CATEGORY_NAMES[row["category"]]}
                for row, home in zip(rows, homes, strict=True)
            ]  # fmt: skip
            ids = cg.cases.report_many(actor, reports)
            for case_id, row, home in zip(ids, rows, homes, strict=True):
                for moment, action in _actions(base, case_id, row, leads[home], deadlines):
                    moments[moment].append(action)
            _flush(cg, actor, clock, moments, until=base + dt.timedelta(days=day + 1))
            if progress is not None:
                progress(done, len(days))
        _flush(cg, actor, clock, moments, until=None)
    return len(result.cases)


def _leads(cg: Commgov, actor: Actor, grid: str) -> tuple[str | None, ...]:
    """Who leads at each level for cases of ``grid``: its worker, its community's staff, the
    town's administrator (``None`` where the store has nobody)."""
    above = cg.grids.ancestors(grid)
    community = next((u.code for u in reversed(above) if u.kind in ("community", "village")), None)
    town = next((u.code for u in reversed(above) if u.kind in ("town", "street")), None)
    found: list[str | None] = []
    for code, role in ((grid, "grid_worker"), (community, "community_staff"), (town, "town_admin")):
        staff = cg.staff.workers(actor, code, role=role) if code else []
        found.append(f"staff:{staff[0].id}" if staff else None)
    return tuple(found)


def _deadline_table(rules: Rules) -> np.ndarray:
    """Days to resolve by category (rows) and level (columns), as the run set them."""
    categories, levels = np.indices((len(CATEGORY_NAMES), len(LEVELS)))
    return rules.deadline_days(levels.ravel(), categories.ravel()).reshape(categories.shape)


def _actions(
    base: dt.datetime,
    case_id: int,
    row: dict[str, int],
    leads: tuple[str | None, ...],
    deadlines: np.ndarray,
) -> Iterator[tuple[dt.datetime, dict[str, Any]]]:
    """A simulated case's actions at their moments: triage and dispatch on the day reported,
    an escalation (and a new dispatch) at each deadline it missed, then resolution, the
    reporter informed, the visit and, for a satisfied reporter, closing."""
    level = int(row["first_level"])
    category = CATEGORY_NAMES[row["category"]]
    day = base + dt.timedelta(days=int(row["reported"]))
    yield day + DISPATCHED, {"case_id": case_id, "action": "accept"}
    triage = {
        "case_id": case_id,
        "action": "triage",
        "category": category,
        "owner_level": LEVELS[level],
    }
    yield day + DISPATCHED, triage
    lead = leads[level]
    if lead:
        yield day + DISPATCHED, {"case_id": case_id, "action": "dispatch", "lead": lead}
        yield day + DISPATCHED, {"case_id": case_id, "action": "start"}
    due = int(row["reported"])
    for _ in range(int(row["escalations"])):
        due += int(deadlines[row["category"], min(level, len(LEVELS) - 1)])
        moment = base + dt.timedelta(days=due) + ESCALATED
        yield moment, {"case_id": case_id, "action": "escalate", "note": "deadline passed"}
        level += 1
        lead = leads[level] if level < len(leads) else None
        if lead:
            yield moment, {"case_id": case_id, "action": "dispatch", "lead": lead}
            yield moment, {"case_id": case_id, "action": "start"}
    if row["rating"] > 0 and lead:
        done = max(
            base + dt.timedelta(days=int(row["finished"])) + RESOLVED,
            base + dt.timedelta(days=due) + RESOLVED,
        )
        yield done, {"case_id": case_id, "action": "resolve", "note": "simulated"}
        yield done, {"case_id": case_id, "action": "inform"}
        yield done, {"case_id": case_id, "action": "visit", "rating": int(row["rating"])}
        if row["rating"] >= 3:
            yield done, {"case_id": case_id, "action": "close"}


def _flush(
    cg: Commgov,
    actor: Actor,
    clock: list[dt.datetime],
    moments: dict[dt.datetime, list[dict[str, Any]]],
    *,
    until: dt.datetime | None,
) -> None:
    """Apply every planned moment before ``until`` (all of them when ``None``), in time order."""
    for moment in sorted(m for m in moments if until is None or m < until):
        clock[0] = moment
        cg.cases.apply_many(actor, moments.pop(moment))
