"""The case categories a simulation draws, the levels it models, and the core's defaults for
them — derived from the case engine (``commgov.cases``), never copied.

The category list is the core's leaf categories (those without sub-categories, in the order
``DEFAULT_CATEGORIES`` declares them); each category's default owner level is its
``CategorySpec.level``; the default deadline at every level is the core's for a ``normal``
case. Only what the case engine does not know is the simulation's own, keyed by category code:
``REPORT_SHARES``, the mix of what residents report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final

import numpy as np

from commgov.cases.model.categories import DEFAULT_CATEGORIES, CategoryTree
from commgov.cases.model.rules import DEFAULT_DEADLINES, Deadlines

GRID, COMMUNITY, TOWN = 0, 1, 2
LEVELS: Final = ("grid", "community", "town")
"""The owner levels the simulation models (queues at each); past the town a case leaves."""
LEVEL_INDEX: Final = {"grid": GRID, "community": COMMUNITY, "town": TOWN, "county": TOWN}
"""A case-engine owner level as a simulated level: county work counts as the town's, the
simulation's top level."""
SEVERITY: Final = "normal"
"""Every simulated case is of normal severity (一般)."""
_DAY_SECONDS: Final = 86_400

CORE_TREE: Final = CategoryTree.build(DEFAULT_CATEGORIES)
"""The core's category registry, as the case engine builds it without town plugins."""

REPORT_SHARES: Final[Mapping[str, float]] = {
    "dispute.neighbour": 0.18,
    "dispute.family": 0.08,
    "dispute.property": 0.07,
    "dispute.labour": 0.04,
    "safety.fire": 0.05,
    "safety.building": 0.04,
    "safety.traffic": 0.04,
    "environment": 0.22,
    "facilities": 0.14,
    "assistance": 0.08,
    "order": 0.06,
}
"""Simulation only: the share of residents' reports in each category (normalised to sum to 1;
a core leaf category missing here is never drawn)."""


def resolve_days(deadlines: Deadlines) -> int:
    """The time to resolve as whole simulated days (rounded up, at least one)."""
    return max(1, math.ceil(deadlines.resolve.total_seconds() / _DAY_SECONDS))


CATEGORY_NAMES: Final = tuple(
    spec.code for spec in DEFAULT_CATEGORIES if not CORE_TREE.children(spec.code)
)
"""The categories the simulation draws, index ``i`` being ``CATEGORY_NAMES[i]``: the core's
leaf categories (top-level ones without sub-categories included) in declaration order."""
_weights = np.array([REPORT_SHARES.get(code, 0.0) for code in CATEGORY_NAMES])
CATEGORY_SHARES: Final = _weights / _weights.sum()
"""The chance a report is of each category, aligned with ``CATEGORY_NAMES``."""

DEFAULT_LEVELS: Final = np.array(
    [LEVEL_INDEX[CORE_TREE.get(code).level] for code in CATEGORY_NAMES], dtype=np.int8
)
"""The core's default owner level of each category (its ``CategorySpec.level``)."""
DEFAULT_DEADLINE_BY_LEVEL: Final = tuple(
    resolve_days(DEFAULT_DEADLINES[SEVERITY]) for _level in LEVELS
)
"""The core's default days to resolve a normal case at each level (the same at every level
and for every category: ``commgov_case_deadlines`` answers by severity)."""
