"""The core's vote rules, registered as a plugin like any town's (town plugins answer first)."""

from __future__ import annotations

from commgov.kernel.markers import hookimpl
from commgov.votes.model.rules import DEFAULT_RULES, VoteRule

NAME = "commgov.vote_defaults"


@hookimpl
def commgov_vote_rules() -> list[VoteRule]:
    return list(DEFAULT_RULES)
