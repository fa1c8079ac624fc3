"""Random runs of orders (place, assign, respond, complete, rate well or poorly, cancel) against
a plain model of their steps: every order's step is the model's, its case is in the state that
step goes with, a step out of turn is refused and changes nothing, a closed or cancelled order
never changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import commgov
from commgov.orders.model import CASE_STATES
from commgov.orders.views import OrderView

from .conftest import Clock, OrderTown, build

ALLOWED: dict[str, set[str]] = {
    "assign": {"ordered", "assigned", "declined"},
    "respond": {"assigned"},
    "complete": {"accepted", "reopened"},
    "rate": {"done"},
    "cancel": {"ordered", "assigned", "accepted", "declined", "reopened"},
}
PROVIDERS = [
    ("department", "T-civil"),
    ("department", "T-justice"),
    ("partner", "明理律所"),
    ("staff", "worker"),
]


class OrderMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = Clock()
        self.cg = commgov.open("sqlite:///:memory:", clock=self.clock, discover_plugins=False)
        self.town: OrderTown = build(self.cg, self.clock)
        self.steps: dict[int, str] = {}
        self.final: dict[int, OrderView] = {}

    def teardown(self) -> None:
        self.cg.close()

    def _pick(self, pick: int) -> int:
        ids = sorted(self.steps)
        return ids[pick % len(ids)]

    def _try(self, action: str, order_id: int, call: Callable[[], OrderView]) -> OrderView | None:
        """Run ``call``; when the model says the step is out of turn, it must be refused."""
        before = self.cg.orders.get(self.town.admin, order_id)
        if self.steps[order_id] not in ALLOWED[action]:
            try:
                call()
            except commgov.StateError:
                assert self.cg.orders.get(self.town.admin, order_id) == before
                return None
            raise AssertionError(f"{action} was taken from {self.steps[order_id]}")
        return call()

    # -- rules ---------------------------------------------------------------------------
    @rule(elder=st.booleans())
    def place(self, elder: bool) -> None:
        t = self.town
        actor, resident = (t.elder, t.elder_id) if elder else (t.resident, t.resident_id)
        view = self.cg.orders.place(
            actor, resident_id=resident, item="legal_advice", fields={"question": "q"}
        )
        assert view.id not in self.steps
        self.steps[view.id] = "ordered"

    @precondition(lambda self: bool(self.steps))
    @rule(pick=st.integers(0, 999), provider=st.sampled_from(PROVIDERS))
    def assign(self, pick: int, provider: tuple[str, str]) -> None:
        order_id = self._pick(pick)
        kind, ref = provider
        given: Any = self.town.worker.staff_id if ref == "worker" else ref
        view = self._try(
            "assign",
            order_id,
            lambda: self.cg.orders.assign(
                self.town.clerk,
                order_id,
                provider_kind=kind,
                provider=given,  # type: ignore[arg-type]
            ),
        )
        if view is not None:
            assert view.provider == str(given)
            self.steps[order_id] = "assigned"

    @precondition(lambda self: bool(self.steps))
    @rule(pick=st.integers(0, 999), accept=st.booleans())
    def respond(self, pick: int, accept: bool) -> None:
        order_id = self._pick(pick)
        reason = None if accept else "没空"
        view = self._try(
            "respond",
            order_id,
            lambda: self.cg.orders.respond(self.town.clerk, order_id, accept=accept, reason=reason),
        )
        if view is not None:
            self.steps[order_id] = "accepted" if accept else "declined"

    @precondition(lambda self: bool(self.steps))
    @rule(pick=st.integers(0, 999))
    def complete(self, pick: int) -> None:
        order_id = self._pick(pick)
        call = lambda: self.cg.orders.complete(self.town.clerk, order_id, note="办好了")  # noqa: E731
        if self._try("complete", order_id, call) is not None:
            self.steps[order_id] = "done"

    @precondition(lambda self: bool(self.steps))
    @rule(pick=st.integers(0, 999), rating=st.integers(1, 5))
    def rate(self, pick: int, rating: int) -> None:
        order_id = self._pick(pick)
        view = self._try(
            "rate", order_id, lambda: self.cg.orders.rate(self.town.clerk, order_id, rating=rating)
        )
        if view is not None:
            assert view.rating == rating
            self.steps[order_id] = "closed" if rating >= 3 else "reopened"

    @precondition(lambda self: bool(self.steps))
    @rule(pick=st.integers(0, 999))
    def cancel(self, pick: int) -> None:
        order_id = self._pick(pick)
        call = lambda: self.cg.orders.cancel(self.town.clerk, order_id, reason="不需要了")  # noqa: E731
        if self._try("cancel", order_id, call) is not None:
            self.steps[order_id] = "cancelled"

    @rule(hours=st.integers(0, 30))
    def wait(self, hours: int) -> None:
        self.clock.advance(hours=hours)

    # -- invariants ----------------------------------------------------------------------
    @invariant()
    def steps_and_case_states_agree(self) -> None:
        views = {v.id: v for v in self.cg.orders.under(self.town.admin, self.town.town)}
        assert {i: v.step for i, v in views.items()} == self.steps
        for order_id, view in views.items():
            assert view.case_state == CASE_STATES[view.step]  # type: ignore[index]
            if view.step in ("closed", "cancelled"):
                kept = self.final.setdefault(order_id, view)
                assert view == kept, "a closed order changed"


OrderMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=20, deadline=None)
TestOrderMachine = OrderMachine.TestCase
