"""A town in twenty lines: units, a grid worker, a household, and who sees what.

python examples/quickstart.py [DATABASE]     (default: an in-memory store)
"""

from __future__ import annotations

import sys

import commgov


def main(url: str = "sqlite:///:memory:") -> dict[str, str | None]:
    cg = commgov.open(url)
    admin = commgov.Actor.system("quickstart")
    cg.grids.create(admin, code="411425", name="虞城县", kind="county")
    town = cg.grids.create(admin, parent="411425", code="411425100", name="城关镇", kind="town")
    community = cg.grids.create(admin, parent=town.code, name="东关社区", kind="community")
    grids = [
        cg.grids.create(admin, parent=community.code, name=f"第{i}网格", kind="grid")
        for i in (1, 2)
    ]
    workers = [
        cg.staff.add(
            admin, name=f"网格员{i}", role="grid_worker", units=[g.code], employment="full_time"
        )
        for i, g in enumerate(grids, 1)
    ]
    home = cg.residents.add_household(admin, unit=grids[0].code, address="东关街12号")
    elder = cg.residents.add_resident(
        admin, household_id=home.id, name="张秀英", identity_number="411425194503020025",
        phone="13800138000", care_groups="living_alone",
    )  # fmt: skip
    own = cg.residents.get(cg.staff.actor(workers[0].id), elder.id)
    print("logged view:        ", elder)
    print("own grid's worker:  ", own.identity_number, own.name)
    try:
        cg.residents.get(cg.staff.actor(workers[1].id), elder.id)
    except commgov.PermissionDenied as exc:
        print("other grid's worker:", exc)
    cg.close()
    return {"own_grid_sees": own.identity_number, "logged": repr(elder)}


if __name__ == "__main__":
    main(*sys.argv[1:2])
