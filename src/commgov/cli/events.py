"""``commgov webhook add|list|remove`` and ``commgov events deliver|dead|retry``: where the
store's domain events go, the deliverer that sends them, and its dead-letter list."""

from __future__ import annotations

from typing import Annotated

import typer

from commgov.cli.common import ActorOption, DbOption, console, fail, fitted_table, operator, store
from commgov.integrations.model import DEAD, DELIVERY_STATES, RetryPolicy
from commgov.integrations.views import DeliveryRound
from commgov.kernel.singleton import only_one

webhook_app = typer.Typer(
    help="Webhooks: addresses the store's domain events are posted to, signed.",
    no_args_is_help=True,
)
events_app = typer.Typer(
    help="Domain events: deliver them to webhooks and plugins; list and retry dead letters.",
    no_args_is_help=True,
)


@webhook_app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="Where to post events (http:// or https://).")],
    db: DbOption = None,
    label: Annotated[str | None, typer.Option(help="A name to recognise it by.")] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="An event kind or family (case, case.closed); repeat."),
    ] = None,
    actor: ActorOption = None,
) -> None:
    """Add a webhook. Its signing secret is printed once, alone on the last line."""
    with store(db) as cg:
        made = cg.webhooks.add(operator(actor), url=url, label=label, kinds=kind or ())
        hook = made.webhook
        kinds = ", ".join(hook.kinds) or "every kind"
        console.print(
            f"webhook {hook.id} → {hook.url} ({kinds}); signing secret, shown once:",
            highlight=False,
        )
        print(made.secret)


@webhook_app.command("list")
def list_webhooks(
    db: DbOption = None,
    removed: Annotated[bool, typer.Option(help="Include removed webhooks.")] = False,
    actor: ActorOption = None,
) -> None:
    """The webhooks, without their secrets."""
    with store(db) as cg:
        rows = [
            (
                w.label,
                w.url,
                str(w.id),
                ",".join(w.kinds) or "*",
                f"{w.created_at:%Y-%m-%d}",
                "" if w.removed_at is None else f"{w.removed_at:%Y-%m-%d}",
            )
            for w in cg.webhooks.webhooks(operator(actor), include_removed=removed)
        ]
        headers = ("label", "url", "id", "kinds", "added", "removed")
        console.print(fitted_table(headers, rows, names=2))


@webhook_app.command("remove")
def remove(
    webhook_id: Annotated[int, typer.Argument(help="The webhook's id (see `webhook list`).")],
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Stop posting to a webhook."""
    with store(db) as cg:
        hook = cg.webhooks.remove(operator(actor), webhook_id)
        console.print(f"webhook {hook.id} ({hook.url}) removed", highlight=False)


@events_app.command("deliver")
def deliver(
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit.")] = False,
    poll: Annotated[
        float, typer.Option(min=0.05, help="Seconds to wait after a pass with nothing to send.")
    ] = 2.0,
    max_attempts: Annotated[
        int, typer.Option(min=1, max=100, help="Failures before a delivery is dead-lettered.")
    ] = RetryPolicy().max_attempts,
) -> None:
    """Send the outbox's events to every webhook and to every plugin implementing
    commgov_event: at least once, in order within each aggregate. One deliverer runs per
    store: a second one started beside it stops at once with an error."""
    try:
        from commgov.integrations.service.delivery import Deliverer
    except ImportError:
        fail("delivering events needs httpx: pip install 'commgov[api]'")
    with (
        store(db) as cg,
        only_one(cg.context.engine, "events-deliver"),
        Deliverer(cg.context, policy=RetryPolicy(max_attempts)) as deliverer,
    ):
        if once:
            _say(deliverer.deliver())
            return
        try:
            deliverer.run(poll=poll)
        except KeyboardInterrupt:
            console.print("stopped")


def _say(done: DeliveryRound) -> None:
    console.print(
        f"delivered {done.delivered}, failed {done.failed} (to retry), dead {done.dead}, "
        f"held back {done.held}",
        highlight=False,
    )


@events_app.command("dead")
def dead(
    db: DbOption = None,
    subscriber: Annotated[
        str | None, typer.Option(help="Only this subscriber (webhook:<id>, plugin:<name>).")
    ] = None,
    state: Annotated[
        str, typer.Option(help=f"Deliveries in this state: {', '.join(DELIVERY_STATES)}.")
    ] = DEAD,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many.")] = 100,
    actor: ActorOption = None,
) -> None:
    """The dead-letter list: deliveries given up after too many failures."""
    with store(db) as cg:
        found = cg.webhooks.deliveries(
            operator(actor), state=state, subscriber=subscriber, limit=limit
        )
        rows = [
            (
                d.last_error or "",
                d.subscriber,
                str(d.event_id),
                d.kind,
                d.aggregate,
                str(d.attempts),
                f"{d.updated_at:%Y-%m-%d %H:%M}",
            )
            for d in found
        ]
        headers = ("last error", "subscriber", "event", "kind", "aggregate", "attempts", "at")
        console.print(fitted_table(headers, rows))


@events_app.command("retry")
def retry(
    subscriber: Annotated[str, typer.Argument(help="webhook:<id> or plugin:<name>.")],
    db: DbOption = None,
    event: Annotated[
        list[int] | None, typer.Option("--event", help="Only this event's delivery; repeat.")
    ] = None,
    actor: ActorOption = None,
) -> None:
    """Try dead-lettered deliveries again at the deliverer's next pass."""
    with store(db) as cg:
        count = cg.webhooks.retry(operator(actor), subscriber, event_ids=event)
        console.print(f"{count} deliveries to {subscriber} will be tried again", highlight=False)
