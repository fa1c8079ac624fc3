"""``cg.opinions``."""

from __future__ import annotations

from commgov.kernel.context import Context


class OpinionService:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
