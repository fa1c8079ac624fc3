"""The season's clock: jobs run in time order with the store's clock at each one's moment,
the time each part of the season takes kept by part."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
import time
from collections import defaultdict
from collections.abc import Callable

from commgov.demo.deliberation.plan import SEASON_END, SEASON_START
from commgov.demo.participation.cast import Cast
from commgov.demo.participation.timeline import set_clock
from commgov.facade import Commgov
from commgov.people.service.importing import Progress

PHASE = "season"
"""The progress bar's name: days of the season played."""


class Timeline:
    """Jobs by the moment they happen, each under a part of the season (``councils``,
    ``votes``, ``projects``); each runs with the store's clock at its moment and may schedule
    more, never before that moment (the clock does not go back). Jobs after ``until`` are
    left undone (the season is over). Another season subclasses it with its own ``PHASE``
    and days."""

    PHASE = PHASE
    FIRST = SEASON_START
    LAST = SEASON_END

    def __init__(self, cg: Commgov, cast: Cast, report: Progress) -> None:
        self._cg = cg
        self._cast = cast
        self._report = report
        self._jobs: list[tuple[dt.datetime, int, str, Callable[[], None]]] = []
        self._order = itertools.count()
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def at(self, moment: dt.datetime, part: str, job: Callable[[], None]) -> None:
        heapq.heappush(self._jobs, (moment, next(self._order), part, job))

    def run(self, until: dt.datetime) -> None:
        days = (self.LAST - self.FIRST).days + 1
        last: dt.datetime | None = None
        while self._jobs and self._jobs[0][0] < until:
            moment, _, part, job = heapq.heappop(self._jobs)
            assert last is None or moment >= last, f"a job at {moment} was scheduled after it"
            set_clock(self._cg, moment)
            last = moment
            started = time.perf_counter()
            job()
            self.seconds[part] += time.perf_counter() - started
            done = (self._cast.day(moment) - self.FIRST).days + 1
            self._report(self.PHASE, min(max(done, 0), days), days)
        self._jobs.clear()
        self._report(self.PHASE, days, days)


def season_end(cast: Cast) -> dt.datetime:
    return cast.moment(SEASON_END + dt.timedelta(days=1), 0)


def between(
    cast: Cast, rng: random.Random, first: dt.date, last: dt.date, hours: tuple[float, float]
) -> dt.datetime:
    """A moment on a day from ``first`` to ``last`` (both included), at an hour in ``hours``."""
    day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
    return cast.moment(day, rng.uniform(*hours))
