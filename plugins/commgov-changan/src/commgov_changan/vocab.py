"""The plugin's name and words."""

from __future__ import annotations

from typing import Final

NAME: Final = "changan"
