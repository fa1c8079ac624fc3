"""五步 (预防, 排查, 研判, 化解, 回访): the 7336 method's five steps laid over the case loop.

预防 prevention happens before a case exists (visits, risk assessments); the other four steps
are read off a case's state, so any report of cases can be shown in the method's own words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Final

PREVENTION: Final = "prevention"
INVESTIGATION: Final = "investigation"
ASSESSMENT: Final = "assessment"
RESOLUTION: Final = "resolution"
FOLLOW_UP: Final = "follow_up"

STEPS: Final = {
    PREVENTION: "预防 prevention",
    INVESTIGATION: "排查 investigation",
    ASSESSMENT: "研判 assessment",
    RESOLUTION: "化解 resolution",
    FOLLOW_UP: "回访 follow-up",
}
"""The five steps in order, ``{name: label}``."""

STEP_OF_STATE: Final = {
    "reported": INVESTIGATION,
    "accepted": INVESTIGATION,
    "triaged": ASSESSMENT,
    "dispatched": ASSESSMENT,
    "in_progress": RESOLUTION,
    "resolved": RESOLUTION,
    "informed": FOLLOW_UP,
    "visited": FOLLOW_UP,
    "closed": FOLLOW_UP,
}
"""A case's state → the step it is in. Rejected, withdrawn and merged cases are in none."""


def step_of(state: str) -> str | None:
    """The step a case in ``state`` is at, or ``None`` for a case that left the loop."""
    return STEP_OF_STATE.get(state)


def count_steps(states: Iterable[str]) -> dict[str, int]:
    """How many cases stand at each of the four case steps (every step present, in order)."""
    counted = Counter(step for s in states if (step := step_of(s)) is not None)
    return {name: counted.get(name, 0) for name in STEPS if name != PREVENTION}
