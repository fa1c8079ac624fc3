"""The season's clock: jobs run in time order with the store's clock at each one's moment,
the time each part of the season takes kept by part."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import time
from collections import defaultdict
from collections.abc import Callable

from commgov.demo.community.plan import SEASON_END, SEASON_START
from commgov.demo.participation.cast import Cast
from commgov.demo.participation.timeline import set_clock
from commgov.facade import Commgov
from commgov.people.service.importing import Progress

PHASE = "community"
"""The progress bar's name: days of the season played."""


class Timeline:
    """Jobs by the moment they happen, each under a part of the season (``resources``,
    ``organisations``, ``activities``); each runs with the store's clock at its moment and may
    schedule more, never before that moment (the clock does not go back). Jobs after
    ``until`` are left undone (the season is over)."""

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
        days = (SEASON_END - SEASON_START).days + 1
        last: dt.datetime | None = None
        while self._jobs and self._jobs[0][0] < until:
            moment, _, part, job = heapq.heappop(self._jobs)
            assert last is None or moment >= last, f"a job at {moment} was scheduled after it"
            set_clock(self._cg, moment)
            last = moment
            started = time.perf_counter()
            job()
            self.seconds[part] += time.perf_counter() - started
            done = (self._cast.day(moment) - SEASON_START).days + 1
            self._report(PHASE, min(max(done, 0), days), days)
        self._jobs.clear()
        self._report(PHASE, days, days)


def season_end(cast: Cast) -> dt.datetime:
    return cast.moment(SEASON_END + dt.timedelta(days=1), 0)


def between(now: dt.datetime, then: dt.datetime, share: float) -> dt.datetime:
    """The moment ``share`` (0 to 1) of the way from ``now`` to ``then``."""
    return now + (then - now) * share
