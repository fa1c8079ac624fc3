"""``cg.webhooks``: add, list and remove webhooks; list and retry dead-lettered deliveries."""

from __future__ import annotations

from collections.abc import Sequence

from commgov.errors import PermissionDenied, ValidationError
from commgov.integrations import model
from commgov.integrations.repository import DeliveryRepository, WebhookRepository, webhook_view
from commgov.integrations.views import DeliveryView, NewWebhook, WebhookView
from commgov.kernel.actors import SYSTEM, Actor
from commgov.kernel.context import Context
from commgov.kernel.outbox import OutboxRepository
from commgov.kernel.values import row_id, stripped_text

MAX_LISTED = 1000


class WebhookService:
    """Webhooks: addresses the deliverer (``commgov events deliver``) posts the store's domain
    events to, each signed with the webhook's own secret (kept encrypted with the store's
    key, shown once). A webhook gets the events written after it was added, of the kinds it
    takes. Every event of the store may go to a webhook, so only a system actor manages
    them (see ``docs/events.md``)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def add(
        self,
        actor: Actor,
        *,
        url: str,
        label: str | None = None,
        kinds: Sequence[str] = (),
    ) -> NewWebhook:
        """A new webhook posting to ``url`` the events of ``kinds`` (kinds such as
        ``case.reported`` or families such as ``case``; none: every kind), named ``label``
        (its host by default)."""
        _system_only(actor, "add a webhook")
        address = model.check_url(url)
        if isinstance(kinds, str):
            raise ValidationError("kinds", kinds, "expected a list of kinds")
        taken = model.check_kinds(kinds)
        host = address.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0]
        name = stripped_text("label", label or host[: model.LABEL_MAX], model.LABEL_MAX)
        secret = model.new_webhook_secret()
        now = self._ctx.clock()
        with self._ctx.uow() as uow:
            start = uow.repo(OutboxRepository).last_id()
            webhook_id = uow.repo(WebhookRepository).add(
                {
                    "url": address,
                    "label": name,
                    "secret_cipher": self._ctx.cipher.encrypt(secret),
                    "kinds": list(taken),
                    "created_at": now,
                    "created_by": actor.label(),
                    "removed_at": None,
                }
            )
            subscriber = model.webhook_subscriber(webhook_id)
            uow.repo(DeliveryRepository).add_subscriber(subscriber, start)
            detail: dict[str, object] = {"kinds": list(taken), "first_event_after": start}
            self._ctx.audit(
                uow, actor, "webhooks.add", entity="webhook", entity_id=webhook_id, detail=detail
            )
            view = webhook_view(uow.repo(WebhookRepository).get(webhook_id), subscriber)
        return NewWebhook(webhook=view, secret=secret)

    def webhooks(self, actor: Actor, *, include_removed: bool = False) -> list[WebhookView]:
        """The webhooks, oldest first (without their secrets)."""
        _system_only(actor, "list webhooks")
        with self._ctx.uow(readonly=True) as uow:
            rows = uow.repo(WebhookRepository).every(include_removed=include_removed)
        return [webhook_view(r, model.webhook_subscriber(r.id)) for r in rows]

    def remove(self, actor: Actor, webhook_id: int) -> WebhookView:
        """Stop posting to a webhook (its deliveries stay listed). Removing it twice changes
        nothing."""
        _system_only(actor, "remove a webhook")
        row_id("webhook_id", webhook_id)
        with self._ctx.uow() as uow:
            repo = uow.repo(WebhookRepository)
            if repo.get(webhook_id).removed_at is None:
                repo.remove(webhook_id, self._ctx.clock())
                self._ctx.audit(
                    uow, actor, "webhooks.remove", entity="webhook", entity_id=webhook_id, detail={}
                )
            return webhook_view(repo.get(webhook_id), model.webhook_subscriber(webhook_id))

    def deliveries(
        self,
        actor: Actor,
        *,
        state: str = model.DEAD,
        subscriber: str | None = None,
        limit: int = 100,
    ) -> list[DeliveryView]:
        """Deliveries in ``state`` (``dead`` by default: the dead-letter list; ``failing``:
        waiting for their next try), of one ``subscriber`` (``webhook:3``,
        ``plugin:<name>``) or all, oldest event first."""
        _system_only(actor, "list deliveries")
        if state not in model.DELIVERY_STATES:
            raise ValidationError(
                "state", state, f"expected one of {', '.join(model.DELIVERY_STATES)}"
            )
        if subscriber is not None:
            stripped_text("subscriber", subscriber, model.SUBSCRIBER_MAX)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LISTED:
            raise ValidationError("limit", limit, f"expected 1 to {MAX_LISTED}")
        with self._ctx.uow(readonly=True) as uow:
            return uow.repo(DeliveryRepository).deliveries(
                state, subscriber=subscriber, limit=limit
            )

    def retry(
        self, actor: Actor, subscriber: str, *, event_ids: Sequence[int] | None = None
    ) -> int:
        """Try dead-lettered deliveries of ``subscriber`` again (all of them, or those of
        ``event_ids``) at the deliverer's next pass, with a fresh count of attempts. Returns
        how many were put back."""
        _system_only(actor, "retry deliveries")
        name = stripped_text("subscriber", subscriber, model.SUBSCRIBER_MAX)
        ids = None if event_ids is None else [row_id("event_ids", i) for i in event_ids]
        with self._ctx.uow() as uow:
            count = uow.repo(DeliveryRepository).retry(name, ids, self._ctx.clock())
            if count:
                detail: dict[str, object] = {"retried": count}
                self._ctx.audit(
                    uow, actor, "webhooks.retry", entity="subscriber", entity_id=name, detail=detail
                )
        return count


def _system_only(actor: Actor, action: str) -> None:
    if actor.role != SYSTEM:
        raise PermissionDenied(actor.label(), action, "the store's event subscribers")
