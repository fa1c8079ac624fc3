"""Views of service orders: the catalogue's items with their labels, and orders as the caller
may see them (the resident's name masked unless they may read personal data)."""

from __future__ import annotations

import datetime as dt

from commgov.kernel.views import View


class ServiceItemView(View):
    """One item of a unit's catalogue, with the labels of its codes."""

    code: str
    name: str
    department: str
    department_label: str
    duty: str
    duty_label: str
    who: tuple[str, ...]
    who_labels: tuple[str, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...]
    time_limit: dt.timedelta
    fee: int
    """In fen (0: free)."""
    group: str


class DeclineView(View):
    """A provider that declined the order, and why."""

    provider_kind: str
    provider: str
    reason: str
    at: dt.datetime
    by: str


class OrderView(View):
    """A service order and the case it runs on. ``id`` is the case's id and ``number`` its
    number; ``step`` is the order's own (点单 … 评单), ``case_state`` the case's; the deadlines,
    the rating and the reopenings are the case's."""

    id: int
    number: str
    item: str
    item_name: str
    unit_code: str
    resident_id: int
    resident_name: str
    household_id: int
    fields: dict[str, str]
    fee: int
    step: str
    step_label: str
    provider_kind: str | None
    provider: str | None
    declines: tuple[DeclineView, ...]
    case_state: str
    lead: str | None
    placed_at: dt.datetime
    response_due: dt.datetime
    resolve_due: dt.datetime
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    overdue: bool
    """Not yet resolved and past its next deadline now."""
    rating: int | None
    reopen_count: int
    personal_visible: bool
