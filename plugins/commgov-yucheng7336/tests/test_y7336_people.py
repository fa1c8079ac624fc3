"""师徒结对 and 银发调解团, 三维考核 and 星级评定 with points for stars."""

from __future__ import annotations

import pytest

import commgov
from commgov_yucheng7336 import assessment, mentors, vocab
from conftest import Towns


def staff_id(actor: commgov.Actor) -> int:
    assert actor.staff_id is not None
    return actor.staff_id


def pairs_count(t: Towns) -> int:
    return len(t.store.records.find(t.admin, kind=vocab.MENTOR_PAIR, under=t.town))


def test_a_master_mentors_one_apprentice_at_a_time(t: Towns) -> None:
    master = staff_id(t.staff[vocab.GOLD_MEDIATOR])
    apprentice = staff_id(t.staff[vocab.DISPUTE_RESOLVER])
    mentors.pair(t.store, t.admin, master_id=master, apprentice_id=apprentice)
    assert mentors.mentor_of(t.store, t.admin, apprentice) == master
    with pytest.raises(commgov.ConflictError, match=str(apprentice)):
        mentors.pair(
            t.store,
            t.admin,
            master_id=staff_id(t.staff[vocab.COUNSELLOR]),
            apprentice_id=apprentice,
        )
    mentors.unpair(t.store, t.admin, apprentice_id=apprentice)
    assert mentors.mentor_of(t.store, t.admin, apprentice) is None
    assert mentors.pairs(t.store, t.admin, t.town) == []
    silver = t.add_staff(vocab.SILVER_MEDIATOR_ROLE, t.grid)
    mentors.pair(t.store, t.admin, master_id=staff_id(silver), apprentice_id=apprentice)
    (current,) = mentors.pairs(t.store, t.admin, t.town)
    assert (current.master_id, current.apprentice_id) == (staff_id(silver), apprentice)
    mentors.join_silver_pool(t.store, t.admin, staff_id=staff_id(silver), specialties=["婚姻家庭"])
    assert mentors.silver_pool(t.store, t.admin, t.town) == {staff_id(silver): ["婚姻家庭"]}


@pytest.mark.parametrize(
    ("master", "apprentice", "field"),
    [
        (vocab.PATROLLER, vocab.DISPUTE_RESOLVER, "master_id"),  # an officer is no master
        (vocab.GOLD_MEDIATOR, vocab.COUNSELLOR, "apprentice_id"),  # a master is no apprentice
        (vocab.GOLD_MEDIATOR, "nobody", "apprentice_id"),
    ],
)
def test_bad_pairs_name_the_field_and_write_nothing(
    t: Towns, master: str, apprentice: str, field: str
) -> None:
    apprentice_id = 999_999 if apprentice == "nobody" else staff_id(t.staff[apprentice])
    with pytest.raises(commgov.ValidationError) as caught:
        mentors.pair(
            t.store, t.admin, master_id=staff_id(t.staff[master]), apprentice_id=apprentice_id
        )
    assert caught.value.field == field
    assert pairs_count(t) == 0


def led_case(t: Towns, worker: commgov.Actor, rating: int | None) -> None:
    cases = t.store.cases
    case = cases.report(t.admin, unit=t.grid, text="噪音", category="order")
    cases.accept(t.admin, case.id)
    cases.triage(t.admin, case.id)
    cases.dispatch(t.admin, case.id, lead=f"staff:{staff_id(worker)}")
    if rating is not None:
        cases.start(worker, case.id)
        cases.resolve(worker, case.id, outcome="已处理")
        cases.inform(worker, case.id)
        cases.visit(t.admin, case.id, rating=rating)


def test_three_dimensions_make_the_score_and_stars_pay_once(t: Towns) -> None:
    worker = t.staff[vocab.PATROLLER]
    led_case(t, worker, rating=5)
    led_case(t, worker, rating=None)  # dispatched, not yet resolved
    for rating in (5, 4):
        assessment.rate(
            t.store, t.admin, staff_id=staff_id(worker), by="residents", rating=rating,
            year=2025, month=6,
        )  # fmt: skip
    assessment.rate(
        t.store, t.admin, staff_id=staff_id(worker), by="organisation", rating=5,
        year=2025, month=6,
    )  # fmt: skip
    got = assessment.assess(t.store, t.admin, staff_id(worker), 2025, 6)
    assert got.performance == pytest.approx(100 * (0.5 + 1 + 1) / 3)
    assert got.residents == pytest.approx(87.5) and got.organisation == 100.0
    expected = 0.5 * got.performance + 0.3 * 87.5 + 0.2 * 100
    assert got.score == pytest.approx(expected, abs=0.01) and got.stars == 4
    first = assessment.award_stars(t.store, t.admin, got)
    again = assessment.award_stars(t.store, t.admin, got)
    assert first.id == again.id
    assert t.store.ledger.account(t.admin, "points", f"staff:{staff_id(worker)}").balance == 50
    only_ratings = assessment.assess(
        t.store, t.admin, staff_id(worker), 2025, 6,
        weights=assessment.Weights(performance=0.0, residents=0.5, organisation=0.5),
    )  # fmt: skip
    assert only_ratings.score == pytest.approx(93.75) and only_ratings.stars == 5


def test_a_month_without_data_scores_zero_and_one_star(t: Towns) -> None:
    got = assessment.assess(t.store, t.admin, staff_id(t.staff[vocab.COUNSELLOR]), 2025, 5)
    assert (got.performance, got.residents, got.score, got.stars) == (None, None, 0.0, 1)
    assessment.award_stars(t.store, t.admin, got)
    with pytest.raises(commgov.NotFoundError):  # one star earns nothing: no account opened
        t.store.ledger.account(t.admin, "points", f"staff:{got.staff_id}")


@pytest.mark.parametrize(
    ("weights", "message"),
    [({"performance": 0.9}, "sum to 1.4"), ({"residents": -0.1, "organisation": 0.6}, "greater")],
)
def test_weights_are_checked(weights: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        assessment.Weights(**weights)


def test_bad_ratings_name_the_field(t: Towns) -> None:
    worker = staff_id(t.staff[vocab.PATROLLER])
    for fields, field in (
        ({"by": "neighbours", "rating": 3}, "by"),
        ({"by": "residents", "rating": 6}, "rating"),
    ):
        with pytest.raises(commgov.ValidationError) as caught:
            assessment.rate(t.store, t.admin, staff_id=worker, year=2025, month=6, **fields)  # type: ignore[arg-type]
        assert caught.value.field == field
    assert t.store.records.find(t.admin, kind=vocab.RESIDENT_RATING, under=t.town) == []
