"""What callers get back about API keys."""

from __future__ import annotations

import datetime as dt

from commgov.kernel.views import View


class ApiKeyView(View):
    """An API key without its secret: ``holder`` is ``staff:<id>``, ``department:<code>``,
    ``resident:<id>`` or ``system:<name>``; ``prefix`` is the public part shown in listings
    (``cg_<prefix>_…``)."""

    id: int
    prefix: str
    label: str
    holder: str
    scopes: tuple[str, ...]
    created_at: dt.datetime
    created_by: str
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewApiKey(View):
    """A key just made: ``secret`` is the whole key, shown this once and stored only hashed."""

    key: ApiKeyView
    secret: str


class WebhookView(View):
    """A webhook without its secret: where events are posted and which kinds it takes (an
    empty ``kinds``: every kind). ``subscriber`` names its deliveries (``webhook:<id>``)."""

    id: int
    url: str
    label: str
    kinds: tuple[str, ...]
    subscriber: str
    created_at: dt.datetime
    created_by: str
    removed_at: dt.datetime | None


class NewWebhook(View):
    """A webhook just added: ``secret`` signs its deliveries; shown this once, kept encrypted."""

    webhook: WebhookView
    secret: str


class DeliveryView(View):
    """One event's delivery to one subscriber: ``failing`` (tried again at ``next_at``) or
    ``dead`` (given up after too many failures, until retried), or ``delivered``."""

    subscriber: str
    event_id: int
    kind: str
    aggregate: str
    state: str
    attempts: int
    next_at: dt.datetime | None
    last_error: str | None
    updated_at: dt.datetime


class DeliveryRound(View):
    """What one pass of the deliverer did: events ``delivered``, attempts that ``failed`` (to
    be tried again), deliveries given up (``dead``) and events ``held`` back behind an earlier
    failing event of their aggregate or waiting for their retry time."""

    delivered: int = 0
    failed: int = 0
    dead: int = 0
    held: int = 0
