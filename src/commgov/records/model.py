"""The limits of a plugin record, declared once for the table and the checks."""

from __future__ import annotations

from typing import Final

DATA_MAX_BYTES: Final = 65_536
"""The largest ``data`` a record keeps, as UTF-8 JSON."""
REF_MAX: Final = 120
"""The longest ``ref`` (the caller's own key for the record)."""
KIND_MAX: Final = 64
