"""The longest text and the largest figures each vote field keeps: declared once, used by the
tables' columns and by the boundary checks alike."""

from __future__ import annotations

from typing import Final

QUESTION_MAX: Final = 500
"""The question put to the vote."""
OPTION_MAX: Final = 100
"""One option's label."""
OPTIONS_MAX: Final = 30
"""Options one vote offers: a ballot keeps its choices as one bit per option in a 32-bit
column."""
CODE_MAX: Final = 40
"""A rule's, an electorate's or an option kind's code."""
VOTER_KEY_MAX: Final = 40
"""A voter's key: ``household:12``, ``resident:40``, ``staff:3``, ``member:7``."""
LABEL_MAX: Final = 100
"""How the roll names a voter: a member's name, a household's number, a dwelling's label."""
DWELLING_MAX: Final = 60
"""A dwelling's label in the owners' register (``3-2-501``)."""
NOTE_MAX: Final = 500
"""Why a vote was cancelled."""
AREA_MAX: Final = 10**11
"""The largest floor area, in hundredths of a square metre (one billion m²)."""
DWELLINGS_MAX: Final = 100_000
"""Dwellings one register call replaces."""
