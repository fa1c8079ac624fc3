"""A synthetic month of 七个一 work and 六到位 activities for a town, deterministic by seed.

For demos and simulations: grid workers visit households most days (care-group households
first), issue contact cards, put households on the map, keep their resident group, assess
their grid's risk weekly, hold a monthly meeting; communities hold legal-publicity sessions and
joint patrols. ``diligence`` is the chance a worker does each piece of work. Everything is
written through ``store.records.add_many`` in one unit of work."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections import defaultdict
from typing import Any

from commgov import Actor, Commgov, ValidationError
from commgov_yucheng7336 import vocab
from commgov_yucheng7336.compliance import moment
from commgov_yucheng7336.duties import household_ref


def record_month(
    store: Commgov,
    actor: Actor,
    unit: str,
    year: int,
    month: int,
    *,
    seed: int = 1,
    diligence: float = 0.9,
) -> int:
    """Write the month's work records under ``unit``; the number written."""
    if not 0.0 <= diligence <= 1.0:
        raise ValidationError("diligence", diligence, "a probability from 0 to 1")
    rng = random.Random(f"7336-month:{seed}:{unit}:{year}-{month}")
    first = dt.date(year, month, 1)
    days = calendar.monthrange(year, month)[1]
    homes: dict[str, list[int]] = defaultdict(list)
    for home in store.residents.households_under(actor, unit):
        homes[home.unit_code].append(home.id)
    care = set(store.household_files.care_household_ids(actor, unit))
    workers: dict[str, str] = {}
    for member in store.staff.workers(actor, unit):
        for code in member.unit_codes:
            workers.setdefault(code, f"staff:{member.id}")
    grids = [u for u in store.grids.descendants(unit) if u.kind == "grid" and not u.retired]
    start = moment(store, first) + dt.timedelta(hours=9)
    out: list[dict[str, Any]] = []

    def add(
        kind: str, grid: str, data: dict[str, Any], at: dt.datetime, ref: str | None = None
    ) -> None:
        out.append({"kind": kind, "unit": grid, "data": data, "at": at, "ref": ref})

    for grid in grids:
        code, here = grid.code, homes.get(grid.code, [])
        worker = workers.get(code, actor.label())
        if rng.random() < diligence + (1 - diligence) / 2:
            add(vocab.GROUP_CHAT, code, {"name": f"{grid.name}居民群", "size": len(here)}, start)
        for household in here:
            if rng.random() < diligence + (1 - diligence) * 0.8:
                add(vocab.CONTACT_CARD, code, {"worker": worker}, start, household_ref(household))
            if rng.random() < diligence + (1 - diligence) * 0.8:
                point = {"lat": 34.4 + rng.random() / 50, "lon": 115.86 + rng.random() / 50}
                add(vocab.HOUSEHOLD_PLACE, code, point, start, household_ref(household))
        cared = [h for h in here if h in care]
        for day in range(days):
            at = start + dt.timedelta(days=day, hours=rng.randrange(8))
            if here and rng.random() < diligence:
                for _ in range(rng.randint(1, 3)):
                    pool = cared if cared and rng.random() < 0.5 else here
                    household = rng.choice(pool)
                    visit = {"worker": worker, "findings": "", "case_id": None}
                    add(vocab.VISIT_LOG, code, visit, at, household_ref(household))
            if day % 7 == 0 and rng.random() < diligence:
                add(
                    vocab.AREA_RISK,
                    code,
                    {"level": rng.choice(("low", "low", "medium")), "note": ""},
                    at,
                )
            if day % 7 == 3 and rng.random() < diligence * 0.8:
                patrol = {"activity": "joint_patrol", "participants": rng.randint(3, 12)}
                add(vocab.STANDARD_ACTIVITY, code, {**patrol, "note": ""}, at)
        if rng.random() < diligence:
            at = start + dt.timedelta(days=rng.randrange(days))
            minutes = {"topic": "网格议事", "attendees": rng.randint(8, 30), "minutes": "议定事项"}
            add(vocab.GRID_MEETING, code, minutes, at)
        if rng.random() < diligence:
            at = start + dt.timedelta(days=rng.randrange(days))
            session = {"activity": "legal_publicity", "participants": rng.randint(10, 60)}
            add(vocab.STANDARD_ACTIVITY, code, {**session, "note": ""}, at)
    store.records.add_many(actor, out)
    return len(out)
