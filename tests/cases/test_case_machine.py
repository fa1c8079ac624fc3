"""A hypothesis state machine drives random reports and actions against the case engine on
SQLite and checks after every step: only legal transitions happen (a refused action changes
nothing), replaying each case's events gives the stored case, case numbers run without gaps,
and the metrics agree with a plain-Python model recomputed from the replayed cases."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import commgov
from commgov.cases.service.cases import CaseService

START = dt.datetime(2025, 6, 2, 8, tzinfo=dt.UTC)
OPEN = {"reported", "accepted", "triaged", "dispatched", "in_progress"}
DONE = {"resolved", "informed", "visited", "closed"}
LEGAL: dict[tuple[str, str], set[str]] = {
    ("accept", "reported"): {"accepted"},
    ("reject", "reported"): {"rejected"},
    ("triage", "accepted"): {"triaged"},
    ("dispatch", "triaged"): {"dispatched"},
    ("start", "dispatched"): {"in_progress"},
    ("resolve", "in_progress"): {"resolved"},
    ("inform", "resolved"): {"informed"},
    ("visit", "informed"): {"visited", "in_progress"},
    ("close", "informed"): {"closed"},
    ("close", "visited"): {"closed"},
}
for _state in OPEN:
    LEGAL[("withdraw", _state)] = {"withdrawn"}
    LEGAL[("merge", _state)] = {"merged"}
    LEGAL[("escalate", _state)] = {_state if _state in ("reported", "accepted") else "triaged"}
ALWAYS_VALID = {"accept", "start", "inform", "close", "withdraw", "resolve"}
ACTIONS = sorted({a for a, _ in LEGAL})
FORWARD: dict[str, tuple[str, dict[str, Any]]] = {
    "reported": ("accept", {}),
    "accepted": ("triage", {}),
    "triaged": ("dispatch", {}),
    "dispatched": ("start", {}),
    "in_progress": ("resolve", {"note": "done"}),
    "resolved": ("inform", {}),
    "informed": ("visit", {}),
    "visited": ("close", {}),
}
CATEGORIES = [None, "environment", "safety.fire", "dispute.labour", "order", "bogus"]


def model_metrics(cases: list[Any], as_of: dt.datetime) -> dict[str, Any]:
    """The definitions of docs/cases.md, written out plainly."""
    population = [c for c in cases if c.state.value != "merged"]
    accepted = [c for c in population if c.state.value not in ("rejected", "withdrawn")]

    def overdue(c: Any) -> bool:
        pending = (c.responded_at is None and c.response_due < as_of) or c.resolve_due < as_of
        return c.response_late or c.resolve_late or (c.state.value in OPEN and pending)

    done = [c for c in accepted if c.state.value in DONE]
    ever = [c for c in accepted if c.resolved_at is not None]
    respond = sorted(c.response_seconds for c in accepted if c.responded_at is not None)
    resolve = sorted(c.resolve_seconds for c in done)

    def quantiles(values: list[int]) -> tuple[float | None, float | None]:
        if not values:
            return None, None
        if len(values) == 1:
            return values[0] / 3600, values[0] / 3600
        deciles = statistics.quantiles(values, n=10, method="inclusive")
        return statistics.median(values) / 3600, deciles[8] / 3600

    return {
        "cases": len(population),
        "accepted": len(accepted),
        "response_owed": sum(
            1 for c in accepted if c.responded_at or c.response_late or c.response_due <= as_of
        ),
        "responded_on_time": sum(1 for c in accepted if c.responded_at and not c.response_late),
        "resolution_owed": sum(
            1 for c in accepted if c.state.value in DONE or c.resolve_late or c.resolve_due <= as_of
        ),
        "resolved": len(done),
        "rated": sum(1 for c in accepted if c.rating is not None),
        "satisfied": sum(1 for c in accepted if c.rating is not None and c.rating >= 3),
        "overdue": sum(1 for c in accepted if overdue(c)),
        "resolved_at_grid": sum(1 for c in done if c.resolved_level == "grid"),
        "ever_resolved": len(ever),
        "reopened": sum(1 for c in ever if c.reopen_count > 0),
        "respond_q": quantiles(respond),
        "resolve_q": quantiles(resolve),
    }


class CaseMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.cg = commgov.open("sqlite:///:memory:", clock=lambda: self.now, discover_plugins=False)
        self.cases = CaseService(self.cg.context)
        self.admin = commgov.Actor.system("machine")
        make = self.cg.grids.create
        make(self.admin, code="411425", name="county", kind="county")
        make(self.admin, code="411425100", parent="411425", name="town", kind="town")
        make(self.admin, code="411425100001", parent="411425100", name="c", kind="community")
        self.grids = [
            make(self.admin, parent="411425100001", name=f"g{i}", kind="grid").code
            for i in range(2)
        ]
        self.workers = []
        for grid in self.grids:
            staff = self.cg.staff.add(self.admin, name="w", role="grid_worker", units=[grid])
            self.workers.append(self.cg.staff.actor(staff.id))
        self.cg.staff.add(self.admin, name="s", role="community_staff", units=["411425100001"])
        self.cg.staff.add_department(
            self.admin, code="T-fire", name="fire", kind="fire", unit="411425100"
        )
        self.cg.staff.add_department(
            self.admin, code="C-justice", name="justice", kind="justice", unit="411425"
        )
        self.ids: list[int] = []

    def teardown(self) -> None:
        self.cg.close()

    # -- rules ---------------------------------------------------------------------------
    @rule(
        grid=st.integers(0, 1),
        severity=st.sampled_from(["critical", "urgent", "normal", "complex"]),
        category=st.sampled_from(CATEGORIES[:-1]),
        channel=st.sampled_from(["resident", "hotline", "grid_visit", "meeting", "micro_wish"]),
    )
    def report(self, grid: int, severity: str, category: str | None, channel: str) -> None:
        view = self.cases.report(
            self.workers[grid],
            text="report",
            unit=self.grids[grid],
            severity=severity,
            category=category,
            channel=channel,
        )
        assert view.state == "reported" and view.version == 1
        self.ids.append(view.id)

    @rule(device=st.sampled_from(["d1", "d2"]))
    def alarm(self, device: str) -> None:
        view = self.cases.report(
            self.admin, text="alarm", unit=self.grids[0], channel="sensor", device_id=device
        )
        if view.id not in self.ids:
            self.ids.append(view.id)

    @rule(hours=st.integers(0, 80))
    def wait(self, hours: int) -> None:
        self.now += dt.timedelta(hours=hours)

    @rule()
    def escalate_overdue(self) -> None:
        self.cases.escalate_overdue()
        assert self.cases.escalate_overdue() == []

    @precondition(lambda self: bool(self.ids))
    @rule(
        pick=st.integers(0, 10_000),
        other=st.integers(0, 10_000),
        action=st.sampled_from(ACTIONS),
        rating=st.integers(0, 6),
        category=st.sampled_from(CATEGORIES),
        kind=st.sampled_from(["invalid", "duplicate", "out_of_remit", "bogus"]),
        routed=st.booleans(),
    )
    def act(
        self,
        *,
        pick: int,
        other: int,
        action: str,
        rating: int,
        category: str | None,
        kind: str,
        routed: bool,
    ) -> None:
        case_id = self.ids[pick % len(self.ids)]
        other_id = self.ids[other % len(self.ids)]
        before = self.cases.get(self.admin, case_id)
        fields: dict[str, Any] = {
            "reject": {"kind": kind, "note": "why", "duplicate_of": other_id},
            "triage": {"category": category},
            "dispatch": {} if routed else {"lead": f"staff:{self.workers[0].staff_id}"},
            "resolve": {"note": "done"},
            "visit": {"rating": rating},
            "merge": {"into": other_id},
        }.get(action, {})
        try:
            after = self.cases.act(self.admin, case_id, action, **fields)
        except (commgov.StateError, commgov.ValidationError) as exc:
            assert self.cases.get(self.admin, case_id) == before
            legal = (action, before.state) in LEGAL
            top = action == "escalate" and before.owner_level == "county"
            assert not (legal and action in ALWAYS_VALID and not top), exc
            return
        assert after.state in LEGAL[(action, before.state)]
        assert after.version == before.version + 1

    @precondition(lambda self: bool(self.ids))
    @rule(pick=st.integers(0, 10_000), rating=st.integers(1, 5), steps=st.integers(1, 9))
    def forward(self, pick: int, rating: int, steps: int) -> None:
        """The next steps of the loop, so that random runs reach the far states."""
        case_id = self.ids[pick % len(self.ids)]
        for _ in range(steps):
            state = self.cases.get(self.admin, case_id).state
            if state not in FORWARD:
                return
            action, fields = FORWARD[state]
            if action == "dispatch":
                fields = {"lead": f"staff:{self.workers[0].staff_id}"}
            if action == "visit":
                fields = {"rating": rating}
            self.cases.act(self.admin, case_id, action, **fields)

    @precondition(lambda self: bool(self.ids))
    @rule(
        picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=4),
        action=st.sampled_from(ACTIONS),
    )
    def batch(self, picks: list[int], action: str) -> None:
        chosen = [self.ids[p % len(self.ids)] for p in picks]
        before = {i: self.cases.get(self.admin, i) for i in chosen}
        extra = {"note": "x"} if action in ("resolve", "reject") else {}
        if action == "reject":
            extra["kind"] = "invalid"
        try:
            self.cases.apply_many(
                self.admin, [{"case_id": i, "action": action, **extra} for i in chosen]
            )
        except (commgov.StateError, commgov.ValidationError):
            assert {i: self.cases.get(self.admin, i) for i in chosen} == before

    # -- invariants ----------------------------------------------------------------------
    @invariant()
    def replay_equals_stored_and_states_are_whole(self) -> None:
        for case_id in self.ids:
            stored, replayed = self.cases.replayed(self.admin, case_id)
            assert stored == replayed
            state = stored.state.value
            assert stored.version == len(self.cases.history(self.admin, case_id))
            if state in ("dispatched", "in_progress") or state in DONE:
                assert stored.lead is not None and stored.responded_at is not None
            if state in DONE:
                assert stored.resolved_at is not None and stored.resolved_level is not None
            if state == "visited":
                assert stored.rating is not None and stored.rating >= 3
            assert (state == "merged") == (stored.merged_into is not None)
            assert (state == "rejected") == (stored.reject_kind is not None)
            assert (state == "closed") == (stored.closed_at is not None)

    @invariant()
    def numbers_run_from_one_without_gaps(self) -> None:
        """Whatever folded, failed or merged: each year's numbers are 1..n, each once."""
        by_year: dict[str, list[int]] = {}
        for case_id in self.ids:
            year, seq = self.cases.get(self.admin, case_id).number.split("-")
            by_year.setdefault(year, []).append(int(seq))
        for seqs in by_year.values():
            assert sorted(seqs) == list(range(1, len(seqs) + 1))

    @invariant()
    def metrics_match_the_model(self) -> None:
        replayed = [self.cases.replayed(self.admin, i)[1] for i in self.ids]
        model = model_metrics(replayed, self.now)
        (m,) = self.cases.metrics(self.admin, "411425100", as_of=self.now)
        got = m.model_dump()
        for key, value in model.items():
            if key.endswith("_q"):
                name = key[:-2]
                expected = (got[f"{name}_median_h"], got[f"{name}_p90_h"])
                assert all(
                    (a is None and b is None) or abs(a - b) < 1e-6
                    for a, b in zip(expected, value, strict=True)
                ), (key, expected, value)
            else:
                assert got[key] == value, (key, got[key], value)


CaseMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCaseMachine = CaseMachine.TestCase
