"""The tally and what it decides, on two weights: the headcount and the floor area (in
hundredths of a square metre). Pure: the store sums the ballots, this decides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import attrs

from commgov.votes.model.rules import VoteRule, WeightName

Outcome = Literal["carried", "rejected", "no_quorum"]
OUTCOMES: Final = {
    "carried": ("通过", "carried"),
    "rejected": ("未通过", "rejected"),
    "no_quorum": ("参与表决不足法定比例", "too few took part"),
}


@attrs.frozen
class Weight:
    """A headcount and a floor area (hundredths of a m²) taken together."""

    headcount: int = 0
    area: int = 0

    def of(self, name: WeightName) -> int:
        return self.headcount if name == "headcount" else self.area

    def __add__(self, other: Weight) -> Weight:
        return Weight(self.headcount + other.headcount, self.area + other.area)


@attrs.frozen
class Counts:
    """What the ballots add up to: the roll, those who took part, each option's support, the
    number of ballots and of paper ballots among them."""

    roll: Weight
    cast: Weight
    options: tuple[Weight, ...]
    ballots: int
    paper: int


@attrs.frozen
class Decision:
    """What a rule makes of the counts: whether each weight met the quorum, which options
    carried, and the outcome (``carried`` when at least one option did)."""

    quorum: Mapping[str, bool]
    carried: tuple[int, ...]
    outcome: Outcome


def count(roll: Weight, ballots: Iterable[tuple[int, int, int, bool]], n_options: int) -> Counts:
    """Counts from the ballots themselves, one by one (``choices`` mask, headcount, area,
    paper): the recount, written apart from the store's sums."""
    cast = Weight()
    per = [Weight() for _ in range(n_options)]
    n = paper = 0
    for mask, headcount, area, on_paper in ballots:
        weight = Weight(headcount, area)
        cast += weight
        n += 1
        paper += on_paper
        for i in range(n_options):
            if mask & (1 << i):
                per[i] += weight
    return Counts(roll=roll, cast=cast, options=tuple(per), ballots=n, paper=paper)


def decide(rule: VoteRule, matter: int | None, counts: Counts, yes_no: bool) -> Decision:
    """Apply ``rule``: every weight it names must meet the quorum (of the roll) and an
    option's support must meet the threshold (of those taking part) on every weight. In a
    yes/no vote only "yes" can carry; abstaining counts as taking part."""
    quorum: dict[str, bool] = {
        w: rule.quorum is None or rule.quorum.met(counts.cast.of(w), counts.roll.of(w))
        for w in rule.weights
    }
    if not all(quorum.values()):
        return Decision(quorum=quorum, carried=(), outcome="no_quorum")
    threshold = rule.threshold_for(matter)
    eligible = range(1) if yes_no else range(len(counts.options))
    carried = tuple(
        i
        for i in eligible
        if all(threshold.met(counts.options[i].of(w), counts.cast.of(w)) for w in rule.weights)
    )
    return Decision(quorum=quorum, carried=carried, outcome="carried" if carried else "rejected")


def as_record(counts: Counts, decision: Decision) -> dict[str, Any]:
    """The counts and the decision as the store keeps them with the closed vote."""
    return {
        "roll": [counts.roll.headcount, counts.roll.area],
        "cast": [counts.cast.headcount, counts.cast.area],
        "options": [[o.headcount, o.area] for o in counts.options],
        "ballots": counts.ballots,
        "paper": counts.paper,
        "quorum": dict(decision.quorum),
        "carried": list(decision.carried),
        "outcome": decision.outcome,
    }


def from_record(record: Mapping[str, Any]) -> tuple[Counts, Decision]:
    def weight(pair: Sequence[int]) -> Weight:
        return Weight(int(pair[0]), int(pair[1]))

    counts = Counts(
        roll=weight(record["roll"]),
        cast=weight(record["cast"]),
        options=tuple(weight(o) for o in record["options"]),
        ballots=int(record["ballots"]),
        paper=int(record["paper"]),
    )
    decision = Decision(
        quorum={str(k): bool(v) for k, v in record["quorum"].items()},
        carried=tuple(int(i) for i in record["carried"]),
        outcome=record["outcome"],
    )
    return counts, decision
