"""On PostgreSQL: sixteen threads cast 5,000 ballots among 4,000 households, a thousand of them
twice at the same moment from two threads; then casts race a close. One ballot per voter holds
by the store's keys, every loser is told ``ConflictError`` and every late caster
``StateError``, and what was counted is exactly what the winners were given receipts for."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.conftest import NOW, SECRET, Town, build_town

import commgov
from commgov.kernel.tables import audit_log
from commgov.votes.tables import vote_ballots, vote_turnout
from commgov.votes.views import BallotReceipt, ResultView

pytestmark = pytest.mark.postgres
THREADS = 16
VOTERS = 4000
PAIRS = 1000  # voters who cast from two threads at once: 3,000 + 2 × 1,000 = 5,000 attempts
CHOICES = ("yes", "no", "abstain")
LABELS = {"yes": "同意", "no": "不同意", "abstain": "弃权"}


def households(town: Town, count: int) -> list[int]:
    """``count`` households of one resident each in community A, imported in one go."""
    rows = [
        {"unit": (town.grid_a1, town.grid_a2)[i % 2], "address": f"幸福路{i}号",
         "name": f"住户{i}", "birth_date": "1970-01-01", "sex": "男"}
        for i in range(count)
    ]  # fmt: skip
    report = town.cg.imports.import_rows(town.admin, rows, source="households.csv")
    assert (report.households, report.residents) == (count, count)
    found = [h.id for h in town.cg.residents.households_under(town.admin, town.community_a)]
    assert len(found) == count
    return found


def voter(household_id: int) -> commgov.Actor:
    return commgov.Actor.resident(f"户{household_id}", household_id)


def rounds(rng: random.Random, singles: list[int], pairs: list[int]) -> list[list[int]]:
    """Slots of ``THREADS`` per round, thread ``t`` casting for the voter in slot ``t``: each
    single voter once, each paired voter in two slots of the same round (two threads)."""
    units = [[h] for h in singles] + [[h, h] for h in pairs]
    rng.shuffle(units)
    found: list[list[int]] = [[]]
    for unit in units:
        if len(found[-1]) + len(unit) > THREADS:
            found.append([])
        found[-1].extend(unit)
    for slots in found:
        rng.shuffle(slots)
    return found


def in_threads(count: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(0)`` … ``work(count - 1)`` in threads; what escaped them."""
    escaped: list[BaseException] = []

    def run(index: int) -> None:
        try:
            work(index)
        except BaseException as exc:
            escaped.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return escaped


def test_sixteen_threads_cast_5000_ballots_and_every_duplicate_loses(pg_url: str) -> None:
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW) as cg:
        town = build_town(cg)
        admin = town.admin
        homes = households(town, VOTERS)
        vote = cg.votes.open(
            admin, question="是否同意增设电梯？", electorate="households",
            unit=town.community_a, secret=True,
        )  # fmt: skip
        assert vote.roll_headcount == VOTERS
        rng = random.Random(20250630)
        pairs = rng.sample(homes, PAIRS)
        paired = set(pairs)
        singles = [h for h in homes if h not in paired]
        schedule = rounds(rng, singles, pairs)
        assert sum(len(slots) for slots in schedule) == VOTERS + PAIRS
        wants = {h: rng.choice(CHOICES) for h in homes}
        barrier = threading.Barrier(THREADS, timeout=120)
        lock = threading.Lock()
        outcomes: list[tuple[int, str, BallotReceipt | BaseException]] = []

        def work(thread: int) -> None:
            for slots in schedule:
                barrier.wait()  # both casts of a pair start together
                if thread >= len(slots):
                    continue
                home = slots[thread]
                # The two casts of a pair choose differently: the count tells whose was kept.
                choice = wants[home]
                if home in paired and slots.index(home) != thread:
                    choice = CHOICES[(CHOICES.index(choice) + 1) % len(CHOICES)]
                try:
                    got: BallotReceipt | BaseException = cg.votes.cast(
                        voter(home), vote.id, choices=[choice]
                    )
                except BaseException as exc:
                    got = exc
                with lock:
                    outcomes.append((home, choice, got))

        assert in_threads(THREADS, work) == []
        assert len(outcomes) == VOTERS + PAIRS
        won = {h: (c, r) for h, c, r in outcomes if isinstance(r, BallotReceipt)}
        lost = [(h, r) for h, _c, r in outcomes if not isinstance(r, BallotReceipt)]
        assert {type(r) for _h, r in lost} <= {commgov.ConflictError}, Counter(
            type(r).__name__ for _h, r in lost
        )
        assert sorted(h for h, _r in lost) == sorted(pairs)  # one loser in every pair
        assert len(won) == VOTERS  # and everybody else won, once
        assert not any(r.changed or r.paper for _c, r in won.values())

        with cg.context.uow(readonly=True) as uow:
            conn = uow.conn
            per_voter = Counter(
                conn.execute(
                    select(vote_turnout.c.voter_key).where(vote_turnout.c.vote_id == vote.id)
                ).scalars()
            )
            stored = conn.execute(
                select(func.count(), func.count(vote_ballots.c.voter_key)).where(
                    vote_ballots.c.vote_id == vote.id
                )
            ).one()
            casts = conn.execute(
                select(func.count()).where(
                    audit_log.c.action == "vote.cast", audit_log.c.entity_id == str(vote.id)
                )
            ).scalar_one()
        assert max(per_voter.values()) == 1
        assert set(per_voter) == {f"household:{h}" for h in won}
        assert tuple(stored) == (len(won), 0)  # a ballot each, none naming its voter
        assert casts == len(won)  # a refused cast left no audit entry behind

        result = cg.votes.close(admin, vote.id)
        assert result.ballots == result.cast_headcount == len(won)
        tally = Counter(LABELS[c] for c, _r in won.values())
        assert {o.label: o.headcount for o in result.options} == {
            label: tally[label] for label in LABELS.values()
        }
        recount = cg.votes.recount(admin, vote.id)
        assert recount.matches and recount.ballots == len(won)
        assert sql_recount(cg, vote.id, len(result.options)) == [
            o.headcount for o in result.options
        ]
        digests = set(result.digests)
        assert len(result.digests) == len(digests) == len(won)
        assert digests == {r.digest for _c, r in won.values()}
        receipts = sorted(won.items())
        verified: list[tuple[int, bool]] = []

        def check(thread: int) -> None:
            for home, (_choice, receipt) in receipts[thread::THREADS]:
                seen = cg.votes.verify(voter(home), vote.id, receipt=receipt.receipt)
                with lock:
                    verified.append((home, seen))

        assert in_threads(THREADS, check) == []
        assert len(verified) == len(won) and all(seen for _h, seen in verified)


def sql_recount(cg: commgov.Commgov, vote_id: int, options: int) -> list[int]:
    """Each option's headcount, summed by plain SQL over the ballots' choice bits."""
    b = vote_ballots.c
    columns: list[Any] = [
        func.coalesce(func.sum(b.headcount).filter(b.choices.op("&")(1 << i) != 0), 0)
        for i in range(options)
    ]
    with cg.context.uow(readonly=True) as uow:
        row = uow.conn.execute(select(*columns).where(b.vote_id == vote_id)).one()
    return [int(v) for v in row]


CLOSE_VOTERS = 1200
CASTERS = 15
AFTER = 20  # each caster's last voters cast only once the close has returned
CLOSE_AT = 300  # successful casts before the close starts


def test_casts_racing_a_close_are_counted_or_refused(pg_url: str) -> None:
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW) as cg:
        town = build_town(cg)
        admin = town.admin
        homes = households(town, CLOSE_VOTERS)
        vote = cg.votes.open(
            admin, question="是否更换物业公司？", electorate="households",
            unit=town.community_a, secret=False,
        )  # fmt: skip
        rng = random.Random(7)
        rng.shuffle(homes)
        wants = {h: rng.choice(CHOICES) for h in homes}
        share = len(homes) // CASTERS
        lists = [homes[i * share : (i + 1) * share] for i in range(CASTERS)]
        enough, closed = threading.Event(), threading.Event()
        lock = threading.Lock()
        outcomes: list[tuple[int, bool, BallotReceipt | BaseException]] = []
        results: list[ResultView] = []

        def cast(home: int) -> None:
            late = closed.is_set()  # started once the close had returned
            try:
                got: BallotReceipt | BaseException = cg.votes.cast(
                    voter(home), vote.id, choices=[wants[home]]
                )
            except BaseException as exc:
                got = exc
            with lock:
                outcomes.append((home, late, got))
                if sum(isinstance(o[2], BallotReceipt) for o in outcomes) >= CLOSE_AT:
                    enough.set()

        def work(index: int) -> None:
            if index == CASTERS:  # the closer
                assert enough.wait(timeout=120), "the casters never got going"
                results.append(cg.votes.close(admin, vote.id))
                closed.set()
                return
            mine = lists[index]
            for home in mine[:-AFTER]:
                cast(home)
            assert closed.wait(timeout=120), "the vote never closed"
            for home in mine[-AFTER:]:
                cast(home)

        assert in_threads(CASTERS + 1, work) == []
        (result,) = results
        won = {h: r for h, _late, r in outcomes if isinstance(r, BallotReceipt)}
        refused = [(h, late, r) for h, late, r in outcomes if not isinstance(r, BallotReceipt)]
        assert {type(r) for _h, _l, r in refused} <= {commgov.StateError}
        late = [h for h, was_late, _r in outcomes if was_late]
        assert len(late) >= CASTERS * AFTER
        assert not set(late) & set(won), "a cast begun after the close took a ballot"
        assert len(won) >= CLOSE_AT
        assert len(won) + len(refused) == len(outcomes) == share * CASTERS
        # Every cast that was given a receipt is counted, and nothing else is.
        assert result.ballots == len(won)
        assert set(result.digests) == {r.digest for r in won.values()}
        assert result.choices is not None and len(result.choices) == len(won)
        with cg.context.uow(readonly=True) as uow:
            turnout = set(
                uow.conn.execute(
                    select(vote_turnout.c.voter_key).where(vote_turnout.c.vote_id == vote.id)
                ).scalars()
            )
            ballots = list(
                uow.conn.execute(
                    select(vote_ballots.c.voter_key).where(vote_ballots.c.vote_id == vote.id)
                ).scalars()
            )
        assert turnout == set(ballots) == {f"household:{h}" for h in won}
        assert len(ballots) == result.ballots
        assert cg.votes.recount(admin, vote.id).matches
        assert cg.votes.turnout(admin, vote.id).voted == result.ballots
