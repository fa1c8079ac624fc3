"""The organisations' text and count limits, shared by the tables and the boundary checks."""

from __future__ import annotations

from typing import Final

NAME_MAX: Final = 100
"""An organisation's or an activity's name."""
CODE_MAX: Final = 40
"""A kind's or a role's code."""
LABEL_MAX: Final = 100
CONTACT_MAX: Final = 40
"""A contact person's name."""
WORKPLACE_MAX: Final = 100
"""A party member's workplace or workplace branch (双报到)."""
TEXT_MAX: Final = 2000
NOTE_MAX: Final = 500
PLACES_MAX: Final = 10_000
"""The most places an activity offers."""
PEOPLE_MAX: Final = 5_000
"""The most residents one attendance register names."""
SERVED_MAX: Final = 50
"""The most units an organisation serves besides its home."""
ACTIVITY_HOURS_MAX: Final = 24
"""The longest activity, in hours."""
