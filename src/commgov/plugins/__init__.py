"""The plugin system: hook specifications, markers and the per-town plugin host."""

from commgov.plugins.markers import hookimpl, hookspec

__all__ = ["hookimpl", "hookspec"]
