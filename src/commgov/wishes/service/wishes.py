"""``cg.wishes``."""

from __future__ import annotations

from commgov.kernel.context import Context


class WishService:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
