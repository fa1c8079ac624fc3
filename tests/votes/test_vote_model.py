"""The pure rules of votes: thresholds, Civil Code art. 278, choices as bits."""

from __future__ import annotations

from fractions import Fraction

import pytest

import commgov
from commgov.votes.model.ballots import YES_NO, choices_mask, chosen, options_of
from commgov.votes.model.rules import CIVIL_CODE_278, SIMPLE_MAJORITY, TWO_THIRDS, Threshold
from commgov.votes.model.tally import Counts, Weight, count, decide


def test_thresholds_at_least_and_more_than() -> None:
    half = Threshold(Fraction(1, 2), inclusive=False)
    assert not half.met(5, 10)
    assert half.met(6, 10)
    two_thirds = Threshold(Fraction(2, 3))
    assert two_thirds.met(2, 3)
    assert not two_thirds.met(66, 100)
    assert not two_thirds.met(0, 0)


def counts(roll: tuple[int, int], yes: tuple[int, int], no: tuple[int, int]) -> Counts:
    cast = Weight(*yes) + Weight(*no)
    return Counts(Weight(*roll), cast, (Weight(*yes), Weight(*no), Weight()), 0, 0)


def test_civil_code_278_needs_two_thirds_taking_part_on_both_weights() -> None:
    # 9 owners, 900 m²: 6 owners holding 590 m² take part: the area falls short of 600.
    short = counts((9, 900), (6, 590), (0, 0))
    decision = decide(CIVIL_CODE_278, 1, short, yes_no=True)
    assert decision.outcome == "no_quorum"
    assert decision.quorum == {"area": False, "headcount": True}


def test_civil_code_278_items_six_to_eight_need_three_quarters() -> None:
    # 8 owners of 800 m² take part (all); yes: 6 owners with 590 m² (75% of heads, 73.75% of area)
    close = counts((8, 800), (6, 590), (2, 210))
    assert decide(CIVIL_CODE_278, 1, close, yes_no=True).outcome == "carried"
    assert decide(CIVIL_CODE_278, 6, close, yes_no=True).outcome == "rejected"
    exact = counts((8, 800), (6, 600), (2, 200))
    assert decide(CIVIL_CODE_278, 7, exact, yes_no=True).outcome == "carried"  # 3/4 is enough


def test_simple_majority_is_more_than_half_and_two_thirds_at_least() -> None:
    tie = counts((4, 0), (2, 0), (2, 0))
    assert decide(SIMPLE_MAJORITY, None, tie, yes_no=True).outcome == "rejected"
    assert decide(TWO_THIRDS, None, counts((3, 0), (2, 0), (1, 0)), yes_no=True).carried == (0,)


def test_a_no_never_carries_a_yes_no_vote() -> None:
    assert decide(SIMPLE_MAJORITY, None, counts((3, 0), (0, 0), (3, 0)), yes_no=True).carried == ()


def test_choices_are_bits_and_come_back_as_labels() -> None:
    kind, options, most = options_of("several_of", ["甲", "乙", "丙"], 2)
    assert (kind, most) == ("several_of", 2)
    mask = choices_mask(options, most, ["丙", "甲"])
    assert mask == 0b101
    assert chosen(options, mask) == ["甲", "丙"]
    assert choices_mask(YES_NO, 1, ["abstain"]) == 0b100
    with pytest.raises(commgov.ValidationError, match="chosen twice"):
        choices_mask(options, 2, ["甲", "甲"])
    with pytest.raises(commgov.ValidationError, match="1 to 2 choices"):
        choices_mask(options, 2, ["甲", "乙", "丙"])


def test_the_recount_adds_each_ballot_to_what_it_chose() -> None:
    found = count(Weight(3, 300), [(0b01, 1, 100, False), (0b11, 1, 120, True)], 2)
    assert found.options == (Weight(2, 220), Weight(1, 120))
    assert (found.ballots, found.paper, found.cast) == (2, 1, Weight(2, 220))


@pytest.mark.parametrize(
    ("kind", "options", "most", "field"),
    [
        ("ranked", ["a", "b"], None, "kind"),
        ("one_of", ["a"], None, "options"),
        ("one_of", ["a", "a"], None, "options"),
        ("one_of", ["a", "b"], 2, "max_choices"),
        ("several_of", ["a", "b"], 3, "max_choices"),
        ("yes_no", ["a", "b"], None, "options"),
        ("one_of", ["a", " "], None, "options[1]"),
        ("one_of", [f"o{i}" for i in range(31)], None, "options"),
    ],
)
def test_bad_options_name_the_field(
    kind: str, options: list[str], most: int | None, field: str
) -> None:
    with pytest.raises(commgov.ValidationError) as caught:
        options_of(kind, options, most)
    assert caught.value.field == field
