"""Build Chengguan town (城关镇, Yucheng county) as seed 004 gives it: 12 communities, 87
comprehensive and 76 dedicated grids, about 125,000 residents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from commgov.demo.population import PersonFactory
from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.people.service.importing import Progress

COUNTY = ("411425", "虞城县 Yucheng county")
TOWN = ("411425100", "城关镇 Chengguan town")
COMMUNITY_NAMES = (
    "东关", "西关", "南关", "北关", "木兰", "嵩山", "光明", "建设", "利民", "胜利", "新华", "文化",
)  # fmt: skip
DEDICATED_COVERS = (
    "school",
    "market",
    "hospital",
    "enterprise",
    "construction_site",
    "government_office",
)
DEPARTMENTS = (
    ("police", "城关派出所 police station"),
    ("fire", "消防救援站 fire station"),
    ("justice", "司法所 justice office"),
    ("city_management", "城管中队 city management"),
    ("market_regulation", "市场监管所 market regulation"),
)


@attrs.frozen
class TownPlan:
    """The shape of the demo town; defaults are the figures in seed 004."""

    communities: int = 12
    comprehensive_grids: int = 87
    dedicated_grids: int = 76
    residents: int = 125_000
    seed: int = 7336
    today: dt.date = dt.date(2025, 6, 30)


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def build_chengguan(
    cg: Commgov, plan: TownPlan = TownPlan(), *, progress: Progress | None = None
) -> dict[str, Any]:
    """Create the town's units, staff, departments and residents; return their codes."""
    admin = Actor.system("demo builder")
    make = cg.grids.create
    make(admin, code=COUNTY[0], name=COUNTY[1], kind="county")
    town = make(admin, code=TOWN[0], parent=COUNTY[0], name=TOWN[1], kind="town")
    for kind, name in DEPARTMENTS:
        cg.staff.add_department(
            admin, code=f"{TOWN[0]}-{kind}", name=name, kind=kind, unit=town.code
        )
    cg.staff.add(admin, name="镇综治办 town office", role="town_admin", units=[town.code])
    comprehensive = _spread(plan.comprehensive_grids, plan.communities)
    dedicated = _spread(plan.dedicated_grids, plan.communities)
    grids: list[str] = []
    communities: list[str] = []
    for index in range(plan.communities):
        label = COMMUNITY_NAMES[index % len(COMMUNITY_NAMES)]
        community = make(admin, parent=town.code, name=f"{label}社区", kind="community")
        communities.append(community.code)
        cg.staff.add(
            admin, name=f"{label}社区工作站", role="community_staff", units=[community.code]
        )
        for g in range(comprehensive[index]):
            grid = make(admin, parent=community.code, name=f"{label}第{g + 1}网格", kind="grid")
            grids.append(grid.code)
            cg.staff.add(
                admin,
                name=f"网格员{grid.code[-6:]}",
                role="grid_worker",
                units=[grid.code],
                employment="full_time",
            )
        for g in range(dedicated[index]):
            covers = DEDICATED_COVERS[(index + g) % len(DEDICATED_COVERS)]
            grid = make(
                admin, parent=community.code, name=f"{label}{covers}专属网格{g + 1}",
                kind="grid", grid_type="dedicated", covers=covers,
            )  # fmt: skip
            cg.staff.add(
                admin,
                name=f"兼职网格员{grid.code[-6:]}",
                role="grid_worker",
                units=[grid.code],
                employment="part_time",
            )
    rows = list(_resident_rows(plan, grids))
    report = cg.imports.import_rows(admin, rows, source="chengguan-demo", progress=progress)
    return {
        "town": town.code,
        "communities": communities,
        "grids": grids,
        "dedicated_grids": sum(dedicated),
        "households": report.households,
        "residents": report.residents,
    }


def _resident_rows(plan: TownPlan, grids: list[str]) -> Any:
    people = PersonFactory(plan.seed, COUNTY[0], plan.today)
    count, number = 0, 0
    while count < plan.residents:
        number += 1
        grid = grids[people.rng.randrange(len(grids))]
        rng = people.rng
        building, entrance, flat = rng.randint(1, 60), rng.randint(1, 6), rng.randint(101, 1802)
        address = f"城关镇{grid[-6:-3]}社区{building}号楼{entrance}单元{flat}"
        for row in people.household(f"H{number:06d}", grid, address):
            if count >= plan.residents:
                return
            count += 1
            yield row


def summary_rows(cg: Commgov, communities: list[str]) -> list[dict[str, Any]]:
    """One row per community: grids, households, residents and care-group counts."""
    viewer = Actor.system("demo summary")
    out = []
    for code in communities:
        counts = cg.grids.counts(viewer, code)
        row: dict[str, Any] = {"community": cg.grids.get(code).name}
        row["grids"] = f"{counts.get('comprehensive_grid', 0)}+{counts.get('dedicated_grid', 0)}"
        row["households"] = counts["households"]
        row["residents"] = counts["residents"]
        for group in ("living_alone", "empty_nest", "disability", "hardship"):
            row[group] = cg.residents.count_under(viewer, code, care_group=group)
        row["workers"] = len(cg.staff.workers(viewer, code, role="grid_worker"))
        out.append(row)
    return out
