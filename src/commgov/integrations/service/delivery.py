"""The deliverer behind ``commgov events deliver``: sends the outbox's events to every webhook
and to every plugin implementing ``commgov_event``, at least once and, within an aggregate, in
order (``docs/events.md``).

For each subscriber it keeps one row per event tried (delivered, failing, dead) and a floor
below which all is settled; never a single "last id sent", since on PostgreSQL a transaction
that commits later may hold a lower id. Each pass walks the subscriber's events above its
floor in id order, skips an aggregate whose earliest event is failing (until that one is
retried successfully or dead-lettered), and records each outcome in its own small transaction,
so a deliverer killed mid-pass resends at most the one delivery it had in flight."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import chain
from types import TracebackType

import attrs
import httpx

from commgov.integrations import calls, model
from commgov.integrations.repository import DeliveryRepository, Due, Probe, WebhookRepository
from commgov.integrations.views import DeliveryRound
from commgov.kernel.context import Context
from commgov.kernel.outbox import StoredEvent

log = logging.getLogger("commgov.events")
PAGE = 500
TIMEOUT = 10.0
FAILURES_PER_PASS = 3
"""Failures in a row after which a pass leaves a subscriber until the next pass (a receiver
that is down is not tried once per aggregate)."""
HELD = "held"

Send = Callable[[StoredEvent], str | None]
"""Hands one event to a subscriber: ``None`` once acknowledged, else what went wrong."""


@attrs.frozen
class Subscriber:
    name: str
    kinds: tuple[str, ...]
    send: Send


class Deliverer:
    """One sequential deliverer. ``client``: the ``httpx.Client`` to post with (one with a
    ``timeout`` of ``TIMEOUT`` seconds, following no redirects, by default); ``policy``: when
    failed deliveries are tried again and when they are given up."""

    def __init__(
        self,
        ctx: Context,
        *,
        client: httpx.Client | None = None,
        policy: model.RetryPolicy | None = None,
        page: int = PAGE,
    ) -> None:
        self._ctx = ctx
        self._own_client = client is None
        self._client = client or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
        self._policy = policy or model.RetryPolicy()
        self._page = page
        self._probe: Probe | None = None

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def __enter__(self) -> Deliverer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- passes ----------------------------------------------------------------------------
    def run(
        self,
        *,
        poll: float,
        stop: Callable[[], bool] = lambda: False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Pass after pass until ``stop()``; waits ``poll`` seconds after a pass that
        delivered nothing (only failures: the receivers wait for their retries)."""
        while not stop():
            if not self.deliver().delivered:
                sleep(poll)

    def deliver(self) -> DeliveryRound:
        """One pass over every subscriber: send what is due now."""
        horizon = self._horizon()
        outcomes: Counter[str] = Counter()
        for subscriber in self._subscribers():
            outcomes += self._pass(subscriber, horizon)
        return DeliveryRound(
            delivered=outcomes[model.DELIVERED],
            failed=outcomes[model.FAILING],
            dead=outcomes[model.DEAD],
            held=outcomes[HELD],
        )

    def _horizon(self) -> int | None:
        """An event id at or below which every event is visible now and no other can appear
        any more (``None`` when that is not known yet): what a floor may rise to. A probe is
        taken in one transaction and checked in a later one (this pass's or a later pass's)."""
        if self._probe is None:
            with self._ctx.uow(readonly=True) as uow:
                self._probe = uow.repo(DeliveryRepository).probe()
        with self._ctx.uow(readonly=True) as uow:
            if not uow.repo(DeliveryRepository).settled(self._probe):
                return None
        settled, self._probe = self._probe, None
        return settled.last_id

    def _subscribers(self) -> list[Subscriber]:
        found = []
        with self._ctx.uow(readonly=True) as uow:
            for row in uow.repo(WebhookRepository).every(include_removed=False):
                secret = self._ctx.cipher.decrypt(row.secret_cipher)
                send = self._webhook(str(row.url), secret)
                found.append(Subscriber(model.webhook_subscriber(row.id), tuple(row.kinds), send))
        for plugin in calls.forwarders(self._ctx.plugins):
            found.append(Subscriber(model.plugin_subscriber(plugin), (), self._plugin(plugin)))
        return found

    def _pass(self, subscriber: Subscriber, horizon: int | None) -> Counter[str]:
        with self._ctx.uow() as uow:
            repo = uow.repo(DeliveryRepository)
            floor = repo.floor(subscriber.name)
            if floor is None:  # a plugin seen for the first time: the whole outbox
                floor = 0
                repo.add_subscriber(subscriber.name, floor)
            retried = repo.failing_below(subscriber.name, floor)
        outcomes: Counter[str] = Counter()
        blocked: set[str] = set()
        failures = 0
        lowest_left: int | None = None
        for due in chain(retried, self._due_after(subscriber, floor)):
            outcome = self._one(subscriber, due, blocked)
            outcomes[outcome] += 1
            failures = failures + 1 if outcome == model.FAILING else 0
            if outcome in (model.FAILING, HELD) and due.event.id > floor:
                lowest_left = min(lowest_left or due.event.id, due.event.id)
            if failures >= FAILURES_PER_PASS:
                return outcomes  # the floor stays below the failing event
        if horizon is not None:
            top = horizon if lowest_left is None else min(horizon, lowest_left - 1)
            if top > floor:
                with self._ctx.uow() as uow:
                    uow.repo(DeliveryRepository).raise_floor(subscriber.name, top)
        return outcomes

    def _due_after(self, subscriber: Subscriber, floor: int) -> Iterator[Due]:
        """The subscriber's events above ``floor`` not delivered yet, page by page."""
        after = floor
        while True:
            with self._ctx.uow(readonly=True) as uow:
                page = uow.repo(DeliveryRepository).due(
                    subscriber.name, subscriber.kinds, after=after, limit=self._page
                )
            yield from page
            if len(page) < self._page:
                return
            after = page[-1].event.id

    def _one(self, subscriber: Subscriber, due: Due, blocked: set[str]) -> str:
        """Send one event unless its aggregate is held back; record what came of it."""
        event = due.event
        if event.aggregate in blocked:
            return HELD
        later = due.next_at is not None and due.next_at > self._ctx.clock()
        if due.state == model.FAILING and later:
            blocked.add(event.aggregate)
            return HELD
        error = subscriber.send(event)
        now = self._ctx.clock()
        attempts, state, next_at = due.attempts, model.DELIVERED, None
        if error is not None:
            attempts += 1
            if self._policy.dead(attempts):
                state = model.DEAD
            else:
                state, next_at = model.FAILING, now + self._policy.wait(attempts)
                blocked.add(event.aggregate)
            log.warning(
                "event %s to %s failed (%s, attempt %s)", event.id, subscriber.name, error, attempts
            )
        with self._ctx.uow() as uow:
            uow.repo(DeliveryRepository).record(
                subscriber.name,
                event.id,
                state=state,
                attempts=attempts,
                next_at=next_at,
                error=None if error is None else error[: model.ERROR_MAX],
                at=now,
            )
        return state

    # -- sending ---------------------------------------------------------------------------
    def _webhook(self, url: str, secret: str) -> Send:
        def send(event: StoredEvent) -> str | None:
            body = json.dumps(event.body(), ensure_ascii=False, separators=(",", ":")).encode()
            timestamp = int(self._ctx.clock().timestamp())
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "commgov-events",
                model.EVENT_HEADER: str(event.id),
                model.TIMESTAMP_HEADER: str(timestamp),
                model.SIGNATURE_HEADER: model.signature(secret, timestamp, body),
            }
            try:
                response = self._client.post(url, content=body, headers=headers)
            except Exception as exc:  # any failure to send is a failed attempt
                return f"{type(exc).__name__}: {exc}"
            if 200 <= response.status_code < 300:
                return None
            return f"HTTP {response.status_code}"

        return send

    def _plugin(self, plugin: str) -> Send:
        def send(event: StoredEvent) -> str | None:
            try:
                calls.forward(self._ctx.plugins, plugin, event)
            except Exception as exc:  # a plugin that raises has not taken the event
                return f"{type(exc).__name__}: {exc}"
            return None

        return send
