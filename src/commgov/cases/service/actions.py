"""Turning a command into an event: the permission the action's table entry names, the data the
rules decide (deadlines, lead, reopening), the step of the pure machine, and what follows it
(a merge records an ``absorb`` on its target; a close calls ``commgov_case_closed``)."""

from __future__ import annotations

from typing import Any

import attrs

from commgov.cases.model.actions import ACTIONS
from commgov.cases.model.case import Case, Lead, stamp
from commgov.cases.model.machine import next_level, step
from commgov.cases.model.rules import Candidate
from commgov.cases.model.vocab import KIND_LEVEL, LEVELS, SATISFIED_MIN, Action
from commgov.cases.service.batch import CaseBatch
from commgov.cases.views import (
    CaseCommand,
    DispatchCommand,
    EscalateCommand,
    MergeCommand,
    RejectCommand,
    TriageCommand,
    VisitCommand,
)
from commgov.errors import NotFoundError, ValidationError
from commgov.people.repository import DepartmentRepository, StaffRepository, UnitRepository

A = Action


def run_action(batch: CaseBatch, case_id: int, command: CaseCommand, *, auto: bool = False) -> Case:
    """Apply one command to its case in the batch; returns the case as it now stands."""
    act = Action(command.action)
    case = batch.case(case_id)
    batch.authorize_case(ACTIONS[act].permission, case)
    data = _data(batch, case, command, auto)
    new, event = step(
        case,
        act,
        at=batch.now,
        actor=batch.actor.label(),
        note=command.note,
        attachments=command.attachments,
        data=data,
    )
    batch.record(new, event)
    if act is A.MERGE:
        absorb(batch, new, int(data["into"]))
    elif act is A.CLOSE:
        batch.rules.closed(batch.info(new), new.rating, batch.actor)
    return new


def absorb(batch: CaseBatch, merged: Case, into: int) -> None:
    """Record on the target that ``merged`` was folded into it."""
    target = batch.case(into)
    batch.authorize_case(ACTIONS[A.ABSORB].permission, target)
    new, event = step(
        target,
        A.ABSORB,
        at=batch.now,
        actor=batch.actor.label(),
        note=f"case {merged.id} merged in",
        data={"merged": merged.id},
    )
    batch.record(new, event)


def _data(batch: CaseBatch, case: Case, command: CaseCommand, auto: bool) -> dict[str, Any]:
    """The event data of the command: its fields and what the rules decide."""
    match command:
        case RejectCommand():
            if command.duplicate_of is not None:
                _exists(batch, command.duplicate_of, "duplicate_of")
            return {"kind": command.kind, "duplicate_of": command.duplicate_of}
        case TriageCommand():
            return _triage(batch, case, command)
        case DispatchCommand():
            return _dispatch(batch, case, command)
        case VisitCommand():
            return _visit(batch, case, command)
        case MergeCommand():
            _exists(batch, command.into, "into")
            return {"into": command.into}
        case EscalateCommand():
            return _escalate(batch, case, auto)
    return {}


def _exists(batch: CaseBatch, case_id: int, field: str) -> None:
    try:
        batch.case(case_id)
    except NotFoundError:
        raise ValidationError(field, case_id, "no such case") from None


def _triage(batch: CaseBatch, case: Case, c: TriageCommand) -> dict[str, Any]:
    rules = batch.rules
    category = c.category if c.category is not None else case.category
    spec = rules.categories.get(category) if category is not None else None
    severity: str = c.severity if c.severity is not None else case.severity
    level: str | None = c.owner_level
    if level is None:
        info = attrs.evolve(batch.info(case), category=category, severity=severity)
        decided = rules.triage(info, spec)  # the hook sees the category being assigned
        level = decided.owner_level
        if c.severity is None and decided.severity is not None:
            severity = decided.severity
    path = batch.unit(case.unit_id).path
    due = rules.due_times(
        path,
        category=category,
        severity=severity,
        level=level,
        respond_from=case.reported_at,
        resolve_from=case.reported_at,
        resolve_within=case.resolve_within,
    )
    return {"category": category, "severity": severity, "owner_level": level, **due}


def _dispatch(batch: CaseBatch, case: Case, c: DispatchCommand) -> dict[str, Any]:
    co_operators = list(c.co_operators) if c.co_operators is not None else None
    if c.lead is not None:
        lead = _check_lead(batch, c.lead)
    else:
        info = batch.info(case)
        department = batch.rules.categories.department(case.category)
        routing = batch.rules.routing(info, candidates(batch, case), department)
        if routing is None:
            raise ValidationError(
                "lead", None, f"no lead given and no routing rule found one for case {case.id}"
            )
        lead = routing.lead
        if co_operators is None:
            co_operators = list(routing.co_operators)
    co_operators = list(dict.fromkeys(co_operators or []))
    staff = [c for c in co_operators if c.startswith("staff:")]
    for label in staff:
        if label == lead.label() or not batch.lead_exists(Lead.parse(label)):
            raise ValidationError(
                "co_operators", label, "not an active staff member besides the lead"
            )
    departments = [c for c in co_operators if not c.startswith("staff:")]
    if departments:
        known = batch.department_codes(departments)
        unknown = [code for code in departments if code not in known]
        if unknown:
            raise ValidationError("co_operators", unknown[0], "no department with this code")
    return {"lead": lead.label(), "co_operators": co_operators}


def _check_lead(batch: CaseBatch, label: str) -> Lead:
    lead = Lead.parse(label)
    if lead.kind not in ("staff", "department"):
        raise ValidationError("lead", label, "expected staff:<id> or department:<code>")
    if not batch.lead_exists(lead):
        what = "active staff member with this id" if lead.kind == "staff" else "department"
        raise ValidationError("lead", label, f"no {what}")
    return lead


def candidates(batch: CaseBatch, case: Case) -> list[Candidate]:
    """Staff assigned to the case's grid and the units above it, and departments there."""
    grid = batch.unit(case.unit_id)
    units = {u.id: u for u in batch.uow.repo(UnitRepository).many([*grid.ancestor_ids, grid.id])}
    roles = batch.ctx.roles
    found: list[Candidate] = []
    for staff_id, role, unit_id in batch.uow.repo(StaffRepository).active_at(list(units)):
        unit = units[unit_id]
        spec = roles.get(role)
        found.append(
            Candidate(
                lead=Lead("staff", str(staff_id)),
                role_or_kind=spec.acts_as if spec else role,
                unit_code=unit.code,
                level=KIND_LEVEL.get(unit.kind, LEVELS[-1]),
                role=role,
            )
        )
    for code, kind, unit_id in batch.uow.repo(DepartmentRepository).at_units(list(units)):
        unit = units[unit_id]
        found.append(
            Candidate(
                lead=Lead("department", code),
                role_or_kind=kind,
                unit_code=unit.code,
                level=KIND_LEVEL.get(unit.kind, LEVELS[-1]),
                role=kind,
            )
        )
    return found


def _visit(batch: CaseBatch, case: Case, c: VisitCommand) -> dict[str, Any]:
    data: dict[str, Any] = {"rating": c.rating}
    if 1 <= c.rating < SATISFIED_MIN:
        path = batch.unit(case.unit_id).path
        allowed = batch.rules.allowed(
            path, case.category, case.severity, case.owner_level, case.resolve_within
        )
        data["resolve_due"] = stamp(batch.rules.due(path, batch.now, allowed.resolve))
    return data


def _escalate(batch: CaseBatch, case: Case, auto: bool) -> dict[str, Any]:
    if case.owner_level == LEVELS[-1]:  # the machine refuses it with a StateError
        return {
            "owner_level": case.owner_level,
            "response_due": stamp(case.response_due),
            "resolve_due": stamp(case.resolve_due),
            "auto": auto,
        }
    level = next_level(case.owner_level)
    due = batch.rules.due_times(
        batch.unit(case.unit_id).path,
        category=case.category,
        severity=case.severity,
        level=level,
        respond_from=batch.now,
        resolve_from=batch.now,
        resolve_within=case.resolve_within,
    )
    return {"owner_level": level, **due, "auto": auto}
