"""``commgov demo``: build the Chengguan demo town and print what is in it."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.table import Table

from commgov.cli.common import console, fitted_table, progress_bar
from commgov.demo.chengguan import TownPlan, build_chengguan, summary_rows
from commgov.demo.community import CommunityLife, CommunityPlan, run_community
from commgov.demo.deliberation import Deliberation, DeliberationPlan, run_deliberation
from commgov.demo.month import rates_rows, simulate_month
from commgov.demo.participation import (
    Participation,
    ParticipationPlan,
    run_participation,
    wish_rows,
)
from commgov.demo.season import run_season
from commgov.demo.town_rules import enable_town_plugin, write_reports
from commgov.facade import Commgov, open_store
from commgov.kernel.actors import Actor

SUMMARY_HEADERS = {
    "community": "社区 community",
    "grids": "网格 grids",
    "households": "户 homes",
    "residents": "居民 people",
    "living_alone": "独居 alone",
    "empty_nest": "空巢 empty nest",
    "disability": "残疾 disabled",
    "hardship": "困难 hardship",
    "workers": "网格员 workers",
}
RATES_HEADERS = {
    "community": "社区 community",
    "cases": "案件 cases",
    "response": "响应 response",
    "resolution": "办结 resolution",
    "satisfaction": "满意 satisfaction",
}
WISH_HEADERS = {
    "community": "社区 community",
    "wants": "我想要 wants",
    "offers": "我愿做 offers",
    "suggestions": "我期望 ideas",
    "fulfilled": "实现 met",
    "rate": "实现率 rate",
    "days": "天数 days",
}
ORDER_HEADERS = {
    "community": "社区 community",
    "orders": "订单 orders",
    "response": "响应 response",
    "resolution": "办结 resolution",
    "satisfaction": "满意 satisfaction",
}
BOARD_HEADERS = ("话题 topic", "来访 visits", "上月 before", "变化 change", "立案 cases")
COUNCIL_HEADERS = {
    "community": "社区 community",
    "members": "成员 members",
    "meetings": "会议 meetings",
    "topics": "议题 topics",
    "decided": "议决 decided",
    "referred": "转办 referred",
    "overdue": "逾期决议 overdue",
}
VOTE_HEADERS = (
    "社区 community",
    "表决 question",
    "名册 roll",
    "投票 ballots",
    "投票率 turnout",
    "纸质 paper",
    "同意 yes",
    "结果 outcome",
)
PROJECT_HEADERS = {
    "community": "社区 community",
    "budget": "预算 budget ¥",
    "funded": "到位 funded ¥",
    "points": "积分 points",
    "progress": "进度 progress",
    "state": "状态 state",
    "average": "评价 rating",
    "cases": "案件 cases",
}
RESOURCE_HEADERS = {
    "community": "社区 community",
    "open_hours": "开放时长 open",
    "booked_hours": "使用时长 booked",
    "utilisation": "使用率 used",
    "bookings": "预约 bookings",
    "full": "约满 full",
    "cancelled": "取消 cancelled",
    "no_show": "爽约 no-show",
}
ORGANISATION_HEADERS = {
    "organisation": "组织 organisation",
    "kind": "类型 kind",
    "activities": "活动 activities",
    "participants": "参与 attended",
    "volunteers": "人数 people",
    "hours": "时长 hours",
}
PARTY_HEADERS = {
    "community": "支部 branch",
    "members": "报到 registered",
    "serving": "服务 served",
    "activities": "活动 activities",
    "hours": "时长 hours",
    "at_home": "在本社区 at home",
    "elsewhere": "在外社区 elsewhere",
}


def run_demo(db: Path, *, residents: int, seed: int) -> None:
    """Build the town into ``db`` (replacing it), then a month of cases, a season of points
    and time bank, a participation season (micro-wishes, service orders, the opinion board),
    a deliberation season (councils, meetings, votes, projects) and a community-life season
    (shared resources, organisations, activities), printing tables after each step and a
    progress bar during it."""
    for stale in (
        db,
        db.with_name(db.name + ".key"),
        db.with_name(db.name + "-wal"),
        db.with_name(db.name + "-shm"),
    ):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    plan = TownPlan(residents=residents, seed=seed)
    with open_store(db) as cg:
        console.print(f"Building 城关镇 Chengguan town into {db} (seed {seed}):")
        with progress_bar() as update:
            built = build_chengguan(cg, plan, progress=update)
        rows = summary_rows(cg, built["communities"])
        totals = ["total", ""] + [str(sum(r[c] for r in rows)) for c in list(SUMMARY_HEADERS)[2:]]
        console.print(
            fitted_table(
                list(SUMMARY_HEADERS.values()),
                [[str(row[c]) for c in SUMMARY_HEADERS] for row in rows],
                title="Chengguan town (城关镇): communities",
                footer=totals,
            )
        )
        console.print(
            f"{len(built['grids'])} comprehensive + {built['dedicated_grids']} dedicated grids, "
            f"{built['households']} households, "
            f"{built['residents']} residents in {time.perf_counter() - started:.1f} s"
        )
        plugin = enable_town_plugin(cg, built["town"])
        rules = f"plugin:{plugin}" if plugin else "default"
        console.print(
            "Simulating a month of cases (June 2025) and storing them through the case engine"
            f" ({f'the rules of plugin {plugin}' if plugin else 'core rules'}):"
        )
        with progress_bar() as update:
            month = simulate_month(cg, built["town"], seed=seed, rules=rules, progress=update)
        rates = rates_rows(cg, built["town"])
        console.print(
            fitted_table(
                list(RATES_HEADERS.values()),
                [[_cell(row[c]) for c in RATES_HEADERS] for row in rates],
                title="The three rates (接诉即办) per community, June 2025",
            )
        )
        console.print(
            f"Counted over the cases reported in June 2025 (days in {cg.time_zone}), as of "
            "today: the same cases and moment as a town's monthly report, so the two agree."
        )
        for report, out in write_reports(cg, built["town"], 2025, 6, db.parent, seed=seed):
            console.print(folded(report.table()))
            console.print(f"{report.title} written to {out}.csv and {out}.png")
        console.print(
            "A season of points (积分) and the time bank (时间银行), Oct 2024 – Mar 2025:"
        )
        with progress_bar() as update:
            season = run_season(cg, built["town"], seed=seed, progress=update)
        console.print(
            fitted_table(
                ["项目 figure", "数值 value"],
                [_season_row(key, value) for key, value in season.items()],
                title="Points and time bank, after the expiry run of 1 Jan 2026",
            )
        )
        show_participation(cg, built["town"], residents=residents, seed=seed)
        show_deliberation(cg, built["town"], residents=residents, seed=seed)
        show_community(cg, built["town"], residents=residents, seed=seed)
        summary = month.summary()
        console.print(
            f"Simulated June: {summary['reported']:.0f} cases, "
            f"{summary['volunteers_per_day']:.0f} volunteers a day; "
            f"the whole demo took {time.perf_counter() - started:.1f} s"
        )
        show_console_hint(cg, built["grids"][0], db)


def show_console_hint(cg: Commgov, grid: str, db: Path) -> None:
    """How to open the console as the first grid's worker (the next two commands to type)."""
    workers = cg.staff.workers(Actor.system("demo"), grid, role="grid_worker")
    if not workers:
        return
    console.print(
        "Work in the console (社区工作台) as this town's first grid worker, "
        f"{workers[0].name}: make them a key, serve the store, and open "
        "http://127.0.0.1:8000/console/ with the key:\n"
        f"  commgov apikey create --db {db} --staff {workers[0].id}\n"
        f"  commgov serve --db {db}",
        highlight=False,
    )


def show_participation(cg: Commgov, town: str, *, residents: int, seed: int) -> None:
    """Play the participation season (in proportion to the town's size) and print its tables."""
    console.print(
        "A participation season, Jul – Sep 2025: micro-wishes (微心愿), service orders "
        "(点单→派单→接单→评单) and the service points' opinion board (民意感知器):"
    )
    with progress_bar() as update:
        found = run_participation(
            cg, town, seed=seed, plan=ParticipationPlan.for_town(residents), progress=update
        )
    _show_wishes(found)
    _show_orders(found)
    _show_board(found)
    took = found.seconds
    console.print(
        f"The participation season took {sum(took.values()):.1f} s: micro-wishes "
        f"{took['wishes']:.1f} s, service orders {took['orders']:.1f} s, opinion board "
        f"{took['opinions']:.1f} s."
    )


def show_deliberation(cg: Commgov, town: str, *, residents: int, seed: int) -> None:
    """Play the deliberation season (in proportion to the town's size) and print its tables."""
    console.print(
        "A deliberation season, Oct – Dec 2025: neighbourhood councils (邻里议事会), their "
        "monthly meetings, the compounds' votes (表决) and micro-renovation projects (微改造):"
    )
    with progress_bar() as update:
        found = run_deliberation(
            cg, town, seed=seed, plan=DeliberationPlan.for_town(residents), progress=update
        )
    _show_councils(found)
    _show_votes(found)
    _show_projects(found)
    took = found.seconds
    console.print(
        f"The deliberation season took {sum(took.values()):.1f} s: councils and meetings "
        f"{took['councils']:.1f} s, votes {took['votes']:.1f} s, projects "
        f"{took['projects']:.1f} s, reading the tables back {took['tables']:.1f} s."
    )


def show_community(cg: Commgov, town: str, *, residents: int, seed: int) -> None:
    """Play the community-life season (in proportion to the town's size) and print its
    tables."""
    console.print(
        "A community-life season, Jan – Mar 2026: shared resources (跨社区资源共享), the "
        "organisations and the party tree over the grids (党员双报到), and their weekly "
        "activities:"
    )
    with progress_bar() as update:
        found = run_community(
            cg, town, seed=seed, plan=CommunityPlan.for_town(residents), progress=update
        )
    _show_resources(found)
    _show_organisations(found)
    _show_party(found)
    took = found.seconds
    console.print(
        f"The community season took {sum(took.values()):.1f} s: resources "
        f"{took['resources']:.1f} s, organisations {took['organisations']:.1f} s, activities "
        f"{took['activities']:.1f} s, reading the tables back {took['tables']:.1f} s."
    )


def _show_resources(found: CommunityLife) -> None:
    rows = found.resources
    opened = sum(r["open_hours"] for r in rows)
    booked = sum(r["booked_hours"] for r in rows)
    used = booked / opened if opened else 0.0
    counts = [str(sum(r[k] for r in rows)) for k in list(RESOURCE_HEADERS)[4:]]
    console.print(
        fitted_table(
            list(RESOURCE_HEADERS.values()),
            [[_resource_cell(key, row[key]) for key in RESOURCE_HEADERS] for row in rows],
            title="Shared resources (跨社区资源共享) per community, Jan – Mar 2026",
            footer=["total", f"{opened:,.0f}", f"{booked:,.0f}", f"{used:.1%}", *counts],
        )
    )
    figures = found.figures
    uses = ", ".join(f"{u['resource']} {u['utilisation']:.1%}" for u in found.uses)
    console.print(
        "Each community publishes a room booked whole, a ground of 10 places shared with "
        "every community and tool boxes lent after review; used is booked place-hours ÷ "
        f"places ÷ open hours ({uses}). The work station holds the room's afternoons for "
        f"its elders ({figures.get('programme afternoons booked', 0):,} booked four weeks at "
        f"a time), the choirs its evenings ({figures.get('rehearsals booked', 0)} weekly "
        f"rehearsals); residents made {figures.get('bookings by residents', 0):,} bookings "
        f"({sum(r['visitors'] for r in rows)} by another community's residents on the "
        f"ground), {figures.get('bookings refused as full', 0)} refused as full; tool boxes: "
        f"{figures.get('tool bookings approved', 0)} approved, "
        f"{figures.get('tool bookings rejected', 0)} rejected; "
        f"{figures.get('checked in', 0)} checked in."
    )


def _resource_cell(key: str, value: Any) -> str:
    if key in ("open_hours", "booked_hours"):
        return f"{value:,.0f}"
    return _cell(value)


def _show_organisations(found: CommunityLife) -> None:
    rows = found.organisations
    figures = found.figures
    total = {
        "organisation": "total", "kind": "", "activities": sum(r["activities"] for r in rows),
        "participants": sum(r["participants"] for r in rows),
        "volunteers": figures.get("volunteers", 0), "hours": sum(r["hours"] for r in rows),
    }  # fmt: skip
    console.print(
        fitted_table(
            list(ORGANISATION_HEADERS.values()),
            [[_organisation_cell(key, row[key]) for key in ORGANISATION_HEADERS] for row in rows],
            title="Organisations (社会组织) and their activities, Jan – Mar 2026",
            names=2,
            footer=[_organisation_cell(key, total[key]) for key in ORGANISATION_HEADERS],
        )
    )
    console.print(
        "Each community's volunteer team (serving the neighbouring community too, every "
        "fourth week there) and choir or drum team (rehearsing in its booking of the room) "
        "hold an activity a week; people are unique residents who came (the total counts "
        "each once over the town), hours the attended hours. "
        f"{figures.get('sign-ups', 0):,} sign-ups, "
        f"{figures.get('sign-ups on the waiting list', 0)} on a waiting list, "
        f"{figures.get('places given up', 0)} places given up to the first waiting; "
        f"{figures.get('absences', 0)} absent; {figures.get('attendances corrected', 0)} "
        "attendances corrected afterwards (the payment taken back). Volunteering pays points "
        "and time-bank minutes; books balance: "
        f"{'yes' if figures.get('books balance') else 'no'}."
    )


def _organisation_cell(key: str, value: Any) -> str:
    return f"{value:,.0f}" if key == "hours" else str(value)


def _show_party(found: CommunityLife) -> None:
    rows = found.party
    console.print(
        fitted_table(
            list(PARTY_HEADERS.values()),
            [[_party_cell(key, row[key]) for key in PARTY_HEADERS] for row in rows],
            title="Party members serving where they live (党员双报到), Jan – Mar 2026",
            footer=[
                "total",
                *(_party_cell(k, sum(r[k] for r in rows)) for k in list(PARTY_HEADERS)[1:]),
            ],
        )
    )
    figures = found.figures
    console.print(
        "The party tree over the grids: the town's committee, a branch per community and "
        f"a group per grid ({figures.get('party organisations', 0)} organisations). "
        "Registered members report to the branch where they live, with their workplace, "
        "and serve in their community's volunteer team; at home counts the activities held "
        "in their own community, elsewhere those in the neighbouring one their team serves."
    )


def _party_cell(key: str, value: Any) -> str:
    if key == "community":
        return f"{value}党支部"
    return f"{value:,.0f}" if key == "hours" else str(value)


def _show_councils(found: Deliberation) -> None:
    rows = found.councils
    console.print(
        fitted_table(
            list(COUNCIL_HEADERS.values()),
            [[_cell(row[key]) for key in COUNCIL_HEADERS] for row in rows],
            title="Neighbourhood councils (邻里议事会) per community, Oct – Dec 2025",
            footer=["total"] + [str(sum(r[k] for r in rows)) for k in list(COUNCIL_HEADERS)[1:]],
        )
    )
    figures = found.figures
    seats = sum(r["seats"] for r in rows)
    console.print(
        f"{seats} seats held by {sum(r['members'] for r in rows)} members: residents' "
        "representatives (one chairs, one also sits for the owners' committee), the owners' "
        "committee, the property company and the community police by name, the work station "
        "as secretary; terms of three years. Topics: "
        f"{figures.get('topics from residents', 0)} from residents, "
        f"{figures.get('topics from staff', 0)} from staff, "
        f"{figures.get('topics from suggestions', 0)} from the summer's suggestions (by wish "
        f"id; {figures.get('suggestions referred now', 0)} referred this season). Meetings "
        f"closed with minutes: {sum(r['attended'] for r in rows):,} attended, "
        f"{figures.get('check-ins by code', 0)} of them checked in by code "
        f"({figures.get('registrations', 0)} registrations). Resolutions: "
        f"{figures.get('resolutions: tasks', 0)} department tasks "
        f"({figures.get('tasks done on time', 0)} done on time, "
        f"{figures.get('tasks done late', 0)} late), {figures.get('resolutions: votes', 0)} "
        f"votes, {figures.get('resolutions: projects', 0)} projects, "
        f"{figures.get('resolutions: nothing further', 0)} with nothing further; overdue: not "
        "carried out by the day due, as of 31 Dec."
    )


def _show_votes(found: Deliberation) -> None:
    console.print(
        fitted_table(
            list(VOTE_HEADERS),
            [line for row in found.votes for line in _vote_lines(row)],
            title="Votes (表决), Oct – Nov 2025: households on each micro-renovation, owners "
            "under Civil Code art. 278",
            names=2,
        )
    )
    figures = found.figures
    recounted = all(row["recount"] for row in found.votes)
    console.print(
        "Secret ballots, one per household (an owner of two dwellings votes once, with both "
        "areas); paper ballots entered by grid workers. The owners' vote counts both weights "
        "(the second line: floor area, m²): two thirds of each must take part and three "
        f"quarters of each agree (item 7, rebuilding facilities). "
        f"{figures.get('ballots online', 0):,} ballots online, "
        f"{figures.get('ballots on paper', 0):,} on paper; every result confirmed by a "
        f"recount: {'yes' if recounted else 'no'}."
    )


def _vote_lines(row: dict[str, Any]) -> list[list[str]]:
    """A vote's line; an owners' vote has a second one on floor area."""
    owners = row["electorate"] == "owners"
    who = "业主（民法典第278条第7项）" if owners else "住户"
    line = [
        row["community"], f"{row['compound']}{who}：{row['matter']}", str(row["roll"]),
        str(row["ballots"]), f"{row['turnout']:.1%}", str(row["paper"]), f"{row['yes']:.1%}",
        row["outcome"],
    ]  # fmt: skip
    if not owners:
        return [line]
    area = [
        "", "按专有部分面积 by floor area", f"{row['roll_area']:,.0f} m²",
        f"{row['cast_area']:,.0f} m²", f"{row['area_turnout']:.1%}", "",
        f"{row['area_yes']:.1%}", "",
    ]  # fmt: skip
    return [line, area]


def _show_projects(found: Deliberation) -> None:
    rows = found.projects
    console.print(
        fitted_table(
            list(PROJECT_HEADERS.values()),
            [[_project_cell(key, row) for key in PROJECT_HEADERS] for row in rows],
            title="Micro-renovation projects (微改造) as of 31 Dec 2025",
            footer=[
                "total",
                *(f"{sum(r[k] for r in rows):,}" for k in ("budget", "funded", "points")),
                "",
                "",
                f"({sum(r['ratings'] for r in rows)})",
                str(sum(r["cases"] for r in rows)),
            ],
        )
    )
    figures = found.figures
    console.print(
        "Each follows its council's resolution; funded by the town government, the "
        "residents' own funds (业主自筹) and points "
        f"({figures.get('points donors', 0)} residents gave "
        f"{figures.get('points donated', 0):,}); progress is a tree of milestones advanced "
        "week by week, every step on the project's public timeline "
        f"({sum(r['steps'] for r in rows):,} steps). Households rate a finished project "
        "(average, and how many rated); a rating of 1 or 2 opens a case."
    )


def _project_cell(key: str, row: dict[str, Any]) -> str:
    value = row[key]
    if key in ("budget", "funded", "points"):
        return f"{value:,}"
    if key == "progress":
        return f"{value:.0f}%"
    if key == "average":
        return "—" if value is None else f"{value:.2f} ({row['ratings']})"
    return str(value)


def _show_wishes(found: Participation) -> None:
    rows = wish_rows(found)
    town = found.statistics[0]
    total = {
        "community": "total", "wants": town.wants, "offers": town.offers,
        "suggestions": town.suggestions, "fulfilled": town.fulfilled,
        "rate": town.fulfilment_rate, "days": town.median_days_to_fulfil,
    }  # fmt: skip
    console.print(
        fitted_table(
            list(WISH_HEADERS.values()),
            [[_wish_cell(key, row[key]) for key in WISH_HEADERS] for row in rows],
            title="Micro-wishes (微心愿) per community, Jul – Sep 2025",
            footer=[_wish_cell(key, total[key]) for key in WISH_HEADERS],
        )
    )
    figures = found.wish_figures
    console.print(
        f"{town.wishes:,} wishes; {figures.get('matches accepted', 0)} offers matched to wants, "
        f"{figures.get('points paid', 0):,} points paid to helpers and to authors of "
        "adopted suggestions, "
        f"{figures.get('wants expired', 0)} wants expired, "
        f"{figures.get('suggestions made cases', 0)} suggestions made cases and "
        f"{figures.get('suggestions referred', 0)} referred; days are the median from a want "
        f"to its fulfilment; books balance: {'yes' if found.books_balance else 'no'}."
    )
    console.print(
        fitted_table(
            ["档次 tier", "项目 wishes", "已实现 done", "逾期 overdue"],
            [
                [tier, str(n["wishes"]), str(n["done"]), str(n["overdue"])]
                for tier, n in found.timetable.items()
            ],
            title="The town's timetable and project list (时间表和项目单) by tier",
        )
    )


def _show_orders(found: Participation) -> None:
    console.print(
        fitted_table(
            list(ORDER_HEADERS.values()),
            [[_cell(row[c]) for c in ORDER_HEADERS] for row in found.order_rates],
            title="Service orders: the three rates per community, Jul – Sep 2025",
        )
    )
    figures = found.order_figures
    console.print(
        f"{figures.get('orders placed', 0)} orders placed: "
        f"{figures.get('orders declined', 0)} declined by a provider and assigned again, "
        f"{figures.get('orders reopened', 0)} reopened after a poor rating, "
        f"{figures.get('orders cancelled', 0)} cancelled."
    )


def _show_board(found: Participation) -> None:
    board = found.board
    if board is None:
        return
    lines = [next(line for line in board.lines if line.topic == t) for t in board.top_topics]
    rows = [
        [line.label, str(line.visits), str(line.previous), f"{line.change:+d}", str(line.cases)]
        for line in lines
    ]
    console.print(
        fitted_table(
            list(BOARD_HEADERS),
            rows,
            title=f"Opinion board (民意感知器) of {board.name}, Sep 2025: top topics",
        )
    )
    figures = found.visit_figures
    console.print(
        f"{board.name}: {board.visits} visits in September ({board.previous} in August); "
        f"{board.cases} became cases, {board.wishes} were linked to wishes, "
        f"{board.council_topics} to council topics. Town: "
        f"{figures.get('visits logged', 0):,} visits at "
        f"{figures.get('service points', 0)} service points."
    )


def _wish_cell(key: str, value: Any) -> str:
    if key == "days":
        return "—" if value is None else f"{value:.1f}"
    return _cell(value)


def folded(table: Table) -> Table:
    """``table`` (a plugin's report) with every column folding instead of cutting with ``…``."""
    for column in table.columns:
        column.overflow = "fold"
    return table


def _season_row(key: str, value: int) -> Sequence[str]:
    if key == "books balance":
        return (key, "yes" if value else "no")
    return (key, f"{value:,}")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1%}"
    return "—" if value is None else str(value)
