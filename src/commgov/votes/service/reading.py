"""Views of votes and their results, built from what the store holds."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from commgov.votes.model.ballots import chosen
from commgov.votes.model.checks import square_metres
from commgov.votes.model.rules import VoteRule
from commgov.votes.model.tally import OUTCOMES, Counts, Decision
from commgov.votes.model.values import STATES, Vote
from commgov.votes.views import OpenChoice, OptionResult, ResultView, VoteView


def vote_view(vote: Vote, unit_code: str) -> VoteView:
    return VoteView(
        id=vote.id,
        unit_code=unit_code,
        council_id=vote.council_id,
        question=vote.question,
        kind=vote.kind,
        options=list(vote.options),
        max_choices=vote.max_choices,
        electorate=vote.electorate,
        rule=vote.rule,
        matter=vote.matter,
        secret=vote.secret,
        changeable=vote.changeable,
        state=vote.state,
        state_label=STATES[vote.state][0],
        opened_at=vote.opened_at,
        closes_at=vote.closes_at,
        closed_at=vote.closed_at,
        roll_headcount=vote.roll_headcount,
        roll_area=square_metres(vote.roll_area),
        cancel_reason=vote.cancel_reason,
    )


def _share(part: int, whole: int) -> float:
    return 0.0 if whole <= 0 else round(float(Fraction(part, whole)), 6)


def option_results(vote: Vote, counts: Counts, carried: Sequence[int]) -> list[OptionResult]:
    return [
        OptionResult(
            label=label,
            headcount=support.headcount,
            area=square_metres(support.area),
            headcount_share=_share(support.headcount, counts.cast.headcount),
            area_share=_share(support.area, counts.cast.area),
            carried=i in carried,
        )
        for i, (label, support) in enumerate(zip(vote.options, counts.options, strict=True))
    ]


def result_view(
    vote: Vote,
    *,
    rule: VoteRule,
    counts: Counts,
    decision: Decision,
    digests: Sequence[bytes],
    open_choices: Sequence[tuple[str, str, int, bool]] | None,
) -> ResultView:
    choices = None
    if open_choices is not None:
        choices = [
            OpenChoice(voter=label, choices=chosen(vote.options, mask), paper=paper)
            for _, label, mask, paper in open_choices
        ]
    return ResultView(
        vote_id=vote.id,
        question=vote.question,
        rule=vote.rule,
        matter=vote.matter,
        threshold=rule.threshold_for(vote.matter).describe(),
        roll_headcount=counts.roll.headcount,
        roll_area=square_metres(counts.roll.area),
        cast_headcount=counts.cast.headcount,
        cast_area=square_metres(counts.cast.area),
        ballots=counts.ballots,
        paper_ballots=counts.paper,
        quorum=dict(decision.quorum),
        options=option_results(vote, counts, decision.carried),
        outcome=decision.outcome,
        outcome_label=OUTCOMES[decision.outcome][0],
        carried=[vote.options[i] for i in decision.carried],
        digests=[d.hex() for d in digests],
        choices=choices,
    )
