"""绘制一图: a grid's households on a map, as GeoJSON, with their situation and no names.

Each household with a map point (``duties.place_household``) is a Point feature with its
household id, the number of members, how many are in a care group (重点人群), whether a contact
card was issued and the date of the last visit. The collection carries the grid's open cases,
open disputes and latest risk level (稳控一域). Names, identity numbers, phones and addresses
are never written."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any, Final

from commgov import Actor, Commgov
from commgov_yucheng7336 import vocab
from commgov_yucheng7336.compliance import day_of

OPEN_STATES: Final = ("reported", "accepted", "triaged", "dispatched", "in_progress")


def grid_map(store: Commgov, actor: Actor, grid: str) -> dict[str, Any]:
    """The grid's households as a GeoJSON ``FeatureCollection``."""
    find = store.records.find
    places = {r.ref: r for r in find(actor, kind=vocab.HOUSEHOLD_PLACE, under=grid)}
    cards = {r.ref for r in find(actor, kind=vocab.CONTACT_CARD, under=grid)}
    visits: dict[str | None, dt.date] = {}
    for record in find(actor, kind=vocab.VISIT_LOG, under=grid):
        visits[record.ref] = day_of(store, record.at)
    risks = find(actor, kind=vocab.AREA_RISK, under=grid)
    members: Counter[int] = Counter()
    cared: Counter[int] = Counter()
    for person in store.residents.under(actor, grid):
        members[person.household_id] += 1
        cared[person.household_id] += bool(person.care_groups)
    features = []
    for ref, place in sorted(places.items(), key=lambda item: str(item[0])):
        household = int(str(ref).removeprefix("household:"))
        last = visits.get(ref)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [place.data["lon"], place.data["lat"]],
                },
                "properties": {
                    "household_id": household,
                    "members": members[household],
                    "care_group_members": cared[household],
                    "card_issued": ref in cards,
                    "last_visit": last.isoformat() if last else None,
                },
            }
        )
    still_open = [c for c in store.cases.under(actor, grid) if c.state in OPEN_STATES]
    disputes = sum(1 for c in still_open if (c.category or "").startswith("dispute"))
    return {
        "type": "FeatureCollection",
        "properties": {
            "grid": grid,
            "open_cases": len(still_open),
            "open_disputes": disputes,  # 稳控一域: with the risk level, the area's stability
            "risk_level": risks[-1].data["level"] if risks else None,
        },
        "features": features,
    }


def write_grid_map(store: Commgov, actor: Actor, grid: str, path: str | Path) -> int:
    """Write the grid's map to ``path``; the number of households on it."""
    collection = grid_map(store, actor, grid)
    Path(path).write_text(json.dumps(collection, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(collection["features"])
