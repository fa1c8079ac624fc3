"""What a ballot may say and how the store keeps it: option kinds, the choices as one bit per
option, and receipts (a secret token for the voter, its digest for the store)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import Final, Literal, get_args

from commgov.errors import ValidationError
from commgov.kernel.values import check_text, shown
from commgov.votes.model.limits import OPTION_MAX, OPTIONS_MAX

OptionKind = Literal["yes_no", "one_of", "several_of"]
OPTION_KINDS: Final[tuple[OptionKind, ...]] = get_args(OptionKind)
YES_NO: Final = ("同意", "不同意", "弃权")
"""The options of a yes/no vote: yes, no, abstain (abstaining takes part)."""
YES_NO_ALIASES: Final = {"yes": "同意", "no": "不同意", "abstain": "弃权"}
Electorate = Literal["council", "representatives", "households", "owners"]
ELECTORATES: Final = {
    "council": ("议事会成员", "council members"),
    "representatives": ("居民代表", "residents' representatives"),
    "households": ("户代表（每户一票）", "households, one ballot each"),
    "owners": ("业主（按专有部分面积）", "owners, weighted by floor area"),
}
"""Who may vote: a council's members, its residents' representatives, the households living
under a unit, or the owners in its dwellings register (by floor area)."""
RECEIPT_BYTES: Final = 18


def options_of(
    kind: object, options: Sequence[str] | None, most: int | None
) -> tuple[OptionKind, tuple[str, ...], int]:
    """The option kind, the options and how many one ballot may choose, checked: a yes/no
    vote has its own three options; the others 2 to ``OPTIONS_MAX`` distinct labels."""
    if kind not in OPTION_KINDS:
        raise ValidationError("kind", kind, f"expected one of {', '.join(OPTION_KINDS)}")
    if kind == "yes_no":
        if options is not None:
            raise ValidationError("options", options, "a yes_no vote has its own options")
        return "yes_no", YES_NO, 1
    if isinstance(options, str) or not isinstance(options, Sequence):
        raise ValidationError("options", options, "expected a list of labels")
    labels = tuple(_label(i, o) for i, o in enumerate(options))
    if not 2 <= len(labels) <= OPTIONS_MAX:
        raise ValidationError("options", len(labels), f"expected 2 to {OPTIONS_MAX} options")
    if len(set(labels)) != len(labels):
        twice = next(o for o in labels if labels.count(o) > 1)
        raise ValidationError("options", twice, "is listed twice")
    if kind == "one_of":
        if most not in (None, 1):
            raise ValidationError("max_choices", most, "a one_of vote takes one choice")
        return "one_of", labels, 1
    top = len(labels) if most is None else most
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= len(labels):
        raise ValidationError("max_choices", most, f"expected 1 to {len(labels)}")
    return "several_of", labels, top


def _label(index: int, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"options[{index}]", value, "expected a label")
    found = check_text(f"options[{index}]", value.strip(), None)
    if len(found) > OPTION_MAX:
        raise ValidationError(f"options[{index}]", shown(found), f"longer than {OPTION_MAX}")
    return found


def choices_mask(options: Sequence[str], most: int, choices: object) -> int:
    """The choices (option labels; a yes/no vote also takes ``yes``, ``no``, ``abstain``) as
    one bit per option. One choice at least, at most ``most``, none twice, none unknown."""
    if isinstance(choices, str) or not isinstance(choices, Sequence):
        raise ValidationError("choices", choices, "expected a list of option labels")
    if not 1 <= len(choices) <= most:
        wanted = "one choice" if most == 1 else f"1 to {most} choices"
        raise ValidationError("choices", list(choices), f"expected {wanted}")
    mask = 0
    for choice in choices:
        label = YES_NO_ALIASES.get(choice, choice) if options == YES_NO else choice
        if label not in options:
            raise ValidationError(
                "choices", choice, f"is not an option of this vote ({', '.join(options)})"
            )
        bit = 1 << options.index(label)
        if mask & bit:
            raise ValidationError("choices", choice, "is chosen twice")
        mask |= bit
    return mask


def chosen(options: Sequence[str], mask: int) -> list[str]:
    """The labels a mask chooses, in the options' order."""
    return [label for i, label in enumerate(options) if mask & (1 << i)]


def new_receipt() -> str:
    """A voter's receipt: a secret only the voter holds."""
    return secrets.token_urlsafe(RECEIPT_BYTES)


def receipt_digest(vote_id: int, receipt: str) -> bytes:
    """What the store keeps of a receipt, and what the result publishes (as hex): the receipt
    cannot be worked back from it, and it names no voter."""
    return hashlib.sha256(f"commgov-vote:{vote_id}:{receipt}".encode()).digest()


def owner_tag(vote_id: int, voter_key: str, receipt: str) -> bytes:
    """What ties a ballot to its voter for changing it, and only for one who holds the
    receipt: without the receipt the tag cannot be tested against any voter."""
    return hashlib.sha256(f"commgov-ballot-owner:{vote_id}:{voter_key}:{receipt}".encode()).digest()


def check_receipt(value: object) -> str:
    if not isinstance(value, str) or not 8 <= len(value) <= 64 or not value.isascii():
        raise ValidationError("receipt", "…" if isinstance(value, str) else value,
                              "is not a receipt this store issued")  # fmt: skip
    return value
