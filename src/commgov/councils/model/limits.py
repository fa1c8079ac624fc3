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
TITLE_MAX: Final = 200
"""A topic's or a meeting's title."""
TEXT_MAX: Final = 4000
"""A topic's description, a meeting's minutes, a topic's summary, a resolution's text."""
PLACE_MAX: Final = 200
"""Where a meeting is held, or its online link."""
PERSON_KEY_MAX: Final = 40
"""Who registered or attended: ``resident:12``, ``staff:3``, ``household:7``, ``member:5``."""
CAPACITY_MAX: Final = 100_000
ATTENDEES_MAX: Final = 5_000
"""People one attendance call records."""
CODE_DIGITS: Final = 6
"""The digits of a meeting's check-in code."""
