"""Loading and saving cases and their events (SQLAlchemy Core on the unit of work's connection),
and the aggregates of the metrics. Both repositories hand out model values (``Case``,
``ReportDetails``, ``Event``), never rows; staff and departments are people's repositories.

A case row carries its current state and a ``version`` (the number of its events): every save
is ``UPDATE … WHERE id = :id AND version = :loaded``, so a concurrent change makes the save
fail with ``ConflictError`` instead of silently winning."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy import case as sa_case
from sqlalchemy.dialects import postgresql, sqlite

from commgov.cases.model.case import Case, Event, Lead, ReportDetails
from commgov.cases.model.numbers import CaseNumber
from commgov.cases.model.vocab import (
    DONE,
    EXCLUDED,
    LEVELS,
    LIVE,
    SATISFIED_MIN,
    UNRESOLVED,
    Action,
    State,
)
from commgov.cases.tables import case_counters, case_events, cases
from commgov.errors import ConflictError
from commgov.kernel.ids import IdBlocks, reserve_ids
from commgov.kernel.repository import Repository
from commgov.kernel.tables import audit_log, outbox_events
from commgov.kernel.together import insert_together
from commgov.people.repository import escape_like, like_prefix, under

CHUNK: Final = 500
_UNRESOLVED = sorted(s.value for s in UNRESOLVED)
_DONE = sorted(s.value for s in DONE)
_EXCLUDED = sorted(s.value for s in EXCLUDED)
_LIVE = sorted(s.value for s in LIVE)
STATE_COLUMNS: Final = (
    "state",
    "category",
    "severity",
    "owner_level",
    "lead",
    "co_operators",
    "alarm_count",
    "last_alarm_at",
    "response_due",
    "resolve_due",
    "responded_at",
    "resolved_at",
    "closed_at",
    "response_late",
    "resolve_late",
    "response_seconds",
    "resolve_seconds",
    "rating",
    "reopen_count",
    "escalations",
    "resolved_level",
    "merged_into",
    "merged_count",
    "duplicate_of",
    "reject_kind",
    "version",
)
"""The columns a transition may change (everything the replayed ``Case`` holds but its
identity and intake fields)."""


def case_values(case: Case) -> dict[str, Any]:
    """The row values of the state columns (and identity and number) of ``case``."""
    number = case.number
    return {
        "town_id": case.town_id,
        "year": number.year if number else None,
        "seq": number.seq if number else None,
        "id": case.id,
        "unit_id": case.unit_id,
        "channel": case.channel,
        "resolve_within_s": (
            int(case.resolve_within.total_seconds()) if case.resolve_within else None
        ),
        "reported_at": case.reported_at,
        "reporter": case.reporter,
        "household_id": case.household_id,
        "device_id": case.device_id,
        "state": case.state.value,
        "category": case.category,
        "severity": case.severity,
        "owner_level": case.owner_level,
        "lead": case.lead.label() if case.lead else None,
        "co_operators": list(case.co_operators),
        "alarm_count": case.alarm_count,
        "last_alarm_at": case.last_alarm_at,
        "response_due": case.response_due,
        "resolve_due": case.resolve_due,
        "responded_at": case.responded_at,
        "resolved_at": case.resolved_at,
        "closed_at": case.closed_at,
        "response_late": case.response_late,
        "resolve_late": case.resolve_late,
        "response_seconds": case.response_seconds,
        "resolve_seconds": case.resolve_seconds,
        "rating": case.rating,
        "reopen_count": case.reopen_count,
        "escalations": case.escalations,
        "resolved_level": case.resolved_level,
        "merged_into": case.merged_into,
        "merged_count": case.merged_count,
        "duplicate_of": case.duplicate_of,
        "reject_kind": case.reject_kind,
        "version": case.version,
    }


def details_values(details: ReportDetails) -> dict[str, Any]:
    return {
        "text": details.text,
        "address": details.address,
        "lat": details.lat,
        "lon": details.lon,
        "photos": list(details.photos),
        "reporter_phone_cipher": details.contact,
    }


def details_from_row(row: Any) -> ReportDetails:
    return ReportDetails(
        text=row.text,
        address=row.address,
        lat=row.lat,
        lon=row.lon,
        photos=tuple(row.photos),
        contact=row.reporter_phone_cipher,
    )


def _stored(row: Any) -> tuple[Case, ReportDetails]:
    return case_from_row(row), details_from_row(row)


def case_from_row(row: Any) -> Case:
    return Case(
        id=row.id,
        unit_id=row.unit_id,
        channel=row.channel,
        state=State(row.state),
        reported_at=row.reported_at,
        response_due=row.response_due,
        resolve_due=row.resolve_due,
        severity=row.severity,
        category=row.category,
        owner_level=row.owner_level,
        lead=Lead.parse(row.lead) if row.lead else None,
        co_operators=tuple(row.co_operators),
        reporter=row.reporter,
        household_id=row.household_id,
        device_id=row.device_id,
        alarm_count=row.alarm_count,
        last_alarm_at=row.last_alarm_at,
        responded_at=row.responded_at,
        resolved_at=row.resolved_at,
        closed_at=row.closed_at,
        response_late=bool(row.response_late),
        resolve_late=bool(row.resolve_late),
        response_seconds=row.response_seconds,
        resolve_seconds=row.resolve_seconds,
        rating=row.rating,
        reopen_count=row.reopen_count,
        escalations=row.escalations,
        resolved_level=row.resolved_level,
        merged_into=row.merged_into,
        merged_count=row.merged_count,
        duplicate_of=row.duplicate_of,
        reject_kind=row.reject_kind,
        version=row.version,
        town_id=row.town_id,
        number=CaseNumber(row.year, row.seq),
        resolve_within=(
            dt.timedelta(seconds=row.resolve_within_s) if row.resolve_within_s else None
        ),
    )


def event_values(event: Event) -> dict[str, Any]:
    return {
        "case_id": event.case_id,
        "seq": event.seq,
        "action": event.action.value,
        "actor": event.actor,
        "at": event.at,
        "from_state": event.from_state.value if event.from_state else None,
        "to_state": event.to_state.value,
        "note": event.note,
        "attachments": list(event.attachments),
        "data": dict(event.data),
    }


def event_from_row(row: Any) -> Event:
    return Event(
        case_id=row.case_id,
        seq=row.seq,
        action=Action(row.action),
        actor=row.actor,
        at=row.at,
        from_state=State(row.from_state) if row.from_state else None,
        to_state=State(row.to_state),
        note=row.note,
        attachments=tuple(row.attachments),
        data=dict(row.data),
    )


StoredCase = tuple[Case, ReportDetails]
"""A case as stored: its lifecycle state and what the reporter gave."""


_LOAD: Final = select(cases).where(cases.c.id.in_(bindparam("ids", expanding=True)))
_SAVES: dict[tuple[str, ...], Any] = {}


def _take_numbers(dialect: Any) -> Any:
    """Add ``last`` to the town-year's counter (made at ``last`` if new), returning it."""
    counter = case_counters.c
    upsert = dialect.insert(case_counters).values(
        town_id=bindparam("town_id"), year=bindparam("year"), last=bindparam("last")
    )
    return upsert.on_conflict_do_update(
        index_elements=["town_id", "year"], set_={"last": counter.last + upsert.excluded.last}
    ).returning(counter.last)


def _one_or_many(rows: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]]:
    """One row's values alone (a single execute is cheaper than a batch of one), else all."""
    return rows[0] if len(rows) == 1 else rows


_TAKE_NUMBERS_PG: Final = _take_numbers(postgresql)
_TAKE_NUMBERS_SQLITE: Final = _take_numbers(sqlite)


def case_ids() -> IdBlocks:
    """The store's allocator of case ids: the case service keeps one."""
    return IdBlocks(cases)


_INSERT_CASES: Final = insert(cases)
"""Statements built once (per set of changed columns): building one anew costs more than
running it."""


class CaseRepository(Repository):
    # -- ids and inserts -----------------------------------------------------------------
    def reserve_ids(self, n: int, blocks: IdBlocks | None = None) -> list[int]:
        """Ids for ``n`` new cases, from ``blocks`` when given (the store's allocator)."""
        if blocks is not None:
            return blocks.take(self.conn, n)
        return reserve_ids(self.conn, cases, n)

    def insert_cases(self, new: Sequence[StoredCase]) -> None:
        if new:
            rows = [case_values(case) | details_values(details) for case, details in new]
            self.conn.execute(_INSERT_CASES, _one_or_many(rows))

    def take_numbers(self, town_id: int, year: int, n: int) -> int:
        """The first of ``n`` consecutive numbers of ``town_id`` in ``year``. The counter row
        goes up by ``n`` in this transaction and stays locked until it ends (on SQLite every
        write holds the store's lock from ``BEGIN IMMEDIATE``), so writers take numbers one
        after the other and a rollback gives them back: no gap, no number twice."""
        values = {"town_id": town_id, "year": year, "last": n}
        statement = _TAKE_NUMBERS_PG if self.dialect == "postgresql" else _TAKE_NUMBERS_SQLITE
        return int(self.conn.execute(statement, values).scalar_one()) - n + 1

    def numbered(self, number: CaseNumber) -> list[StoredCase]:
        """The cases that carry ``number`` (one per town at most), by id."""
        query = select(cases).where(cases.c.year == number.year, cases.c.seq == number.seq)
        return [_stored(row) for row in self.conn.execute(query.order_by(cases.c.id))]

    def write_together(
        self,
        *,
        new: Sequence[StoredCase],
        events: Sequence[Event],
        outbox: Sequence[Mapping[str, Any]],
        audit: Sequence[Mapping[str, Any]],
    ) -> None:
        """New cases, events, their outbox rows and audit rows in one round trip where the back
        end allows (``kernel.together``), in that order."""
        insert_together(
            self.conn,
            [
                (cases, [case_values(case) | details_values(details) for case, details in new]),
                (case_events, [event_values(e) for e in events]),
                (outbox_events, outbox),
                (audit_log, audit),
            ],
        )

    def save(self, changed: Sequence[tuple[Case, Case]]) -> None:
        """Write each case's changed columns if its row still has the version the old case was
        loaded with; otherwise ``ConflictError`` (and the unit of work rolls back)."""
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for new, old in changed:
            now, before = case_values(new), case_values(old)
            columns = tuple(n for n in STATE_COLUMNS if now[n] != before[n])
            row = {n: now[n] for n in columns} | {"_id": new.id, "_loaded": old.version}
            by_columns.setdefault(columns, []).append(row)
        for columns, params in by_columns.items():
            stmt = _SAVES.get(columns)
            if stmt is None:
                stmt = _SAVES[columns] = (
                    update(cases)
                    .where(cases.c.id == bindparam("_id"), cases.c.version == bindparam("_loaded"))
                    .values({name: bindparam(name) for name in columns})
                )
            for start in range(0, len(params), CHUNK):
                chunk = params[start : start + CHUNK]
                result = self.conn.execute(stmt, _one_or_many(chunk))
                if result.rowcount != len(chunk):
                    raise ConflictError(self._conflict_message(chunk))

    def _conflict_message(self, chunk: list[dict[str, Any]]) -> str:
        ids = [p["_id"] for p in chunk]
        current = dict(
            self.conn.execute(select(cases.c.id, cases.c.version).where(cases.c.id.in_(ids))).all()
        )
        for p in chunk:
            if current.get(p["_id"]) != p["_loaded"]:
                return (
                    f"case {p['_id']} was changed by someone else (version {p['_loaded']} -> "
                    f"{current.get(p['_id'])}); reload it and try again"
                )
        return f"cases {ids} were changed by someone else; reload them and try again"

    # -- reads ---------------------------------------------------------------------------
    def load(self, ids: Iterable[int]) -> dict[int, StoredCase]:
        """The cases with these ids that exist, by id."""
        wanted = sorted(set(ids))
        found: dict[int, StoredCase] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for row in self.conn.execute(_LOAD, {"ids": chunk}):
                found[row.id] = _stored(row)
        return found

    def events(self, case_id: int) -> list[Event]:
        query = select(case_events).where(case_events.c.case_id == case_id)
        return [event_from_row(r) for r in self.conn.execute(query.order_by(case_events.c.seq))]

    def events_under(
        self,
        path: str,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        actions: Sequence[str] | None = None,
        case_ids: Sequence[int] | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        """Events of the cases under ``path`` (of ``case_ids`` only, when given), taken at
        ``since`` or later and before ``until``, of ``actions`` when given; in time order."""
        e = case_events.c
        query = select(case_events).where(
            e.case_id.in_(select(cases.c.id).where(under(cases.c.unit_id, path)))
        )
        if case_ids is not None:
            query = query.where(e.case_id.in_(sorted(set(case_ids))))
        if since is not None:
            query = query.where(e.at >= since)
        if until is not None:
            query = query.where(e.at < until)
        if actions is not None:
            query = query.where(e.action.in_(list(actions)))
        query = query.order_by(e.at, e.case_id, e.seq).limit(limit)
        return [event_from_row(r) for r in self.conn.execute(query)]

    def open_for_device(self, device_id: str, since: dt.datetime) -> int | None:
        """The newest unresolved case of a device whose last alarm is at or after ``since``."""
        query = (
            select(cases.c.id)
            .where(
                cases.c.device_id == device_id,
                cases.c.state.in_(_UNRESOLVED),
                cases.c.last_alarm_at >= since,
            )
            .order_by(cases.c.id.desc())
            .limit(1)
        )
        return self.conn.execute(query).scalar_one_or_none()

    def recent_open(self, unit_id: int, limit: int = 200) -> list[StoredCase]:
        """The grid's unresolved cases, newest first."""
        query = (
            select(cases)
            .where(cases.c.unit_id == unit_id, cases.c.state.in_(_UNRESOLVED))
            .order_by(cases.c.id.desc())
            .limit(limit)
        )
        return [_stored(row) for row in self.conn.execute(query)]

    @staticmethod
    def _overdue(as_of: dt.datetime) -> ColumnElement[bool]:
        """Unresolved and past the next deadline (response, or else resolution) at ``as_of``."""
        return and_(
            cases.c.state.in_(_UNRESOLVED),
            or_(
                and_(cases.c.responded_at.is_(None), cases.c.response_due < as_of),
                cases.c.resolve_due < as_of,
            ),
        )

    def overdue_ids(
        self, as_of: dt.datetime, *, path: str | None = None, limit: int | None = None
    ) -> list[int]:
        """Unresolved cases past their next deadline (response, or else resolution)."""
        query = select(cases.c.id).where(self._overdue(as_of))
        if path is not None:
            query = query.where(under(cases.c.unit_id, path))
        return list(self.conn.execute(query.order_by(cases.c.id).limit(limit)).scalars())

    def state_counts(self, path: str) -> dict[str, int]:
        """How many cases under ``path`` are in each state (states with none left out)."""
        query = (
            select(cases.c.state, func.count())
            .where(under(cases.c.unit_id, path))
            .group_by(cases.c.state)
        )
        return {str(state): int(n) for state, n in self.conn.execute(query).all()}

    def due_ids(self, start: dt.datetime, end: dt.datetime, *, path: str) -> list[int]:
        """Unresolved cases whose next deadline falls in ``[start, end)``."""
        pending = cases.c.responded_at.is_(None)
        query = select(cases.c.id).where(
            cases.c.state.in_(_UNRESOLVED),
            under(cases.c.unit_id, path),
            or_(
                and_(pending, cases.c.response_due >= start, cases.c.response_due < end),
                and_(~pending, cases.c.resolve_due >= start, cases.c.resolve_due < end),
            ),
        )
        return list(self.conn.execute(query.order_by(cases.c.id)).scalars())

    def under_path(
        self, path: str, *, state: str | None = None, limit: int | None = None
    ) -> list[StoredCase]:
        """Cases in grids under ``path``, optionally in one state, oldest first."""
        return self.listed(path, states=None if state is None else [state], limit=limit)

    def listed(
        self,
        path: str,
        *,
        states: Sequence[str] | None = None,
        category: str | None = None,
        channel: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        lead: str | None = None,
        overdue_at: dt.datetime | None = None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[StoredCase]:
        """Cases in grids under ``path`` that pass every filter given, by id: in one of
        ``states``; of ``category`` or a category below it; from ``channel``; reported in
        ``[since, until)``; led by ``lead``; overdue at ``overdue_at``; after ``after_id``."""
        c = cases.c
        query = select(cases).where(under(c.unit_id, path))
        if states is not None:
            query = query.where(c.state.in_(list(states)))
        if category is not None:
            below = c.category.like(like_prefix(category + "."), escape="\\")
            query = query.where(or_(c.category == category, below))
        if channel is not None:
            query = query.where(c.channel == channel)
        if since is not None:
            query = query.where(c.reported_at >= since)
        if until is not None:
            query = query.where(c.reported_at < until)
        if lead is not None:
            query = query.where(c.lead == lead)
        if overdue_at is not None:
            query = query.where(self._overdue(overdue_at))
        if after_id is not None:
            query = query.where(c.id > after_id)
        return self._fetch(query.order_by(c.id).limit(limit))

    def held_by(self, label: str, paths: Sequence[str] | None = None) -> list[StoredCase]:
        """Cases not in a terminal state that ``label`` (``staff:<id>``) leads or co-operates
        on, in grids under one of ``paths`` when given, by id."""
        if paths is not None and not paths:
            return []
        c = cases.c
        quoted = "%" + escape_like(json.dumps(label)) + "%"  # the label inside the JSON list
        listed = cast(c.co_operators, String).like(quoted, escape="\\")
        query = select(cases).where(c.state.in_(_LIVE), or_(c.lead == label, listed))
        if paths is not None:
            query = query.where(or_(*(under(c.unit_id, p) for p in paths)))
        found = self._fetch(query.order_by(c.id))
        return [
            (case, details)
            for case, details in found
            if (case.lead is not None and case.lead.label() == label) or label in case.co_operators
        ]

    def _fetch(self, query: Select[Any]) -> list[StoredCase]:
        return [_stored(row) for row in self.conn.execute(query)]


class CaseStats(Repository):
    """Aggregates for the metrics, grouped by a key per grid (``None``: one group).

    ``unit_ids`` restricts the cases to those units (``None``: every case of the store)."""

    @staticmethod
    def _key(groups: Mapping[int, int] | None) -> ColumnElement[Any] | None:
        if groups is None:
            return None
        if all(k == v for k, v in groups.items()):
            return cases.c.unit_id
        return sa_case(dict(groups), value=cases.c.unit_id)

    @staticmethod
    def _where(
        unit_ids: Sequence[int] | None,
        start: dt.datetime | None,
        end: dt.datetime | None,
        channel: str | None = None,
    ) -> list[Any]:
        where: list[Any] = []
        if unit_ids is not None:
            where.append(cases.c.unit_id.in_(list(unit_ids)))
        if channel is not None:
            where.append(cases.c.channel == channel)
        if start is not None:
            where.append(cases.c.reported_at >= start)
        if end is not None:
            where.append(cases.c.reported_at < end)
        return where

    def counts(
        self,
        unit_ids: Sequence[int] | None,
        *,
        start: dt.datetime | None,
        end: dt.datetime | None,
        as_of: dt.datetime,
        groups: Mapping[int, int] | None,
        full: bool,
        channel: str | None = None,
    ) -> dict[int | None, dict[str, int]]:
        """The numerators and denominators of the metrics (``docs/cases.md``) per group.
        Without ``full``, only those of the three rates, over accepted cases alone; with
        ``channel``, only cases that came in by it."""
        c = cases.c
        # ``resolve_seconds`` is set exactly while a case is resolved, informed, visited or
        # closed: cheaper to test than the state.
        accepted = c.state.notin_(_EXCLUDED) if full else true()
        done = c.resolve_seconds.isnot(None)
        responded = c.responded_at.isnot(None)
        parts: dict[str, Any] = {
            "response_owed": and_(
                accepted, or_(responded, c.response_late, c.response_due <= as_of)
            ),
            "responded_on_time": and_(accepted, responded, ~c.response_late),
            "resolution_owed": and_(accepted, or_(done, c.resolve_late, c.resolve_due <= as_of)),
            "resolved": and_(accepted, done),
            "rated": and_(accepted, c.rating.isnot(None)),
            "satisfied": and_(accepted, c.rating >= SATISFIED_MIN),
        }
        if full:
            pending = or_(
                and_(c.responded_at.is_(None), c.response_due < as_of), c.resolve_due < as_of
            )
            ever = c.resolved_at.isnot(None)
            parts |= {
                "accepted": accepted,
                "overdue": and_(
                    accepted,
                    or_(c.response_late, c.resolve_late, and_(c.state.in_(_UNRESOLVED), pending)),
                ),
                "resolved_at_grid": and_(accepted, done, c.resolved_level == LEVELS[0]),
                "ever_resolved": and_(accepted, ever),
                "reopened": and_(accepted, ever, c.reopen_count > 0),
            }
        first = func.count().label("cases" if full else "accepted")
        columns = [first] + [func.count().filter(cond).label(n) for n, cond in parts.items()]
        key = self._key(groups)
        query = select(*([key.label("k")] if key is not None else []), *columns)
        query = query.where(*self._where(unit_ids, start, end, channel))
        if full:
            query = query.where(c.state != State.MERGED.value)
        else:
            query = query.where(c.state.notin_(_EXCLUDED))
        if key is not None:
            query = query.group_by(key)
        out: dict[int | None, dict[str, int]] = {}
        for row in self.conn.execute(query).mappings():
            values = {k: int(v) for k, v in row.items() if k != "k"}
            out[row["k"] if key is not None else None] = values
        return out

    def percentiles(
        self,
        unit_ids: Sequence[int] | None,
        *,
        start: dt.datetime | None,
        end: dt.datetime | None,
        groups: Mapping[int, int] | None,
        quantiles: Sequence[float],
        channel: str | None = None,
    ) -> dict[int | None, dict[str, list[float | None]]]:
        """Quantiles (continuous, as ``percentile_cont``) of the seconds to respond (over
        responded accepted cases) and to resolve (over resolved ones) per group."""
        c = cases.c
        accepted = c.state.notin_(_EXCLUDED)
        measures = {
            "respond": (c.response_seconds, and_(accepted, c.responded_at.isnot(None))),
            "resolve": (c.resolve_seconds, and_(accepted, c.resolve_seconds.isnot(None))),
        }
        key = self._key(groups)
        where = self._where(unit_ids, start, end, channel)
        keyed = [key.label("k")] if key is not None else []
        out: dict[int | None, dict[str, list[float | None]]] = {}
        for name, (column, cond) in measures.items():
            if self.dialect == "postgresql":
                aggs = [
                    func.percentile_cont(q).within_group(column.asc()).filter(cond).label(f"q{i}")
                    for i, q in enumerate(quantiles)
                ]
                query = select(*keyed, *aggs).where(*where)
                if key is not None:
                    query = query.group_by(key)
                for row in self.conn.execute(query).mappings():
                    k = row["k"] if key is not None else None
                    out.setdefault(k, {})[name] = [
                        None if row[f"q{i}"] is None else float(row[f"q{i}"])
                        for i in range(len(quantiles))
                    ]
            else:
                query = select(key if key is not None else literal(None), column)
                samples: dict[int | None, list[float]] = {}
                for k, value in self.conn.execute(query.where(*where, cond)):
                    samples.setdefault(k, []).append(float(value))
                for k, sample in samples.items():
                    sample.sort()
                    out.setdefault(k, {})[name] = [percentile_cont(sample, q) for q in quantiles]
        return out


def percentile_cont(sorted_values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile by linear interpolation between closest ranks (``percentile_cont``)."""
    if not sorted_values:
        return None
    position = q * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)
