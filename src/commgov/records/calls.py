"""The record hooks as the service uses them: merged once per store, checked, cached."""

from __future__ import annotations

from commgov.kernel.calls import labels
from commgov.kernel.context import Context


def record_kinds(ctx: Context) -> dict[str, str]:
    """Kinds of plugin record by name, with their labels."""
    return ctx.cached("record_kinds", lambda: dict(labels(ctx.plugins, "commgov_record_kinds")))
