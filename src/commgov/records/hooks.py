"""Record hooks: the kinds of plugin record (a registry hook, every available plugin)."""

from __future__ import annotations

from commgov.kernel.markers import hookspec


@hookspec
def commgov_record_kinds() -> dict[str, str]:  # type: ignore[empty-body]
    """Kinds of plugin record this plugin keeps (visit logs, minutes …), as ``{name: label}``."""
