"""The season's clock: jobs run in time order with the store's clock at each one's moment."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable

from commgov.demo.participation.cast import Cast
from commgov.demo.participation.plan import POSTING_DAYS, SEASON_END, SEASON_START
from commgov.facade import Commgov
from commgov.people.service.importing import Progress


class Timeline:
    """Jobs by the moment they happen; each runs with the store's clock at its moment. A job
    may schedule more; those after ``until`` are left undone (the season is over)."""

    def __init__(self, cg: Commgov, cast: Cast, phase: str, report: Progress) -> None:
        self._cg = cg
        self._cast = cast
        self._phase = phase
        self._report = report
        self._jobs: list[tuple[dt.datetime, int, Callable[[], None]]] = []
        self._order = itertools.count()

    def at(self, moment: dt.datetime, job: Callable[[], None]) -> None:
        heapq.heappush(self._jobs, (moment, next(self._order), job))

    def run(self, until: dt.datetime) -> None:
        days = (SEASON_END - SEASON_START).days + 1
        while self._jobs and self._jobs[0][0] < until:
            moment, _, job = heapq.heappop(self._jobs)
            set_clock(self._cg, moment)
            job()
            done = (self._cast.day(moment) - SEASON_START).days + 1
            self._report(self._phase, min(max(done, 0), days), days)
        self._jobs.clear()
        self._report(self._phase, days, days)


def set_clock(cg: Commgov, moment: dt.datetime) -> None:
    """The store's clock stands at ``moment``."""
    cg.context.clock = lambda: moment


def season_end(cast: Cast) -> dt.datetime:
    return cast.moment(SEASON_END + dt.timedelta(days=1), 0)


def arrivals(cast: Cast, rng: random.Random, count: int) -> list[dt.datetime]:
    """``count`` moments in the posting days, more in the first weeks, 08:00–21:00."""
    days = [int(rng.triangular(0, POSTING_DAYS, 5)) for _ in range(count)]
    return sorted(
        cast.moment(SEASON_START + dt.timedelta(days=d), rng.uniform(8, 21)) for d in days
    )
