"""Progress as a tree: a leaf's progress is entered, a parent's rolls up from its children
(weighted by their weights, or a plain average), and the project's from its top items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Final, Literal, get_args

import attrs

Rollup = Literal["weighted", "average"]
ROLLUPS: Final[tuple[Rollup, ...]] = get_args(Rollup)


@attrs.frozen
class Item:
    """One node of a project's tree: a milestone or a part of one."""

    id: int
    parent_id: int | None
    title: str
    weight: int
    progress: int
    rollup: str
    position: int


def roll_up(items: Sequence[Item], project_rollup: str) -> tuple[Fraction, Mapping[int, Fraction]]:
    """The project's progress and each item's, as percentages. A leaf is its own progress; a
    parent rolls up its children by its ``rollup``; the project rolls up its top items by its
    own. A project without items is at 0."""
    children: dict[int | None, list[Item]] = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)
    found: dict[int, Fraction] = {}

    def of(item: Item) -> Fraction:
        below = children.get(item.id, [])
        value = Fraction(item.progress) if not below else combine(below, item.rollup)
        found[item.id] = value
        return value

    def combine(group: Sequence[Item], how: str) -> Fraction:
        values = [(of(i), i.weight) for i in group]
        if how == "average":
            return sum((v for v, _ in values), Fraction(0)) / len(values)
        total = sum(w for _, w in values)
        return sum((v * w for v, w in values), Fraction(0)) / total

    top = children.get(None, [])
    overall = combine(top, project_rollup) if top else Fraction(0)
    return overall, found


def percent(value: Fraction) -> float:
    """A progress for people to read: a percentage with one decimal."""
    return round(float(value), 1)
