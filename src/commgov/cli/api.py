"""``commgov serve`` (the HTTP API on uvicorn) and ``commgov apikey create|list|revoke``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from commgov.cli.common import ActorOption, DbOption, console, fail, fitted_table, operator, store
from commgov.integrations.model import SCOPES

apikey_app = typer.Typer(
    help="API keys for the HTTP API: each acts for a staff member, a department, a resident or "
    "a system client.",
    no_args_is_help=True,
)


def serve(
    *,
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8311,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    threads: Annotated[
        int, typer.Option(min=1, max=256, help="Threads running routes in each worker.")
    ] = 8,
) -> None:
    """Serve the HTTP API, Open311 under /open311/v2/ and the console under /console/."""
    try:
        import uvicorn

        from commgov.api.server import app_factory_env
    except ImportError:
        fail("the HTTP API needs the api extra: pip install 'commgov[api]'")
    with store(db):
        pass  # refuses a missing store with a line saying how to make one
    app_factory_env(db, threads)
    uvicorn.run(
        "commgov.api.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )


@apikey_app.command("create")
def create(
    *,
    db: DbOption = None,
    staff: Annotated[int | None, typer.Option("--staff", help="For this staff member.")] = None,
    department: Annotated[
        str | None, typer.Option("--department", help="For this department (its code).")
    ] = None,
    system: Annotated[
        str | None, typer.Option("--system", help="For a system client of this name.")
    ] = None,
    resident: Annotated[
        int | None,
        typer.Option("--resident", help="For this resident (their own console statement)."),
    ] = None,
    label: Annotated[str | None, typer.Option(help="A name to recognise the key by.")] = None,
    scope: Annotated[
        list[str] | None, typer.Option("--scope", help=f"One of {', '.join(SCOPES)}; repeat.")
    ] = None,
    days: Annotated[
        int | None, typer.Option(min=1, help="Expire after this many days (default: never).")
    ] = None,
    actor: ActorOption = None,
) -> None:
    """Make a key. It is printed once, alone on the last line; only its hash is stored."""
    with store(db) as cg:
        expires = None if days is None else cg.context.clock() + dt.timedelta(days=days)
        made = cg.api_keys.create(
            operator(actor),
            staff_id=staff,
            department=department,
            system=system,
            resident_id=resident,
            label=label,
            scopes=scope or SCOPES,
            expires_at=expires,
        )
        key = made.key
        console.print(
            f"API key {key.id} for {key.holder} ({', '.join(key.scopes)}), shown once:",
            highlight=False,
        )
        print(made.secret)


@apikey_app.command("list")
def list_keys(
    db: DbOption = None,
    revoked: Annotated[bool, typer.Option(help="Include revoked keys.")] = False,
    actor: ActorOption = None,
) -> None:
    """The keys, without their secrets."""
    with store(db) as cg:
        found = cg.api_keys.keys(operator(actor), include_revoked=revoked)
        rows = [
            (
                f"cg_{k.prefix}_…",
                k.label,
                k.holder,
                str(k.id),
                ",".join(k.scopes),
                "" if k.expires_at is None else f"{k.expires_at:%Y-%m-%d}",
                "" if k.revoked_at is None else f"{k.revoked_at:%Y-%m-%d}",
            )
            for k in found
        ]
        headers = ("prefix", "label", "holder", "id", "scopes", "expires", "revoked")
        table = fitted_table(headers, rows, names=3)
        console.print(table)


@apikey_app.command("revoke")
def revoke(
    key_id: Annotated[int, typer.Argument(help="The key's id (see `commgov apikey list`).")],
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Revoke a key: every later request with it is refused (401)."""
    with store(db) as cg:
        key = cg.api_keys.revoke(operator(actor), key_id)
        console.print(f"API key {key.id} (cg_{key.prefix}_…) revoked", highlight=False)
