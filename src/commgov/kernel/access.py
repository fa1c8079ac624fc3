"""The default permission rules, as a pure function the default plugin calls."""

from __future__ import annotations

from typing import Final

import attrs

from commgov.kernel import actors as roles
from commgov.kernel.actors import Actor

READ: Final = "read"
WRITE: Final = "write"
READ_PERSONAL: Final = "read_personal"
MANAGE_UNITS: Final = "manage_units"
MANAGE_STAFF: Final = "manage_staff"
LEDGER_WRITE: Final = "ledger.write"
ACTIONS: Final = (READ, WRITE, READ_PERSONAL, MANAGE_UNITS, MANAGE_STAFF, LEDGER_WRITE)


@attrs.frozen
class Target:
    """What an action touches: a unit (by its path) and, for household data, the household."""

    description: str
    unit_path: str | None = None
    household_id: int | None = None

    def within(self, unit_ids: frozenset[int]) -> bool:
        if self.unit_path is None:
            return False
        return any(f"/{u}/" in self.unit_path for u in unit_ids)


_STAFF_ACTIONS: Final = {
    roles.TOWN_ADMIN: frozenset(ACTIONS),
    roles.COMMUNITY_STAFF: frozenset(ACTIONS),
    roles.GRID_WORKER: frozenset({READ, WRITE, READ_PERSONAL, LEDGER_WRITE}),
    roles.DEPARTMENT_STAFF: frozenset({READ}),
}


def default_allows(actor: Actor, action: str, target: Target, acts_as: str) -> bool:
    """Reach by role: staff act on their units and those below; residents on their household."""
    if acts_as == roles.SYSTEM:
        return True
    if acts_as == roles.RESIDENT:
        own = target.household_id is not None and target.household_id == actor.household_id
        return own and action in (READ, WRITE, READ_PERSONAL)
    allowed = _STAFF_ACTIONS.get(acts_as, frozenset())
    return action in allowed and target.within(actor.units)
