"""The cases one unit of work touches, held in memory and written at the end in a few
statements: new rows, versioned updates, events (and the same events in the outbox, for
``commgov events deliver``). Any error before ``flush`` writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

from commgov.cases.calls import CaseRules
from commgov.cases.model.case import Case, Event, Lead, ReportDetails, stamp
from commgov.cases.model.machine import number_case
from commgov.cases.model.numbers import TOWN_KINDS, CaseNumber
from commgov.cases.model.rules import CaseInfo
from commgov.cases.model.vocab import Action
from commgov.cases.repository import CaseRepository, case_ids
from commgov.cases.views import CaseView
from commgov.errors import NotFoundError
from commgov.kernel.access import Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.outbox import Event as DomainEvent
from commgov.kernel.outbox import outbox_rows
from commgov.kernel.times import local_date
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import INT32, check_int
from commgov.people.model.personal import mask_phone
from commgov.people.model.units import Unit
from commgov.people.repository import (
    DepartmentRepository,
    HouseholdRepository,
    StaffRepository,
    UnitRepository,
)

TOWNS_BY_PATH: Final = "cases.towns_by_path"
"""The context's cache of the unit each path's cases are numbered in (``towns_of``)."""
EVENT_KINDS: Final[dict[Action, str]] = {
    Action.REPORT: "case.reported",
    Action.ACCEPT: "case.accepted",
    Action.REJECT: "case.rejected",
    Action.TRIAGE: "case.triaged",
    Action.DISPATCH: "case.dispatched",
    Action.START: "case.started",
    Action.RESOLVE: "case.resolved",
    Action.INFORM: "case.informed",
    Action.VISIT: "case.visited",
    Action.CLOSE: "case.closed",
    Action.WITHDRAW: "case.withdrawn",
    Action.MERGE: "case.merged",
    Action.ESCALATE: "case.escalated",
    Action.ALARM: "case.alarm_repeated",
    Action.ABSORB: "case.absorbed",
    Action.HAND_OVER: "case.handed_over",
}
"""The outbox kind of each case event (``docs/events.md``)."""
SHARED_DATA: Final = (
    "channel",
    "category",
    "severity",
    "owner_level",
    "response_due",
    "resolve_due",
    "lead",
    "co_operators",
    "kind",
    "duplicate_of",
    "into",
    "merged",
    "rating",
    "from",
    "to",
    "device_id",
)
"""What an outbox event repeats of its case event's data: codes, ids, levels and times —
not the reporter's household, text, photos or phone."""


def case_target(case: Case, unit: Unit) -> Target:
    return Target(f"case {case.id} in unit {unit.code}", unit.path, case.household_id)


class CaseBatch:
    """Loaded and new cases of one unit of work, the events made so far, and caches."""

    def __init__(
        self, ctx: Context, uow: UnitOfWork, rules: CaseRules, actor: Actor, now: dt.datetime
    ) -> None:
        self.ctx, self.uow, self.rules, self.actor, self.now = ctx, uow, rules, actor, now
        self.repo = uow.repo(CaseRepository)
        self.cases: dict[int, Case] = {}
        self.loaded: dict[int, Case] = {}
        self.details: dict[int, ReportDetails] = {}
        self.events: list[Event] = []
        self._units: dict[int, Unit] = {}
        self._households: dict[int, int] = {}  # household id -> the unit it is in
        self._allowed: set[tuple[str, str | None, int | None]] = set()
        self._leads: dict[Lead, bool] = {}

    # -- cases ---------------------------------------------------------------------------
    def load(self, ids: Iterable[int]) -> None:
        missing = [i for i in ids if i not in self.cases]
        for case, details in self.repo.load(missing).values():
            self.adopt(case, details)

    def adopt(self, case: Case, details: ReportDetails) -> Case:
        """Hold a case read elsewhere (unless the batch holds that case already)."""
        if case.id not in self.cases:
            self.cases[case.id] = self.loaded[case.id] = case
            self.details[case.id] = details
        return self.cases[case.id]

    def case(self, case_id: int, field: str = "case_id") -> Case:
        check_int(field, case_id, INT32)
        if case_id not in self.cases:
            self.load([case_id])
        found = self.cases.get(case_id)
        if found is None:
            raise NotFoundError("case", case_id)
        return found

    def add(self, case: Case, event: Event, details: ReportDetails) -> None:
        self.cases[case.id] = case
        self.details[case.id] = details
        self.events.append(event)

    def record(self, case: Case, event: Event) -> None:
        self.cases[case.id] = case
        self.events.append(event)

    def lead_exists(self, lead: Lead) -> bool:
        """An active staff member or a department with this reference (cached)."""
        if lead not in self._leads:
            self.check_leads([lead])
        return self._leads[lead]

    def know_lead(self, lead: Lead, exists: bool) -> None:
        """Take whether ``lead`` exists as read elsewhere in this unit of work."""
        self._leads[lead] = exists

    def check_leads(self, leads: Iterable[Lead]) -> None:
        """Look up many leads at once (``apply_many`` prefetches its dispatches' leads)."""
        wanted = {x for x in leads if x not in self._leads}
        staff = {int(x.ref) for x in wanted if x.kind == "staff" and x.ref.isdigit()}
        codes = [x.ref for x in wanted if x.kind == "department"]
        active = self.uow.repo(StaffRepository).active_ids(sorted(staff)) if staff else set()
        known = self.department_codes(codes) if codes else set()
        for x in wanted:
            if x.kind == "staff":
                self._leads[x] = x.ref.isdigit() and int(x.ref) in active
            else:
                self._leads[x] = x.kind == "department" and x.ref in known

    def department_codes(self, codes: Sequence[str]) -> set[str]:
        """Which of ``codes`` are department codes."""
        return self.uow.repo(DepartmentRepository).existing_codes(codes)

    # -- units and permission ------------------------------------------------------------
    def unit(self, unit_id: int) -> Unit:
        found = self._units.get(unit_id)
        if found is None:
            found = self._units[unit_id] = self.uow.repo(UnitRepository).get(unit_id)
        return found

    def remember(self, unit: Unit) -> None:
        self._units.setdefault(unit.id, unit)

    def known_unit(self, code: str) -> Unit | None:
        """A unit of this code read in this unit of work already, if any."""
        return next((u for u in self._units.values() if u.code == code), None)

    def household_unit(self, household_id: int) -> int:
        """The id of the unit the household is in (``NotFoundError``: no such household)."""
        found = self._households.get(household_id)
        if found is None:
            row = self.uow.repo(HouseholdRepository).get(household_id)
            found = self._households[household_id] = int(row.unit_id)
        return found

    def remember_household(self, household_id: int, unit_id: int) -> None:
        """A household read elsewhere in this unit of work (a resident's row names it)."""
        self._households.setdefault(household_id, unit_id)

    def towns_of(self, unit_ids: Iterable[int]) -> dict[int, int]:
        """The unit each case of these units is numbered in: the nearest unit at the town
        level (a town or a street) at or above it, else the top of its tree. Remembered for
        the store by the unit's path: a path lists the unit's ancestors and a unit's kind
        never changes, so the same path always has the same town (a moved unit has a new
        path; on SQLite a rolled-back unit's id may come back under another kind, so only
        what committed is remembered)."""
        known: dict[str, int] = self.ctx.cached(TOWNS_BY_PATH, dict)
        paths = {u: self.unit(u).path for u in set(unit_ids)}
        missing = [u for u, path in paths.items() if path not in known]
        lines = {u: [*self.unit(u).ancestor_ids, u] for u in missing}
        wanted = {a for line in lines.values() for a in line if a not in self._units}
        if wanted:
            for unit in self.uow.repo(UnitRepository).many(sorted(wanted)):
                self.remember(unit)
        found = {
            paths[u]: next((a for a in reversed(line) if self.unit(a).kind in TOWN_KINDS), line[0])
            for u, line in lines.items()
        }
        if found:  # remembered once committed: a unit made in a rolled-back one is not kept
            self.uow.on_commit(lambda: known.update(found))
        return {u: found[p] if p in found else known[p] for u, p in paths.items()}

    def authorize(self, action: str, target: Target) -> None:
        """``ctx.authorize``, remembering what was allowed for this actor in this batch."""
        key = (action, target.unit_path, target.household_id)
        if key not in self._allowed:
            self.ctx.authorize(self.actor, action, target)
            self._allowed.add(key)

    def authorize_case(self, action: str, case: Case) -> None:
        unit = self.unit(case.unit_id)
        key = (action, unit.path, case.household_id)
        if key not in self._allowed:
            self.ctx.authorize(self.actor, action, case_target(case, unit))
            self._allowed.add(key)

    def info(self, case: Case) -> CaseInfo:
        unit = self.unit(case.unit_id)
        details = self.details.get(case.id)
        return CaseInfo(
            id=case.id,
            unit_code=unit.code,
            unit_path=unit.path,
            channel=case.channel,
            category=case.category,
            severity=case.severity,
            owner_level=case.owner_level,
            text=details.text if details else "",
            lat=details.lat if details else None,
            lon=details.lon if details else None,
            device_id=case.device_id,
            reporter_household_id=case.household_id,
        )

    def new_ids(self, n: int) -> Iterator[int]:
        """Ids for ``n`` new cases, from the store's allocator (a block of the sequence held
        in memory on PostgreSQL, so a single report takes no round trip for its id)."""
        blocks = self.ctx.cached("cases.ids", case_ids)
        return iter(self.repo.reserve_ids(n, blocks))

    # -- output --------------------------------------------------------------------------
    def flush(self, audit: Callable[[], Mapping[str, Any]] | None = None) -> None:
        """Number the new cases, insert them (ids ascending, so merge targets come first),
        save changed loaded cases with their version check, then insert the events, and put
        them in the outbox: after the saves, so under the rows' locks (aggregate ``case:<id>``).
        ``audit`` makes the write's audit row once the cases are numbered; it is written with
        the rest, in one round trip where nothing had to be saved in between."""
        new = sorted(i for i in self.cases if i not in self.loaded)
        self._number(new)
        rows = [(self.cases[i], self.details[i]) for i in new]
        changed = [
            (self.cases[i], old) for i, old in self.loaded.items() if self.cases[i] is not old
        ]
        if changed:
            self.repo.insert_cases(rows)
            self.repo.save(changed)
            rows = []
        outbox = outbox_rows(self.now, [self._outbox_event(e) for e in self.events])
        entries = [] if audit is None else [audit()]
        self.repo.write_together(new=rows, events=self.events, outbox=outbox, audit=entries)

    def _outbox_event(self, event: Event) -> DomainEvent:
        """A case event as the outbox carries it: codes, ids and states, no text or phone."""
        case = self.cases[event.case_id]
        payload: dict[str, Any] = {
            "case_id": case.id,
            "number": None if case.number is None else str(case.number),
            "seq": event.seq,
            "action": event.action.value,
            "from_state": None if event.from_state is None else event.from_state.value,
            "to_state": event.to_state.value,
            "at": stamp(event.at),
            "unit": self.unit(case.unit_id).code,
        }
        payload.update((k, event.data[k]) for k in SHARED_DATA if k in event.data)
        return DomainEvent(EVENT_KINDS[event.action], f"case:{case.id}", payload)

    def _number(self, new: Sequence[int]) -> None:
        """Give the new cases their numbers, per town and year (in the store's zone) in id
        order: one block from each town-year's counter, taken last, so its lock is held only
        while the rows are written (``CaseRepository.take_numbers``)."""
        if not new:
            return
        towns = self.towns_of({self.cases[i].unit_id for i in new})
        groups: dict[tuple[int, int], list[int]] = {}
        for case_id in new:
            case = self.cases[case_id]
            year = local_date(case.reported_at, self.ctx.zone).year
            groups.setdefault((towns[case.unit_id], year), []).append(case_id)
        wanted = set(new)
        reports = {
            e.case_id: k
            for k, e in enumerate(self.events)
            if e.action is Action.REPORT and e.case_id in wanted
        }
        for (town_id, year), ids in sorted(groups.items()):  # one lock order for every writer
            first = self.repo.take_numbers(town_id, year, len(ids))
            for offset, case_id in enumerate(ids):
                k = reports[case_id]
                self.cases[case_id], self.events[k] = number_case(
                    self.cases[case_id],
                    self.events[k],
                    town_id=town_id,
                    number=CaseNumber(year, first + offset),
                )

    def numbers(self, ids: Iterable[int]) -> list[str]:
        """The numbers of these cases (after ``flush`` for new ones), in the order given."""
        return [str(self.cases[i].number) for i in ids]

    def view(self, case_id: int) -> CaseView:
        case = self.cases[case_id]
        details = self.details[case_id]
        if case.number is None:
            raise RuntimeError(f"case {case_id} is viewed before it is numbered (flush first)")
        phone = self.ctx.cipher.decrypt(details.contact) if details.contact else None
        return CaseView(
            id=case.id,
            number=str(case.number),
            unit_code=self.unit(case.unit_id).code,
            channel=case.channel,
            state=case.state.value,
            text=details.text,
            category=case.category,
            severity=case.severity,
            owner_level=case.owner_level,
            lead=case.lead.label() if case.lead else None,
            co_operators=case.co_operators,
            address=details.address,
            lat=details.lat,
            lon=details.lon,
            photos=details.photos,
            reporter_phone=mask_phone(phone) if phone else None,
            device_id=case.device_id,
            alarm_count=case.alarm_count,
            reported_at=case.reported_at,
            response_due=case.response_due,
            resolve_due=case.resolve_due,
            responded_at=case.responded_at,
            resolved_at=case.resolved_at,
            closed_at=case.closed_at,
            rating=case.rating,
            reopen_count=case.reopen_count,
            escalations=case.escalations,
            merged_into=case.merged_into,
            duplicate_of=case.duplicate_of,
            reject_kind=case.reject_kind,
            version=case.version,
        )
