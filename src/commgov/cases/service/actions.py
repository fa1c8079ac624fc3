"""Turning a ``CaseAction`` into an event: permission, the data the rules decide, the step."""

from __future__ import annotations

from typing import Any

import attrs

from commgov.cases.model.case import Case, Lead
from commgov.cases.model.machine import next_level, stamp, step
from commgov.cases.model.rules import Candidate
from commgov.cases.model.vocab import (
    CASE_HANDLE,
    CASE_WITHDRAW,
    KIND_LEVEL,
    LEVELS,
    SATISFIED_MIN,
    SEVERITIES,
    Action,
)
from commgov.cases.service.batch import CaseBatch
from commgov.cases.views import CaseAction
from commgov.errors import NotFoundError, ValidationError
from commgov.people.repository import UnitRepository

A = Action
PUBLIC_ACTIONS = tuple(a for a in Action if a not in (A.REPORT, A.ALARM, A.ABSORB))


def parse_action(value: str) -> Action:
    try:
        act = Action(value)
    except ValueError:
        act = None
    if act not in PUBLIC_ACTIONS:
        known = ", ".join(a.value for a in PUBLIC_ACTIONS)
        raise ValidationError("action", value, f"unknown; known: {known}")
    return act


def run_action(batch: CaseBatch, command: CaseAction, *, auto: bool = False) -> Case:
    """Apply one action to its case in the batch; returns the case as it now stands."""
    act = parse_action(command.action)
    case = batch.case(command.case_id)
    batch.authorize_case(CASE_WITHDRAW if act is A.WITHDRAW else CASE_HANDLE, case)
    data = _data(batch, case, act, command, auto)
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
    batch.authorize_case(CASE_HANDLE, target)
    new, event = step(
        target,
        A.ABSORB,
        at=batch.now,
        actor=batch.actor.label(),
        note=f"case {merged.id} merged in",
        data={"merged": merged.id},
    )
    batch.record(new, event)


def _data(batch: CaseBatch, case: Case, act: Action, c: CaseAction, auto: bool) -> dict[str, Any]:
    if act is A.REJECT:
        if c.duplicate_of is not None:
            _exists(batch, c.duplicate_of, "duplicate_of")
        return {"kind": c.kind, "duplicate_of": c.duplicate_of}
    if act is A.TRIAGE:
        return _triage(batch, case, c)
    if act is A.DISPATCH:
        return _dispatch(batch, case, c)
    if act is A.VISIT:
        return _visit(batch, case, c)
    if act is A.MERGE:
        if c.into is not None:
            _exists(batch, c.into, "into")
        return {"into": c.into}
    if act is A.ESCALATE:
        return _escalate(batch, case, auto)
    return {}


def _exists(batch: CaseBatch, case_id: int, field: str) -> None:
    try:
        batch.case(case_id)
    except NotFoundError:
        raise ValidationError(field, case_id, "no such case") from None


def _severity(value: str) -> str:
    if value not in SEVERITIES:
        raise ValidationError("severity", value, f"expected one of {', '.join(SEVERITIES)}")
    return value


def _triage(batch: CaseBatch, case: Case, c: CaseAction) -> dict[str, Any]:
    rules = batch.rules
    category = c.category if c.category is not None else case.category
    spec = rules.categories.get(category) if category is not None else None
    severity = _severity(c.severity) if c.severity is not None else case.severity
    level = c.owner_level
    if level is not None and level not in LEVELS:
        raise ValidationError("owner_level", level, f"expected one of {', '.join(LEVELS)}")
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
    )
    return {"category": category, "severity": severity, "owner_level": level, **due}


def _dispatch(batch: CaseBatch, case: Case, c: CaseAction) -> dict[str, Any]:
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
        known = batch.repo.department_codes(departments)
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
    for row in batch.repo.staff_at(list(units)):
        unit = units[row.unit_id]
        spec = roles.get(row.role)
        found.append(
            Candidate(
                lead=Lead("staff", str(row.id)),
                role_or_kind=spec.acts_as if spec else row.role,
                unit_code=unit.code,
                level=KIND_LEVEL.get(unit.kind, LEVELS[-1]),
                role=row.role,
            )
        )
    for row in batch.repo.departments_at(list(units)):
        unit = units[row.unit_id]
        found.append(
            Candidate(
                lead=Lead("department", row.code),
                role_or_kind=row.kind,
                unit_code=unit.code,
                level=KIND_LEVEL.get(unit.kind, LEVELS[-1]),
                role=row.kind,
            )
        )
    return found


def _visit(batch: CaseBatch, case: Case, c: CaseAction) -> dict[str, Any]:
    data: dict[str, Any] = {"rating": c.rating}
    if isinstance(c.rating, int) and 1 <= c.rating < SATISFIED_MIN:
        path = batch.unit(case.unit_id).path
        allowed = batch.rules.deadlines(path, case.category, case.severity, case.owner_level)
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
    )
    return {"owner_level": level, **due, "auto": auto}
