"""Cases (事件, 诉求): intake, the lifecycle, deadlines and escalation, history, metrics.

Every write runs in one unit of work through a ``CaseBatch``: the cases are loaded once, the
pure state machine makes the events, and the batch writes them at the end with a version check
on each case row. ``apply_many`` runs many transitions that way in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

from commgov.cases import calls
from commgov.cases.calls import CaseRules
from commgov.cases.model.actions import ACTIONS, PUBLIC
from commgov.cases.model.case import Case, Lead
from commgov.cases.model.categories import CategoryTree
from commgov.cases.model.machine import allowed_actions, replay
from commgov.cases.model.vocab import (
    CASE_READ,
    LEVELS,
    ActionName,
    Channel,
    Level,
    RejectKind,
    Severity,
)
from commgov.cases.service import settings
from commgov.cases.service.actions import run_action
from commgov.cases.service.batch import CaseBatch, case_target
from commgov.cases.service.finding import LIST_MAX, CaseFilter, find_case
from commgov.cases.service.intake import Intake
from commgov.cases.service.metrics import CaseMetrics, CaseRates, Grouping, MetricsQuery
from commgov.cases.views import (
    BatchResult,
    CaseAction,
    CaseCommand,
    CaseEventView,
    CaseReport,
    CaseUpdateView,
    CaseView,
    CategoryView,
    DispatchCommand,
    EscalateCommand,
    MergeCommand,
    parse,
    parse_action,
)
from commgov.errors import ValidationError
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import as_utc, duration, optional_utc
from commgov.kernel.values import INT32, check_int, whole_number
from commgov.people.model.units import unit_target
from commgov.people.service.grids import load_unit

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")
R = TypeVar("R")
CATEGORIES_KEY: Final = "cases.categories"
"""Where the store's context caches the category tree (``ctx.refresh`` rebuilds it)."""
AUDITED_NUMBERS: Final = 10
"""A write that numbers up to this many cases lists their numbers in its audit row."""


def case_rules(ctx: Context) -> CaseRules:
    """The rule hooks for one unit of work, with the store's category tree (cached)."""
    return CaseRules(ctx.plugins, ctx.cached(CATEGORIES_KEY, lambda: calls.categories(ctx.plugins)))


def _window(batch: CaseBatch, reports: Sequence[CaseReport]) -> dt.timedelta:
    """The alarm window, read from the store only when a report comes from a device (only
    a device's alarms fold)."""
    if any(r.device_id is not None for r in reports):
        return settings.alarm_window(batch.uow)
    return dt.timedelta(0)


class CaseService:
    """The case loop. Reach it as ``cg.cases``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # -- the store's options -------------------------------------------------------------
    def alarm_window(self) -> dt.timedelta:
        """Sensor alarms from one device within this time of its last alarm fold into its open
        case (kept in the store; one hour until set)."""
        with self._ctx.uow(readonly=True) as uow:
            return settings.alarm_window(uow)

    def set_alarm_window(self, actor: Actor, window: dt.timedelta) -> dt.timedelta:
        """Keep a new alarm-folding window in the store, from 0 (alarms never fold) to 24
        hours in whole seconds; a town administrator or a system actor, audited."""
        return settings.set_alarm_window(self._ctx, actor, window)

    # -- categories ----------------------------------------------------------------------
    @property
    def category_tree(self) -> CategoryTree:
        """Every category in the store: built from the registry hook at first use, once per
        store (until a plugin is added)."""
        return self._ctx.cached(CATEGORIES_KEY, lambda: calls.categories(self._ctx.plugins))

    def categories(self) -> list[CategoryView]:
        return [
            CategoryView(
                code=s.code, label=s.label, parent=s.parent, department=s.department, level=s.level
            )
            for s in self.category_tree.by_code.values()
        ]

    # -- writing -------------------------------------------------------------------------
    def _now(self, given: dt.datetime | None = None) -> dt.datetime:
        """``given`` (aware, any zone) or the store's clock, in UTC."""
        return self._ctx.clock() if given is None else as_utc("now", given)

    @overload
    def _write(
        self, actor: Actor, work: Callable[[CaseBatch], T], now: dt.datetime | None = None
    ) -> T: ...

    @overload
    def _write(
        self,
        actor: Actor,
        work: Callable[[CaseBatch], T],
        now: dt.datetime | None = None,
        *,
        then: Callable[[CaseBatch, T], R],
    ) -> R: ...

    def _write(
        self,
        actor: Actor,
        work: Callable[[CaseBatch], T],
        now: dt.datetime | None = None,
        *,
        then: Callable[[CaseBatch, T], R] | None = None,
    ) -> T | R:
        """Run ``work`` on a batch in one unit of work, write the batch (numbering new cases)
        and audit it; ``then`` reads the written batch (a new case's view needs its number)."""
        at = self._now(now)
        rules = case_rules(self._ctx)
        with self._ctx.uow() as uow:
            batch = CaseBatch(self._ctx, uow, rules, actor, at)
            result = work(batch)

            def audited() -> dict[str, Any]:
                touched = sorted({e.case_id for e in batch.events})
                new = [i for i in touched if i not in batch.loaded]
                detail: dict[str, Any] = {"events": len(batch.events), "cases": len(touched)}
                if new:
                    detail["numbered"] = len(new)
                    if len(new) <= AUDITED_NUMBERS:
                        detail["numbers"] = batch.numbers(new)
                entity_id = touched[0] if len(touched) == 1 else "batch"
                return self._ctx.audit_entry(
                    actor, "cases.write", entity="case", entity_id=entity_id, detail=detail
                )

            batch.flush(audit=audited)
            return result if then is None else then(batch, result)

    @overload
    def report(
        self, actor: Actor, report: CaseReport, *, resolve_within: dt.timedelta | None = None
    ) -> CaseView: ...

    @overload
    def report(
        self,
        actor: Actor,
        *,
        text: str,
        channel: Channel = "resident",
        unit: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
        address: str | None = None,
        photos: Sequence[str] = (),
        category: str | None = None,
        severity: Severity = "normal",
        device_id: str | None = None,
        household_id: int | None = None,
        reporter_phone: str | None = None,
        town: str | None = None,
        resolve_within: dt.timedelta | None = None,
    ) -> CaseView: ...

    def report(
        self,
        actor: Actor,
        report: CaseReport | None = None,
        *,
        resolve_within: dt.timedelta | None = None,
        **fields: Any,
    ) -> CaseView:
        """Take a report, given as a ``CaseReport`` or as its fields: ``text``, a ``channel``
        (resident, grid_visit, hotline, meeting, micro_wish, service_order, sensor), a grid
        code ``unit`` or a point ``lat``/``lon``, ``address``, ``photos`` (references),
        ``category``,
        ``severity``, ``device_id`` (sensors), ``household_id`` (the reporting household),
        ``reporter_phone`` (kept encrypted, shown masked), ``town`` (the town the report is
        for: what nothing places in a grid waits in its own queue). The case gets its number
        in its town when it is written; an alarm folded into an open case takes none.
        ``resolve_within`` (business time, by ``commgov_business_clock``) replaces the time to
        resolve the deadline rule gives: a service order's time limit from the catalogue."""
        if resolve_within is not None and resolve_within <= dt.timedelta(0):
            raise ValidationError("resolve_within", resolve_within, "must be positive")
        if report is not None and fields:
            name = next(iter(fields))
            raise ValidationError(name, fields[name], "give a CaseReport or its fields, not both")
        parsed = parse(CaseReport, report if report is not None else fields)

        def work(batch: CaseBatch) -> int:
            window = _window(batch, [parsed])
            intake = Intake(batch, batch.new_ids(1), window)
            return intake.take(parsed, resolve_within=resolve_within)

        return self._write(actor, work, then=lambda batch, case_id: batch.view(case_id))

    def report_many(
        self, actor: Actor, reports: Sequence[CaseReport | Mapping[str, Any]]
    ) -> list[int]:
        """Take many reports in one unit of work; the id of each report's case, in order."""
        parsed = [parse(CaseReport, r) for r in reports]

        def work(batch: CaseBatch) -> list[int]:
            window = _window(batch, parsed)
            intake = Intake(batch, batch.new_ids(len(parsed)), window)
            return [intake.take(r) for r in parsed]

        return self._write(actor, work)

    def apply_many(
        self, actor: Actor, actions: Sequence[CaseAction | Mapping[str, Any]]
    ) -> BatchResult:
        """Run many transitions in one unit of work, in order: all or none are applied. Each
        is a ``CaseAction(case_id=…, command=…)`` or a flat mapping ``{"case_id": …,
        "action": …, <that action's fields>}``."""
        parsed = [parse_action(a) for a in actions]

        def work(batch: CaseBatch) -> BatchResult:
            merged_into = {c.into for _, c in parsed if isinstance(c, MergeCommand)}
            batch.load({case_id for case_id, _ in parsed} | merged_into)
            batch.check_leads(
                Lead.parse(c.lead)
                for _, c in parsed
                if isinstance(c, DispatchCommand) and c.lead is not None
            )
            touched: dict[int, Case] = {}
            for case_id, command in parsed:
                case = run_action(batch, case_id, command)
                touched[case.id] = case
            for event in batch.events:
                touched[event.case_id] = batch.cases[event.case_id]
            return BatchResult(
                applied=len(batch.events),
                states={i: c.state.value for i, c in touched.items()},
                versions={i: c.version for i, c in touched.items()},
            )

        return self._write(actor, work)

    @overload
    def act(self, actor: Actor, case_id: int, action: CaseCommand) -> CaseView: ...

    @overload
    def act(
        self,
        actor: Actor,
        case_id: int,
        action: ActionName,
        *,
        note: str | None = None,
        attachments: Sequence[str] = (),
        kind: RejectKind | None = None,
        duplicate_of: int | None = None,
        category: str | None = None,
        severity: Severity | None = None,
        owner_level: Level | None = None,
        lead: str | None = None,
        co_operators: Sequence[str] | None = None,
        rating: int | None = None,
        into: int | None = None,
    ) -> CaseView: ...

    def act(self, actor: Actor, case_id: int, action: CaseCommand | str, **fields: Any) -> CaseView:
        """One transition: a command (``DispatchCommand(lead="staff:3")``), or an action's
        name with that action's fields (``"dispatch", lead="staff:3"``; see the commands in
        ``commgov.cases.views`` for what each takes). A field the action does not take is a
        ``ValidationError`` naming it; one given as ``None`` counts as not given."""
        if isinstance(action, str):
            given = {k: v for k, v in fields.items() if v is not None}
            command: Any = {"action": action, **given}
        elif fields:
            name = next(iter(fields))
            raise ValidationError(name, fields[name], "give a command or its fields, not both")
        else:
            command = action
        return self._act(actor, {"case_id": case_id, "command": command})

    def _act(self, actor: Actor, given: Mapping[str, Any]) -> CaseView:
        case_id, command = parse_action(given)

        def work(batch: CaseBatch) -> CaseView:
            run_action(batch, case_id, command)
            return batch.view(case_id)

        return self._write(actor, work)

    def _command(
        self, actor: Actor, case_id: int, fields: Mapping[str, Any], *, note: str = "note"
    ) -> CaseView:
        """``act`` for the named methods below: their fields as the action's command; an error
        on the note names it as the method's parameter ``note`` (``outcome``, ``reason``)."""
        try:
            return self._act(actor, {"case_id": case_id, "command": fields})
        except ValidationError as exc:
            if exc.field != "note" or note == "note":
                raise
            raise ValidationError(note, exc.value, exc.reason) from None

    def accept(self, actor: Actor, case_id: int, *, note: str | None = None) -> CaseView:
        return self._command(actor, case_id, {"action": "accept", "note": note})

    def reject(
        self,
        actor: Actor,
        case_id: int,
        *,
        kind: RejectKind,
        reason: str,
        duplicate_of: int | None = None,
    ) -> CaseView:
        """Refuse a reported case: ``kind`` is invalid, duplicate (give ``duplicate_of``) or
        out_of_remit; ``reason`` says why."""
        fields = {"action": "reject", "kind": kind, "note": reason, "duplicate_of": duplicate_of}
        return self._command(actor, case_id, fields, note="reason")

    def triage(
        self,
        actor: Actor,
        case_id: int,
        *,
        category: str | None = None,
        severity: Severity | None = None,
        owner_level: Level | None = None,
    ) -> CaseView:
        """Set category and severity; the owner level comes from the triage rule unless given.
        Deadlines are recomputed from the report time."""
        fields = {"category": category, "severity": severity, "owner_level": owner_level}
        return self._command(actor, case_id, {"action": "triage", **fields})

    def dispatch(
        self,
        actor: Actor,
        case_id: int,
        *,
        lead: str | None = None,
        co_operators: Sequence[str] | None = None,
    ) -> CaseView:
        """Send the case to its lead (``staff:<id>`` or ``department:<code>``) with
        co-operating departments; without a lead the routing rule chooses."""
        co = None if co_operators is None else tuple(co_operators)
        return self._command(
            actor, case_id, {"action": "dispatch", "lead": lead, "co_operators": co}
        )

    def start(self, actor: Actor, case_id: int, *, note: str | None = None) -> CaseView:
        return self._command(actor, case_id, {"action": "start", "note": note})

    def resolve(
        self, actor: Actor, case_id: int, *, outcome: str, attachments: Sequence[str] = ()
    ) -> CaseView:
        """Mark the case resolved; ``outcome`` says what was done."""
        fields = {"action": "resolve", "note": outcome, "attachments": tuple(attachments)}
        return self._command(actor, case_id, fields, note="outcome")

    def inform(self, actor: Actor, case_id: int, *, note: str | None = None) -> CaseView:
        """Record that the reporter was told the result (结果反馈)."""
        return self._command(actor, case_id, {"action": "inform", "note": note})

    def visit(
        self, actor: Actor, case_id: int, *, rating: int, note: str | None = None
    ) -> CaseView:
        """The follow-up visit (满意度回访): 3-5 satisfied; 1-2 reopens the case."""
        return self._command(actor, case_id, {"action": "visit", "rating": rating, "note": note})

    def close(self, actor: Actor, case_id: int, *, note: str | None = None) -> CaseView:
        return self._command(actor, case_id, {"action": "close", "note": note})

    def withdraw(self, actor: Actor, case_id: int, *, reason: str | None = None) -> CaseView:
        return self._command(actor, case_id, {"action": "withdraw", "note": reason}, note="reason")

    def merge(self, actor: Actor, case_id: int, *, into: int) -> CaseView:
        return self._command(actor, case_id, {"action": "merge", "into": into})

    def escalate(self, actor: Actor, case_id: int, *, reason: str | None = None) -> CaseView:
        """Hand the case one level up (grid → community → town → county)."""
        return self._command(actor, case_id, {"action": "escalate", "note": reason}, note="reason")

    def escalate_overdue(
        self, now: dt.datetime | None = None, *, actor: Actor | None = None
    ) -> list[int]:
        """Escalate every unresolved case past a deadline (below the top level). Idempotent:
        escalation sets new deadlines after ``now``. Returns the escalated case ids."""
        job = actor or Actor.system("deadline job")
        at = self._now(now)

        def work(batch: CaseBatch) -> list[int]:
            ids = batch.repo.overdue_ids(at)
            batch.load(ids)
            done = []
            for case_id in ids:
                case = batch.cases[case_id]
                if case.owner_level == LEVELS[-1]:
                    continue
                due = case.response_due if case.responded_at is None else case.resolve_due
                note = f"deadline {due.isoformat()} passed"
                run_action(batch, case_id, EscalateCommand(note=note), auto=True)
                done.append(case_id)
            return done

        return self._write(job, work, at)

    # -- reading -------------------------------------------------------------------------
    def _read(self, actor: Actor, work: Callable[[CaseBatch], T]) -> T:
        rules = case_rules(self._ctx)
        with self._ctx.uow(readonly=True) as uow:
            return work(CaseBatch(self._ctx, uow, rules, actor, self._now()))

    def get(self, actor: Actor, case_id: int) -> CaseView:
        def work(batch: CaseBatch) -> CaseView:
            batch.authorize_case(CASE_READ, batch.case(case_id))
            return batch.view(case_id)

        return self._read(actor, work)

    def find(self, actor: Actor, case: int | str, *, town: str | None = None) -> CaseView:
        """A case by its id (``12`` or ``"12"``) or its number (``"2026-000123"``). Numbers
        count per town: when several towns of the store gave the number, the one the actor
        may read is meant, or ``town`` names it (a unit code at or below the town)."""
        return self._read(actor, lambda batch: batch.view(find_case(batch, case, town=town)))

    def history(self, actor: Actor, case_id: int) -> list[CaseEventView]:
        """Every event of the case, oldest first."""

        def work(batch: CaseBatch) -> list[CaseEventView]:
            batch.authorize_case(CASE_READ, batch.case(case_id))
            return [
                CaseEventView(
                    seq=e.seq,
                    action=e.action.value,
                    actor=e.actor,
                    at=e.at,
                    from_state=e.from_state.value if e.from_state else None,
                    to_state=e.to_state.value,
                    note=e.note,
                    attachments=e.attachments,
                    data=e.data,
                )
                for e in batch.repo.events(case_id)
            ]

        return self._read(actor, work)

    def updates(
        self,
        actor: Actor,
        unit: str,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        public: bool = False,
        case_ids: Sequence[int] | None = None,
        limit: int | None = None,
    ) -> list[CaseUpdateView]:
        """Events of the cases under ``unit`` in time order: taken at ``since`` or later and
        before ``until``; with ``public``, only the steps callers take (not report, alarm,
        absorb, hand-over); of ``case_ids`` only, when given; at most ``limit``."""
        start, end = optional_utc("since", since), optional_utc("until", until)
        if start is not None and end is not None and end <= start:
            raise ValidationError("until", until, f"must come after since ({since})")
        ids = None if case_ids is None else [check_int("case_ids", i, INT32) for i in case_ids]
        if limit is not None:
            whole_number("limit", limit, 1, LIST_MAX)
        actions = [a.value for a in PUBLIC] if public else None

        def work(batch: CaseBatch) -> list[CaseUpdateView]:
            top = load_unit(batch.uow, unit)
            self._ctx.authorize(actor, CASE_READ, unit_target(top))
            found = batch.repo.events_under(
                top.path, since=start, until=end, actions=actions, case_ids=ids, limit=limit
            )
            return [
                CaseUpdateView(
                    case_id=e.case_id,
                    seq=e.seq,
                    action=e.action.value,
                    actor=e.actor,
                    at=e.at,
                    from_state=e.from_state.value if e.from_state else None,
                    to_state=e.to_state.value,
                    note=e.note,
                    attachments=e.attachments,
                    data=e.data,
                )
                for e in found
            ]

        return self._read(actor, work)

    def actions(self, actor: Actor, case_id: int) -> list[str]:
        """The steps ``actor`` may take on the case now, in the loop's order: those its state
        allows, among the steps callers take (not the engine's own), whose permission the
        actor has on the case. Forms and buttons offer exactly these."""

        def work(batch: CaseBatch) -> list[str]:
            case = batch.case(case_id)
            batch.authorize_case(CASE_READ, case)
            target = case_target(case, batch.unit(case.unit_id))
            return [
                a.value
                for a in allowed_actions(case)
                if a in PUBLIC and self._ctx.allowed(actor, ACTIONS[a].permission, target)
            ]

        return self._read(actor, work)

    def replayed(self, actor: Actor, case_id: int) -> tuple[Case, Case]:
        """The case as stored and as its events replay (they are equal unless corrupted)."""

        def work(batch: CaseBatch) -> tuple[Case, Case]:
            stored = batch.case(case_id)
            batch.authorize_case(CASE_READ, stored)
            return stored, replay(batch.repo.events(case_id))

        return self._read(actor, work)

    def _listed(
        self, actor: Actor, unit: str, find: Callable[[CaseBatch, str], list[int]]
    ) -> list[CaseView]:
        def work(batch: CaseBatch) -> list[CaseView]:
            top = load_unit(batch.uow, unit)
            self._ctx.authorize(actor, CASE_READ, unit_target(top))
            ids = find(batch, top.path)
            batch.load(ids)
            return [batch.view(i) for i in ids]

        return self._read(actor, work)

    def under(
        self,
        actor: Actor,
        unit: str,
        *,
        state: str | Sequence[str] | None = None,
        category: str | None = None,
        channel: Channel | None = None,
        since: dt.date | dt.datetime | None = None,
        until: dt.date | dt.datetime | None = None,
        lead: str | None = None,
        overdue: bool = False,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[CaseView]:
        """Cases in grids under ``unit``, oldest first (by id), that pass every filter given:
        ``state`` (one or several), ``category`` (with the categories below it),
        ``channel``, reported from ``since`` until before ``until`` (a date counts as the
        whole day in the store's zone: ``until=date(2026, 11, 30)`` takes the 30th in),
        ``lead`` (``staff:12``, ``department:T-police``), ``overdue`` (unresolved and past
        the next deadline now). ``limit`` caps the rows; ``after_id`` continues after the last
        id of a previous page."""
        found = CaseFilter.build(
            self._ctx.zone,
            self.category_tree,
            state=state,
            category=category,
            channel=channel,
            since=since,
            until=until,
            lead=lead,
            overdue=overdue,
            after_id=after_id,
            limit=limit,
        )
        return self._listed(
            actor, unit, lambda b, path: [b.adopt(*x).id for x in found.run(b.repo, path, b.now)]
        )

    def state_counts(self, actor: Actor, unit: str) -> dict[str, int]:
        """How many cases in grids under ``unit`` are in each state now (states with none
        left out): one grouped count, for dashboards (open cases are the unresolved states)."""

        def work(batch: CaseBatch) -> dict[str, int]:
            top = load_unit(batch.uow, unit)
            self._ctx.authorize(actor, CASE_READ, unit_target(top))
            return batch.repo.state_counts(top.path)

        return self._read(actor, work)

    def overdue(
        self, actor: Actor, unit: str, *, as_of: dt.datetime | None = None
    ) -> list[CaseView]:
        """Unresolved cases under ``unit`` past their next deadline at ``as_of`` (now)."""
        return self._listed(
            actor,
            unit,
            lambda b, path: b.repo.overdue_ids(optional_utc("as_of", as_of) or b.now, path=path),
        )

    def due(self, actor: Actor, unit: str, *, within: dt.timedelta) -> list[CaseView]:
        """Unresolved cases under ``unit`` whose next deadline falls in the next ``within``."""
        duration("within", within)
        return self._listed(
            actor, unit, lambda b, path: b.repo.due_ids(b.now, b.now + within, path=path)
        )

    # -- metrics -------------------------------------------------------------------------
    def _metrics(
        self,
        actor: Actor,
        unit: str,
        *,
        start: dt.datetime | None,
        end: dt.datetime | None,
        as_of: dt.datetime | None,
        by: Grouping | None,
        channel: Channel | None = None,
    ) -> MetricsQuery:
        return MetricsQuery(
            self._ctx, actor, unit, start=start, end=end, as_of=as_of, by=by, channel=channel
        )

    def metrics(
        self,
        actor: Actor,
        unit: str,
        *,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        as_of: dt.datetime | None = None,
        by: Grouping | None = None,
        channel: Channel | None = None,
    ) -> list[CaseMetrics]:
        """The metrics of ``unit`` (``by=None``), of each grid under it (``by="grid"``) or of
        each unit right below it (``by="child"``), for cases reported in ``[start, end)``
        (with ``channel``: only cases that came in by it)."""
        query = self._metrics(
            actor, unit, start=start, end=end, as_of=as_of, by=by, channel=channel
        )
        return query.full()

    def rates(
        self,
        actor: Actor,
        unit: str,
        *,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        as_of: dt.datetime | None = None,
        by: Grouping | None = None,
        channel: Channel | None = None,
    ) -> list[CaseRates]:
        """Only the three rates (response, resolution, satisfaction), with one aggregate query."""
        query = self._metrics(
            actor, unit, start=start, end=end, as_of=as_of, by=by, channel=channel
        )
        return query.rates()

    def metrics_frame(
        self,
        actor: Actor,
        unit: str,
        *,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        as_of: dt.datetime | None = None,
        by: Grouping | None = None,
        channel: Channel | None = None,
    ) -> pd.DataFrame:
        """``metrics`` as a pandas DataFrame (needs the ``sim`` extra), one row per unit."""
        import pandas as pd

        found = self.metrics(actor, unit, start=start, end=end, as_of=as_of, by=by, channel=channel)
        rows = [m.model_dump() for m in found]
        return pd.DataFrame(rows, columns=list(CaseMetrics.model_fields))
