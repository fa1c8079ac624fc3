"""Integration hooks: a plugin that forwards the store's domain events elsewhere."""

from __future__ import annotations

from commgov.kernel.markers import hookspec
from commgov.kernel.outbox import StoredEvent


@hookspec
def commgov_event(event: StoredEvent) -> None:
    """Forward ``event`` (a domain event from the outbox) somewhere else: a message queue, a
    log, another system. Called by ``commgov events deliver`` on every available plugin that
    implements it, once per event and in order within each aggregate, outside any unit of
    work; raising counts as a failed delivery (tried again with back-off, then
    dead-lettered), exactly as a webhook's."""
