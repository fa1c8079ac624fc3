"""Human case numbers: ``2026-000123``, the 123rd case a town took in 2026 (counted in the
store's time zone). The internal id stays the key; the number is what people read aloud."""

from __future__ import annotations

import re
from typing import Final

import attrs

from commgov.errors import ValidationError

SEQ_DIGITS: Final = 6
"""Digits the sequence is padded to (a town taking more cases a year just gets more digits)."""
TOWN_KINDS: Final = ("town", "street")
"""Unit kinds at the town level (镇, 街道): cases are numbered per unit of these kinds."""
_NUMBER: Final = re.compile(r"(\d{4})-(\d{1,9})")


@attrs.frozen(order=True)
class CaseNumber:
    """A case's number within its town: the year it was reported in and its place that year."""

    year: int
    seq: int

    def __str__(self) -> str:
        return f"{self.year}-{self.seq:0{SEQ_DIGITS}d}"

    @classmethod
    def parse(cls, text: object, field: str = "number") -> CaseNumber:
        """``2026-000123`` (leading zeros optional), or ``ValidationError`` naming ``field``."""
        found = _NUMBER.fullmatch(text.strip()) if isinstance(text, str) else None
        if found is None or int(found.group(2)) < 1:
            raise ValidationError(field, text, "expected a case number like 2026-000123")
        return cls(int(found.group(1)), int(found.group(2)))

    @staticmethod
    def looks_like(text: str) -> bool:
        """Whether ``text`` is written as a case number (not as an id)."""
        return _NUMBER.fullmatch(text.strip()) is not None


__all__ = ["SEQ_DIGITS", "TOWN_KINDS", "CaseNumber"]
