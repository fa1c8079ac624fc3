"""``commgov case``: report and act on cases, list them (filtered, due, overdue), metrics, and
the store's case settings. A case is named by its number (``2026-000123``) or its id."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Annotated, Any, Final

import typer
from rich import box
from rich.table import Table

from commgov.cases.views import CaseEventView, CaseReport, CaseView, parse
from commgov.cli.common import (
    ActorOption,
    DbOption,
    StaffOption,
    acting,
    console,
    fail,
    fitted_table,
    store,
)
from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.ledger.model.periods import month_period

app = typer.Typer(
    help="Cases (案件): report, act, list, due and overdue, metrics, settings.",
    no_args_is_help=True,
)

UnitOption = Annotated[
    str, typer.Option("--unit", help="A unit code: a grid for a report, any unit for lists.")
]
TownOption = Annotated[
    str | None,
    typer.Option("--town", help="The town a case number belongs to, when several towns gave it."),
]
_DURATION: Final = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
STATE_WORDS: Final = {
    "reported": "已上报 reported",
    "accepted": "已受理 accepted",
    "rejected": "不予受理 rejected",
    "triaged": "已研判 triaged",
    "dispatched": "已派单 dispatched",
    "in_progress": "办理中 in progress",
    "resolved": "已办结 resolved",
    "informed": "已反馈 informed",
    "visited": "已回访 visited",
    "closed": "已闭环 closed",
    "withdrawn": "已撤回 withdrawn",
    "merged": "已并件 merged",
}


# -- parsing what the clerk typed ----------------------------------------------------------


def parse_duration(option: str, text: str) -> dt.timedelta:
    """``45m``, ``24h``, ``1h30m``, ``2d``, ``90s`` (or ``0``) as a timedelta."""
    found = _DURATION.fullmatch(text.strip().lower())
    if text.strip() == "0":
        return dt.timedelta(0)
    if found is None or not any(found.groups()):
        fail(f"{option}={text!r}: expected a duration like 45m, 24h, 1h30m or 2d")
    days, hours, minutes, seconds = (int(g or 0) for g in found.groups())
    try:
        return dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        fail(f"{option}={text!r}: too long")


def parse_date(option: str, text: str | None) -> dt.date | None:
    """A day written ``2026-11-30``."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        fail(f"{option}={text!r}: expected a date like 2026-11-30")


def parse_month(text: str, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of month ``2026-11`` and of the next one, in ``zone``."""
    return month_period(text.strip()).bounds(zone)


def case_id(cg: Commgov, who: Actor, case: str, town: str | None = None) -> int:
    """The id of the case a number or an id names (readable by ``who``)."""
    return cg.cases.find(who, case, town=town).id


# -- showing -------------------------------------------------------------------------------


def local(moment: dt.datetime | None, zone: dt.tzinfo) -> str:
    return "" if moment is None else moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _table(title: str | None = None) -> Table:
    return Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)


def case_table(cases: Sequence[CaseView], zone: dt.tzinfo, *, due: bool = False) -> Table:
    """One row per case, its fields stacked in four columns so that 80 columns hold it; long
    text folds onto more lines, nothing is cut."""
    table = _table()
    table.add_column("编号 number\n状态 state", overflow="fold", min_width=11)
    table.add_column("网格 grid\n类别 category\n牵头 lead", overflow="fold", min_width=15)
    table.add_column("期限 due" if due else "上报 reported", overflow="fold", min_width=10)
    table.add_column("内容 text", overflow="fold", ratio=1)
    for c in cases:
        when = next_deadline(c) if due else c.reported_at
        place = [c.unit_code, c.category or "—", c.lead or "—"]
        table.add_row(
            f"{c.number}\n{STATE_WORDS.get(c.state, c.state)}",
            "\n".join(place),
            local(when, zone),
            c.text,
        )
    return table


def next_deadline(case: CaseView) -> dt.datetime:
    """The deadline that runs: to respond until dispatched, then to resolve."""
    return case.response_due if case.responded_at is None else case.resolve_due


def print_cases(cases: Sequence[CaseView], zone: dt.tzinfo, *, limit: int | None = None) -> None:
    if not cases:
        console.print("no cases")
        return
    console.print(case_table(cases, zone))
    more = limit is not None and len(cases) == limit
    tail = f"; more may follow: --after {cases[-1].id}" if more else ""
    console.print(f"{len(cases)} case(s){tail}")


def case_details(case: CaseView, zone: dt.tzinfo) -> Table:
    table = _table(f"案件 case {case.number} (id {case.id})")
    table.show_header = False
    table.add_column("", no_wrap=True, style="bold")
    table.add_column("", overflow="fold")
    rows: list[tuple[str, str]] = [
        ("状态 state", STATE_WORDS.get(case.state, case.state)),
        ("网格 grid", case.unit_code),
        ("渠道 channel", case.channel),
        ("类别 category", case.category or "—"),
        ("紧急程度 severity", case.severity),
        ("层级 level", case.owner_level),
        ("牵头 lead", case.lead or "—"),
        ("协办 co-operators", ", ".join(case.co_operators) or "—"),
        ("内容 text", case.text),
        ("地址 address", case.address or "—"),
        ("来电 reporter phone", case.reporter_phone or "—"),
        ("上报 reported", local(case.reported_at, zone)),
        ("响应期限 respond by", local(case.response_due, zone)),
        ("办结期限 resolve by", local(case.resolve_due, zone)),
        ("评价 rating", "—" if case.rating is None else str(case.rating)),
    ]
    for key, value in rows:
        table.add_row(key, value)
    return table


def timeline(events: Sequence[CaseEventView], zone: dt.tzinfo) -> Table:
    table = _table("经过 timeline")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("时间 at", overflow="fold")
    table.add_column("动作 action", overflow="fold")
    table.add_column("人员 actor", overflow="fold")
    table.add_column("状态 state", overflow="fold")
    table.add_column("说明 note", overflow="fold", ratio=1, min_width=8)
    for e in events:
        move = (
            e.to_state if e.from_state in (None, e.to_state) else f"{e.from_state} → {e.to_state}"
        )
        table.add_row(str(e.seq), local(e.at, zone), e.action, e.actor, move, e.note or "")
    return table


def _rate(value: float | None, part: int, whole: int) -> str:
    return "—" if value is None else f"{value:.1%} ({part}/{whole})"


# -- commands ------------------------------------------------------------------------------


@app.command("report")
def report(
    *,
    text: Annotated[str, typer.Option("--text", help="What was reported.")],
    unit: Annotated[
        str | None, typer.Option("--unit", help="The grid it happened in, when known.")
    ] = None,
    town: Annotated[
        str | None,
        typer.Option(
            "--town", help="The town it is for: a report no grid takes waits in its queue."
        ),
    ] = None,
    lat: Annotated[float | None, typer.Option(help="Where it is: latitude.")] = None,
    lon: Annotated[float | None, typer.Option(help="Where it is: longitude.")] = None,
    category: Annotated[str | None, typer.Option(help="A category code (safety.fire).")] = None,
    channel: Annotated[
        str, typer.Option(help="resident, grid_visit, hotline, meeting, micro_wish.")
    ] = "hotline",
    severity: Annotated[str, typer.Option(help="critical, urgent, normal, complex.")] = "normal",
    address: Annotated[str | None, typer.Option(help="Where it is, in words.")] = None,
    reporter_phone: Annotated[
        str | None, typer.Option(help="A number to call back (kept encrypted, shown masked).")
    ] = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """Take a report (上报): a new case gets its number. Give its grid (--unit), a point
    (--lat/--lon) a town plugin can place, or only its --town: what no grid takes waits in
    that town's queue for triage (待分拣)."""
    fields: dict[str, Any] = {
        "text": text, "unit": unit, "town": town, "lat": lat, "lon": lon, "category": category,
        "channel": channel, "severity": severity, "address": address,
        "reporter_phone": reporter_phone,
    }  # fmt: skip
    with store(db) as cg:
        who = acting(cg, staff, actor)
        given = {k: v for k, v in fields.items() if v is not None}
        case = cg.cases.report(who, parse(CaseReport, given))
        zone = cg.context.zone
        console.print(
            f"case {case.number} (id {case.id}) in {case.unit_code}: {case.state}, "
            f"respond by {local(case.response_due, zone)}",
        )


@app.command("show")
def show(
    *,
    case: Annotated[str, typer.Argument(help="The case number (2026-000123) or id.")],
    town: TownOption = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """A case and its timeline."""
    with store(db) as cg:
        who = acting(cg, staff, actor)
        found = cg.cases.find(who, case, town=town)
        zone = cg.context.zone
        console.print(case_details(found, zone))
        console.print(timeline(cg.cases.history(who, found.id), zone))


@app.command("act")
def act(
    *,
    case: Annotated[str, typer.Argument(help="The case number (2026-000123) or id.")],
    action: Annotated[
        str,
        typer.Argument(
            help="accept, reject, triage, dispatch, start, resolve, inform, visit, close, "
            "withdraw, merge, escalate."
        ),
    ],
    note: Annotated[str | None, typer.Option(help="A note on the action.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why (reject, withdraw, escalate).")] = None,
    outcome: Annotated[str | None, typer.Option(help="What was done (resolve).")] = None,
    kind: Annotated[
        str | None, typer.Option(help="reject: invalid, duplicate or out_of_remit.")
    ] = None,
    duplicate_of: Annotated[
        str | None, typer.Option(help="reject as duplicate: the case number or id.")
    ] = None,
    category: Annotated[str | None, typer.Option(help="triage: a category code.")] = None,
    severity: Annotated[str | None, typer.Option(help="triage: the severity.")] = None,
    level: Annotated[
        str | None, typer.Option(help="triage: grid, community, town or county.")
    ] = None,
    lead: Annotated[
        str | None, typer.Option(help="dispatch: staff:<id> or department:<code>.")
    ] = None,
    co_operator: Annotated[
        list[str] | None, typer.Option(help="dispatch: a co-operator (repeat for more).")
    ] = None,
    rating: Annotated[int | None, typer.Option(help="visit: 1 to 5.")] = None,
    into: Annotated[str | None, typer.Option(help="merge: the case number or id.")] = None,
    town: TownOption = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """Take ACTION on a case (the case loop's public actions)."""
    notes = [n for n in (note, reason, outcome) if n is not None]
    if len(notes) > 1:
        fail("give one of --note, --reason and --outcome")
    with store(db) as cg:
        who = acting(cg, staff, actor)
        target = case_id(cg, who, case, town)
        fields: dict[str, Any] = {
            "note": notes[0] if notes else None, "kind": kind, "category": category,
            "severity": severity, "owner_level": level, "lead": lead, "rating": rating,
            "co_operators": co_operator or None,
            "duplicate_of": None if duplicate_of is None else case_id(cg, who, duplicate_of, town),
            "into": None if into is None else case_id(cg, who, into, town),
        }  # fmt: skip
        before = cg.cases.get(who, target)
        after = cg.cases.act(who, target, action, **fields)  # type: ignore[call-overload]
        move = f"{before.state} → {after.state}" if before.state != after.state else after.state
        lead_now = f", lead {after.lead}" if after.lead else ""
        console.print(f"case {after.number}: {action}: {move}{lead_now}")


@app.command("list")
def list_cases(
    *,
    unit: UnitOption,
    state: Annotated[list[str] | None, typer.Option(help="A state (repeat for more).")] = None,
    category: Annotated[str | None, typer.Option(help="A category and those below it.")] = None,
    channel: Annotated[str | None, typer.Option(help="The channel it came in by.")] = None,
    since: Annotated[str | None, typer.Option(help="Reported on or after this day.")] = None,
    until: Annotated[str | None, typer.Option(help="Reported on or before this day.")] = None,
    lead: Annotated[
        str | None, typer.Option(help="Led by staff:<id> or department:<code>.")
    ] = None,
    overdue: Annotated[bool, typer.Option(help="Only cases past a deadline now.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many cases.")] = 50,
    after: Annotated[int | None, typer.Option(help="Continue after this case id.")] = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """Cases under UNIT, oldest first, filtered."""
    first, last = parse_date("--since", since), parse_date("--until", until)
    with store(db) as cg:
        who = acting(cg, staff, actor)
        found = cg.cases.under(
            who, unit, state=state or None, category=category,
            channel=channel,  # type: ignore[arg-type]  # checked by the service
            since=first, until=last, lead=lead, overdue=overdue, after_id=after, limit=limit,
        )  # fmt: skip
        print_cases(found, cg.context.zone, limit=limit)


@app.command("due")
def due(
    *,
    unit: UnitOption,
    within: Annotated[str, typer.Option(help="How far ahead: 24h, 2d, 45m.")] = "24h",
    staff: StaffOption = None,
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """Unresolved cases under UNIT whose next deadline falls within the coming period."""
    period = parse_duration("--within", within)
    with store(db) as cg:
        found = cg.cases.due(acting(cg, staff, actor), unit, within=period)
        if not found:
            console.print("no cases due")
            return
        console.print(case_table(found, cg.context.zone, due=True))
        console.print(f"{len(found)} case(s) due within {within}")


@app.command("overdue")
def overdue(
    *,
    unit: UnitOption,
    staff: StaffOption = None,
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """Unresolved cases under UNIT past their next deadline now."""
    with store(db) as cg:
        found = cg.cases.overdue(acting(cg, staff, actor), unit)
        if not found:
            console.print("no cases overdue")
            return
        console.print(case_table(found, cg.context.zone, due=True))
        console.print(f"{len(found)} case(s) overdue")


@app.command("metrics")
def metrics(
    *,
    unit: UnitOption,
    month: Annotated[str, typer.Option(help="The month the cases were reported in: 2026-11.")],
    by: Annotated[
        str | None, typer.Option(help="Also a row per 'child' unit or per 'grid'.")
    ] = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """The three rates (响应率, 解决率, 满意率) and more for cases reported in MONTH."""
    if by not in (None, "child", "grid"):
        fail(f"--by={by!r}: expected child or grid")
    with store(db) as cg:
        who = acting(cg, staff, actor)
        start, end = parse_month(month, cg.context.zone)
        rows = cg.cases.metrics(who, unit, start=start, end=end)
        if by is not None:
            rows += cg.cases.metrics(who, unit, start=start, end=end, by=by)  # type: ignore[arg-type]
        headers = ["单位 unit", "案件 cases", "响应率 response", "解决率 resolution"]
        headers += ["满意率 satisfaction", "超期 overdue"]
        lines = [
            [
                f"{m.unit_name} {m.unit_code}",
                str(m.cases),
                _rate(m.response_rate, m.responded_on_time, m.response_owed),
                _rate(m.resolution_rate, m.resolved, m.resolution_owed),
                _rate(m.satisfaction_rate, m.satisfied, m.rated),
                str(m.overdue),
            ]
            for m in rows
        ]
        console.print(fitted_table(headers, lines, title=f"{unit} {month}"))


@app.command("settings")
def settings(
    *,
    alarm_window: Annotated[
        str | None,
        typer.Option(help="Fold a device's alarms within this time of its last one: 45m, 1h, 0."),
    ] = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """Show the store's case settings, or change them."""
    window = None if alarm_window is None else parse_duration("--alarm-window", alarm_window)
    with store(db) as cg:
        if window is not None:
            cg.cases.set_alarm_window(acting(cg, staff, actor), window)
        kept = cg.cases.alarm_window()
        minutes = kept.total_seconds() / 60
        console.print(f"alarm window (报警合并时限): {minutes:g} min")
