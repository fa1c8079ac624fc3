"""The core's answer to the integration hooks: events are logged, nothing more."""

from __future__ import annotations

import logging

from commgov.kernel.markers import hookimpl
from commgov.kernel.outbox import StoredEvent

NAME = "commgov.integration_defaults"
log = logging.getLogger("commgov.events")


@hookimpl(trylast=True)
def commgov_event(event: StoredEvent) -> None:
    log.debug("event %s %s %s", event.id, event.kind, event.aggregate)
