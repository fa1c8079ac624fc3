"""The services a town offers over Open311: each case category (its code is the service code)
and each item of the town's service-order catalogue (``service:<item>``), with the attributes
a request fills."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

import attrs

from commgov.api.open311.access import Store
from commgov.api.open311.errors import Open311Error
from commgov.cases.model.vocab import SEVERITIES
from commgov.cases.views import CategoryView
from commgov.orders.defaults import CATEGORY as ORDER_CATEGORY
from commgov.orders.views import ServiceItemView
from commgov.people.calls import department_kinds
from commgov.people.model.units import Unit

ORDER_PREFIX: Final = "service:"
"""Service codes of order items: ``service:home_care``."""
RESIDENT_ID: Final = "resident_id"
SEVERITY: Final = "severity"
SEVERITY_NAMES: Final = {
    "critical": "紧急 critical",
    "urgent": "加急 urgent",
    "normal": "一般 normal",
    "complex": "疑难复杂 complex",
}
Datatype = Literal["string", "number", "singlevaluelist"]


@attrs.frozen
class Attribute:
    """One field of a service's form (``attribute[code]``)."""

    code: str
    datatype: Datatype
    required: bool
    description: str
    values: tuple[tuple[str, str], ...] = ()

    def as_open311(self, order: int) -> dict[str, object]:
        found: dict[str, object] = {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": None,
            "order": order,
            "description": self.description,
        }
        if self.values:
            found["values"] = [{"key": k, "name": n} for k, n in self.values]
        return found


@attrs.frozen
class Service:
    """A service of the town: a case category (``item`` is ``None``) or an order item."""

    code: str
    name: str
    description: str
    group: str
    keywords: tuple[str, ...]
    attributes: tuple[Attribute, ...]
    category: str | None = None
    item: str | None = None

    def as_open311(self) -> dict[str, object]:
        return {
            "service_code": self.code,
            "service_name": self.name,
            "description": self.description,
            "metadata": bool(self.attributes),
            "type": "realtime",
            "keywords": ", ".join(self.keywords),
            "group": self.group,
        }

    def definition(self) -> dict[str, object]:
        return {
            "service_code": self.code,
            "attributes": [a.as_open311(i) for i, a in enumerate(self.attributes, start=1)],
        }


CASE_ATTRIBUTES: Final = (
    Attribute(
        SEVERITY,
        "singlevaluelist",
        required=False,
        description="紧急程度 how urgent (default normal)",
        values=tuple((s, SEVERITY_NAMES.get(s, s)) for s in SEVERITIES),
    ),
)


def _category(c: CategoryView, by_code: dict[str, CategoryView], kinds: dict[str, str]) -> Service:
    top = by_code[c.code.split(".")[0]]
    words = [*c.code.split("."), *([c.department] if c.department else [])]
    lead = f"; 牵头部门 lead: {kinds.get(c.department, c.department)}" if c.department else ""
    return Service(
        code=c.code,
        name=c.label,
        description=f"{c.label}{lead}",
        group=top.label,
        keywords=tuple(dict.fromkeys(words)),
        attributes=CASE_ATTRIBUTES,
        category=c.code,
    )


def _item(i: ServiceItemView) -> Service:
    days = i.time_limit.total_seconds() / 86400
    fee = f"{i.fee / 100:.2f} 元" if i.fee else "免费 free"
    fields = [
        Attribute(RESIDENT_ID, "number", True, "居民编号 the id of the resident it is for"),
        *(Attribute(f, "string", True, f) for f in i.required),
        *(Attribute(f, "string", False, f) for f in i.optional),
    ]
    return Service(
        code=ORDER_PREFIX + i.code,
        name=i.name,
        description=f"{i.duty_label}; {i.department_label}; 时限 {days:g} 天 days; {fee}",
        group=i.group or ORDER_CATEGORY.label,
        keywords=(i.code, i.department, *i.who),
        attributes=tuple(fields),
        item=i.code,
    )


def _categories(store: Store) -> list[Service]:
    categories = store.cases.categories()
    by_code = {c.code: c for c in categories}
    kinds = department_kinds(store.ctx)
    return [_category(c, by_code, kinds) for c in categories if c.code != ORDER_CATEGORY.code]


def services(store: Store, town: Unit) -> list[Service]:
    """The town's services: the case categories (but the orders' own), then its order items."""
    return _categories(store) + [_item(i) for i in store.orders.catalogue(town.code)]


def service(store: Store, town: Unit, code: str, *, status: int = 404) -> Service:
    """The service with ``code``; an Open311 error (``status``) naming the code otherwise.
    Only an order item's code (``service:…``) reads the town's catalogue."""
    offered = services(store, town) if code.startswith(ORDER_PREFIX) else _categories(store)
    found = next((s for s in offered if s.code == code), None)
    if found is None:
        raise Open311Error(status, f"service_code={code[:100]!r}: no such service in {town.code}")
    return found


def names(found: Sequence[Service]) -> dict[str, str]:
    """Service names by code."""
    return {s.code: s.name for s in found}
