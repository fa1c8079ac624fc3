"""Grid codes (单元网格编码): stable hierarchical codes for governance units.

The layout follows the digital urban-management practice (GB/T 30428): a root unit carries a
6-digit administrative division code; every level below appends a 3-digit segment, so a town is
9 digits, a community 12 and a grid 15 (a compound level between community and grid makes grids
18 digits). Segment ``000`` is never used. Dedicated grids (专属网格) are numbered inside their
community in the block ``901``–``999``; comprehensive grids and other units use ``001``–``899``.
"""

from __future__ import annotations

import re
from typing import Final

from commgov.errors import ValidationError

ROOT_DIGITS: Final = 6
SEGMENT_DIGITS: Final = 3
DEDICATED_BLOCK: Final = range(901, 1000)
COMMON_BLOCK: Final = range(1, 900)
_CODE: Final = re.compile(r"\d{6}(?:\d{3})*")


def validate_code(code: str, *, parent_code: str | None, dedicated: bool = False) -> str:
    """Check ``code`` against its parent's code and return it, or raise ``ValidationError``."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise ValidationError("code", code, "must be 6 digits followed by 3-digit segments")
    if parent_code is None:
        if len(code) != ROOT_DIGITS:
            raise ValidationError("code", code, "a root unit has a 6-digit division code")
        if code == "000000":
            raise ValidationError("code", code, "000000 is not a division code")
        return code
    if len(code) != len(parent_code) + SEGMENT_DIGITS or not code.startswith(parent_code):
        raise ValidationError(
            "code", code, f"must be the parent's code {parent_code} plus a 3-digit segment"
        )
    segment = int(code[-SEGMENT_DIGITS:])
    if segment == 0:
        raise ValidationError("code", code, "segment 000 is not allowed")
    if dedicated and segment not in DEDICATED_BLOCK:
        raise ValidationError("code", code, "a dedicated grid's segment must be 901-999")
    if not dedicated and segment not in COMMON_BLOCK:
        raise ValidationError(
            "code", code, "a unit's segment must be 001-899 (901-999 are for dedicated grids)"
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
