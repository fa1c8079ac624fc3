"""三维考核 and 星级评定: a worker's score from three dimensions, stars, and points for stars.

score = w_performance · performance + w_residents · residents' rating + w_organisation ·
organisation's rating, each on 0–100:

- performance: the mean, over the cases the worker led that were reported in the month, of
  the resolution rate, the on-time rate (resolved by the deadline, of those resolved) and the
  satisfaction rate (rated 3 or more, of those rated), × 100;
- residents' rating (群众评议) and the organisation's rating (组织评价): the mean of the month's
  1–5 ratings mapped to 0–100 ((r − 1) / 4 × 100).

A dimension with nothing to measure is left out and the other weights are scaled up. Stars:
1 below 60, 2 from 60, 3 from 70, 4 from 80, 5 from 90 (``thresholds``). ``award_stars``
records the rating and credits points for 4 and 5 stars to the worker's ``staff:<id>``
account, under the client id ``y7336:stars:<id>:<YYYY-MM>``: awarding twice credits once."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Final

import attrs
from pydantic import BaseModel, ConfigDict, Field, model_validator

from commgov import Actor, CaseView, Commgov, RecordView, ValidationError
from commgov_yucheng7336 import vocab
from commgov_yucheng7336.compliance import moment

THRESHOLDS: Final = (60.0, 70.0, 80.0, 90.0)
STAR_POINTS: Final = {4: 50, 5: 100}
SATISFIED: Final = 3
RATERS: Final = {"residents": vocab.RESIDENT_RATING, "organisation": vocab.ORGANISATION_RATING}


class Weights(BaseModel):
    """The three dimensions' weights; each 0–1, summing to 1."""

    model_config = ConfigDict(frozen=True)

    performance: float = Field(0.5, ge=0, le=1)
    residents: float = Field(0.3, ge=0, le=1)
    organisation: float = Field(0.2, ge=0, le=1)

    @model_validator(mode="after")
    def _sum_to_one(self) -> Weights:
        total = self.performance + self.residents + self.organisation
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"weights sum to {total:g}, not 1")
        return self


@attrs.frozen
class Assessment:
    staff_id: int
    period: str
    performance: float | None
    residents: float | None
    organisation: float | None
    score: float
    stars: int


def period_of(year: int, month: int) -> str:
    if not 1 <= month <= 12:
        raise ValidationError("month", month, "1 to 12")
    return f"{year:04d}-{month:02d}"


def stars_for(score: float, thresholds: Sequence[float] = THRESHOLDS) -> int:
    """1 to 5 stars: one plus the number of thresholds the score reaches."""
    return 1 + sum(1 for t in thresholds if score >= t)


def rate(
    store: Commgov,
    actor: Actor,
    *,
    staff_id: int,
    by: str,
    rating: int,
    year: int,
    month: int,
    note: str = "",
) -> RecordView:
    """A 1–5 rating of a worker for a month, by ``residents`` or the ``organisation``."""
    if by not in RATERS:
        raise ValidationError("by", by, f"expected one of {', '.join(RATERS)}")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError("rating", rating, "a whole number from 1 to 5")
    period = period_of(year, month)
    member = store.staff.get(actor, staff_id)
    return store.records.add(
        actor,
        kind=RATERS[by],
        unit=member.unit_codes[0],
        data={"staff_id": staff_id, "rating": rating, "period": period, "note": note[:500]},
        ref=f"staff:{staff_id}:{period}",
    )


def assess(
    store: Commgov,
    actor: Actor,
    staff_id: int,
    year: int,
    month: int,
    *,
    weights: Weights | None = None,
    thresholds: Sequence[float] = THRESHOLDS,
) -> Assessment:
    """The worker's three dimensions, score and stars for the month."""
    weights = weights or Weights()
    period = period_of(year, month)
    member = store.staff.get(actor, staff_id)
    first = dt.date(year, month, 1)
    start, end = (
        moment(store, first),
        moment(store, first + dt.timedelta(days=calendar.monthrange(year, month)[1])),
    )
    lead = f"staff:{staff_id}"
    led = [
        c
        for unit in member.unit_codes
        for c in store.cases.under(actor, unit)
        if c.lead == lead and start <= c.reported_at < end
    ]
    parts = {
        "performance": _performance(led),
        **{
            by: _ratings(store, actor, member.unit_codes[0], kind, f"{lead}:{period}")
            for by, kind in RATERS.items()
        },
    }
    weight = {k: getattr(weights, k) for k, v in parts.items() if v is not None}
    total = sum(weight.values())
    score = sum((parts[k] or 0.0) * w for k, w in weight.items()) / total if total else 0.0
    return Assessment(
        staff_id=staff_id,
        period=period,
        performance=parts["performance"],
        residents=parts["residents"],
        organisation=parts["organisation"],
        score=round(score, 2),
        stars=stars_for(score, thresholds),
    )


def award_stars(
    store: Commgov, actor: Actor, assessment: Assessment, *, points: dict[int, int] | None = None
) -> RecordView:
    """Record the stars and credit the points they earn (once, however often it is run)."""
    table = STAR_POINTS if points is None else points
    member = store.staff.get(actor, assessment.staff_id)
    ref = f"staff:{assessment.staff_id}:{assessment.period}"
    earned = table.get(assessment.stars, 0)
    if earned:
        account = f"staff:{assessment.staff_id}"
        ensure = store.ledger.ensure_account
        ensure(actor, ledger="points", code=account, kind="staff", unit=member.unit_codes[0])
        ensure(actor, ledger="points", code="system:issuance", kind="system")
        store.ledger.transfer(
            actor,
            client_id=f"y7336:stars:{assessment.staff_id}:{assessment.period}",
            ledger="points",
            debit="system:issuance",
            credit=account,
            amount=earned,
            reason=f"stars:{assessment.stars}",
        )
    kept = store.records.find(actor, kind=vocab.STAR_RATING, under=member.unit_codes[0], ref=ref)
    if kept:
        return kept[-1]
    return store.records.add(
        actor,
        kind=vocab.STAR_RATING,
        unit=member.unit_codes[0],
        data={**attrs.asdict(assessment), "points": earned},
        ref=ref,
    )


def _performance(led: Sequence[CaseView]) -> float | None:
    if not led:
        return None
    resolved = [c.resolved_at <= c.resolve_due for c in led if c.resolved_at is not None]
    rated = [c.rating >= SATISFIED for c in led if c.rating is not None]
    parts = [len(resolved) / len(led)]
    if resolved:
        parts.append(sum(resolved) / len(resolved))
    if rated:
        parts.append(sum(rated) / len(rated))
    return 100 * sum(parts) / len(parts)


def _ratings(store: Commgov, actor: Actor, unit: str, kind: str, ref: str) -> float | None:
    found = store.records.find(actor, kind=kind, under=unit, ref=ref)
    if not found:
        return None
    mean = sum(int(r.data["rating"]) for r in found) / len(found)
    return (mean - 1) / 4 * 100
