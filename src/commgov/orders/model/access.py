"""The permission actions of service orders (``ctx.authorize``; answered by
``commgov_permission``, the core's answer in ``commgov.orders.defaults``)."""

from __future__ import annotations

from typing import Final

ORDER_PLACE: Final = "order.place"
"""点单: order a service for a household; also cancel it and rate it (评单)."""
ORDER_ASSIGN: Final = "order.assign"
"""派单: give an order to a provider (the community's job)."""
ORDER_HANDLE: Final = "order.handle"
"""接单 and 办理: accept or decline an order, and complete it."""
ORDER_READ: Final = "order.read"
ORDER_ACTIONS: Final = (ORDER_PLACE, ORDER_ASSIGN, ORDER_HANDLE, ORDER_READ)
