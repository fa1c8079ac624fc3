"""A hypothesis state machine posts, proposes, accepts, declines, fulfils, expires and withdraws
wishes beside a plain-Python model: every call succeeds or fails as the model says, and the
states, the committed capacity and the points paid agree after each step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from tests.conftest import NOW, build_town

import commgov

from .helpers import TODAY, WishTown, wish_town

pytestmark = pytest.mark.property
AUTHORS = ("li", "zhang", "wang")
POINTS, DAY_CAP = 5, 10  # neighbour_help in the default points table


@attrs.define
class W:
    id: int
    kind: str
    author: str
    quantity: int
    dated: bool
    state: str = "open"
    committed: int = 0


@attrs.define
class M:
    id: int
    want: W
    offer: W
    quantity: int
    state: str = "proposed"


class WishMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.cg = commgov.open("sqlite:///:memory:", discover_plugins=False, clock=lambda: NOW)
        self.wt: WishTown = wish_town(build_town(self.cg))
        self.staff = self.wt.staff_a
        self.wants: list[W] = []
        self.offers: list[W] = []
        self.matches: list[M] = []
        self.points: dict[str, int] = dict.fromkeys(AUTHORS, 0)

    def teardown(self) -> None:
        self.cg.close()

    @initialize()
    def start(self) -> None:
        assert self.wt.wishes.under(self.staff, self.wt.town.community_a) == []

    def expect(self, error: type[Exception] | None, call: Any) -> Any:
        if error is None:
            return call()
        try:
            call()
        except error:
            return None
        raise AssertionError(f"expected {error.__name__}")

    # -- posting -------------------------------------------------------------------------
    @rule(author=st.sampled_from(AUTHORS), quantity=st.integers(1, 2), dated=st.booleans())
    def post_want(self, author: str, quantity: int, dated: bool) -> None:
        view = self.wt.want(author, quantity=quantity, wanted_by=TODAY if dated else None)
        self.wants.append(W(view.id, "want", author, quantity, dated))

    @rule(author=st.sampled_from(AUTHORS), quantity=st.integers(1, 3))
    def post_offer(self, author: str, quantity: int) -> None:
        view = self.wt.offer(author, quantity=quantity)
        self.offers.append(W(view.id, "offer", author, quantity, False))

    # -- matching ------------------------------------------------------------------------
    @precondition(lambda self: self.wants and self.offers)
    @rule(data=st.data(), quantity=st.integers(1, 2))
    def propose(self, data: st.DataObject, quantity: int) -> None:
        want = data.draw(st.sampled_from(self.wants))
        offer = data.draw(st.sampled_from(self.offers))
        error: type[Exception] | None = None
        live = any(
            m.want is want and m.offer is offer and m.state in ("proposed", "accepted")
            for m in self.matches
        )
        if want.state not in ("open", "matched") or offer.state != "open":
            error = commgov.StateError
        elif live:
            error = commgov.ConflictError
        elif (
            quantity > offer.quantity - offer.committed or quantity > want.quantity - want.committed
        ):
            error = commgov.ValidationError
        found = self.expect(
            error, lambda: self.wt.wishes.propose(self.staff, want.id, offer.id, quantity=quantity)
        )
        if found is not None:
            offer.committed += quantity
            self.matches.append(M(found.id, want, offer, quantity))

    @precondition(lambda self: self.matches)
    @rule(data=st.data())
    def accept(self, data: st.DataObject) -> None:
        match = data.draw(st.sampled_from(self.matches))
        want = match.want
        error: type[Exception] | None = None
        if match.state != "proposed":
            error = commgov.StateError
        elif want.committed + match.quantity > want.quantity:
            error = commgov.ValidationError
        if self.expect(error, lambda: self.wt.wishes.accept_match(self.staff, match.id)):
            match.state = "accepted"
            want.committed += match.quantity
            want.state = "matched"

    @precondition(lambda self: self.matches)
    @rule(data=st.data())
    def decline(self, data: st.DataObject) -> None:
        match = data.draw(st.sampled_from(self.matches))
        error = None if match.state in ("proposed", "accepted") else commgov.StateError
        if self.expect(error, lambda: self.wt.wishes.decline_match(self.staff, match.id)):
            self._end(match, "declined")

    def _end(self, match: M, state: str) -> None:
        match.offer.committed -= match.quantity
        if match.state == "accepted":
            match.want.committed -= match.quantity
            if match.want.committed == 0 and match.want.state == "matched":
                match.want.state = "open"
        match.state = state

    # -- closing -------------------------------------------------------------------------
    @precondition(lambda self: self.wants)
    @rule(data=st.data(), rating=st.integers(1, 5))
    def fulfil(self, data: st.DataObject, rating: int) -> None:
        want = data.draw(st.sampled_from(self.wants))
        error = None if want.state in ("open", "matched") else commgov.StateError
        if not self.expect(
            error, lambda: self.wt.wishes.fulfil(self.staff, want.id, rating=rating)
        ):
            return
        helpers: list[str] = []
        for match in self.matches:
            if match.want is want and match.state == "proposed":
                self._end(match, "cancelled")
            elif match.want is want and match.state == "accepted":
                match.state = "fulfilled"
                helpers.append(match.offer.author)
        for helper in dict.fromkeys(helpers):
            self.points[helper] += min(POINTS, max(0, DAY_CAP - self.points[helper]))
        want.state = "fulfilled"

    @rule()
    def expire(self) -> None:
        tomorrow = NOW + dt.timedelta(days=1)
        expired = self.wt.wishes.expire_due(self.staff, self.wt.town.community_a, now=tomorrow)
        due = [w for w in self.wants if w.dated and w.state == "open"]
        assert sorted(expired) == sorted(w.id for w in due)
        for want in due:
            self._close(want, "expired")

    @precondition(lambda self: self.wants or self.offers)
    @rule(data=st.data())
    def withdraw(self, data: st.DataObject) -> None:
        wish = data.draw(st.sampled_from(self.wants + self.offers))
        open_states = ("open", "matched") if wish.kind == "want" else ("open",)
        error = None if wish.state in open_states else commgov.StateError
        if self.expect(
            error, lambda: self.wt.wishes.withdraw(self.staff, wish.id, reason="不要了")
        ):
            self._close(wish, "withdrawn")

    def _close(self, wish: W, state: str) -> None:
        for match in self.matches:
            if (match.want is wish or match.offer is wish) and match.state in (
                "proposed",
                "accepted",
            ):
                self._end(match, "cancelled")
        wish.state = state

    # -- agreement -----------------------------------------------------------------------
    @invariant()
    def the_store_agrees(self) -> None:
        stored = {w.id: w for w in self.wt.wishes.under(self.staff, self.wt.town.community_a)}
        for wish in self.wants + self.offers:
            got = stored[wish.id]
            assert (got.state, got.committed) == (wish.state, wish.committed), wish
            assert 0 <= got.committed <= got.quantity
        for name, points in self.points.items():
            assert self.wt.points(name) == points, name

    @invariant()
    def matches_agree(self) -> None:
        for match in self.matches[-3:]:
            stored = self.wt.wishes.matches(self.staff, match.want.id)
            assert {m.id: m.state for m in stored}[match.id] == match.state


TestWishMachine = WishMachine.TestCase
TestWishMachine.settings = settings(
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
