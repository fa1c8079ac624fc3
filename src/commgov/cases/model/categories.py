"""The hierarchical category table: dotted codes (``dispute.neighbour``) under their parents."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from commgov.cases.model.vocab import LEVELS
from commgov.errors import PluginError, ValidationError

_CODE: Final = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")


@attrs.frozen
class CategorySpec:
    """A category a plugin registers. ``department`` is the department kind that usually leads
    when the case goes beyond the community; ``level`` the owner level triage suggests."""

    code: str
    label: str
    department: str | None = None
    level: str = LEVELS[0]

    @property
    def parent(self) -> str | None:
        head, dot, _ = self.code.rpartition(".")
        return head if dot else None


DEFAULT_CATEGORIES: Final = (
    CategorySpec("dispute", "矛盾纠纷 disputes", "justice"),
    CategorySpec("dispute.neighbour", "邻里纠纷 neighbour dispute", "justice"),
    CategorySpec("dispute.family", "家庭纠纷 family dispute", "justice"),
    CategorySpec("dispute.property", "物业纠纷 property-management dispute", "housing"),
    CategorySpec("dispute.labour", "劳资纠纷 labour dispute", "justice", "community"),
    CategorySpec("safety", "安全隐患 safety hazards", "emergency"),
    CategorySpec("safety.fire", "消防隐患 fire hazard", "fire"),
    CategorySpec("safety.building", "房屋安全 building safety", "housing", "community"),
    CategorySpec("safety.traffic", "交通安全 traffic safety", "police"),
    CategorySpec("environment", "环境卫生 environment and sanitation", "city_management"),
    CategorySpec("facilities", "公共设施 public facilities", "city_management"),
    CategorySpec("assistance", "困难帮扶 help for people in difficulty", "civil_affairs"),
    CategorySpec("order", "治安与警情 public order and alarms", "police"),
)


@attrs.frozen
class CategoryTree:
    """Every registered category by code, checked: parents exist, levels are known."""

    by_code: Mapping[str, CategorySpec]

    @classmethod
    def build(cls, specs: Iterable[CategorySpec]) -> CategoryTree:
        found: dict[str, CategorySpec] = {}
        for spec in specs:
            if not _CODE.fullmatch(spec.code):
                raise PluginError(f"case category {spec.code!r}: codes are dotted lower_case")
            if spec.level not in LEVELS:
                raise PluginError(f"case category {spec.code!r}: unknown level {spec.level!r}")
            found[spec.code] = spec
        for spec in found.values():
            if spec.parent is not None and spec.parent not in found:
                raise PluginError(f"case category {spec.code!r}: no parent {spec.parent!r}")
        return cls(dict(sorted(found.items())))

    def get(self, code: str, field: str = "category") -> CategorySpec:
        spec = self.by_code.get(code)
        if spec is None:
            known = ", ".join(self.by_code)
            raise ValidationError(field, code, f"unknown category; known: {known}")
        return spec

    def lineage(self, code: str) -> list[CategorySpec]:
        """The category and its ancestors, nearest first."""
        out = [self.get(code)]
        while out[-1].parent is not None:
            out.append(self.by_code[str(out[-1].parent)])
        return out

    def department(self, code: str | None) -> str | None:
        """The department kind of the category or its nearest ancestor that has one."""
        if code is None:
            return None
        return next((s.department for s in self.lineage(code) if s.department), None)

    def children(self, code: str | None) -> list[CategorySpec]:
        return [s for s in self.by_code.values() if s.parent == code]
