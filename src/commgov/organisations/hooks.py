"""Organisation hooks: the kinds of organisation (a registry hook, every available plugin
answers)."""

from __future__ import annotations

from commgov.kernel.markers import hookspec
from commgov.organisations.model.kinds import OrganisationKind


@hookspec
def commgov_organisation_kinds() -> list[OrganisationKind]:  # type: ignore[empty-body]
    """Organisation kinds this plugin adds (or relabels, by an existing code); a kind with
    ``party=True`` belongs to the party organisation laid over the grids."""
