"""The engine: a model steps through days, calling its processes in order, then collects.

Processes are methods named in ``processes``; each draws from its own random stream
(``self.rng("name")``). Events can be scheduled at a time within a day (``at`` is a day number
plus a fraction): they run after the day's processes, in time order, before collection.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Any, ClassVar, Self

import numpy as np

from commgov.errors import ValidationError
from commgov.sim.collector import DataCollector
from commgov.sim.streams import Streams

Event = Callable[["Model"], None]


class Model:
    """Subclass it: set ``processes`` and implement each as a method working on arrays."""

    processes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.day = 0
        self.rng = Streams(seed)
        self.collector: DataCollector[Self] = DataCollector()
        self._events: list[tuple[float, int, Event]] = []
        self._order = itertools.count()

    def schedule(self, at: float, event: Event) -> None:
        """Run ``event(model)`` at day ``at`` (e.g. ``3.75`` is 18:00 on day 3)."""
        if at < self.day:
            raise ValidationError("at", at, f"day {self.day} has begun; events cannot go back")
        heapq.heappush(self._events, (at, next(self._order), event))

    def step(self: Self) -> None:
        for name in self.processes:
            getattr(self, name)()
        while self._events and self._events[0][0] < self.day + 1:
            _, _, event = heapq.heappop(self._events)
            event(self)
        self.collector.collect(self)
        self.day += 1

    def run(self, days: int, *, progress: Callable[[int, int], None] | None = None) -> Self:
        for done in range(days):
            self.step()
            if progress is not None:
                progress(done + 1, days)
        return self

    def bincount(self, index: np.ndarray, size: int, weights: Any = None) -> np.ndarray:
        """Counts (or sums of ``weights``) per index value, always of length ``size``."""
        return np.bincount(index, weights=weights, minlength=size)[:size]
