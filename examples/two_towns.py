"""Two towns, one store, two ways of working: Chengguan on the 7336 method, Xinhe on 三事分流.

    python examples/two_towns.py [DB_URL]

Needs the town plugins installed (``make`` installs every ``plugins/*/``). The same kind of
case — a quarrel between neighbours — is triaged and routed by each town's own plugin, and
the same two hours of volunteering earn the points each town's table gives. Finally each
town's rules run a small simulation (``rules="plugin:<name>"``).
"""

from __future__ import annotations

import sys
from typing import Any

import commgov
from commgov.sim import Scenario, simulate

TOWNS = {
    "yucheng7336": {
        "county": ("411425", "虞城县", "county"),
        "town": ("411425100", "城关镇", "town"),
        "community": "东关社区",
        "grid": "东关第1网格",
        "staff": {
            "community": ["gold_mediator", "policy_explainer", "counsellor", "community_staff"],
            "grid": ["dispute_resolver", "safety_inspector", "patroller", "grid_worker"],
        },
    },
    "xinhe": {
        "county": ("440310", "坪山区", "district"),
        "town": ("440310001", "坪山街道", "street"),
        "community": "新和社区",
        "grid": "新和第1网格",
        "staff": {
            "community": ["community_staff", "party_mass_station"],
            "grid": ["grid_worker", "self_governance_lead"],
        },
    },
}


def build_town(cg: commgov.Commgov, admin: commgov.Actor, plugin: str) -> dict[str, Any]:
    """Units, staff and one volunteer for a town; the plugin enabled on it."""
    plan = TOWNS[plugin]
    (county, county_name, county_kind), (town, town_name, town_kind) = plan["county"], plan["town"]
    cg.grids.create(admin, code=county, name=county_name, kind=county_kind)
    cg.grids.create(admin, parent=county, code=town, name=town_name, kind=town_kind)
    community = cg.grids.create(admin, parent=town, name=plan["community"], kind="community")
    grid = cg.grids.create(admin, parent=community.code, name=plan["grid"], kind="grid")
    cg.enable_plugins(admin, town, [plugin])
    roles: dict[str, str] = {}
    for level, unit in (("community", community.code), ("grid", grid.code)):
        for role in plan["staff"][level]:
            member = cg.staff.add(admin, name=f"{role} {unit[-3:]}", role=role, units=[unit])
            roles[f"staff:{member.id}"] = role
    home = cg.residents.add_household(admin, unit=grid.code, address="1号楼1单元")
    volunteer = cg.residents.add_resident(
        admin, household_id=home.id, name="陈志愿", birth_date="1968-04-12", sex="F"
    )
    return {"town": town, "grid": grid.code, "roles": roles, "volunteer": volunteer.id}


def neighbour_quarrel(cg: commgov.Commgov, admin: commgov.Actor, town: dict[str, Any]) -> Any:
    """Report, accept, triage and dispatch the same kind of case; the rules choose the lead."""
    case = cg.cases.report(admin, unit=town["grid"], text="楼上楼下因噪音争吵", channel="hotline")
    cg.cases.accept(admin, case.id)
    cg.cases.triage(admin, case.id, category="dispute.neighbour")
    return cg.cases.dispatch(admin, case.id)


def main(url: str = "sqlite:///:memory:") -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    admin = commgov.Actor.system("two towns example")
    with commgov.open(url, secret_key=commgov.new_secret_key()) as cg:
        for plugin in TOWNS:
            town = build_town(cg, admin, plugin)
            case = neighbour_quarrel(cg, admin, town)
            earned = cg.points.earn(
                admin, town["volunteer"], "volunteer", client_id=f"{plugin}-v1", quantity=2
            )
            results[plugin] = {
                "owner_level": case.owner_level,
                "lead_role": town["roles"].get(case.lead or "", case.lead),
                "points_for_2h_volunteering": earned.granted,
            }
    for plugin, got in results.items():
        scenario = Scenario(days=60, town={"residents": 5000, "grids": 20, "communities": 4})
        run = simulate(scenario.with_values({"rules.rules": f"plugin:{plugin}", "seed": 7}))
        got["simulated_points_issued"] = int(run.summary()["points_issued"])
    print(
        f"{'town plugin':<12} {'owner':<10} {'lead role':<20} {'points/2h':>9} {'sim points':>11}"
    )
    for plugin, got in results.items():
        print(
            f"{plugin:<12} {got['owner_level']:<10} {got['lead_role']:<20} "
            f"{got['points_for_2h_volunteering']:>9} {got['simulated_points_issued']:>11,}"
        )
    return results


if __name__ == "__main__":
    main(*sys.argv[1:2])
