"""Vote hooks: the decision rules votes may be put under (a registry hook, every available
plugin answers)."""

from __future__ import annotations

from commgov.kernel.markers import hookspec
from commgov.votes.model.rules import VoteRule


@hookspec
def commgov_vote_rules() -> list[VoteRule]:  # type: ignore[empty-body]
    """Decision rules this plugin adds (or replaces, by an existing code)."""
