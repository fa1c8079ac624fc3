"""Independent random streams, one per process name, all derived from one seed.

A stream is keyed by a stable hash of the process's name, not by the order processes were
added, so adding a process never shifts the numbers another process draws.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """``streams("report")`` is the same generator for the whole run of one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._streams: dict[str, np.random.Generator] = {}

    def __call__(self, name: str) -> np.random.Generator:
        stream = self._streams.get(name)
        if stream is None:
            sequence = np.random.SeedSequence(self.seed, spawn_key=(stream_key(name),))
            stream = np.random.Generator(np.random.PCG64(sequence))
            self._streams[name] = stream
        return stream
