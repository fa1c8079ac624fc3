"""The cases one unit of work touches, held in memory and written at the end in a few
statements: new rows, versioned updates, events. Any error before ``flush`` writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from commgov.cases.calls import CaseRules
from commgov.cases.model.case import Case, Event, Lead, ReportDetails
from commgov.cases.model.rules import CaseInfo
from commgov.cases.repository import CaseRepository
from commgov.cases.views import CaseView
from commgov.errors import NotFoundError
from commgov.kernel.access import Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import INT32, check_int
from commgov.people.model.units import Unit
from commgov.people.repository import DepartmentRepository, StaffRepository, UnitRepository


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

    # -- output --------------------------------------------------------------------------
    def flush(self) -> None:
        """Insert the new cases (ids ascending, so merge targets come first), save changed
        loaded cases with their version check, then insert the events."""
        new = sorted(i for i in self.cases if i not in self.loaded)
        self.repo.insert_cases([(self.cases[i], self.details[i]) for i in new])
        changed = [
            (self.cases[i], old) for i, old in self.loaded.items() if self.cases[i] is not old
        ]
        self.repo.save(changed)
        self.repo.insert_events(self.events)

    def view(self, case_id: int) -> CaseView:
        case = self.cases[case_id]
        details = self.details[case_id]
        return CaseView(
            id=case.id,
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
