"""The core's organisation kinds, registered as a plugin like any town's."""

from __future__ import annotations

from commgov.kernel.markers import hookimpl
from commgov.organisations.model.kinds import DEFAULT_KINDS, OrganisationKind

NAME = "commgov.organisation_defaults"


@hookimpl
def commgov_organisation_kinds() -> list[OrganisationKind]:
    return list(DEFAULT_KINDS)
