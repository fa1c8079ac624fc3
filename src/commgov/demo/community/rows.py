"""What the season left, read back through the services as the demo prints it: a row per
community's resources, per organisation's activities and per party branch's service."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from commgov.demo.community.plan import SEASON_END, SEASON_START
from commgov.demo.community.stage import Neighbourhood
from commgov.facade import Commgov
from commgov.kernel.actors import Actor

"""The day after the season: where the activities' and the party's figures stop (they count
up to, not including, their ``end``; the utilisation counts its ``end`` day whole)."""


def resource_rows(
    cg: Commgov,
    admin: Actor,
    town: str,
    hoods: Sequence[Neighbourhood],
    full: Mapping[str, int],
) -> list[dict[str, Any]]:
    """Per community: its resources' open, booked and missed hours and their utilisation
    over the season, the bookings made (every state), refused as full (``full``, by
    community code), cancelled, missed (no-show), rejected, and those made by parties of
    another community."""
    frame = cg.resources.utilisation_by_community(
        admin, unit=town, start=SEASON_START, end=SEASON_END
    )
    usage = {str(r["community"]): r for r in frame.to_dict("records")}
    rows = []
    for hood in hoods:
        code = hood.community.code
        states: Counter[str] = Counter()
        visitors = 0
        for resource_id in hood.resources.values():
            for booking in cg.resources.bookings(
                admin, resource_id=resource_id, start=SEASON_START, end=SEASON_END
            ):
                states[booking.state] += 1
                visitors += not booking.party_unit.startswith(code)
        used = usage.get(code, {})
        rows.append(
            {
                "community": hood.community.name,
                "resources": int(used.get("resources", 0)),
                "open_hours": float(used.get("open_hours", 0.0)),
                "booked_hours": float(used.get("booked_hours", 0.0)),
                "no_show_hours": float(used.get("no_show_hours", 0.0)),
                "utilisation": float(used.get("utilisation", 0.0)),
                "bookings": sum(states.values()),
                "full": full.get(code, 0),
                "cancelled": states["cancelled"],
                "no_show": states["no_show"],
                "rejected": states["rejected"],
                "attended": states["attended"],
                "visitors": visitors,
            }
        )
    return rows


def use_rows(cg: Commgov, admin: Actor, town: str) -> list[dict[str, Any]]:
    """Per resource (by name, over every community): ``resource``, ``resources`` (how many
    communities publish one), ``open_hours``, ``booked_hours`` and ``utilisation``."""
    frame = cg.resources.utilisation(admin, unit=town, start=SEASON_START, end=SEASON_END)
    sums: dict[str, list[float]] = {}
    for row in frame.to_dict("records"):
        total = sums.setdefault(str(row["resource"]), [0, 0.0, 0.0])
        total[0] += 1
        total[1] += float(row["open_hours"])
        total[2] += float(row["booked_hours"])
    return [
        {
            "resource": name,
            "resources": int(n),
            "open_hours": open_,
            "booked_hours": booked,
            "utilisation": booked / open_ if open_ else 0.0,
        }
        for name, (n, open_, booked) in sums.items()
    ]


def organisation_rows(
    cg: Commgov, admin: Actor, town: str, hoods: Sequence[Neighbourhood]
) -> list[dict[str, Any]]:
    """Per organisation other than the party's, as ``cg.activities.statistics`` counts the
    season, by community in the town's order: ``organisation``, ``kind`` (its label),
    ``community``, ``activities``, ``participants`` (attendances), ``volunteers`` (unique)
    and ``hours``."""
    frame = cg.activities.statistics(admin, unit=town, start=SEASON_START, end=SEASON_END)
    kinds = cg.organisations.kinds()
    turns = {hood.community.code: hood.index for hood in hoods}
    names = {hood.community.code: hood.community.name for hood in hoods}
    found = sorted(
        (r for r in frame.to_dict("records") if not kinds[r["kind"]].party),
        key=lambda r: (turns.get(str(r["unit"]), len(turns)), int(r["organisation_id"])),
    )
    return [
        {
            "organisation": str(row["organisation"]),
            "kind": kinds[row["kind"]].label,
            "community": names.get(str(row["unit"]), str(row["unit"])),
            "activities": int(row["activities"]),
            "participants": int(row["participants"]),
            "volunteers": int(row["volunteers"]),
            "hours": float(row["hours"]),
        }
        for row in found
    ]


def party_rows(
    cg: Commgov, admin: Actor, town: str, hoods: Sequence[Neighbourhood]
) -> list[dict[str, Any]]:
    """Per community's branch, from ``cg.organisations.party_service``: party members
    registered (党员双报到), those who served, the activities they attended and the hours, how
    many were held in their own community (``at_home``) or elsewhere."""
    frame = cg.organisations.party_service(admin, unit=town, start=SEASON_START, end=SEASON_END)
    found: dict[str, Counter[str]] = {}
    for row in frame.to_dict("records"):
        sums = found.setdefault(str(row["branch_unit"]), Counter())
        sums["members"] += 1
        sums["serving"] += int(row["activities"]) > 0
        for key in ("activities", "at_home", "elsewhere"):
            sums[key] += int(row[key])
        sums["minutes"] += round(float(row["hours"]) * 60)
    rows = []
    for hood in hoods:
        sums = found.get(hood.community.code, Counter())
        rows.append(
            {
                "community": hood.community.name,
                "members": sums["members"],
                "serving": sums["serving"],
                "activities": sums["activities"],
                "hours": sums["minutes"] / 60,
                "at_home": sums["at_home"],
                "elsewhere": sums["elsewhere"],
            }
        )
    return rows
