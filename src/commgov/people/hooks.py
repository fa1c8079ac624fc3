"""People hooks: the vocabulary of residents, departments and grids. All are registry hooks:
every available plugin adds names, whichever town enables it."""

from __future__ import annotations

from commgov.kernel.markers import hookspec


@hookspec
def commgov_care_groups() -> dict[str, str]:  # type: ignore[empty-body]
    """Care-group tags (重点人群) this plugin adds, as ``{name: label}``."""


@hookspec
def commgov_resident_tags() -> dict[str, str]:  # type: ignore[empty-body]
    """Free resident tags this plugin adds, as ``{name: label}``."""


@hookspec
def commgov_department_kinds() -> dict[str, str]:  # type: ignore[empty-body]
    """Kinds of department cases can be sent to (police, fire …), as ``{name: label}``."""


@hookspec
def commgov_dedicated_grid_covers() -> dict[str, str]:  # type: ignore[empty-body]
    """What dedicated grids may cover (school, market …), as ``{name: label}``."""
