"""The vote hook: decision rules come from every available plugin, checked and cached."""

from __future__ import annotations

from fractions import Fraction

import pytest
from tests.conftest import NOW, build_town
from tests.votes.conftest import furnish

import commgov


class ThreeQuarters:
    commgov_plugin_name = "test_three_quarters"

    @commgov.hookimpl
    def commgov_vote_rules(self) -> list[commgov.VoteRule]:
        return [
            commgov.VoteRule(
                code="three_quarters_half_turnout", label="过半参与、四分之三同意",
                label_en="three quarters of a half turnout", weights=("headcount",),
                quorum=commgov.Threshold(Fraction(1, 2), inclusive=False),
                threshold=commgov.Threshold(Fraction(3, 4)),
            )
        ]  # fmt: skip


def test_hook_commgov_vote_rules() -> None:
    with commgov.open(
        "sqlite:///:memory:", plugins=[ThreeQuarters()], discover_plugins=False, clock=lambda: NOW
    ) as cg:
        street = furnish(build_town(cg))
        codes = [r.code for r in cg.votes.rules()]
        assert codes == [
            "civil_code_278", "simple_majority", "three_quarters_half_turnout", "two_thirds"
        ]  # fmt: skip
        vote = cg.votes.open(
            street.town.admin, question="q", electorate="households", unit=street.town.grid_a1,
            rule="three_quarters_half_turnout",
        )  # fmt: skip
        for voter, choice in zip(street.voters[:3], ["yes", "yes", "no"], strict=True):
            cg.votes.cast(voter, vote.id, choices=[choice])
        result = cg.votes.close(street.town.admin, vote.id)
        # 3 of 5 took part (more than half); 2 of 3 is short of three quarters
        assert (result.quorum, result.outcome, result.threshold) == (
            {"headcount": True}, "rejected", "≥ 3/4"
        )  # fmt: skip


def test_a_rule_answer_of_the_wrong_type_is_a_plugin_error() -> None:
    class Wrong:
        commgov_plugin_name = "wrong_rules"

        @commgov.hookimpl
        def commgov_vote_rules(self) -> list[str]:
            return ["unanimity"]

    with (
        commgov.open("sqlite:///:memory:", plugins=[Wrong()], discover_plugins=False) as cg,
        pytest.raises(commgov.PluginError, match="commgov_vote_rules"),
    ):
        cg.votes.rules()


def test_a_rule_with_major_matters_needs_their_threshold() -> None:
    with pytest.raises(commgov.ValidationError) as caught:
        commgov.VoteRule(
            code="x", label="x", label_en="x", weights=("headcount",),
            threshold=commgov.Threshold(Fraction(1, 2)), major_matters=frozenset({1}),
        )  # fmt: skip
    assert caught.value.field == "major_matters"
