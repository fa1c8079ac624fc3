"""The hooks of the plugin (loaded through the ``commgov`` entry point)."""

from __future__ import annotations

from commgov_dongguan import vocab

commgov_plugin_name = vocab.NAME
