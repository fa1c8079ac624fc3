"""``commgov staff`` and ``commgov resident``: people's life events from the command line."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from commgov.cli.common import (
    ActorOption,
    DbOption,
    StaffOption,
    acting,
    console,
    fitted_table,
    store,
)
from commgov.errors import ValidationError
from commgov.facade import Commgov
from commgov.kernel.times import day_start
from commgov.people.service.resident_events import LEAVE_REASONS, LeaveReason
from commgov.people.views import LifeEventView, ResidencyView

staff_app = typer.Typer(help="Staff (工作人员): list, deactivate, reassign.", no_args_is_help=True)
resident_app = typer.Typer(
    help="Residents (居民): move out, move house, merge, history.", no_args_is_help=True
)

OnOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        help="When it happened: a day (2026-11-03, counted in the store's time zone) or a "
        "time with its zone (2026-11-03T15:00+08:00). Default: now.",
    ),
]


def when(cg: Commgov, text: str | None) -> dt.datetime | None:
    """``--on``: a day in the store's zone (its first moment) or an ISO time with a zone."""
    if text is None:
        return None
    try:
        if len(text) == len("2026-11-03"):
            return day_start(dt.date.fromisoformat(text), cg.context.zone)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError("on", text, "expected a day like 2026-11-03") from None
    if moment.tzinfo is None:
        raise ValidationError("on", text, "give the time zone too, e.g. +08:00")
    return moment


def show_event(cg: Commgov, event: LifeEventView, what: str) -> None:
    local = event.at.astimezone(cg.context.zone)
    console.print(f"{what} on {local:%Y-%m-%d %H:%M} ({event.reason})")
    for work, (handed, closed) in sorted(event.work.items()):
        parts = []
        if handed:
            parts.append(f"{handed} handed over to {event.successor_id}")
        if closed:
            parts.append(f"{closed} closed")
        console.print(f"  {work}: {', '.join(parts)}")


# -- staff -----------------------------------------------------------------------------------


@staff_app.command("list")
def staff_list(
    unit: Annotated[str, typer.Option(help="Unit code: staff answering for it or below.")],
    db: DbOption = None,
    actor: ActorOption = None,
    staff: StaffOption = None,
) -> None:
    """Staff answering for a unit or any unit below it."""
    with store(db) as cg:
        rows = [
            (view.name, view.role, " ".join(view.unit_codes), str(view.id))
            for view in cg.staff.workers(acting(cg, staff, actor), unit)
        ]
        headers = ("name 姓名", "role 角色", "units 网格", "id")
        console.print(fitted_table(headers, rows, title=f"staff of {unit}", names=3))


@staff_app.command("deactivate")
def staff_deactivate(
    staff_id: Annotated[int, typer.Argument(help="The staff member who leaves.")],
    *,
    reason: Annotated[str, typer.Option(help="Why: 调离 transferred, 退休 retired …")],
    hand_over_to: Annotated[
        int | None, typer.Option(help="The staff member who takes their open work over.")
    ] = None,
    on: OnOption = None,
    db: DbOption = None,
    actor: ActorOption = None,
    staff: StaffOption = None,
) -> None:
    """A staff member leaves: they act no more and their open work is handed over."""
    with store(db) as cg:
        event = cg.staff.deactivate(
            acting(cg, staff, actor),
            staff_id,
            reason=reason,
            hand_over_to=hand_over_to,
            at=when(cg, on),
        )
        show_event(cg, event, f"staff member {staff_id} left")


@staff_app.command("reassign")
def staff_reassign(
    staff_id: Annotated[int, typer.Argument(help="The staff member.")],
    *,
    unit: Annotated[list[str], typer.Option(help="A unit they answer for from now (repeat).")],
    hand_over_to: Annotated[
        int | None, typer.Option(help="Who takes their open work in the units they leave.")
    ] = None,
    on: OnOption = None,
    db: DbOption = None,
    actor: ActorOption = None,
    staff: StaffOption = None,
) -> None:
    """A staff member answers for other units; open work in the units they leave is handed
    over."""
    with store(db) as cg:
        event = cg.staff.reassign(
            acting(cg, staff, actor),
            staff_id,
            units=unit,
            hand_over_to=hand_over_to,
            at=when(cg, on),
        )
        show_event(cg, event, f"staff member {staff_id} now answers for {', '.join(unit)}")


@staff_app.command("history")
def staff_history(
    staff_id: Annotated[int, typer.Argument(help="The staff member.")],
    db: DbOption = None,
    actor: ActorOption = None,
    staff: StaffOption = None,
) -> None:
    """Which units a staff member answered for, when."""
    with store(db) as cg:
        zone = cg.context.zone
        rows = [
            (
                posting.end_reason or "",
                posting.unit_code,
                f"{posting.from_at.astimezone(zone):%Y-%m-%d}",
                "—"
                if posting.until_at is None
                else f"{posting.until_at.astimezone(zone):%Y-%m-%d}",
            )
            for posting in cg.staff.postings(acting(cg, staff, actor), staff_id)
        ]
        headers = ("why 原因", "unit 单位", "from 自", "until 至")
        console.print(fitted_table(headers, rows, title=f"staff {staff_id}"))


# -- residents -------------------------------------------------------------------------------


@resident_app.command("leave")
def resident_leave(
    resident_id: Annotated[int, typer.Argument(help="The resident.")],
    *,
    reason: Annotated[
        str,
        typer.Option(help=f"One of: {', '.join(f'{k} ({v})' for k, v in LEAVE_REASONS.items())}."),
    ],
    on: OnOption = None,
    db: DbOption = None,
    actor: ActorOption = None,
    staff: StaffOption = None,
) -> None:
    """A resident moves out of the town (迁出) or dies; their file is kept."""
    with store(db) as cg:
        if reason not in LEAVE_REASONS:
            raise ValidationError("reason", reason, f"expected one of {', '.join(LEAVE_REASONS)}")
        chosen: LeaveReason = "died" if reason == "died" else "moved_out"
        event = cg.residents.leave(
            acting(cg, staff, actor), resident_id, reason=chosen, at=when(cg, on)
        )
        show_event(cg, event, f"resident {resident_id} left")


@resident_app.command("move")
def resident_move(
    resident_id: Annotated[int, typer.Argument(help="The resident.")],
    *,
    household: Annotated[int, typer.Option(help="The household they move to (its id).")],
    on: OnOption = None,
    db: DbOption = None,
    actor: ActorOption = None,
    staff: StaffOption = None,
) -> None:
    """A resident moves to another household, in this grid or another."""
    with store(db) as cg:
        event = cg.residents.move(
            acting(cg, staff, actor), resident_id, household_id=household, at=when(cg, on)
        )
        show_event(cg, event, f"resident {resident_id} moved to household {household}")


@resident_app.command("merge")
def resident_merge(
    resident_id: Annotated[int, typer.Argument(help="The record entered twice (closed).")],
    into: Annotated[int, typer.Option(help="The record that is kept.")],
    db: DbOption = None,
    actor: ActorOption = None,
    staff: StaffOption = None,
) -> None:
    """Merge a resident entered twice into the record that is kept."""
    with store(db) as cg:
        event = cg.residents.merge(acting(cg, staff, actor), resident_id, into=into)
        show_event(cg, event, f"resident {resident_id} merged into {into}")


@resident_app.command("history")
def resident_history(
    resident_id: Annotated[
        int | None, typer.Argument(help="The resident (or give --household).")
    ] = None,
    household: Annotated[
        int | None, typer.Option(help="A household: who lived there when (一户一档).")
    ] = None,
    db: DbOption = None,
    actor: ActorOption = None,
    staff: StaffOption = None,
) -> None:
    """Where a resident lived when, or who lived in a household when."""
    with store(db) as cg:
        viewer = acting(cg, staff, actor)
        if (resident_id is None) == (household is None):
            raise ValidationError("household", household, "give a resident id or --household")
        if household is not None:
            stays = cg.residents.household_history(viewer, household)
            title = f"household {household}"
        else:
            assert resident_id is not None
            stays = cg.residents.history(viewer, resident_id)
            title = f"resident {resident_id}"
        console.print(_stays_table(cg, stays, title))


def _stays_table(cg: Commgov, stays: list[ResidencyView], title: str) -> Table:
    zone = cg.context.zone
    rows = [
        (
            stay.name,
            stay.end_reason or "",
            str(stay.resident_id),
            str(stay.household_id),
            stay.unit_code,
            f"{stay.from_at.astimezone(zone):%Y-%m-%d}",
            "—" if stay.until_at is None else f"{stay.until_at.astimezone(zone):%Y-%m-%d}",
        )
        for stay in stays
    ]
    headers = ("name 姓名", "why 原因", "resident 居民", "household 户", "unit 网格", "from 自",
               "until 至")  # fmt: skip
    return fitted_table(headers, rows, title=title, names=2)
