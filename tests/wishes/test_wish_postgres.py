"""On PostgreSQL: sixteen threads propose, accept and fulfil the same wishes at once. No want is
fulfilled twice, no helper is paid twice, no offer is committed beyond its capacity."""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest
from sqlalchemy import select
from tests.conftest import NOW, SECRET, build_town

import commgov
from commgov.kernel.tables import audit_log
from commgov.wishes.tables import wish_matches, wishes

from .helpers import wish_town

pytestmark = pytest.mark.postgres
THREADS = 16


def test_sixteen_threads_match_and_fulfil_the_same_wishes(pg_url: str) -> None:
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW) as cg:
        wt = wish_town(build_town(cg))
        staff = wt.staff_a
        wants = [wt.want(("li", "zhang", "wang")[i % 3]).id for i in range(8)]
        offers = [wt.offer(name, quantity=3).id for name in ("zhang", "wang")]
        barrier = threading.Barrier(THREADS)
        paid: list[tuple[int, int]] = []
        unexpected: list[BaseException] = []
        lock = threading.Lock()

        def work(seed: int) -> None:
            rng = random.Random(seed)
            order = wants[:]
            rng.shuffle(order)
            barrier.wait()
            for want_id in order:
                try:
                    match = wt.wishes.propose(staff, want_id, rng.choice(offers))
                    wt.wishes.accept_match(staff, match.id)
                    done = wt.wishes.fulfil(staff, want_id, rating=5)
                    with lock:
                        paid.extend((p.resident_id, p.points) for p in done.payments)
                except commgov.CommgovError:
                    pass  # lost a race: the state, the capacity or the pair says so
                except BaseException as exc:
                    with lock:
                        unexpected.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert unexpected == []
        with cg.context.uow(readonly=True) as uow:
            rows = {r.id: r for r in uow.conn.execute(select(wishes))}
            matches = list(uow.conn.execute(select(wish_matches)))
            fulfils = Counter(
                r.entity_id
                for r in uow.conn.execute(
                    select(audit_log).where(audit_log.c.action == "wish.fulfil")
                )
            )
        assert fulfils and max(fulfils.values()) == 1  # no want fulfilled twice
        assert {int(i) for i in fulfils} == {i for i in wants if rows[i].state == "fulfilled"}
        for offer_id in offers:
            held = sum(
                m.quantity for m in matches
                if m.offer_id == offer_id and m.state in ("proposed", "accepted", "fulfilled")
            )  # fmt: skip
            assert rows[offer_id].committed == held <= rows[offer_id].quantity
        for want_id in wants:
            covered = sum(
                m.quantity for m in matches
                if m.want_id == want_id and m.state in ("accepted", "fulfilled")
            )  # fmt: skip
            assert rows[want_id].committed == covered <= 1
        per_resident = Counter[int]()
        for resident_id, points in paid:
            per_resident[resident_id] += points
        for name in ("zhang", "wang"):
            assert wt.points(name) == per_resident[wt.rid(name)]  # paid once, as reported
        assert sum(1 for i in wants if rows[i].state == "fulfilled") <= 6  # 2 offers × 3
