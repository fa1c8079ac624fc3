"""Who does things: every write names an ``Actor``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

import attrs

from commgov.errors import ValidationError
from commgov.kernel.values import check_int, check_text

SYSTEM: Final = "system"
TOWN_ADMIN: Final = "town_admin"
COMMUNITY_STAFF: Final = "community_staff"
GRID_WORKER: Final = "grid_worker"
DEPARTMENT_STAFF: Final = "department_staff"
RESIDENT: Final = "resident"
CORE_ROLES: Final = (SYSTEM, TOWN_ADMIN, COMMUNITY_STAFF, GRID_WORKER, DEPARTMENT_STAFF, RESIDENT)
LABEL_MAX: Final = 200
"""The longest ``role:name`` label: the audit log and every ``actor`` column keep it."""


def _unit_set(units: Iterable[int]) -> frozenset[int]:
    return frozenset(check_int("units", u) for u in units)


def _optional_id(field: str) -> Callable[[object, attrs.Attribute[int | None], int | None], None]:
    def check(_actor: object, _attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is not None:
            check_int(field, value)

    return check


@attrs.frozen
class Actor:
    """A person or process acting on the store.

    ``units`` are the unit ids the actor is assigned to (a grid worker's grids, a community
    worker's community, a town administrator's town); ``household_id`` is a resident's own.
    """

    role: str
    name: str
    units: frozenset[int] = attrs.field(default=frozenset(), converter=_unit_set)
    household_id: int | None = attrs.field(default=None, validator=_optional_id("household_id"))
    staff_id: int | None = attrs.field(default=None, validator=_optional_id("staff_id"))
    resident_id: int | None = attrs.field(default=None, validator=_optional_id("resident_id"))
    """A resident's own id, where they act as themselves (a council member casting a vote)."""

    def __attrs_post_init__(self) -> None:
        check_text("role", self.role, LABEL_MAX)
        check_text("name", self.name, LABEL_MAX)
        if not self.role or not self.name:
            raise ValidationError("name" if self.role else "role", "", "must not be empty")
        if len(self.label()) > LABEL_MAX:
            raise ValidationError(
                "name",
                self.name[:40] + "…",
                f"role and name together exceed {LABEL_MAX} characters",
            )

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        """An actor with every right: set-up scripts, imports run by an operator, jobs."""
        return cls(role=SYSTEM, name=name)

    @classmethod
    def resident(cls, name: str, household_id: int, resident_id: int | None = None) -> Actor:
        return cls(role=RESIDENT, name=name, household_id=household_id, resident_id=resident_id)

    def label(self) -> str:
        return f"{self.role}:{self.name}"


@attrs.frozen
class RoleSpec:
    """A role a plugin adds. ``acts_as`` names the core role whose reach and rights it has."""

    name: str
    label: str
    acts_as: str
    description: str = ""
