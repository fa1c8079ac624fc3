"""The people hooks as the services use them: merged once per store, checked, cached."""

from __future__ import annotations

from commgov.kernel.calls import labels
from commgov.kernel.context import Context
from commgov.people.model.residents import Vocabulary


def care_groups(ctx: Context) -> dict[str, str]:
    """Care groups (重点人群) by name, with their labels."""
    return ctx.cached("care_groups", lambda: dict(labels(ctx.plugins, "commgov_care_groups")))


def resident_tags(ctx: Context) -> dict[str, str]:
    """Free resident tags by name, with their labels."""
    return ctx.cached("resident_tags", lambda: dict(labels(ctx.plugins, "commgov_resident_tags")))


def vocabulary(ctx: Context) -> Vocabulary:
    """The care groups and tags residents may carry, by code or by label (``独居老人``)."""
    return ctx.cached(
        "vocabulary", lambda: Vocabulary.from_labels(care_groups(ctx), resident_tags(ctx))
    )


def department_kinds(ctx: Context) -> dict[str, str]:
    """Kinds of department (police, fire …) by name, with their labels."""
    return ctx.cached(
        "department_kinds", lambda: dict(labels(ctx.plugins, "commgov_department_kinds"))
    )


def dedicated_covers(ctx: Context) -> dict[str, str]:
    """What dedicated grids may cover, by name, with their labels."""
    return ctx.cached(
        "dedicated_covers", lambda: dict(labels(ctx.plugins, "commgov_dedicated_grid_covers"))
    )
