"""The council hook: seat kinds come from every available plugin, checked and cached."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import NOW, build_town

import commgov


class BuildingHeads:
    commgov_plugin_name = "test_building_heads"

    @commgov.hookimpl
    def commgov_council_seats(self) -> list[commgov.CouncilSeat]:
        return [
            commgov.CouncilSeat("building_head", "楼栋长", "building head"),
            commgov.CouncilSeat("police", "社区民警（片警）", "community police"),
        ]


def test_hook_commgov_council_seats() -> None:
    with commgov.open(
        "sqlite:///:memory:", plugins=[BuildingHeads()], discover_plugins=False, clock=lambda: NOW
    ) as cg:
        town = build_town(cg)
        seats = {s.code: s for s in cg.councils.seats()}
        assert seats["police"].label == "社区民警（片警）"  # a later plugin relabels
        assert {"residents_rep", "owners_committee", "building_head"} <= set(seats)
        council = cg.councils.create(town.admin, unit=town.community_a, name="议事会")
        member = cg.councils.seat(
            town.admin, council.id, seat="building_head", name="赵楼长",
            term_start=dt.date(2025, 1, 1), term_end=dt.date(2027, 12, 31),
        )  # fmt: skip
        assert (member.seat, member.seat_label) == ("building_head", "楼栋长")


def test_a_seat_answer_of_the_wrong_type_is_a_plugin_error() -> None:
    class Wrong:
        commgov_plugin_name = "wrong_seats"

        @commgov.hookimpl
        def commgov_council_seats(self) -> list[str]:
            return ["building_head"]

    with (
        commgov.open("sqlite:///:memory:", plugins=[Wrong()], discover_plugins=False) as cg,
        pytest.raises(commgov.PluginError, match="commgov_council_seats"),
    ):
        cg.councils.seats()
