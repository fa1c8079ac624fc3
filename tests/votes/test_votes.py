"""Votes through ``cg.votes``: rolls frozen at opening, one ballot per voter, secret ballots
with receipts, results only after close, rules reported on both weights."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from tests.conftest import NOW
from tests.votes.conftest import Street, all_counts

import commgov
from commgov.kernel.repository import AuditRepository
from commgov.votes.tables import vote_ballots

START, END = dt.date(2025, 1, 1), dt.date(2027, 12, 31)


def ballot_rows(cg: commgov.Commgov, vote_id: int) -> list[dict[str, object]]:
    with cg.context.uow(readonly=True) as uow:
        query = select(vote_ballots).where(vote_ballots.c.vote_id == vote_id)
        return [dict(r._mapping) for r in uow.conn.execute(query)]


def test_a_secret_households_vote_from_opening_to_verified_receipts(any_street: Street) -> None:
    cg, admin = any_street.cg, any_street.town.admin
    vote = cg.votes.open(
        admin, question="是否加装电梯？", electorate="households", unit=any_street.town.community_a
    )
    assert (vote.state, vote.roll_headcount, vote.secret) == ("open", 5, True)
    said = ["yes", "yes", "no", "abstain"]
    receipts = [
        cg.votes.cast(v, vote.id, choices=[c])
        for v, c in zip(any_street.voters, said, strict=False)
    ]
    assert all(not r.changed and len(r.receipt) >= 20 for r in receipts)
    assert "receipt='…'" in repr(receipts[0])  # never printed in clear
    with pytest.raises(commgov.StateError, match="published once it closes"):
        cg.votes.result(admin, vote.id)
    turnout = cg.votes.turnout(admin, vote.id)
    assert (turnout.voted, turnout.roll_headcount) == (4, 5)
    assert turnout.voters is not None and all(not t.paper for t in turnout.voters)
    assert cg.votes.turnout(any_street.voters[0], vote.id).voters is None  # a voter sees counts

    rows = ballot_rows(cg, vote.id)
    assert len(rows) == 4 and all(r["voter_key"] is None for r in rows)  # nothing names a voter
    result = cg.votes.close(admin, vote.id)
    sealed = [bytes(r["digest"]) for r in ballot_rows(cg, vote.id)]  # in the engine's own order
    assert sealed == sorted(sealed), "closing rewrote the ballots in digest order"
    if cg.context.engine.dialect.name == "postgresql":
        with cg.context.uow(readonly=True) as uow:
            writers = uow.conn.execute(
                text("SELECT count(DISTINCT xmin::text) FROM vote_ballots WHERE vote_id = :v"),
                {"v": vote.id},
            ).scalar_one()
        assert writers == 1  # one transaction wrote them all: no cast's own
    assert [(o.label, o.headcount) for o in result.options] == [
        ("同意", 2),
        ("不同意", 1),
        ("弃权", 1),
    ]
    assert (result.outcome, result.carried) == ("rejected", [])  # 2 of 4 is not more than half
    assert (result.ballots, result.cast_headcount, result.roll_headcount) == (4, 4, 5)
    assert result.choices is None
    assert result.digests == sorted(r.digest for r in receipts)
    assert all(
        cg.votes.verify(v, vote.id, receipt=r.receipt)
        for v, r in zip(any_street.voters, receipts, strict=False)
    )
    assert not cg.votes.verify(admin, vote.id, receipt="not-a-receipt-of-this-vote")
    assert cg.votes.recount(admin, vote.id).matches
    assert cg.votes.result(any_street.voters[4], vote.id).outcome == "rejected"  # on the roll
    with pytest.raises(commgov.PermissionDenied):
        cg.votes.result(any_street.outsider, vote.id)
    with cg.context.uow(readonly=True) as uow:
        casts = [
            e for e in uow.repo(AuditRepository).of("vote", vote.id) if e.action == "vote.cast"
        ]
    assert len(casts) == 4 and all("choices" not in e.detail for e in casts)


def test_an_open_vote_publishes_who_chose_what(street: Street) -> None:
    cg, admin = street.cg, street.town.admin
    vote = cg.votes.open(
        admin, question="活动室开放时间", electorate="households", unit=street.town.grid_a1,
        kind="one_of", options=["上午", "下午", "晚上"], secret=False, changeable=True,
    )  # fmt: skip
    cg.votes.cast(street.voters[0], vote.id, choices=["上午"])
    cg.votes.cast(street.voters[1], vote.id, choices=["晚上"])
    assert cg.votes.my_ballot(street.voters[0], vote.id) == ["上午"]
    assert cg.votes.my_ballot(street.voters[2], vote.id) is None
    again = cg.votes.cast(street.voters[0], vote.id, choices=["晚上"])  # changed before close
    assert again.changed
    result = cg.votes.close(admin, vote.id)
    assert result.choices is not None
    assert sorted((c.voter, c.choices[0]) for c in result.choices) == sorted(
        [(street.homes[0].address, "晚上"), (street.homes[1].address, "晚上")]
    )
    assert (result.outcome, result.carried) == ("carried", ["晚上"])


def test_a_secret_ballot_changes_only_with_its_receipt(street: Street) -> None:
    cg, admin = street.cg, street.town.admin
    vote = cg.votes.open(
        admin, question="垃圾分类点位置", electorate="households", unit=street.town.grid_a1,
        changeable=True,
    )  # fmt: skip
    first = cg.votes.cast(street.voters[0], vote.id, choices=["yes"])
    with pytest.raises(commgov.ConflictError, match="give its receipt"):
        cg.votes.cast(street.voters[0], vote.id, choices=["no"])
    with pytest.raises(commgov.ValidationError) as caught:
        cg.votes.cast(street.voters[0], vote.id, choices=["no"], replaces="x" * 24)
    assert caught.value.field == "replaces"
    with pytest.raises(commgov.ValidationError, match="no ballot of yours"):
        cg.votes.cast(street.voters[1], vote.id, choices=["no"], replaces=first.receipt)
    second = cg.votes.cast(street.voters[0], vote.id, choices=["no"], replaces=first.receipt)
    assert second.changed
    result = cg.votes.close(admin, vote.id)
    assert [o.headcount for o in result.options] == [0, 1, 0]
    assert result.digests == [second.digest]
    assert not cg.votes.verify(admin, vote.id, receipt=first.receipt)
    with pytest.raises(commgov.StateError, match="secret"):
        cg.votes.my_ballot(street.voters[0], vote.id)


def test_a_council_member_with_two_seats_votes_once(any_street: Street) -> None:
    cg, admin, town = any_street.cg, any_street.town.admin, any_street.town
    council = cg.councils.create(admin, unit=town.community_a, name="邻里议事会")
    (person,) = cg.residents.members(admin, any_street.homes[0].id)
    for seat in ("residents_rep", "owners_committee"):
        cg.councils.seat(
            admin, council.id, seat=seat, resident_id=person.id, term_start=START, term_end=END
        )
    police = cg.councils.seat(
        admin, council.id, seat="police", name="王警官", term_start=START, term_end=END
    )
    rep2 = cg.councils.seat(
        admin, council.id, seat="residents_rep", name="刘代表", term_start=START, term_end=END
    )
    vote = cg.votes.open(admin, question="议题一", electorate="council", council=council.id)
    assert vote.roll_headcount == 3
    member = commgov.Actor.resident(person.name, any_street.homes[0].id, person.id)
    cg.votes.cast(member, vote.id, choices=["yes"])
    with pytest.raises(commgov.ConflictError, match="already voted"):
        cg.votes.cast(member, vote.id, choices=["yes"])
    paper = cg.votes.cast_paper(admin, vote.id, voter=police.voter_key, choices=["yes"])
    assert paper.paper
    with pytest.raises(commgov.ConflictError):
        cg.votes.cast_paper(admin, vote.id, voter=police.voter_key, choices=["no"])
    with pytest.raises(commgov.PermissionDenied, match="not on its roll"):
        cg.votes.cast(any_street.voters[1], vote.id, choices=["yes"])  # a household, not a member
    result = cg.votes.close(admin, vote.id)
    assert (result.ballots, result.paper_ballots, result.outcome) == (2, 1, "carried")
    reps = cg.votes.open(
        admin, question="代表表决", electorate="representatives", council=council.id
    )
    assert reps.roll_headcount == 2  # the person and 刘代表; the police seat is not a rep
    assert rep2.voter_key.startswith("member:")


def owners_register(street: Street, areas: list[str], total: str) -> None:
    street.cg.votes.register_dwellings(
        street.town.admin, unit=street.town.grid_a1, total_area=total,
        dwellings=[
            commgov.DwellingEntry(f"1-{i + 1}01", area, home.id)
            for i, (area, home) in enumerate(zip(areas, street.homes, strict=True))
        ],
    )  # fmt: skip


def test_an_owners_vote_under_civil_code_278_reports_both_weights(any_street: Street) -> None:
    cg, admin = any_street.cg, any_street.town.admin
    owners_register(any_street, ["120.50", "80", "80", "60", "59.5"], "400")
    raising = cg.votes.open(
        admin, question="筹集维修资金", electorate="owners", unit=any_street.town.grid_a1,
        rule="civil_code_278", matter=6,
    )  # fmt: skip
    assert (raising.roll_headcount, raising.roll_area) == (5, Decimal("400"))
    plan = ["yes", "yes", "yes", "no", None]  # 4 of 5 owners, 340.5 of 400 m² take part
    for voter, choice in zip(any_street.voters, plan, strict=True):
        if choice is not None:
            cg.votes.cast(voter, raising.id, choices=[choice])
    result = cg.votes.close(admin, raising.id)
    assert result.quorum == {"area": True, "headcount": True}
    assert (result.cast_headcount, result.cast_area) == (4, Decimal("340.5"))
    yes = result.options[0]
    assert (yes.headcount, yes.area) == (3, Decimal("280.5"))
    assert (yes.headcount_share, round(yes.area_share, 4)) == (0.75, 0.8238)
    assert (result.threshold, result.outcome) == ("≥ 3/4", "carried")


def test_too_few_owners_taking_part_is_no_quorum(street: Street) -> None:
    cg, admin = street.cg, street.town.admin
    owners_register(street, ["200", "50", "50", "50", "50"], "400")
    vote = cg.votes.open(
        admin, question="改变共有部分用途", electorate="owners", unit=street.town.grid_a1,
        rule="civil_code_278", matter=8,
    )  # fmt: skip
    for voter in street.voters[1:]:  # 4 of 5 owners, but only 200 of 400 m²
        cg.votes.cast(voter, vote.id, choices=["yes"])
    result = cg.votes.close(admin, vote.id)
    assert (result.outcome, result.quorum) == ("no_quorum", {"area": False, "headcount": True})
    assert result.outcome_label == "参与表决不足法定比例"


def test_a_vote_past_its_closing_time_takes_no_ballot(street: Street) -> None:
    moments = [NOW]
    cg = street.cg
    cg.context.clock = lambda: moments[-1]
    vote = cg.votes.open(
        street.town.admin, question="q", electorate="households", unit=street.town.grid_a1,
        closes_at=NOW + dt.timedelta(hours=2),
    )  # fmt: skip
    moments.append(NOW + dt.timedelta(hours=2))
    with pytest.raises(commgov.StateError, match="past its closing time"):
        cg.votes.cast(street.voters[0], vote.id, choices=["yes"])
    result = cg.votes.close(street.town.admin, vote.id)
    assert result.ballots == 0
    with pytest.raises(commgov.StateError, match="closed"):
        cg.votes.cast(street.voters[0], vote.id, choices=["yes"])


def test_a_cancelled_vote_publishes_nothing(street: Street) -> None:
    cg, admin = street.cg, street.town.admin
    vote = cg.votes.open(admin, question="q", electorate="households", unit=street.town.grid_a1)
    cg.votes.cast(street.voters[0], vote.id, choices=["yes"])
    cancelled = cg.votes.cancel(admin, vote.id, reason="议题撤回")
    assert (cancelled.state, cancelled.cancel_reason) == ("cancelled", "议题撤回")
    with pytest.raises(commgov.StateError):
        cg.votes.result(admin, vote.id)
    with pytest.raises(commgov.StateError):
        cg.votes.close(admin, vote.id)
    assert [v.id for v in cg.votes.of_unit(admin, street.town.community_a)] == [vote.id]


def test_a_ballot_is_changed_only_by_its_own_voter_and_never_online_over_paper(
    street: Street,
) -> None:
    cg, admin, grid = street.cg, street.town.admin, street.town.grid_a1
    secret = cg.votes.open(
        admin, question="q1", electorate="households", unit=grid, changeable=True
    )
    mine = cg.votes.cast(street.voters[0], secret.id, choices=["yes"])
    theirs = cg.votes.cast(street.voters[1], secret.id, choices=["no"])
    before = all_counts(cg)
    with pytest.raises(commgov.ValidationError, match="your ballot"):
        cg.votes.cast(street.voters[0], secret.id, choices=["yes"], replaces=theirs.receipt)
    assert all_counts(cg) == before
    cg.votes.close(admin, secret.id)
    assert cg.votes.verify(admin, secret.id, receipt=theirs.receipt)  # still counted
    assert cg.votes.verify(admin, secret.id, receipt=mine.receipt)

    open_vote = cg.votes.open(
        admin, question="q2", electorate="households", unit=grid, changeable=True, secret=False
    )
    voter = f"household:{street.homes[2].id}"
    cg.votes.cast_paper(admin, open_vote.id, voter=voter, choices=["yes"])
    with pytest.raises(commgov.ConflictError, match="on paper"):
        cg.votes.cast(street.voters[2], open_vote.id, choices=["no"])
    assert cg.votes.my_ballot(street.voters[2], open_vote.id) == ["同意"]


def test_closing_stops_new_ballots_first(street: Street) -> None:
    cg, admin = street.cg, street.town.admin
    vote = cg.votes.open(admin, question="q", electorate="households", unit=street.town.grid_a1)
    cg.votes.cast(street.voters[0], vote.id, choices=["yes"])
    cg.votes.close(admin, vote.id)
    closed = cg.votes.get(admin, vote.id)
    assert closed.closes_at == closed.closed_at  # the closing time was brought to the close
    with cg.context.uow(readonly=True) as uow:
        actions = [e.action for e in uow.repo(AuditRepository).of("vote", vote.id)]
    assert actions[-2:] == ["vote.stop_casting", "vote.close"]


def test_a_clock_behind_the_opening_takes_no_ballot(street: Street) -> None:
    cg = street.cg
    vote = cg.votes.open(
        street.town.admin, question="q", electorate="households", unit=street.town.grid_a1
    )
    cg.context.clock = lambda: NOW - dt.timedelta(minutes=30)
    with pytest.raises(commgov.StateError, match="not open yet"):
        cg.votes.cast(street.voters[0], vote.id, choices=["yes"])
