"""The longest text each order field keeps: declared once, used by the table's columns and by
the checks alike."""

from __future__ import annotations

from typing import Final

ITEM_CODE_MAX: Final = 64
"""A catalogue item's code (``service_orders.item``)."""
ITEM_NAME_MAX: Final = 100
"""A catalogue item's name, kept on the order as it was when ordered."""
FIELD_NAME_MAX: Final = 64
"""The name of a field an item asks for (``purpose``, ``address``)."""
FIELD_VALUE_MAX: Final = 500
"""What a resident fills into one field."""
FIELDS_MAX: Final = 20
"""The most fields one item may ask for (required and optional together)."""
NOTE_MAX: Final = 1000
"""The note given when ordering (it becomes part of the case's text) or assigning."""
PROVIDER_MAX: Final = 100
"""A provider's reference: a department code, a staff id, an organisation's, partner's or
talent's name (``service_orders.provider``)."""
REASON_MAX: Final = 500
"""Why a provider declined (kept in the order's declines) or an order was cancelled."""
STEP_MAX: Final = 16
"""An order's step (``service_orders.step``)."""
