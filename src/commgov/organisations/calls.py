"""The organisation hooks as the service uses them: the kinds registry, merged once per store,
checked, cached (``ctx.refresh`` forgets it when a plugin is added)."""

from __future__ import annotations

from typing import Final

from commgov.kernel.calls import merge_specs, registry
from commgov.kernel.context import Context
from commgov.organisations.model.kinds import OrganisationKind

KINDS: Final = "commgov_organisation_kinds"


def organisation_kinds(ctx: Context) -> dict[str, OrganisationKind]:
    """Every organisation kind by code, from ``commgov_organisation_kinds`` (a later plugin may
    relabel a code)."""

    def build() -> dict[str, OrganisationKind]:
        return merge_specs(registry(ctx.plugins, KINDS), OrganisationKind, lambda k: k.code, KINDS)

    return ctx.cached("organisations.kinds", build)
