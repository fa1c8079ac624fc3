"""Reading over Open311: requests (a list, one, or one by token) and FixMyStreet's request
updates. Lists cover at most 90 days (the last 90 by default) and 1,000 entries, oldest
first; a key holder sees in full the cases the library lets it read, everyone else the
public fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

import attrs

from commgov.api.open311 import mapping
from commgov.api.open311.access import PUBLIC, Store
from commgov.api.open311.catalogue import ORDER_PREFIX, names, services
from commgov.api.open311.errors import Open311Error, invalid
from commgov.api.open311.forms import Params, identifiers, moment
from commgov.cases.model.numbers import CaseNumber
from commgov.cases.model.vocab import CASE_READ, State
from commgov.cases.views import CaseView
from commgov.errors import NotFoundError, PermissionDenied
from commgov.kernel.actors import Actor
from commgov.orders.defaults import CATEGORY as ORDER_CATEGORY
from commgov.people.model.units import Unit, unit_target

MOST: Final = 1000
"""The most requests or updates one answer lists (the spec's default limit)."""
WINDOW: Final = dt.timedelta(days=90)
"""The longest period one list covers, and the default one (ending now)."""
UNCATEGORISED: Final = "uncategorised"
"""The service code of a case without a category (not a service one may request)."""
STATUSES: Final = {
    "open": sorted(mapping.OPEN_STATES),
    "closed": sorted(s.value for s in State if s.value not in mapping.OPEN_STATES),
}


@attrs.frozen
class Window:
    """A checked period ``[start, end)``."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def of(cls, params: Params, now: dt.datetime, zone: dt.tzinfo) -> Window:
        """From ``start_date`` and ``end_date``: the one missing is 90 days from the other; both
        missing, the last 90 days."""
        start = moment("start_date", params.text("start_date", most=64), zone)
        end = moment("end_date", params.text("end_date", most=64), zone)
        if start is None and end is None:
            end = now + dt.timedelta(seconds=1)
        if start is None:
            assert end is not None
            start = end - WINDOW
        if end is None:
            end = start + WINDOW
        if end <= start:
            raise invalid("end_date", params.text("end_date"), "must come after start_date")
        if end - start > WINDOW:
            raise invalid("end_date", params.text("end_date"), "spans more than 90 days")
        return cls(start, end)


class Lister:
    """One answer's reading: the town, who reads, the services, and what the reader may read
    in full."""

    def __init__(self, store: Store, reader: Actor | None, town: Unit) -> None:
        self.store, self.reader, self.town = store, reader, town
        self.names = names(services(store, town))
        self._items: dict[int, str] = {}

    def service_code(self, case: CaseView) -> str:
        """A case's service: its category, or ``service:<item>`` for a service order."""
        if case.category is None:
            return UNCATEGORISED
        if case.category != ORDER_CATEGORY.code:
            return case.category
        if case.id not in self._items:
            try:
                item = ORDER_PREFIX + self.store.orders.get(PUBLIC, case.id).item
            except NotFoundError:
                item = case.category
            self._items[case.id] = item
        return self._items[case.id]

    def requests(
        self, cases: list[CaseView], *, full: Callable[[CaseView], bool] | None = None
    ) -> list[object]:
        """The cases as requests, each with the time it last changed: in full where ``full``
        says (by default: where the reader may read the case's unit)."""
        if full is None:
            reach = self.store.reach(self.reader, self.town)
            full = lambda case: reach(case.unit_code)  # noqa: E731
        ids = [c.id for c in cases]
        updated: dict[int, dt.datetime] = {}
        if ids:
            for event in self.store.cases.updates(PUBLIC, self.town.code, case_ids=ids):
                updated[event.case_id] = max(event.at, updated.get(event.case_id, event.at))
        out: list[object] = []
        for case in cases:
            code = self.service_code(case)
            out.append(
                mapping.request(
                    case,
                    service_code=code,
                    service_name=self.names.get(code),
                    updated=updated.get(case.id),
                    full=full(case),
                )
            )
        return out

    # -- one ----------------------------------------------------------------------------------
    def one(self, case_id: int) -> tuple[CaseView, bool]:
        """The case and whether the reader sees it in full; a 404 outside the town."""
        try:
            if self.reader is None:
                raise PermissionDenied("public", CASE_READ, f"case {case_id}")
            found, full = self.store.cases.get(self.reader, case_id), True
        except PermissionDenied:
            found, full = self.store.cases.get(PUBLIC, case_id), False
        except NotFoundError:
            raise Open311Error(404, f"service_request_id={case_id}: no such request") from None
        if not self.store.within(found.unit_code, self.town):
            raise Open311Error(404, f"service_request_id={case_id}: not in {self.town.code}")
        return found, full

    def by_ids(self, ids: list[int]) -> list[object]:
        """The requests with these ids that exist in the town (others are left out)."""
        shown: list[CaseView] = []
        full: set[int] = set()
        for case_id in dict.fromkeys(ids):
            try:
                case, in_full = self.one(case_id)
            except (Open311Error, NotFoundError):
                continue
            shown.append(case)
            if in_full:
                full.add(case_id)
        return self.requests(shown, full=lambda case: case.id in full)

    # -- many ---------------------------------------------------------------------------------
    def matching(self, params: Params) -> list[object]:
        """``GET requests``: by ``service_request_id`` (a comma list, overriding the rest), or
        by ``service_code`` (a comma list), ``status`` (open, closed) and the window."""
        ids = params.text("service_request_id")
        if ids is not None:
            return self.by_ids(identifiers("service_request_id", ids, MOST))
        window = Window.of(params, self.store.ctx.clock(), self.store.ctx.zone)
        states = self._states(params.text("status", most=100))
        codes = self._codes(params.text("service_code"))
        categories = None if codes is None else {self._category(c) for c in codes}
        category = next(iter(categories)) if categories and len(categories) == 1 else None
        if category == UNCATEGORISED:
            category = None
        found: list[CaseView] = []
        after: int | None = None
        while len(found) < MOST:
            page = self.store.cases.under(
                PUBLIC,
                self.town.code,
                state=states,
                category=category,
                since=window.start,
                until=window.end,
                after_id=after,
                limit=MOST,
            )
            found += [c for c in page if codes is None or self.service_code(c) in codes]
            if len(page) < MOST:
                break
            after = page[-1].id
        return self.requests(found[:MOST])

    @staticmethod
    def _states(given: str | None) -> list[str] | None:
        if given is None:
            return None
        words = {w.strip().lower() for w in given.split(",") if w.strip()}
        unknown = words - set(STATUSES)
        if unknown:
            raise invalid("status", given, "expected open, closed or both (comma separated)")
        return sorted(s for w in words for s in STATUSES[w])

    def _codes(self, given: str | None) -> set[str] | None:
        if given is None:
            return None
        codes = {c.strip() for c in given.split(",") if c.strip()}
        unknown = sorted(c for c in codes if c not in self.names and c != UNCATEGORISED)
        if unknown:
            raise invalid("service_code", ",".join(unknown)[:100], "no such service")
        return codes

    @staticmethod
    def _category(code: str) -> str:
        return ORDER_CATEGORY.code if code.startswith(ORDER_PREFIX) else code

    # -- tokens and updates -------------------------------------------------------------------
    def token(self, token: str) -> list[object]:
        """``tokens/{token}``: a token is a case's number in the town (``2026-000123``)."""
        if not CaseNumber.looks_like(token):
            raise Open311Error(404, f"token={token[:40]!r}: no such token")
        try:
            found = self.store.cases.find(PUBLIC, token, town=self.town.code)
        except NotFoundError:
            raise Open311Error(404, f"token={token!r}: no such token in {self.town.code}") from None
        return [{"service_request_id": str(found.id), "token": token}]

    def updates(self, params: Params) -> list[object]:
        """``GET servicerequestupdates``: the case loop's public steps in the window, in time
        order; in full for a reader who may read the whole town."""
        window = Window.of(params, self.store.ctx.clock(), self.store.ctx.zone)
        reader = self.reader
        full = reader is not None and self.store.ctx.allowed(
            reader, CASE_READ, unit_target(self.town)
        )
        events = self.store.cases.updates(
            PUBLIC, self.town.code, since=window.start, until=window.end, public=True, limit=MOST
        )
        return [mapping.update(e, full=full) for e in events]
