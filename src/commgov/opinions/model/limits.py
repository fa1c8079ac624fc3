"""The longest text and the largest numbers each opinion-board field keeps: declared once, used
by the tables' columns and by the service's checks alike."""

from __future__ import annotations

from typing import Final

POINT_NAME_MAX: Final = 100
"""A service point's name (``下洋小区群防群治服务点``)."""
ADDRESS_MAX: Final = 200
"""Where a service point is."""
REASON_MAX: Final = 200
"""Why a service point was retired."""
NOTE_MAX: Final = 2000
"""What was said or done at a visit; no longer than a case's text, so a visit's note can
become the case's text as it is."""
TOPIC_MAX: Final = 64
"""A topic code (``complaint.environment``)."""
REF_MAX: Final = 120
"""A council topic's reference (``council:12``)."""
PEOPLE_MAX: Final = 1000
"""The most people one logged visit may count (a group that came together)."""
TOP_TOPICS: Final = 5
"""How many topics the board lists as a community's top topics."""
