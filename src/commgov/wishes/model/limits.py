"""The longest text and the largest figures each wish field keeps: declared once, used by the
tables' columns and by the boundary checks alike."""

from __future__ import annotations

from typing import Final

TEXT_MAX: Final = 1000
"""What the wish says."""
NOTE_MAX: Final = 500
"""A note: why a wish was withdrawn or expired, what fulfilling it took, why a match was
declined."""
ADDRESS_MAX: Final = 200
REF_MAX: Final = 500
"""One reference: a photo or a piece of evidence (a URL, a storage key), an organisation's
reference, the council topic or project a suggestion was referred to."""
CODE_MAX: Final = 100
"""A category or item code."""
NAME_MAX: Final = 100
"""An organisation's or a partner's name."""
ACTOR_MAX: Final = 200
"""An actor's label (``role:name``), as every ``actor`` column keeps it."""
PHOTOS_MAX: Final = 9
"""Photos one wish carries."""
EVIDENCE_MAX: Final = 20
"""References of evidence one fulfilment carries."""
QUANTITY_MAX: Final = 100_000
"""The largest quantity a want asks for or an offer gives (a partner's gift packs)."""
RATING_MIN: Final = 1
RATING_MAX: Final = 5
