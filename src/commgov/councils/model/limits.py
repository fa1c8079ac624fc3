"""The longest text each council field keeps: declared once, used by the tables' columns and
by the boundary checks alike."""

from __future__ import annotations

from typing import Final

NAME_MAX: Final = 100
"""A council's name, or a member's when the member is neither a resident nor staff."""
CODE_MAX: Final = 40
"""A seat kind's, a council kind's or a role's code."""
NOTE_MAX: Final = 500
"""Why a membership ended; what a member represents (the company, the police station)."""
