"""Finding cases: one by its id or its number, and lists filtered the way a clerk asks
(state, category, channel, reported when, lead, overdue), a page at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import attrs

from commgov.cases.model.case import Lead
from commgov.cases.model.categories import CategoryTree
from commgov.cases.model.numbers import CaseNumber
from commgov.cases.model.vocab import CASE_READ, CHANNELS, LEAD_KINDS, State
from commgov.cases.repository import CaseRepository, StoredCase
from commgov.cases.service.batch import CaseBatch, case_target
from commgov.errors import NotFoundError, ValidationError
from commgov.kernel.times import as_utc, day_start
from commgov.kernel.values import INT32, check_int, check_text
from commgov.people.service.grids import load_unit

LIST_MAX: Final = 10_000
"""The most cases one list returns (page on with ``after_id``)."""
_STATES: Final = tuple(s.value for s in State)


def find_case(batch: CaseBatch, case: object, *, town: str | None = None) -> int:
    """The id of the case ``case`` names, an id or a number (see ``CaseService.find``); it
    must be readable by the batch's actor."""
    if isinstance(case, int) and not isinstance(case, bool):
        found = batch.case(check_int("case", case, INT32), "case")
        batch.authorize_case(CASE_READ, found)
        return found.id
    text = check_text("case", case, 40).strip() if isinstance(case, str) else None
    if text is not None and text.isdigit():
        return find_case(batch, int(text), town=town)
    if text is None or not CaseNumber.looks_like(text):
        raise ValidationError("case", case, "expected a case id (12) or number (2026-000123)")
    number = CaseNumber.parse(text, "case")
    stored = [batch.adopt(c, d) for c, d in batch.repo.numbered(number)]
    if town is not None:
        unit = load_unit(batch.uow, town, field="town")
        home = batch.towns_of([unit.id])[unit.id]
        stored = [c for c in stored if c.town_id == home]
    if not stored:
        where = f" in {town}" if town is not None else ""
        raise NotFoundError("case", f"{number}{where}")
    readable = [
        c
        for c in stored
        if batch.ctx.allowed(batch.actor, CASE_READ, case_target(c, batch.unit(c.unit_id)))
    ]
    if not readable:
        batch.authorize_case(CASE_READ, stored[0])  # raises PermissionDenied
    if len(readable) > 1:
        towns = ", ".join(batch.unit(c.town_id or c.unit_id).code for c in readable)
        raise ValidationError(
            "town", None, f"case number {number} was given in towns {towns}: name the town"
        )
    return readable[0].id


@attrs.frozen
class CaseFilter:
    """A checked list request (``CaseService.under``): times in UTC, names known."""

    states: tuple[str, ...] | None = None
    category: str | None = None
    channel: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    lead: str | None = None
    overdue: bool = False
    after_id: int | None = None
    limit: int | None = None

    @classmethod
    def build(
        cls,
        zone: dt.tzinfo,
        categories: CategoryTree,
        *,
        state: str | Sequence[str] | None,
        category: str | None,
        channel: str | None,
        since: dt.date | dt.datetime | None,
        until: dt.date | dt.datetime | None,
        lead: str | None,
        overdue: bool,
        after_id: int | None,
        limit: int | None,
    ) -> CaseFilter:
        """Check every filter, naming the bad one; dates count in the store's ``zone``."""
        states = None
        if state is not None:
            states = (state,) if isinstance(state, str) else tuple(state)
            for s in states:
                if s not in _STATES:
                    raise ValidationError("state", s, f"expected one of {', '.join(_STATES)}")
        if category is not None:
            categories.get(check_text("category", category, 100))
        if channel is not None and channel not in CHANNELS:
            raise ValidationError("channel", channel, f"expected one of {', '.join(CHANNELS)}")
        start = _moment("since", since, zone, end=False)
        end = _moment("until", until, zone, end=True)
        if start is not None and end is not None and end <= start:
            raise ValidationError("until", until, f"must come after since ({since})")
        if lead is not None:
            _check_lead(lead)
        if not isinstance(overdue, bool):
            raise ValidationError("overdue", overdue, "expected True or False")
        if after_id is not None:
            check_int("after_id", after_id, INT32)
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= LIST_MAX
        ):
            raise ValidationError("limit", limit, f"expected a whole number from 1 to {LIST_MAX}")
        return cls(states, category, channel, start, end, lead, overdue, after_id, limit)

    def run(self, repo: CaseRepository, path: str, now: dt.datetime) -> list[StoredCase]:
        return repo.listed(
            path,
            states=self.states,
            category=self.category,
            channel=self.channel,
            since=self.since,
            until=self.until,
            lead=self.lead,
            overdue_at=now if self.overdue else None,
            after_id=self.after_id,
            limit=self.limit,
        )


def _moment(
    field: str, value: dt.date | dt.datetime | None, zone: dt.tzinfo, *, end: bool
) -> dt.datetime | None:
    """A bound of the period: a datetime as given; a date from its first instant (``since``)
    or to the end of that day (``until``), in ``zone``."""
    if value is None or isinstance(value, dt.datetime):
        return None if value is None else as_utc(field, value)
    if not isinstance(value, dt.date):
        raise ValidationError(field, value, "expected a date or a datetime with a time zone")
    day = value + dt.timedelta(days=1) if end else value
    return day_start(day, zone)


def _check_lead(lead: object) -> None:
    text = check_text("lead", lead, 100)
    parsed = Lead.parse(text)
    if (
        parsed.kind not in LEAD_KINDS
        or not parsed.ref
        or (parsed.kind == "staff" and not parsed.ref.isdigit())
    ):
        raise ValidationError("lead", lead, "expected staff:<id> or department:<code>")


__all__ = ["LIST_MAX", "CaseFilter", "find_case"]
