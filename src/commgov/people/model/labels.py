"""Codes and the labels a clerk writes for them: ``独居老人`` for ``living_alone``, ``县`` for
``county``. A registry label reads ``"独居老人 elder living alone"``: its Chinese part, its
English part and the whole label all stand for the code. Pure values, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

UNIT_KIND_LABELS: Final = {
    "province": "省 province",
    "city": "市 city",
    "district": "区 district",
    "county": "县 county",
    "town": "镇 town",
    "street": "街道 street",
    "community": "社区 community",
    "village": "村 village",
    "compound": "小区 compound",
    "grid": "网格 grid",
}
"""The kinds of unit (``units.UNIT_KINDS``) with their labels."""
EXTRA_UNIT_KIND_ALIASES: Final = {
    "乡": "town",
    "乡镇": "town",
    "居委会": "community",
    "村委会": "village",
    "行政村": "village",
}
GRID_TYPE_LABELS: Final = {
    "comprehensive": "综合网格 comprehensive grid",
    "dedicated": "专属网格 dedicated grid",
}
EXTRA_GRID_TYPE_ALIASES: Final = {"综合": "comprehensive", "专属": "dedicated"}
CORE_COVER_LABELS: Final = {
    "school": "学校 school",
    "market": "市场 market",
    "hospital": "医院 hospital",
    "enterprise": "企业 enterprise",
    "industrial_park": "工业园区 industrial park",
    "construction_site": "建筑工地 construction site",
    "scenic_area": "景区 scenic area",
    "government_office": "机关单位 government office",
}
"""Chinese labels for the core's dedicated-grid covers (``CORE_DEDICATED_COVERS``)."""
EMPLOYMENT_LABELS: Final = {
    "full_time": "专职 full-time",
    "part_time": "兼职 part-time",
    "mobile": "流动 mobile",
}
EXTRA_EMPLOYMENT_ALIASES: Final = {
    "全职": "full_time",
    "专职网格员": "full_time",
    "兼职网格员": "part_time",
    "流动网格员": "mobile",
}


def _key(text: str) -> str:
    """How labels are compared: spaces trimmed, ASCII letters in any case, ``_`` as a space."""
    return " ".join(text.replace("_", " ").split()).casefold()


def label_parts(label: str) -> tuple[str, ...]:
    """The ways of writing one label: the whole label, and when it starts with Chinese (any
    non-ASCII letter) followed by a space, its Chinese part and the rest."""
    whole = label.strip()
    parts = [whole]
    head, _, rest = whole.partition(" ")
    if rest and head and not head.isascii():
        parts += [head, rest.strip()]
    return tuple(p for p in parts if p)


def label_aliases(
    labels: Mapping[str, str], extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``{alias: code}`` for ``{code: label}``: every part of each label (``label_parts``),
    compared as ``_key`` does, plus ``extra`` aliases. A code always stands for itself; an alias
    two codes share stands for neither (it would be a guess)."""
    found: dict[str, str | None] = {}
    for code, label in labels.items():
        for part in label_parts(label) if isinstance(label, str) else ():
            key = _key(part)
            found[key] = code if found.get(key, code) == code else None
    for alias, code in (extra or {}).items():
        found.setdefault(_key(alias), code)
    for code in labels:
        found[_key(code)] = code
    return {k: v for k, v in found.items() if v is not None}


def resolve_label(value: str, codes: Iterable[str], aliases: Mapping[str, str]) -> str:
    """The code ``value`` stands for: itself when it is a code, else the code of the label it
    matches; ``value`` unchanged when it matches nothing (the caller refuses it by name)."""
    if value in codes:
        return value
    return aliases.get(_key(value), value)


def known_list(labels: Mapping[str, str]) -> str:
    """``"living_alone (独居老人), …"``: the codes with their Chinese part, for an error."""
    shown = []
    for code in sorted(labels):
        parts = label_parts(labels[code])
        shown.append(f"{code} ({parts[1]})" if len(parts) > 1 else code)
    return ", ".join(shown)
