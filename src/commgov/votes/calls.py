"""The vote hooks as the service uses them: the rule registry, merged once per store,
checked, cached (``ctx.refresh`` forgets it when a plugin is added)."""

from __future__ import annotations

from typing import Final

from commgov.kernel.calls import merge_specs, registry
from commgov.kernel.context import Context
from commgov.votes.model.rules import VoteRule

RULES: Final = "commgov_vote_rules"


def vote_rules(ctx: Context) -> dict[str, VoteRule]:
    """Every decision rule by code, from ``commgov_vote_rules`` (a later plugin may replace a
    code)."""

    def build() -> dict[str, VoteRule]:
        return merge_specs(registry(ctx.plugins, RULES), VoteRule, lambda r: r.code, RULES)

    return ctx.cached("votes.rules", build)
