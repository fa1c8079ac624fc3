"""The longest text each case field keeps: declared once, used by the tables' columns and by
the commands' checks alike."""

from __future__ import annotations

from typing import Final

TEXT_MAX: Final = 2000
"""What the reporter said."""
NOTE_MAX: Final = 2000
"""An action's note: the outcome of a resolve, the reason of a reject, a withdraw or an
escalation."""
ADDRESS_MAX: Final = 200
PHOTO_MAX: Final = 500
"""One photo or attachment reference (a URL or a storage key)."""
DEVICE_ID_MAX: Final = 100
CODE_MAX: Final = 100
"""A category code or a lead (``staff:<id>``, ``department:<code>``)."""
PHONE_MAX: Final = 40
"""A reporter's phone as typed (spaces, dashes, a +86 prefix) before it is checked."""
