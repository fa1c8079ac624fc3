"""六到位: the six work standards of each community, each scored 0–100 from the data.

======================  ==================================================================
standard                score
======================  ==================================================================
dispute mediation       share of the period's dispute cases (``dispute.*``) resolved
work-safety             half: share of safety cases (``safety.*``) resolved on time; half:
                        share of grids with a risk assessment (稳控一域) in the period
mass prevention         mean over grids with households of the share of days with a visit
legal publicity         legal-publicity activities against one per grid per 30 days
help in difficulty      share of care-group households (重点人群) visited in the period
joint patrols           joint-patrol activities against one per grid per 7 days
======================  ==================================================================

A standard with nothing to measure (no dispute, no care household) scores 100. Activities are
recorded with ``record_activity``. The total is the mean of the six."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Final

import attrs

from commgov import Actor, CaseView, Commgov, RecordView, UnitView, ValidationError
from commgov_yucheng7336 import vocab
from commgov_yucheng7336.compliance import day_of, moment

STANDARDS: Final = {
    "mediation": "矛盾纠纷调处 dispute mediation",
    "safety": "安全生产监督 work-safety supervision",
    "prevention": "群防群治 mass prevention",
    "legal": "法治宣传 legal publicity",
    "assistance": "困难群众帮扶 help for people in difficulty",
    "patrols": "全民联手巡防 joint patrols",
}
ACTIVITIES: Final = {"legal_publicity": 30, "joint_patrol": 7}
"""Activity kinds and the days per expected activity per grid."""
LEFT_LOOP: Final = ("rejected", "withdrawn", "merged")
COMMUNITY_KINDS: Final = ("community", "village")


@attrs.frozen
class StandardsCard:
    community: str
    name: str
    scores: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.scores.values()) / len(self.scores)


def record_activity(
    store: Commgov,
    actor: Actor,
    *,
    unit: str,
    activity: str,
    participants: int,
    note: str = "",
    at: dt.datetime | None = None,
) -> RecordView:
    """A legal-publicity session or a joint patrol held in ``unit``."""
    if activity not in ACTIVITIES:
        raise ValidationError("activity", activity, f"expected one of {', '.join(ACTIVITIES)}")
    if isinstance(participants, bool) or not isinstance(participants, int) or participants < 1:
        raise ValidationError("participants", participants, "a whole number, at least 1")
    if not isinstance(note, str) or len(note) > 500:
        raise ValidationError("note", note, "text of at most 500 characters")
    return store.records.add(
        actor,
        kind=vocab.STANDARD_ACTIVITY,
        unit=unit,
        data={"activity": activity, "participants": participants, "note": note},
        at=at,
    )


def community_of(units: dict[str, UnitView], code: str) -> str | None:
    """The community (or village) a unit lies in, walking up ``units`` by parent code."""
    unit = units.get(code)
    while unit is not None:
        if unit.kind in COMMUNITY_KINDS:
            return unit.code
        unit = units.get(unit.parent_code or "")
    return None


def score_communities(
    store: Commgov,
    actor: Actor,
    unit: str,
    start: dt.date,
    end: dt.date,
    *,
    cases: list[CaseView] | None = None,
) -> list[StandardsCard]:
    """A card for every community under (or at) ``unit`` for the days ``start`` to ``end``
    (exclusive). ``cases`` may pass ``store.cases.under(actor, unit)`` already loaded."""
    if end <= start:
        raise ValidationError("end", end, f"a date after start {start!r}")
    units = {u.code: u for u in [store.grids.get(unit), *store.grids.descendants(unit)]}
    grids: dict[str, list[str]] = defaultdict(list)
    for code, u in units.items():
        home = community_of(units, code)
        if u.kind == "grid" and not u.retired and home is not None:
            grids[home].append(code)
    since, until = moment(store, start), moment(store, end)
    days = (end - start).days
    period = cases if cases is not None else store.cases.under(actor, unit)
    period = [c for c in period if since <= c.reported_at < until and c.state not in LEFT_LOOP]
    find = store.records.find
    visits = find(actor, kind=vocab.VISIT_LOG, under=unit, since=since, until=until)
    risks = find(actor, kind=vocab.AREA_RISK, under=unit, since=since, until=until)
    activities = find(actor, kind=vocab.STANDARD_ACTIVITY, under=unit, since=since, until=until)
    found = _group(units, period, visits, risks, activities)
    lived = set(store.household_files.counts(actor, unit))  # grids with households
    cards = []
    for community in sorted(grids):
        own, here = grids[community], found[community]
        disputes = [c for c in here.cases if (c.category or "").startswith("dispute")]
        safety = [c for c in here.cases if (c.category or "").startswith("safety")]
        assessed = {r.unit_code for r in here.risks} & set(own)
        care = store.household_files.care_household_ids(actor, community)
        visited = {r.ref for r in here.visits}
        cared = sum(1 for h in care if f"household:{h}" in visited)
        scores = {
            "mediation": _share(disputes, _resolved),
            "safety": 0.5 * _share(safety, _on_time) + 50 * len(assessed) / len(own),
            "prevention": 100
            * _mean_visit_share(store, here.visits, [g for g in own if g in lived], days),
            "legal": _activity_score(here.activities, "legal_publicity", len(own), days),
            "assistance": 100 * cared / len(care) if care else 100.0,
            "patrols": _activity_score(here.activities, "joint_patrol", len(own), days),
        }
        cards.append(StandardsCard(community=community, name=units[community].name, scores=scores))
    return cards


def score_community(
    store: Commgov, actor: Actor, community: str, start: dt.date, end: dt.date
) -> StandardsCard:
    """One community's card."""
    (card,) = score_communities(store, actor, community, start, end)
    return card


@attrs.define
class _Found:
    cases: list[CaseView] = attrs.Factory(list)
    visits: list[RecordView] = attrs.Factory(list)
    risks: list[RecordView] = attrs.Factory(list)
    activities: list[RecordView] = attrs.Factory(list)


def _group(
    units: dict[str, UnitView],
    cases: Iterable[CaseView],
    visits: Iterable[RecordView],
    risks: Iterable[RecordView],
    activities: Iterable[RecordView],
) -> dict[str, _Found]:
    out: dict[str, _Found] = defaultdict(_Found)
    for case in cases:
        out[community_of(units, case.unit_code) or ""].cases.append(case)
    for name, records in (("visits", visits), ("risks", risks), ("activities", activities)):
        for record in records:
            getattr(out[community_of(units, record.unit_code) or ""], name).append(record)
    return out


def _resolved(case: CaseView) -> bool:
    return case.resolved_at is not None


def _on_time(case: CaseView) -> bool:
    return case.resolved_at is not None and case.resolved_at <= case.resolve_due


def _share(cases: list[CaseView], good: Callable[[CaseView], bool]) -> float:
    if not cases:
        return 100.0
    return 100 * sum(1 for c in cases if good(c)) / len(cases)


def _mean_visit_share(
    store: Commgov, visits: Iterable[RecordView], grids: list[str], days: int
) -> float:
    if not grids:
        return 1.0
    seen: dict[str, set[dt.date]] = defaultdict(set)
    for record in visits:
        seen[record.unit_code].add(day_of(store, record.at))
    return sum(min(1.0, len(seen[g]) / days) for g in grids) / len(grids)


def _activity_score(records: Iterable[RecordView], activity: str, grids: int, days: int) -> float:
    held = sum(1 for r in records if r.data.get("activity") == activity)
    expected = grids * math.ceil(days / ACTIVITIES[activity])
    return 100 * min(1.0, held / expected)
