"""A reversed earning (a correction) does not count towards the day's and month's caps."""

from __future__ import annotations

from tests.conftest import Town


def test_points_taken_back_free_the_cap_again(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    home = any_town.household(
        any_town.grid_a1, {"name": "李秀英", "birth_date": "1960-01-01", "sex": "F"}
    )
    (rid,) = home.member_ids
    cap = cg.points.table(any_town.community_a)["volunteer"].cap_per_day
    assert cap is not None
    first = cg.points.earn(admin, rid, "volunteer", client_id="day-1", quantity=10)
    assert first.granted == cap
    assert cg.points.earn(admin, rid, "volunteer", client_id="day-1b", quantity=1).granted == 0
    cg.ledger.transfer(
        admin, client_id="undo-day-1", ledger="points", debit=f"resident:{rid}",
        credit="system:issuance", amount=cap, reason="correction", reverses="day-1",
    )  # fmt: skip
    again = cg.points.earn(admin, rid, "volunteer", client_id="day-1c", quantity=10)
    assert again.granted == cap  # the taken-back points no longer fill the cap
    balance = cg.points.balance(admin, rid)
    assert balance is not None and balance.balance == cap
