"""API keys (stored as a public prefix and a SHA-256 digest, never the key itself), webhooks
(their signing secret encrypted with the store's key) and the deliveries of the outbox's events
to each subscriber (a webhook or a plugin's ``commgov_event``)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, LargeBinary, Table

from commgov.integrations.model import (
    ERROR_MAX,
    LABEL_MAX,
    PREFIX_LENGTH,
    SUBSCRIBER_MAX,
    SYSTEM_NAME_MAX,
    URL_MAX,
)
from commgov.kernel.columns import Int, Json, Moment, Str
from commgov.kernel.tables import metadata

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Int, primary_key=True),
    Column("prefix", Str(PREFIX_LENGTH), nullable=False, unique=True),
    Column("digest", Str(64), nullable=False),
    Column("label", Str(LABEL_MAX), nullable=False),
    Column("staff_id", Int, ForeignKey("staff.id"), nullable=True),
    Column("department_id", Int, ForeignKey("departments.id"), nullable=True),
    Column("system", Str(SYSTEM_NAME_MAX), nullable=True),
    Column("resident_id", Int, ForeignKey("residents.id"), nullable=True),
    Column("scopes", Json, nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("created_by", Str(200), nullable=False),
    Column("expires_at", Moment(), nullable=True),
    Column("revoked_at", Moment(), nullable=True),
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Int, primary_key=True),
    Column("url", Str(URL_MAX), nullable=False),
    Column("label", Str(LABEL_MAX), nullable=False),
    Column("secret_cipher", LargeBinary, nullable=False),
    Column("kinds", Json, nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("created_by", Str(200), nullable=False),
    Column("removed_at", Moment(), nullable=True),
)
"""Where events are posted; ``kinds`` lists the kinds or families it takes (empty: all)."""

event_subscribers = Table(
    "event_subscribers",
    metadata,
    Column("name", Str(SUBSCRIBER_MAX), primary_key=True),
    Column("floor", Int, nullable=False),
)
"""Each subscriber (``webhook:3``, ``plugin:forwarder``) and its floor: every event it takes
numbered at or below ``floor`` is delivered or dead, and no event at or below it can still
appear (the deliverer checks that the transactions that could write one have ended)."""

event_deliveries = Table(
    "event_deliveries",
    metadata,
    Column(
        "subscriber", Str(SUBSCRIBER_MAX), ForeignKey("event_subscribers.name"), primary_key=True
    ),
    Column("event_id", Int, primary_key=True),  # an outbox event's id
    Column("state", Str(16), nullable=False),
    Column("attempts", Int, nullable=False),
    Column("next_at", Moment(), nullable=True),
    Column("last_error", Str(ERROR_MAX), nullable=True),
    Column("updated_at", Moment(), nullable=False),
    Index(None, "subscriber", "state"),
)
"""One row per (subscriber, event) tried: ``delivered``, ``failing`` (tried again at
``next_at``) or ``dead`` (dead-lettered after too many failures, until an operator retries)."""

__all__ = ["api_keys", "event_deliveries", "event_subscribers", "webhooks"]
