"""Service points (服务点): opened in grids, listed under a unit, retired."""

from __future__ import annotations

import pytest
from tests.conftest import NOW, Town
from tests.opinions.conftest import Board, all_counts

import commgov


def test_points_are_listed_under_a_unit(board: Board) -> None:
    cg, town = board.cg, board.town
    assert [p.name for p in cg.opinions.points(town.admin, town.town)] == [
        "下洋小区服务点", "上沙服务点", "新安服务点"
    ]  # fmt: skip
    (a1,) = cg.opinions.points(board.worker, town.grid_a1)
    assert a1 == board.a1
    assert (a1.unit_code, a1.address, a1.created_at, a1.retired) == (
        town.grid_a1, "下洋路1号", NOW, False
    )  # fmt: skip
    assert cg.opinions.point(board.worker, a1.id) == a1


def test_retiring_a_point_keeps_it_listed_on_request(board: Board) -> None:
    cg, town = board.cg, board.town
    retired = cg.opinions.retire_point(board.community_worker, board.a2.id, reason="并入下洋服务点")
    assert (
        retired.retired and retired.retired_at == NOW and retired.retired_reason == "并入下洋服务点"
    )
    assert [p.id for p in cg.opinions.points(town.admin, town.community_a)] == [board.a1.id]
    listed = cg.opinions.points(town.admin, town.community_a, include_retired=True)
    assert [p.id for p in listed] == [board.a1.id, board.a2.id]
    before = all_counts(cg)
    with pytest.raises(commgov.StateError, match="retired on"):
        cg.opinions.retire_point(town.admin, board.a2.id, reason="again")
    assert all_counts(cg) == before


def test_a_point_sits_in_a_live_grid(town: Town) -> None:
    cg = town.cg
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.add_point(town.admin, unit=town.community_a, name="社区服务站")
    assert (caught.value.field, caught.value.value) == ("unit", town.community_a)
    with pytest.raises(commgov.NotFoundError):
        cg.opinions.add_point(town.admin, unit="411425100009009", name="x")
    for bad in ("", "  ", "服" * 101, None):
        with pytest.raises(commgov.ValidationError) as caught:
            cg.opinions.add_point(town.admin, unit=town.grid_a1, name=bad)  # type: ignore[arg-type]
        assert caught.value.field == "name"
    with pytest.raises(commgov.ValidationError) as caught:
        cg.opinions.add_point(town.admin, unit=town.grid_a1, name="x", address="址" * 201)
    assert caught.value.field == "address"
    cg.grids.retire(town.admin, town.grid_a2, reason="并格")
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError, match="retired"):
        cg.opinions.add_point(town.admin, unit=town.grid_a2, name="x")
    assert all_counts(cg) == before


def test_who_may_open_list_and_retire_points(board: Board) -> None:
    cg, town = board.cg, board.town
    before = all_counts(cg)
    with pytest.raises(commgov.PermissionDenied):  # a grid worker logs; opening is management
        cg.opinions.add_point(board.worker, unit=town.grid_a1, name="x")
    with pytest.raises(commgov.PermissionDenied):  # out of reach
        cg.opinions.add_point(board.community_worker, unit=town.grid_b1, name="x")
    with pytest.raises(commgov.PermissionDenied):
        cg.opinions.retire_point(board.worker, board.a1.id, reason="x")
    resident = commgov.Actor.resident("李秀英", board.household_id)
    with pytest.raises(commgov.PermissionDenied):
        cg.opinions.points(resident, town.grid_a1)
    with pytest.raises(commgov.PermissionDenied):
        cg.opinions.points(board.worker, town.community_a)
    assert all_counts(cg) == before
    assert cg.opinions.add_point(board.community_worker, unit=town.grid_a2, name="第二服务点")
    with pytest.raises(commgov.NotFoundError):
        cg.opinions.point(town.admin, 999)
