"""Property: whatever order a register is taken and corrected in, each resident holds the
points and minutes of one attendance exactly when they are marked present, and the books
balance."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SECRET, build_town
from tests.organisations.conftest import END, START, Clock, furnish

import commgov

pytestmark = pytest.mark.property

PEOPLE = 4
marks = st.lists(st.tuples(st.integers(0, PEOPLE - 1), st.booleans()), min_size=1, max_size=12)


@settings(max_examples=30, deadline=None)
@given(steps=st.lists(marks, min_size=1, max_size=5))
def test_marks_pay_once_and_corrections_reverse(steps: list[list[tuple[int, bool]]]) -> None:
    clock = Clock()
    with commgov.open(
        "sqlite:///:memory:", secret_key=SECRET, discover_plugins=False, clock=clock
    ) as cg:
        club = furnish(build_town(cg), clock, people=PEOPLE + 1)
        activity = club.activity(places=PEOPLE)
        people = club.residents[1:]
        for actor in club.actors[1:]:
            cg.activities.sign_up(actor, activity.id)
        clock.now = END
        present: dict[int, bool] = {}
        for register in steps:
            latest = {people[who]: came for who, came in register}  # last mark per person wins
            cg.activities.take_attendance(
                club.leader, activity.id,
                present=[r for r, came in latest.items() if came],
                absent=[r for r, came in latest.items() if not came],
            )  # fmt: skip
            present.update(latest)
        per_hour = cg.points.table(club.town.community_a)["volunteer"].points
        hours = (END - START) // dt.timedelta(hours=1)
        for rid in people:
            balance = cg.points.balance(club.admin, rid)
            held = 0 if balance is None else balance.balance
            assert held == (per_hour * hours if present.get(rid) else 0)
            assert cg.timebank.person(club.admin, rid).held == (
                activity.minutes if present.get(rid) else 0
            )
        for ledger in ("points", "time"):
            books = cg.ledger.books(club.admin, ledger)
            assert books["debits_posted"] == books["credits_posted"]
