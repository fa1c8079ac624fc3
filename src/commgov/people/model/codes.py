"""Grid codes (单元网格编码): stable hierarchical codes for governance units.

The layout follows the digital urban-management practice (GB/T 30428): a root unit carries a
6-digit administrative division code; every level below appends a 3-digit segment, so a town is
9 digits, a community 12 and a grid 15 (a compound level between community and grid makes grids
18 digits). Segment ``000`` is never used. Dedicated grids (专属网格) are numbered inside their
community in the block ``901``–``999``; comprehensive grids and other units use ``001``–``899``.
Codes are ASCII digits only: full-width (``４１１４２５``) or other scripts' digits (``٤١١٤٢٥``)
look the same and are refused. Department codes are ASCII letters, digits, ``-``, ``_``, ``.``.
"""

from __future__ import annotations

import re
from typing import Final

from commgov.errors import ValidationError
from commgov.kernel.values import check_text, shown
from commgov.people.model.limits import DEPARTMENT_CODE_MAX, UNIT_CODE_MAX

ROOT_DIGITS: Final = 6
SEGMENT_DIGITS: Final = 3
DEDICATED_BLOCK: Final = range(901, 1000)
COMMON_BLOCK: Final = range(1, 900)
_CODE: Final = re.compile(r"[0-9]{6}(?:[0-9]{3})*")
_DEPARTMENT_CODE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def validate_code(
    code: str, *, parent_code: str | None, dedicated: bool = False, field: str = "code"
) -> str:
    """Check ``code`` against its parent's code and return it, or raise ``ValidationError``."""
    check_text(field, code, UNIT_CODE_MAX)
    if not _CODE.fullmatch(code):
        raise ValidationError(
            field, code, "must be 6 digits followed by 3-digit segments, ASCII 0-9"
        )
    if parent_code is None:
        if len(code) != ROOT_DIGITS:
            raise ValidationError(field, code, "a root unit has a 6-digit division code")
        if code == "000000":
            raise ValidationError(field, code, "000000 is not a division code")
        return code
    if len(code) != len(parent_code) + SEGMENT_DIGITS or not code.startswith(parent_code):
        raise ValidationError(
            field, code, f"must be the parent's code {parent_code} plus a 3-digit segment"
        )
    segment = int(code[-SEGMENT_DIGITS:])
    if segment == 0:
        raise ValidationError(field, code, "segment 000 is not allowed")
    if dedicated and segment not in DEDICATED_BLOCK:
        raise ValidationError(field, code, "a dedicated grid's segment must be 901-999")
    if not dedicated and segment not in COMMON_BLOCK:
        raise ValidationError(
            field, code, "a unit's segment must be 001-899 (901-999 are for dedicated grids)"
        )
    return code


def next_segment(used: set[int], *, dedicated: bool) -> int:
    """The lowest free segment number in the right block."""
    block = DEDICATED_BLOCK if dedicated else COMMON_BLOCK
    for n in block:
        if n not in used:
            return n
    raise ValidationError("code", None, "no free segment left under this parent")


def child_code(parent_code: str, segment: int) -> str:
    return f"{parent_code}{segment:03d}"


def lookup_code(value: object, field: str = "unit") -> str:
    """A unit code to look a unit up by: text (or a whole number) the store can compare, in
    ASCII digits; ``ValidationError`` naming ``field`` otherwise. Whether a unit has it is the
    look-up's business (``NotFoundError``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = check_text(field, value, UNIT_CODE_MAX).strip()
    if any(c.isdigit() and not c.isascii() for c in text):
        raise ValidationError(
            field, text, "unit codes are ASCII digits 0-9 (full-width or other digits look alike)"
        )
    return text


def validate_department_code(value: object, field: str = "code") -> str:
    """A department code: ASCII letters, digits, ``-``, ``_`` and ``.``, starting with a letter
    or digit, at most ``DEPARTMENT_CODE_MAX`` characters; ``ValidationError`` otherwise."""
    text = check_text(field, value, DEPARTMENT_CODE_MAX)
    if not text.strip():
        raise ValidationError(field, value, "must not be empty")
    if not _DEPARTMENT_CODE.fullmatch(text):
        raise ValidationError(
            field, shown(text), "ASCII letters, digits, '-', '_' and '.' only, no spaces"
        )
    return text
