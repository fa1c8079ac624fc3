"""Personal data values: identity numbers (GB 11643), phones and names, with their masks.

``str()`` and ``repr()`` of these values are always masked, so they can be logged or printed
safely; ``reveal()`` returns the clear value and is called only where a permission was checked.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import unicodedata
from collections.abc import Callable
from typing import Final

import attrs

from commgov.errors import ValidationError
from commgov.people.model.text import number_text

_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS: Final = "10X98765432"
_ZERO_OFFSET: Final = ord("0") * sum(_WEIGHTS)
_ID_SHAPE: Final = re.compile(r"[1-9][0-9]{16}[0-9X]")
_MOBILE: Final = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE: Final = re.compile(r"0[0-9]{2,3}[0-9]{7,8}")
_PHONE_NOISE: Final = re.compile(r"[\s\-()]")
_SHOWN_MAX: Final = 40  # longer junk is shown by its length only, never by its characters


def mask_identity(value: str) -> str:
    """``411425199001011234`` -> ``411***********1234``; short junk is fully starred."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812345678`` -> ``138****5678``."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """``张三丰`` -> ``张**``; a one-character name becomes ``*``."""
    if len(value) <= 1:
        return "*"
    return value[0] + "*" * (len(value) - 1)


def identity_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits (ASCII ``0``-``9``)."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValidationError(
            "identity_number", _masked(first17, mask_identity), "expected 17 digits 0-9"
        )
    total = sum(map(operator.mul, first17.encode("ascii"), _WEIGHTS)) - _ZERO_OFFSET
    return _CHECK_CHARS[total % 11]


@attrs.frozen(repr=False)
class IdentityNumber:
    """A validated 18-character resident identity number."""

    _value: str
    _birth: dt.date | None = attrs.field(default=None, eq=False)

    @classmethod
    def parse(
        cls, raw: object, *, field: str = "identity_number", today: dt.date | None = None
    ) -> IdentityNumber:
        """Validate ``raw`` or raise ``ValidationError`` (its value masked). Look-alike
        characters are folded first (NFKC: full-width ``４１１…`` is ``411…``), spaces stripped,
        ``x`` upper-cased; only ASCII digits then pass. A number with more digits than a
        spreadsheet keeps exactly (every identity number) is refused: format the column as
        text."""
        value = _normalised(raw, field, mask_identity).upper()
        shown = _masked(value, mask_identity)
        if len(value) != 18:
            raise ValidationError(field, shown, f"must have 18 characters, has {len(value)}")
        if not _ID_SHAPE.fullmatch(value):
            raise ValidationError(field, shown, "must be 17 digits (0-9) then a digit or X")
        birth = _birth_date(value)
        if birth is None:
            raise ValidationError(field, shown, "birth date is not a real date")
        if birth > (today or dt.date.today()) or birth.year < 1890:
            raise ValidationError(field, shown, "birth date is in the future or before 1890")
        if value[17] != identity_check_char(value[:17]):
            raise ValidationError(
                field, shown, "check character does not match (GB 11643 MOD 11-2)"
            )
        return cls(value, birth)

    @property
    def birth_date(self) -> dt.date:
        born = self._birth or _birth_date(self._value)
        if born is None:
            raise ValueError("not a validated identity number")
        return born

    @property
    def sex(self) -> str:
        """``"M"`` when the 17th digit is odd, ``"F"`` when even."""
        return "M" if int(self._value[16]) % 2 else "F"

    @property
    def region(self) -> str:
        return self._value[:6]

    def reveal(self) -> str:
        return self._value

    def masked(self) -> str:
        return mask_identity(self._value)

    def __str__(self) -> str:
        return self.masked()

    def __repr__(self) -> str:
        return f"IdentityNumber({self.masked()!r})"


def _birth_date(value: str) -> dt.date | None:
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


@attrs.frozen(repr=False)
class Phone:
    """A validated mainland phone number: an 11-digit mobile or an area-coded landline."""

    _value: str

    @classmethod
    def parse(cls, raw: object, *, field: str = "phone") -> Phone:
        """Validate ``raw`` or raise ``ValidationError`` (its value masked). Look-alike
        characters are folded first (NFKC: full-width digits are digits), spaces, dashes and
        brackets dropped and a ``+86``/``0086`` prefix removed; only ASCII digits then pass."""
        value = _PHONE_NOISE.sub("", _normalised(raw, field, mask_phone))
        if value.startswith("+86"):
            value = value[3:]
        elif value.startswith("0086"):
            value = value[4:]
        if not (_MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value)):
            raise ValidationError(
                field,
                _masked(value, mask_phone),
                "not an 11-digit mobile (1[3-9]…) or an area-coded landline",
            )
        return cls(value)

    def reveal(self) -> str:
        return self._value

    def masked(self) -> str:
        return mask_phone(self._value)

    def __str__(self) -> str:
        return self.masked()

    def __repr__(self) -> str:
        return f"Phone({self.masked()!r})"


def _normalised(raw: object, field: str, mask: Callable[[str], str]) -> str:
    """``raw`` as stripped NFKC text; a number (a spreadsheet cell) as its digits, refused when
    it has more digits than a spreadsheet keeps exactly."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return number_text(field, raw, mask=mask)
    if not isinstance(raw, str):
        raise ValidationError(field, type(raw).__name__, "expected text")
    return unicodedata.normalize("NFKC", raw).strip()


def _masked(value: str, mask: Callable[[str], str]) -> str:
    """``value`` masked for an error; junk longer than a real value is shown by its length."""
    if len(value) > _SHOWN_MAX:
        return f"<{len(value)} characters>"
    return mask(value)
