"""一户一档 summary: households, residents and complete files per unit, counted in SQL."""

from __future__ import annotations

import pytest
from tests.conftest import Town, make_identity

import commgov


def test_counts_per_grid_and_care_households(any_town: Town) -> None:
    t = any_town
    complete = {
        "name": "张三", "identity_number": make_identity("19700101", 11), "phone": "13912345678",
        "birth_date": "1970-01-01", "sex": "M",
    }  # fmt: skip
    partial = {
        "name": "李四",
        "birth_date": "1945-02-02",
        "sex": "F",
        "care_groups": "living_alone",
    }
    full = t.household(t.grid_a1, complete, partial)
    t.household(t.grid_a1)  # no members yet
    t.household(t.grid_b1, {**partial, "name": "王五"})
    counts = t.cg.household_files.counts(t.admin, t.town)
    a1, b1 = counts[t.grid_a1], counts[t.grid_b1]
    assert (a1.households, a1.households_with_members, a1.residents) == (2, 1, 2)
    assert (a1.complete_files, a1.care_households) == (1, 1)
    assert (b1.households, b1.residents, b1.complete_files) == (1, 1, 0)
    assert t.grid_a2 not in counts
    assert t.cg.household_files.care_household_ids(t.admin, t.community_a) == [full.id]


def test_a_worker_sees_only_their_grid(any_town: Town) -> None:
    t = any_town
    worker = t.worker(t.grid_a1)
    assert t.cg.household_files.counts(worker, t.grid_a1) == {}
    with pytest.raises(commgov.PermissionDenied):
        t.cg.household_files.counts(worker, t.community_a)
