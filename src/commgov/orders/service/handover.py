"""Open orders tied to people, handed over or closed when they leave (``OpenWork``)."""

from __future__ import annotations

from typing import Final

from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.handover import Departure, HandedOver
from commgov.kernel.uow import UnitOfWork

NAME: Final = "orders"


class OrderHandOver:
    """The orders' ``OpenWork`` (``commgov.capabilities.OPEN_WORK``)."""

    name = NAME

    def hand_over(
        self, ctx: Context, uow: UnitOfWork, actor: Actor, departure: Departure
    ) -> HandedOver:
        return HandedOver(NAME)
