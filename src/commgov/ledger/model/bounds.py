"""What the ledger holds, and the checks every value from a caller goes through first.

``MAX_AMOUNT`` bounds one transfer (points, minutes); ``MAX_TOTAL`` bounds each running
column an account keeps (debits and credits, posted and pending), so every figure the ledger
answers stays exact in a 64-bit column and in a JSON number (2**53 − 1). Client ids starting
with ``RESERVED`` are the ledger's own (an expired hold, expired points, a confirmed service):
callers may not use them, so no caller can take an id the library will need."""

from __future__ import annotations

from typing import Final

from commgov.errors import ValidationError
from commgov.kernel.values import INT32, check_text

MAX_AMOUNT: Final = 10**12
MAX_TOTAL: Final = 2**53 - 1
MAX_ID: Final = INT32
"""The largest row id (the id columns are 32-bit integers)."""
RESERVED: Final = "commgov:"
CLIENT_ID_MAX: Final = 120
CODE_MAX: Final = 120
REASON_MAX: Final = 64
NOTE_MAX: Final = 200
"""A time-bank service's note: why it was disputed."""


def text(field: str, value: object, most: int, *, empty: bool = False) -> str:
    """``value`` when it is text the store keeps (``check_text``) of 1 (0 with ``empty``) to
    ``most`` characters; else a ``ValidationError`` naming ``field``."""
    found = check_text(field, value, most)
    if not found and not empty:
        raise ValidationError(field, value, f"1 to {most} characters")
    return found


def whole(field: str, value: object, *, least: int = 1, most: int = MAX_AMOUNT) -> int:
    """``value`` when it is an ``int`` (not a ``bool``) from ``least`` to ``most``; else a
    ``ValidationError`` naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, value, "must be a whole number")
    if not least <= value <= most:
        raise ValidationError(field, value, f"must be from {least} to {most}")
    return value


def entity_id(field: str, value: object) -> int:
    """A row id given by a caller (a resident, a reward, a service): an ``int`` from 1 to
    ``MAX_ID``; else a ``ValidationError`` naming ``field``."""
    return whole(field, value, most=MAX_ID)


def caller_client_id(value: object, field: str = "client_id") -> str:
    """A client id a caller gives: text of 1 to 120 characters, not starting with
    ``RESERVED``."""
    found = text(field, value, CLIENT_ID_MAX)
    if found.startswith(RESERVED):
        raise ValidationError(field, value, f"ids starting with {RESERVED!r} are the ledger's own")
    return found


def internal_id(*parts: object) -> str:
    """A client id the library makes for itself: ``RESERVED`` and ``parts`` joined by ``:``."""
    return RESERVED + ":".join(str(p) for p in parts)
