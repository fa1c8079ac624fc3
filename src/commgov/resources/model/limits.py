"""The longest text and the largest numbers each resource field keeps: declared once, used by
the tables' columns and by the boundary checks alike."""

from __future__ import annotations

import datetime as dt
from typing import Final

NAME_MAX: Final = 100
"""A resource's name (活动室, 篮球场)."""
CODE_MAX: Final = 40
"""A kind's, a state's, a rule's code."""
TEXT_MAX: Final = 1000
"""A resource's description: where it is, what it holds, what to bring."""
NOTE_MAX: Final = 500
"""What a booking is for; why it was rejected or cancelled; why a resource is closed."""
CAPACITY_MAX: Final = 10_000
"""Places usable at once (a hall's seats, a kindergarten's places)."""
SLOT_MIN: Final = 5
"""The shortest slot, in minutes; a slot length divides the day (1,440 minutes)."""
DAY_MINUTES: Final = 1440
HORIZON_MAX: Final = 366
"""The furthest ahead a resource may take bookings, in days."""
LONGEST_MAX: Final = 7 * DAY_MINUTES
"""The longest booking a resource may allow, in minutes (a week)."""
OCCURRENCES_MAX: Final = 104
"""The most occurrences one recurring booking makes (two years, weekly)."""
INTERVALS_MAX: Final = 12
"""The most opening intervals on one weekday."""
CHECK_IN_EARLY: Final = dt.timedelta(minutes=30)
"""How long before a booking starts its party may check in."""
SLOTS_MAX: Final = 4096
"""The most slots one booking call holds, every occurrence of a recurring one together."""
