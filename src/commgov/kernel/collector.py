"""Python's cyclic garbage collector paused while a large batch runs.

A batch of a thousand transfers or cases builds tens of thousands of small objects that all
live until it ends, and none of them refer to one another in a cycle: reference counting frees
them. The cyclic collector meanwhile runs every 700 new objects and scans them each time, and
every few batches scans the whole heap (tens of milliseconds in a process that has loaded the
library, its API and its drivers). Pausing it for the batch measured 10–15 % off a batch of
1,000 transfers on PostgreSQL (``benchmarks/ledger.py``).

The pause is taken by one batch at a time (another thread's batch, meanwhile, runs with the
collector as it is), lasts until that batch ends and only if the collector was on: an
application that turned it off keeps it off. Allocations counted meanwhile start the next
collection as soon as the pause ends, so garbage from other threads waits one batch at most."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pause:
    """Who holds the pause: at most one block at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held = False

    def take(self) -> bool:
        """Pause the collector unless it is paused or off; whether this call paused it."""
        with self.lock:
            if self.held or not gc.isenabled():
                return False
            self.held = True
            gc.disable()
            return True

    def give_back(self) -> None:
        with self.lock:
            gc.enable()
            self.held = False


_PAUSE = _Pause()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, unless another block holds the pause or the
    collector is off."""
    mine = _PAUSE.take()
    try:
        yield
    finally:
        if mine:
            _PAUSE.give_back()


__all__ = ["collector_paused"]
