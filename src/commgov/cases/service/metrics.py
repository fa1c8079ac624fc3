"""Case metrics for a unit and period: the three rates of 接诉即办 and the rest, computed with
SQL aggregates (definitions in ``docs/cases.md``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict

from commgov.cases.model.vocab import CASE_READ, CHANNELS
from commgov.cases.repository import CaseStats
from commgov.errors import ValidationError
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import as_utc, optional_utc
from commgov.kernel.uow import UnitOfWork
from commgov.people.model.units import Unit, unit_target
from commgov.people.repository import ResidentRepository, UnitRepository
from commgov.people.service.grids import load_unit

Grouping = Literal["grid", "child"]
"""Rows per grid under the unit, or per unit right below it (``None``: the unit itself)."""
GROUPINGS: Final = (None, "grid", "child")
QUANTILES: Final = (0.5, 0.9)


class CaseRates(BaseModel):
    """The three rates with their numerators and denominators; a rate is ``None`` when its
    denominator is zero."""

    model_config = ConfigDict(frozen=True)

    unit_code: str
    unit_name: str
    accepted: int = 0
    response_owed: int = 0
    responded_on_time: int = 0
    response_rate: float | None = None
    resolution_owed: int = 0
    resolved: int = 0
    resolution_rate: float | None = None
    rated: int = 0
    satisfied: int = 0
    satisfaction_rate: float | None = None


class CaseMetrics(CaseRates):
    """Every metric of ``docs/cases.md`` for one unit; times are in hours."""

    cases: int = 0
    residents: int = 0
    per_1000: float | None = None
    respond_median_h: float | None = None
    respond_p90_h: float | None = None
    resolve_median_h: float | None = None
    resolve_p90_h: float | None = None
    overdue: int = 0
    resolved_at_grid: int = 0
    grid_share: float | None = None
    ever_resolved: int = 0
    reopened: int = 0
    reopen_rate: float | None = None


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 3600


class MetricsQuery:
    """One metrics request: the unit, the period, the grouping."""

    def __init__(
        self,
        ctx: Context,
        actor: Actor,
        unit: str,
        *,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        as_of: dt.datetime | None = None,
        by: Grouping | None = None,
        channel: str | None = None,
    ) -> None:
        if by not in GROUPINGS:
            raise ValidationError("by", by, "expected None, 'grid' or 'child'")
        if channel is not None and channel not in CHANNELS:
            raise ValidationError("channel", channel, f"expected one of {', '.join(CHANNELS)}")
        self.channel = channel
        self.start, self.end = optional_utc("start", start), optional_utc("end", end)
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValidationError("end", end, "must come after start")
        self.ctx, self.actor, self.unit, self.by = ctx, actor, unit, by
        self.as_of = ctx.clock() if as_of is None else as_utc("as_of", as_of)

    def _groups(self, uow: UnitOfWork, top: Unit) -> tuple[dict[int, int] | None, list[Unit]]:
        """Grid id → group unit id, and the group units in code order."""
        if self.by is None:
            return None, [top]
        below = [u for u in uow.repo(UnitRepository).subtree(top) if u.id != top.id]
        if self.by == "grid":
            grids = [u for u in below if u.is_grid] or ([top] if top.is_grid else [])
            return {u.id: u.id for u in grids}, grids
        children = [u for u in below if u.parent_id == top.id]
        if not children:
            return {top.id: top.id}, [top]
        depth = len(top.path.strip("/").split("/"))
        by_id = {c.id: c for c in children}
        groups: dict[int, int] = {}
        for u in below:
            child = int(u.path.strip("/").split("/")[depth])
            if child in by_id:
                groups[u.id] = child
        return groups, children

    def _people_at(self) -> dt.datetime:
        """The moment residents are counted at for per-capita figures: the period's end (or
        now, for a period still running), so people who left before it are not counted."""
        assert self.as_of is not None
        return self.as_of if self.end is None else min(self.end, self.as_of)

    def _run(self, full: bool) -> list[dict[str, Any]]:
        with self.ctx.uow(readonly=True) as uow:
            top = load_unit(uow, self.unit)
            self.ctx.authorize(self.actor, CASE_READ, unit_target(top))
            groups, units = self._groups(uow, top)
            stats = uow.repo(CaseStats)
            units_repo = uow.repo(UnitRepository)
            subtree = [u.id for u in units_repo.subtree(top)]
            # cases belong to grids: when the unit holds every grid, no unit filter is needed
            unit_ids = None if units_repo.grid_ids() <= set(subtree) else subtree
            assert self.as_of is not None
            window = {"start": self.start, "end": self.end}
            counts = stats.counts(
                unit_ids, **window, as_of=self.as_of, groups=groups, full=full,
                channel=self.channel,
            )  # fmt: skip
            times, people = {}, {}
            if full:
                times = stats.percentiles(
                    unit_ids, **window, groups=groups, quantiles=QUANTILES, channel=self.channel
                )
                people = _residents(uow, subtree, groups, self._people_at())
        rows = []
        for unit in units:
            key = None if groups is None else unit.id
            row: dict[str, Any] = {"unit_code": unit.code, "unit_name": unit.name}
            row |= counts.get(key, {})
            if full:
                row["residents"] = people.get(key, 0)
                for name, values in times.get(key, {}).items():
                    row[f"{name}_median_h"] = _hours(values[0])
                    row[f"{name}_p90_h"] = _hours(values[1])
            rows.append(row)
        return rows

    def rates(self) -> list[CaseRates]:
        return [CaseRates(**_with_rates(r, full=False)) for r in self._run(full=False)]

    def full(self) -> list[CaseMetrics]:
        return [CaseMetrics(**_with_rates(r, full=True)) for r in self._run(full=True)]


def _with_rates(row: dict[str, Any], *, full: bool) -> dict[str, Any]:
    out = dict(row)
    if not full:
        out.pop("cases", None)
    g = out.get
    out["response_rate"] = ratio(g("responded_on_time", 0), g("response_owed", 0))
    out["resolution_rate"] = ratio(g("resolved", 0), g("resolution_owed", 0))
    out["satisfaction_rate"] = ratio(g("satisfied", 0), g("rated", 0))
    if full:
        residents = g("residents", 0)
        out["per_1000"] = 1000 * g("cases", 0) / residents if residents else None
        out["grid_share"] = ratio(g("resolved_at_grid", 0), g("resolved", 0))
        out["reopen_rate"] = ratio(g("reopened", 0), g("ever_resolved", 0))
    return out


def _residents(
    uow: UnitOfWork, unit_ids: list[int], groups: dict[int, int] | None, at: dt.datetime
) -> dict[int | None, int]:
    """Residents living in ``unit_ids`` at ``at``, per group (grouped through their unit)."""
    out: dict[int | None, int] = {}
    for unit_id, n in uow.repo(ResidentRepository).count_by_unit(unit_ids, at).items():
        key = None if groups is None else groups.get(unit_id)
        if groups is None or key is not None:
            out[key] = out.get(key, 0) + n
    return out
