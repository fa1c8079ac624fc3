"""日碰头、周研判、月总结: the meeting cadence as tasks, each with what it reviews.

For a period and a unit (a community or the town): a daily huddle (日碰头) each day reviewing
the day's new cases; a weekly review (周研判) each Monday reviewing the previous seven days'
overdue and escalated cases; a monthly summary (月总结) on each month's last day reviewing the
month's three rates and 六到位 scores. ``hold`` records that one was held; tasks show it."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, Final

import attrs

from commgov import Actor, CaseView, Commgov, RecordView, ValidationError
from commgov_yucheng7336 import vocab
from commgov_yucheng7336.compliance import day_of, moment

KINDS: Final = {
    "huddle": "日碰头 daily huddle",
    "review": "周研判 weekly review",
    "summary": "月总结 monthly summary",
}


@attrs.frozen
class MeetingTask:
    kind: str
    day: dt.date
    unit: str
    reviews: dict[str, Any]
    held: bool


def schedule(start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
    """The meetings due on the days ``start`` to ``end`` (exclusive), in order."""
    if end <= start:
        raise ValidationError("end", end, f"a date after start {start!r}")
    due: list[tuple[str, dt.date]] = []
    day = start
    while day < end:
        due.append(("huddle", day))
        if day.weekday() == 0:
            due.append(("review", day))
        if day.day == calendar.monthrange(day.year, day.month)[1]:
            due.append(("summary", day))
        day += dt.timedelta(days=1)
    return due


def hold(
    store: Commgov, actor: Actor, *, unit: str, kind: str, day: dt.date, notes: str = ""
) -> RecordView:
    """Record that the ``kind`` meeting of ``day`` was held in ``unit``."""
    if kind not in KINDS:
        raise ValidationError("kind", kind, f"expected one of {', '.join(KINDS)}")
    if not isinstance(day, dt.date):
        raise ValidationError("day", day, "a date")
    if not isinstance(notes, str) or len(notes) > 2000:
        raise ValidationError("notes", notes, "text of at most 2000 characters")
    return store.records.add(
        actor,
        kind=vocab.CADENCE_MEETING,
        unit=unit,
        data={"kind": kind, "day": day.isoformat(), "notes": notes},
        at=moment(store, day) + dt.timedelta(hours=8),
        ref=f"{kind}:{day.isoformat()}",
    )


def tasks(
    store: Commgov, actor: Actor, unit: str, start: dt.date, end: dt.date
) -> list[MeetingTask]:
    """The meetings due in the period with what each reviews and whether it was held."""
    due = schedule(start, end)
    held = {
        r.ref
        for r in store.records.find(
            actor, kind=vocab.CADENCE_MEETING, under=unit, since=moment(store, start)
        )
        if r.unit_code == unit
    }
    cases = store.cases.under(actor, unit)
    out = []
    for kind, day in due:
        out.append(
            MeetingTask(
                kind=kind,
                day=day,
                unit=unit,
                reviews=_reviews(store, actor, unit, kind, day=day, cases=cases),
                held=f"{kind}:{day.isoformat()}" in held,
            )
        )
    return out


def _reviews(
    store: Commgov, actor: Actor, unit: str, kind: str, *, day: dt.date, cases: list[CaseView]
) -> dict[str, Any]:
    if kind == "huddle":
        new = [c.id for c in cases if day_of(store, c.reported_at) == day]
        return {"new_cases": new}
    if kind == "review":
        week_start = moment(store, day - dt.timedelta(days=7))
        as_of = moment(store, day)
        overdue = [c.id for c in store.cases.overdue(actor, unit, as_of=as_of)]
        escalated = [c.id for c in cases if c.escalations and week_start <= c.reported_at < as_of]
        return {"overdue": overdue, "escalated": escalated}
    from commgov_yucheng7336.standards import score_communities

    first = day.replace(day=1)
    until = day + dt.timedelta(days=1)
    rates = store.cases.rates(actor, unit, start=moment(store, first), end=moment(store, until))[0]
    cards = score_communities(store, actor, unit, first, until, cases=cases)
    return {
        "response_rate": rates.response_rate,
        "resolution_rate": rates.resolution_rate,
        "satisfaction_rate": rates.satisfaction_rate,
        "standards": {card.community: round(card.total, 1) for card in cards},
    }
