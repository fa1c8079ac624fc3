"""The longest text and the largest figures each project field keeps: declared once, used by
the tables' columns and by the boundary checks alike."""

from __future__ import annotations

from typing import Final

TITLE_MAX: Final = 200
TEXT_MAX: Final = 4000
NOTE_MAX: Final = 1000
"""A timeline entry's text, a rating's comment, a cancellation's reason."""
NAME_MAX: Final = 100
"""A funder's name (a partner, a government programme)."""
CODE_MAX: Final = 40
MONEY_MAX: Final = 10**13
"""The largest sum in fen (a hundred billion yuan)."""
WEIGHT_MAX: Final = 1000
ITEMS_MAX: Final = 500
"""Items (milestones and their parts) one project holds."""
DEPTH_MAX: Final = 6
"""How deep the progress tree goes."""
RATING_MIN: Final = 1
RATING_MAX: Final = 5
LOW_RATING: Final = 2
"""A rating at or below this opens a case (the project's result is questioned)."""
