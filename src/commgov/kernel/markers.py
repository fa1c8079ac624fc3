"""pluggy markers for the ``commgov`` project."""

import pluggy

PROJECT = "commgov"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
