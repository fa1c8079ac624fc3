"""Service-order values and pure rules: no SQLAlchemy, no I/O."""

from commgov.orders.model.order import (
    CASE_STATES,
    FINAL,
    OPEN,
    STEP_NAMES,
    STEPS,
    Decline,
    Order,
    OrderAction,
    Step,
)
from commgov.orders.model.rules import (
    DUTIES,
    PROVIDER_KINDS,
    RESIDENTS,
    Duty,
    ProviderKind,
    ServiceItem,
)

__all__ = [
    "CASE_STATES",
    "DUTIES",
    "FINAL",
    "OPEN",
    "PROVIDER_KINDS",
    "RESIDENTS",
    "STEPS",
    "STEP_NAMES",
    "Decline",
    "Duty",
    "Order",
    "OrderAction",
    "ProviderKind",
    "ServiceItem",
    "Step",
]
