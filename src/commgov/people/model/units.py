"""Governance units (网格 and the levels above them) as plain values."""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from commgov.kernel.access import Target

UNIT_KINDS: Final = (
    "province",
    "city",
    "district",
    "county",
    "town",
    "street",
    "community",
    "village",
    "compound",
    "grid",
)
GRID_TYPES: Final = ("comprehensive", "dedicated")
CORE_DEDICATED_COVERS: Final = (
    "school",
    "market",
    "hospital",
    "enterprise",
    "industrial_park",
    "construction_site",
    "scenic_area",
    "government_office",
)


@attrs.frozen
class Unit:
    """One node of the unit tree. ``path`` lists ancestor ids and its own: ``/1/4/9/``."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    path: str
    depth: int
    grid_type: str | None = None
    covers: str | None = None
    created_at: dt.datetime | None = None
    retired_at: dt.datetime | None = None

    @property
    def is_grid(self) -> bool:
        return self.kind == "grid"

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    @property
    def ancestor_ids(self) -> tuple[int, ...]:
        """Ids from the root down to the parent."""
        return tuple(int(p) for p in self.path.strip("/").split("/")[:-1])

    def is_within(self, unit_id: int) -> bool:
        """True when ``unit_id`` is this unit or one of its ancestors."""
        return f"/{unit_id}/" in self.path


def path_within(path: str | None, unit: Unit) -> bool:
    """Does the unit at ``path`` lie within ``unit`` (itself or below)?"""
    return path is not None and f"/{unit.id}/" in path


def unit_target(unit: Unit, household_id: int | None = None) -> Target:
    """The permission target for work on a unit (and optionally one of its households)."""
    return Target(f"unit {unit.code} ({unit.name})", unit.path, household_id)


def household_target(unit: Unit, household_id: int) -> Target:
    """The permission target for work on one household of ``unit``."""
    return household_target_at(unit.code, unit.path, household_id)


def household_target_at(code: str, path: str, household_id: int) -> Target:
    """``household_target`` for a unit known by its code and path only."""
    return Target(f"household {household_id} in unit {code}", path, household_id)
