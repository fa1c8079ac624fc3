"""Decision rules as data: who must take part (a quorum) and what share carries an option,
on which weights. The core's rules are simple majority, two thirds and Civil Code art. 278;
a town adds its own through ``commgov_vote_rules``."""

from __future__ import annotations

from fractions import Fraction
from typing import Final, Literal, get_args

import attrs

from commgov.errors import ValidationError
from commgov.kernel.values import check_text
from commgov.votes.model.limits import CODE_MAX, OPTION_MAX

WeightName = Literal["headcount", "area"]
WEIGHTS: Final[tuple[WeightName, ...]] = get_args(WeightName)


def _fraction(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise ValidationError("share", value, "expected a Fraction (or 0 or 1)")
    found = Fraction(value)
    if not 0 <= found <= 1:
        raise ValidationError("share", value, "expected a share from 0 to 1")
    return found


@attrs.frozen
class Threshold:
    """A share of a whole: ``inclusive`` means "at least" (Chinese law's 以上), otherwise
    "more than" (过半数 is more than one half)."""

    share: Fraction = attrs.field(converter=_fraction)
    inclusive: bool = True

    def met(self, part: int, whole: int) -> bool:
        """Does ``part`` of ``whole`` reach the share? Nothing of nothing never does."""
        if whole <= 0:
            return False
        found = Fraction(part, whole)
        return found >= self.share if self.inclusive else found > self.share

    def describe(self) -> str:
        return f"{'≥' if self.inclusive else '>'} {self.share}"


def _weights(value: object) -> tuple[WeightName, ...]:
    if not isinstance(value, tuple) or not value or any(w not in WEIGHTS for w in value):
        raise ValidationError("weights", value, f"expected a tuple of {', '.join(WEIGHTS)}")
    return value


@attrs.frozen
class VoteRule:
    """How a vote is decided. Every weight in ``weights`` must meet the ``quorum`` (a share
    of the roll taking part, when there is one) and, for an option to carry, the
    ``threshold`` (a share of those taking part). A rule with ``matters`` needs the vote to
    name one; the matters in ``major_matters`` use ``major_threshold`` instead."""

    code: str
    label: str
    label_en: str
    weights: tuple[WeightName, ...] = attrs.field(converter=_weights)
    threshold: Threshold
    quorum: Threshold | None = None
    matters: frozenset[int] = frozenset()
    major_matters: frozenset[int] = frozenset()
    major_threshold: Threshold | None = None

    def __attrs_post_init__(self) -> None:
        check_text("code", self.code, CODE_MAX)
        check_text("label", self.label, OPTION_MAX)
        if not self.code:
            raise ValidationError("code", self.code, "a rule needs a code")
        if self.major_matters and (
            self.major_threshold is None or not self.major_matters <= self.matters
        ):
            raise ValidationError(
                "major_matters", sorted(self.major_matters),
                "need a major_threshold and must be among the rule's matters",
            )  # fmt: skip

    def threshold_for(self, matter: int | None) -> Threshold:
        if matter in self.major_matters and self.major_threshold is not None:
            return self.major_threshold
        return self.threshold


CIVIL_CODE_278_MATTERS: Final = {
    1: ("制定和修改业主大会议事规则", "making or amending the owners' assembly's rules"),
    2: ("制定和修改管理规约", "making or amending the management covenant"),
    3: ("选举业主委员会或者更换业主委员会成员", "electing or replacing the owners' committee"),
    4: ("选聘和解聘物业服务企业或者其他管理人", "hiring or dismissing the property manager"),
    5: ("使用建筑物及其附属设施的维修资金", "using the maintenance funds"),
    6: ("筹集建筑物及其附属设施的维修资金", "raising maintenance funds"),
    7: ("改建、重建建筑物及其附属设施", "rebuilding or altering buildings and facilities"),
    8: (
        "改变共有部分的用途或者利用共有部分从事经营活动",
        "changing the use of common parts or running a business on them",
    ),
    9: ("有关共有和共同管理权利的其他重大事项", "other major matters of common ownership"),
}
"""The matters Civil Code art. 278 lists, by item number."""

SIMPLE_MAJORITY: Final = VoteRule(
    code="simple_majority",
    label="过半数通过",
    label_en="simple majority",
    weights=("headcount",),
    threshold=Threshold(Fraction(1, 2), inclusive=False),
)
TWO_THIRDS: Final = VoteRule(
    code="two_thirds",
    label="三分之二以上通过",
    label_en="two thirds",
    weights=("headcount",),
    threshold=Threshold(Fraction(2, 3)),
)
CIVIL_CODE_278: Final = VoteRule(
    code="civil_code_278",
    label="民法典第二百七十八条",
    label_en="Civil Code art. 278 (owners)",
    weights=("area", "headcount"),
    quorum=Threshold(Fraction(2, 3)),
    threshold=Threshold(Fraction(1, 2), inclusive=False),
    matters=frozenset(CIVIL_CODE_278_MATTERS),
    major_matters=frozenset({6, 7, 8}),
    major_threshold=Threshold(Fraction(3, 4)),
)
"""Owners holding two thirds of the area and two thirds of the headcount take part; items
6–8 need three quarters of the participating area and headcount, the others more than half."""
DEFAULT_RULES: Final = (SIMPLE_MAJORITY, TWO_THIRDS, CIVIL_CODE_278)
