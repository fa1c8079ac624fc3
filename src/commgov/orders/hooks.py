"""Service-order hooks: the catalogue of the services a unit offers.

``commgov_service_catalogue`` is a rule hook called on every plugin that applies to the unit
(the core defaults last); the answers are merged by item code, a town plugin's item replacing
the core's item of the same code."""

from __future__ import annotations

from commgov.kernel.markers import hookspec
from commgov.orders.model.rules import ServiceItem


@hookspec
def commgov_service_catalogue() -> list[ServiceItem]:  # type: ignore[empty-body]
    """The services this plugin's towns offer (each item's code unique in the catalogue)."""
