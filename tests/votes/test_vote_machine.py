"""A hypothesis state machine casts, changes, enters on paper, closes and cancels two votes on
SQLite — a households vote (simple majority) and an owners' vote weighed by floor area (Civil
Code art. 278) — beside a plain-Python model of each voter's ballot. Every call succeeds or
fails as the model says and a refused call changes nothing; the turnout is the model's voters,
secret ballots name nobody, nothing is counted before close, and after close the result, the
recount, the receipts and an independent count of the rule agree with the model. Among the
refusals: changing a paper ballot online, and replacing a secret ballot with another voter's
receipt (which must leave that voter's ballot counted)."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import select
from tests.conftest import NOW, build_town, row_counts

import commgov
from commgov.votes.model.values import DwellingEntry
from commgov.votes.tables import dwellings, vote_ballots, vote_roll, vote_turnout, votes

pytestmark = pytest.mark.property

YES_NO = ("同意", "不同意", "弃权")
ALIASES = {"yes": "同意", "no": "不同意", "abstain": "弃权"}
LETTERS = ("甲", "乙", "丙")
# Six households: five in community A (on the households roll), one in community B (not).
HOMES = ("grid_a1", "grid_a1", "grid_a2", "grid_a2", "grid_a1", "grid_b1")
# The owners' register: (grid, dwelling, m², owner by index into HOMES). Household 0 owns two
# dwellings in two grids, household 5 (living in community B) owns one, household 4 none.
REGISTER = (
    ("grid_a1", "1-101", "90.50", 0),
    ("grid_a1", "1-201", "120.25", 1),
    ("grid_a1", "1-301", "66.66", 5),
    ("grid_a2", "2-101", "75", 2),
    ("grid_a2", "2-201", "88.80", 3),
    ("grid_a2", "2-301", "59.99", 0),
)
HUNDREDTHS = {label: int(Decimal(area) * 100) for _grid, label, area, _owner in REGISTER}


@attrs.define
class Ballot:
    mask: int
    receipt: str
    digest: str
    paper: bool


@attrs.define
class V:
    """The model of one vote: its settings, its roll (voter key → headcount, area in
    hundredths of a m²), each voter's current ballot and the receipts their changes replaced."""

    id: int
    electorate: str
    kind: str
    options: tuple[str, ...]
    most: int
    rule: str
    matter: int | None
    secret: bool
    changeable: bool
    roll: dict[str, tuple[int, int]]
    state: str = "open"
    ballots: dict[str, Ballot] = attrs.Factory(dict)
    replaced: list[str] = attrs.Factory(list)
    checked: bool = False

    def label(self) -> str:
        return (
            f"{self.electorate}/{self.kind}/{self.rule}/{self.matter}/"
            f"{'secret' if self.secret else 'open'}/{'changeable' if self.changeable else 'fixed'}"
        )


def mask_of(vote: V, choices: object) -> int | None:
    """The choices as one bit per option, or ``None`` when the service must refuse them."""
    if not isinstance(choices, list) or not 1 <= len(choices) <= vote.most:
        return None
    mask = 0
    for choice in choices:
        label = ALIASES.get(choice, choice) if vote.kind == "yes_no" else choice
        if label not in vote.options or mask & (1 << vote.options.index(label)):
            return None
        mask |= 1 << vote.options.index(label)
    return mask


def choice_lists(vote: V) -> list[object]:
    """Choices to try on ``vote``: valid ones (twice, to be drawn more often) and refused ones
    (none, too many, unknown, twice the same, a bare string)."""
    if vote.kind == "yes_no":
        valid: list[object] = [[c] for c in (*YES_NO, *ALIASES)]
        refused: list[object] = [[], ["yes", "no"], ["maybe"], ["同意", "同意"], "yes"]
    elif vote.kind == "one_of":
        valid = [[c] for c in LETTERS]
        refused = [[], ["甲", "乙"], ["丁"], ["yes"], "甲"]
    else:
        valid = [[c] for c in LETTERS] + [["甲", "乙"], ["丙", "甲"], ["乙", "丙"]]
        refused = [[], list(LETTERS), ["甲", "甲"], ["丁"], "甲"]
    return valid + valid + refused


def tally(vote: V) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """(headcount, area) of those who voted, and of each option's supporters."""
    cast = [vote.roll[key] for key in vote.ballots]
    per = [
        [vote.roll[key] for key, b in vote.ballots.items() if b.mask & (1 << i)]
        for i in range(len(vote.options))
    ]
    total = (sum(h for h, _ in cast), sum(a for _, a in cast))
    return total, [(sum(h for h, _ in p), sum(a for _, a in p)) for p in per]


def expected_outcome(vote: V) -> tuple[str, list[str], dict[str, bool]]:
    """The rule computed here, apart from the service: (outcome, carried labels, quorum)."""
    (cast_h, cast_a), per = tally(vote)
    eligible = [0] if vote.kind == "yes_no" else list(range(len(vote.options)))
    if vote.rule == "simple_majority":
        n = len(vote.ballots)
        carried = [i for i in eligible if n and Fraction(per[i][0], n) > Fraction(1, 2)]
        quorum = {"headcount": True}
    else:
        assert vote.rule == "civil_code_278"
        roll_h = sum(h for h, _ in vote.roll.values())
        roll_a = sum(a for _, a in vote.roll.values())
        quorum = {
            "area": Fraction(cast_a, roll_a) >= Fraction(2, 3),
            "headcount": Fraction(cast_h, roll_h) >= Fraction(2, 3),
        }
        if not all(quorum.values()):
            return "no_quorum", [], quorum

        def meets(part: int, whole: int) -> bool:
            if whole == 0:
                return False
            if vote.matter == 6:  # raising maintenance funds: three quarters at least
                return Fraction(part, whole) >= Fraction(3, 4)
            return Fraction(part, whole) > Fraction(1, 2)  # matter 1: more than half

        carried = [i for i in eligible if meets(per[i][1], cast_a) and meets(per[i][0], cast_h)]
    labels = [vote.options[i] for i in carried]
    return ("carried" if carried else "rejected"), labels, quorum


def state_of(cg: commgov.Commgov) -> dict[str, Any]:
    """The core tables' row counts and every row of the vote tables."""
    found: dict[str, Any] = dict(row_counts(cg))
    with cg.context.uow(readonly=True) as uow:
        for table in (votes, vote_roll, vote_turnout, vote_ballots, dwellings):
            rows = [tuple(map(repr, r)) for r in uow.conn.execute(select(table))]
            found[table.name] = sorted(rows)
    return found


class VoteMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.cg = commgov.open("sqlite:///:memory:", discover_plugins=False, clock=lambda: NOW)
        self.town = build_town(self.cg)
        self.admin = self.town.admin
        self.homes = [
            self.town.household(
                getattr(self.town, grid),
                {"name": f"住户{i}", "birth_date": "1970-01-01", "sex": "M"},
            )
            for i, grid in enumerate(HOMES)
        ]
        self.keys = [f"household:{h.id}" for h in self.homes]
        # Each household's resident, then someone on no roll at all (the system administrator).
        self.voters: list[tuple[commgov.Actor, str | None]] = [
            (commgov.Actor.resident(f"住户{i}", h.id), key)
            for i, (h, key) in enumerate(zip(self.homes, self.keys, strict=True))
        ] + [(self.admin, None)]
        for grid in ("grid_a1", "grid_a2"):
            entries = [
                DwellingEntry(label, area, self.homes[owner].id)
                for g, label, area, owner in REGISTER
                if g == grid
            ]
            total = sum(Decimal(str(e.area)) for e in entries)
            self.cg.votes.register_dwellings(
                self.admin, unit=getattr(self.town, grid), dwellings=entries, total_area=total
            )
        self.votes: list[V] = []

    def teardown(self) -> None:
        """Close what is still open and check its count too, unless a step failed already
        (then that failure is the one to report)."""
        try:
            if sys.exc_info()[0] is None:
                for vote in self.votes:
                    if vote.state == "open":
                        self.cg.votes.close(self.admin, vote.id)
                        vote.state = "closed"
                self.a_closed_vote_counts_as_the_model()
        finally:
            self.cg.close()

    @initialize(
        households=st.tuples(
            st.sampled_from(["yes_no", "one_of", "several_of"]), st.booleans(), st.booleans()
        ),
        owners=st.tuples(st.sampled_from([1, 6]), st.booleans(), st.booleans()),
    )
    def open_votes(
        self, households: tuple[str, bool, bool], owners: tuple[int, bool, bool]
    ) -> None:
        """A households vote (kind, secret, changeable) under simple majority and an owners'
        vote (matter 1 or 6, secret, changeable) under Civil Code art. 278, both in
        community A."""
        kind, secret, changeable = households
        options = None if kind == "yes_no" else list(LETTERS)
        most = 2 if kind == "several_of" else None
        view = self.cg.votes.open(
            self.admin, question="小区是否增设充电桩？", electorate="households",
            unit=self.town.community_a, kind=kind, options=options, max_choices=most,
            secret=secret, changeable=changeable,
        )  # fmt: skip
        roll = {key: (1, 0) for key in self.keys[:5]}  # everyone but community B's household
        assert view.roll_headcount == len(roll)
        self.votes.append(
            V(view.id, "households", kind, YES_NO if kind == "yes_no" else LETTERS,
              most or 1, "simple_majority", None, secret, changeable, roll)
        )  # fmt: skip
        matter, secret, changeable = owners
        view = self.cg.votes.open(
            self.admin, question="筹集维修资金？", electorate="owners",
            unit=self.town.community_a, rule="civil_code_278", matter=matter,
            secret=secret, changeable=changeable,
        )  # fmt: skip
        owned = {
            self.keys[i]: (1, sum(HUNDREDTHS[label] for *_, label, _a, o in REGISTER if o == i))
            for i in sorted({owner for *_, owner in REGISTER})
        }
        assert (view.roll_headcount, view.roll_area) == (
            len(owned),
            Decimal(sum(a for _, a in owned.values())) / 100,
        )
        self.votes.append(
            V(view.id, "owners", "yes_no", YES_NO, 1, "civil_code_278", matter,
              secret, changeable, owned)
        )  # fmt: skip

    # -- helpers ---------------------------------------------------------------------------
    def expect(self, error: type[Exception] | None, call: Callable[[], Any]) -> Any:
        """Run ``call``: it returns when ``error`` is None, otherwise it raises exactly
        ``error`` and leaves every table as it was."""
        if error is None:
            return call()
        before = state_of(self.cg)
        try:
            call()
        except commgov.CommgovError as exc:
            assert type(exc) is error, f"expected {error.__name__}, got {exc!r}"
        else:
            raise AssertionError(f"expected {error.__name__}")
        assert state_of(self.cg) == before, "a refused call changed the store"
        return None

    # -- casting ---------------------------------------------------------------------------
    def try_cast(self, vote: V, voter: int, choices: object, replaces: str | None) -> None:
        """Cast online as ``self.voters[voter]``, expecting what the model says."""
        actor, key = self.voters[voter]
        held = vote.ballots.get(key) if key is not None else None
        mask = mask_of(vote, choices)
        error: type[Exception] | None = None
        if vote.state != "open":
            error = commgov.StateError
        elif key is None or key not in vote.roll:
            error = commgov.PermissionDenied
        elif mask is None:
            error = commgov.ValidationError
        elif held is None and replaces is not None:
            error = commgov.ValidationError  # nothing of theirs to replace
        elif held is not None:
            if not vote.changeable or held.paper:
                error = commgov.ConflictError  # a fixed vote, or a paper ballot: not changed
            elif vote.secret and replaces is None:
                error = commgov.ConflictError  # a secret ballot is changed by its receipt
            elif vote.secret and replaces != held.receipt:
                error = commgov.ValidationError  # another voter's receipt, an old one, none
        event(f"cast: {'ok' if error is None else error.__name__}")
        found = self.expect(
            error,
            lambda: self.cg.votes.cast(actor, vote.id, choices=choices, replaces=replaces),
        )
        if found is None:
            return
        assert key is not None and mask is not None
        assert (found.vote_id, found.paper, found.changed) == (vote.id, False, held is not None)
        if held is not None:
            vote.replaced.append(held.receipt)
        vote.ballots[key] = Ballot(mask, found.receipt, found.digest, paper=False)

    def try_paper(self, vote: V, key: str, choices: object) -> None:
        """Enter a paper ballot for ``key`` as staff, expecting what the model says."""
        mask = mask_of(vote, choices)
        error: type[Exception] | None = None
        if vote.state != "open":
            error = commgov.StateError
        elif key not in vote.roll:
            error = commgov.ValidationError  # the voter field names nobody on the roll
        elif mask is None:
            error = commgov.ValidationError
        elif key in vote.ballots:
            error = commgov.ConflictError  # a paper ballot is never a change
        event(f"paper: {'ok' if error is None else error.__name__}")
        found = self.expect(
            error,
            lambda: self.cg.votes.cast_paper(self.admin, vote.id, voter=key, choices=choices),
        )
        if found is not None:
            assert mask is not None and (found.paper, found.changed) == (True, False)
            vote.ballots[key] = Ballot(mask, found.receipt, found.digest, paper=True)

    @rule(
        data=st.data(),
        voter=st.integers(0, len(HOMES)),
        receipt=st.sampled_from(["none", "none", "own", "own", "replaced", "theirs", "unknown"]),
    )
    def cast(self, data: st.DataObject, voter: int, receipt: str) -> None:
        """Anyone, any choices, any receipt: refused or accepted as the model says."""
        vote = data.draw(st.sampled_from(self.votes), label="vote")
        choices = data.draw(st.sampled_from(choice_lists(vote)), label="choices")
        key = self.voters[voter][1]
        held = vote.ballots.get(key) if key is not None else None
        replaces = None
        if receipt == "own" and held is not None:
            replaces = held.receipt
        elif receipt == "replaced" and vote.replaced:
            replaces = vote.replaced[0]  # dropped already: no ballot has it any more
        elif receipt == "theirs" and any(k != key for k in vote.ballots):
            replaces = next(b.receipt for k, b in sorted(vote.ballots.items()) if k != key)
        elif receipt != "none":
            replaces = secrets.token_urlsafe(18)
        self.try_cast(vote, voter, choices, replaces)

    @rule(data=st.data(), voter=st.integers(0, len(HOMES) + 1))
    def cast_paper(self, data: st.DataObject, voter: int) -> None:
        """Staff enter a paper ballot for anyone, with any choices."""
        vote = data.draw(st.sampled_from(self.votes), label="vote")
        choices = data.draw(st.sampled_from(choice_lists(vote)), label="choices")
        key = self.keys[voter] if voter < len(HOMES) else "household:999999"
        self.try_paper(vote, key, choices)

    @precondition(lambda self: any(v.state == "open" for v in self.votes))
    @rule(data=st.data())
    def turn_out(self, data: st.DataObject) -> None:
        """The voters on the roll who have not voted yet turn out, most of them: online or on
        paper, with valid choices leaning to yes (so that votes also reach a quorum and
        carry)."""
        vote = data.draw(st.sampled_from([v for v in self.votes if v.state == "open"]))
        waiting = [i for i, k in enumerate(self.keys) if k in vote.roll and k not in vote.ballots]
        valid = [c for c in choice_lists(vote) if mask_of(vote, c) is not None]
        leaning = [["yes"]] * 4 if vote.kind == "yes_no" else [["甲"]] * 2
        for voter in waiting:
            how = data.draw(st.sampled_from(["online", "online", "paper", "home"]), label="how")
            choices = data.draw(st.sampled_from(leaning + valid), label="choices")
            if how == "paper":
                self.try_paper(vote, self.keys[voter], choices)
            elif how == "online":
                self.try_cast(vote, voter, choices, None)

    @precondition(lambda self: any(v.state == "open" and v.ballots for v in self.votes))
    @rule(data=st.data())
    def change(self, data: st.DataObject) -> None:
        """A voter who has voted casts again with valid choices, with their receipt where the
        ballot is secret: a change where the vote lets them, unless the ballot is on paper."""
        vote = data.draw(
            st.sampled_from([v for v in self.votes if v.state == "open" and v.ballots])
        )
        key = data.draw(st.sampled_from(sorted(vote.ballots)), label="voter")
        valid = [c for c in choice_lists(vote) if mask_of(vote, c) is not None]
        choices = data.draw(st.sampled_from(valid), label="choices")
        replaces = vote.ballots[key].receipt if vote.secret else None
        self.try_cast(vote, self.keys.index(key), choices, replaces)

    # -- closing ---------------------------------------------------------------------------
    @rule(data=st.data(), now=st.integers(0, 2))
    def close(self, data: st.DataObject, now: int) -> None:
        """Close a vote, once in three tries (so that votes stay open for a while)."""
        if now:
            return
        vote = data.draw(st.sampled_from(self.votes), label="vote")
        error = None if vote.state == "open" else commgov.StateError
        found = self.expect(error, lambda: self.cg.votes.close(self.admin, vote.id))
        if found is not None:
            vote.state = "closed"
            assert found == self.cg.votes.result(self.admin, vote.id)

    @rule(data=st.data(), now=st.integers(0, 7))
    def cancel(self, data: st.DataObject, now: int) -> None:
        """Cancel a vote, once in eight tries."""
        if now:
            return
        vote = data.draw(st.sampled_from(self.votes), label="vote")
        error = None if vote.state == "open" else commgov.StateError
        found = self.expect(
            error, lambda: self.cg.votes.cancel(self.admin, vote.id, reason="议题撤回")
        )
        if found is not None:
            assert (found.state, found.cancel_reason) == ("cancelled", "议题撤回")
            vote.state = "cancelled"

    # -- reading ---------------------------------------------------------------------------
    @precondition(lambda self: any(v.state != "closed" for v in self.votes))
    @rule(data=st.data(), voter=st.integers(0, len(HOMES)))
    def peek(self, data: st.DataObject, voter: int) -> None:
        """Nothing is counted, recounted or verified before close, for staff or voter."""
        vote = data.draw(st.sampled_from([v for v in self.votes if v.state != "closed"]))
        actor, key = self.voters[voter]
        if key is not None and key not in vote.roll:
            actor = self.admin  # someone off the roll is refused for that reason first
        receipt = next(iter(vote.ballots.values())).receipt if vote.ballots else "a" * 24
        for call in (
            lambda: self.cg.votes.result(actor, vote.id),
            lambda: self.cg.votes.recount(self.admin, vote.id),  # a recount is for staff
            lambda: self.cg.votes.verify(actor, vote.id, receipt=receipt),
        ):
            self.expect(commgov.StateError, call)

    @rule(data=st.data(), voter=st.integers(0, len(HOMES) - 1))
    def my_ballot(self, data: st.DataObject, voter: int) -> None:
        vote = data.draw(st.sampled_from(self.votes), label="vote")
        actor, key = self.voters[voter]
        assert key is not None
        if key not in vote.roll:
            self.expect(commgov.PermissionDenied, lambda: self.cg.votes.my_ballot(actor, vote.id))
        elif vote.secret:
            self.expect(commgov.StateError, lambda: self.cg.votes.my_ballot(actor, vote.id))
        else:
            held = vote.ballots.get(key)
            wanted = None if held is None else labels(vote, held.mask)
            assert self.cg.votes.my_ballot(actor, vote.id) == wanted

    # -- agreement -------------------------------------------------------------------------
    @invariant()
    def turnout_is_the_models(self) -> None:
        with self.cg.context.uow(readonly=True) as uow:
            turnout = list(uow.conn.execute(select(vote_turnout)))
            ballots = list(uow.conn.execute(select(vote_ballots)))
            states = {r.id: r.state for r in uow.conn.execute(select(votes.c.id, votes.c.state))}
        for vote in self.votes:
            assert states[vote.id] == vote.state, vote.label()
            voted = sorted(r.voter_key for r in turnout if r.vote_id == vote.id)
            assert voted == sorted(vote.ballots), vote.label()
            assert [r.paper for r in sorted(turnout, key=lambda r: r.voter_key)
                    if r.vote_id == vote.id] == [vote.ballots[k].paper for k in voted]  # fmt: skip
            assert self.cg.votes.turnout(self.admin, vote.id).voted == len(vote.ballots)
            mine = [r for r in ballots if r.vote_id == vote.id]
            assert len(mine) == len(vote.ballots), vote.label()
            if vote.secret:
                assert all(r.voter_key is None for r in mine), "a secret ballot names its voter"
            else:
                assert {r.voter_key: r.choices for r in mine} == {
                    k: b.mask for k, b in vote.ballots.items()
                }

    @invariant()
    def a_closed_vote_counts_as_the_model(self) -> None:
        for vote in self.votes:
            if vote.state == "closed" and not vote.checked:
                self.check_result(vote)
                vote.checked = True
            elif vote.state == "cancelled" and not vote.checked:
                self.expect(commgov.StateError, partial(self.cg.votes.result, self.admin, vote.id))
                vote.checked = True

    def check_result(self, vote: V) -> None:
        result = self.cg.votes.result(self.admin, vote.id)
        event(f"closed: {vote.electorate} {vote.matter or ''} {result.outcome}")
        changes = "with changes" if vote.replaced else "no changes"
        event(f"closed: {changes}, {'with' if result.paper_ballots else 'no'} paper")
        (cast_h, cast_a), per = tally(vote)
        roll_h = sum(h for h, _ in vote.roll.values())
        roll_a = sum(a for _, a in vote.roll.values())
        assert (result.roll_headcount, result.roll_area) == (roll_h, Decimal(roll_a) / 100)
        assert (result.cast_headcount, result.cast_area) == (cast_h, Decimal(cast_a) / 100)
        assert result.ballots == len(vote.ballots)
        assert result.paper_ballots == sum(b.paper for b in vote.ballots.values())
        assert [(o.label, o.headcount, o.area) for o in result.options] == [
            (label, h, Decimal(a) / 100) for label, (h, a) in zip(vote.options, per, strict=True)
        ], vote.label()
        outcome, carried, quorum = expected_outcome(vote)
        assert (result.outcome, result.carried, result.quorum) == (outcome, carried, quorum), (
            vote.label()
        )
        assert [o.label for o in result.options if o.carried] == carried
        recount = self.cg.votes.recount(self.admin, vote.id)
        assert recount.matches and recount.ballots == len(vote.ballots)
        assert recount.options == result.options
        current = [b.digest for b in vote.ballots.values()]
        assert len(result.digests) == len(vote.ballots) == len(set(current))
        assert sorted(result.digests) == sorted(current)
        for key, ballot in vote.ballots.items():
            voter = self.voters[self.keys.index(key)][0]
            assert self.cg.votes.verify(voter, vote.id, receipt=ballot.receipt) is True
        for receipt in vote.replaced:
            assert self.cg.votes.verify(self.admin, vote.id, receipt=receipt) is False
        if vote.secret:
            assert result.choices is None
        else:
            assert result.choices is not None
            assert sorted((c.choices, c.paper) for c in result.choices) == sorted(
                (labels(vote, b.mask), b.paper) for b in vote.ballots.values()
            )


def labels(vote: V, mask: int) -> list[str]:
    return [label for i, label in enumerate(vote.options) if mask & (1 << i)]


TestVoteMachine = VoteMachine.TestCase
TestVoteMachine.settings = settings(
    max_examples=30,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
