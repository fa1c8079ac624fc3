"""The progress tree's roll-up, as pure rules."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commgov.projects.model.progress import Item, roll_up


def item(
    i: int, parent: int | None, progress: int = 0, weight: int = 1, rollup: str = "weighted"
) -> Item:
    return Item(id=i, parent_id=parent, title=f"t{i}", weight=weight, progress=progress,
                rollup=rollup, position=i)  # fmt: skip


def test_a_parent_rolls_up_its_children_by_weight_or_average() -> None:
    items = [
        item(1, None, 100, weight=1),
        item(2, None, weight=3),
        item(3, 2, 50, weight=1),
        item(4, 2, 0, weight=1),
    ]
    overall, each = roll_up(items, "weighted")
    assert each[2] == 25 and overall == Fraction(100 * 1 + 25 * 3, 4)
    overall, _ = roll_up(items, "average")
    assert overall == Fraction(125, 2)
    assert roll_up([], "weighted")[0] == 0


@st.composite
def trees(draw: st.DrawFn) -> list[Item]:
    n = draw(st.integers(1, 12))
    made: list[Item] = []
    for i in range(1, n + 1):
        parent = draw(st.one_of(st.none(), st.integers(1, i - 1))) if i > 1 else None
        made.append(
            item(i, parent, draw(st.integers(0, 100)), draw(st.integers(1, 9)),
                 draw(st.sampled_from(["weighted", "average"])))
        )  # fmt: skip
    return made


@pytest.mark.property
@given(trees(), st.sampled_from(["weighted", "average"]))
def test_a_parent_lies_between_its_childrens_progress(items: list[Item], how: str) -> None:
    overall, each = roll_up(items, how)
    assert 0 <= overall <= 100
    for parent in items:
        below = [each[c.id] for c in items if c.parent_id == parent.id]
        if below:
            assert min(below) <= each[parent.id] <= max(below)
        else:
            assert each[parent.id] == parent.progress
    leaves = [i for i in items if all(c.parent_id != i.id for c in items)]
    if all(leaf.progress == 100 for leaf in leaves):
        assert overall == 100
