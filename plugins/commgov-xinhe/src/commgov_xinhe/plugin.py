"""The hooks of Xinhe community's rules (loaded through the ``commgov`` entry point)."""

from __future__ import annotations

commgov_plugin_name = "xinhe"
