"""Text at the people boundary: one check for every text field, numbers that arrive where text
is expected (spreadsheet cells), and the escape that keeps exported cells from being formulas."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final

from commgov.errors import ValidationError
from commgov.kernel.values import check_text, shown

EXACT_DIGITS: Final = 15
"""A spreadsheet keeps 15 significant digits of a number: a longer one may have changed."""
NUMBER_AS_TEXT: Final = (
    "数字格式的单元格超过15位有效数字，已不准确：请把该列设为文本格式后重新填写 "
    f"(a number past {EXACT_DIGITS} significant digits is not exact: format the column as text)"
)
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP, CSV injection)."""
_QUOTE: Final = "'"


def number_text(field: str, value: int | float, *, mask: Callable[[str], str] = shown) -> str:
    """A number given where text is expected, as its digits (``13800000001.0`` ->
    ``"13800000001"``); ``ValidationError`` when it has more digits than a spreadsheet keeps
    exactly. ``mask`` hides the digits in the error (personal values)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(field, str(value), "not a number")
        if not value.is_integer():
            return str(value)
        value = int(value)
    digits = str(abs(value))
    if len(digits) > EXACT_DIGITS:
        raise ValidationError(field, mask(digits), NUMBER_AS_TEXT)
    return str(value)


def clean_text(field: str, value: object, limit: int | None, *, required: bool = True) -> str:
    """``value`` stripped: text (or a number, as its digits) of at most ``limit`` characters
    (``None``: any length), without NUL or a lone surrogate; else ``ValidationError`` naming
    ``field``. Empty text is refused when ``required`` and returned as ``""`` when not."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value.strip()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        text = number_text(field, value)
    else:
        raise ValidationError(field, value, "expected text")
    check_text(field, text, limit)
    if required and not text:
        raise ValidationError(field, value, "must not be empty")
    return text


def escape_formula(value: str) -> str:
    """``value`` as a spreadsheet shows it and never runs it: a ``'`` goes before a value that
    starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR) or with ``'`` itself, so
    ``unescape_formula`` gives back exactly what was escaped."""
    return _QUOTE + value if value.startswith((*FORMULA_START, _QUOTE)) else value


def unescape_formula(value: str) -> str:
    """The inverse of ``escape_formula``: one leading ``'`` goes when what follows it would
    have been escaped."""
    rest = value[1:]
    return rest if value.startswith(_QUOTE) and rest.startswith((*FORMULA_START, _QUOTE)) else value
