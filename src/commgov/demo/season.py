"""A season of points (积分) and time-bank (时间银行) activity for the demo town's volunteers,
through the public services: earnings in daily registers, rewards redeemed, services to
elders confirmed or disputed, and the expiry job run after the year turns."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from commgov.errors import NotFoundError
from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.people.service.importing import Progress

SEASON_START = dt.date(2024, 10, 1)
SEASON_DAYS = 182
EXPIRY_RUN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
REWARDS = (
    ("物业费抵扣券 property-fee voucher", 30, 400),
    ("粮油 rice and oil", 50, 300),
    ("体检券 health check", 80, 100),
)


def run_season(
    cg: Commgov,
    town: str,
    *,
    seed: int,
    services: int = 300,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Play the season; return the summary the demo prints. ``progress(phase, done, total)``
    follows its phases: the monthly points registers, rewards, services to elders, care."""
    report = progress or _quiet
    rng = random.Random(seed)
    admin = Actor.system("demo season")
    people = cg.residents.under(admin, town)
    volunteers = [p.id for p in people if p.is_volunteer]
    elders = [p.id for p in people if p.care_groups and p.birth_date.year < 1965]
    clock = cg.context.clock
    try:
        _earn(cg, admin, volunteers, rng, lambda at: _set(cg, at), report=report)
        _set(
            cg,
            dt.datetime.combine(SEASON_START + dt.timedelta(days=SEASON_DAYS), dt.time(10), dt.UTC),
        )
        redeemed = _redeem(cg, admin, town, volunteers, rng, report=report)
        served = _serve(
            cg, admin, volunteers=volunteers, elders=elders, rng=rng, services=services,
            report=report,
        )  # fmt: skip
        cared = _care(cg, admin, volunteers, rng, report)
        expired = cg.points.expire(admin, now=EXPIRY_RUN)
    finally:
        cg.context.clock = clock
    books = cg.ledger.books(admin, "points")
    time_books = cg.ledger.books(admin, "time")
    books_ok = books["debits_posted"] == books["credits_posted"]
    books_ok &= time_books["debits_posted"] == time_books["credits_posted"]
    issuance = -cg.ledger.account(admin, "points", "system:issuance").balance
    return {
        "volunteers": len(volunteers),
        "points issued": issuance,
        "points redeemed": redeemed,
        "points expired": expired,
        "points held": issuance - redeemed - expired,
        "hours served": served // 60,
        "hours held": (-cg.ledger.account(admin, "time", "system:issuance").balance - cared) // 60,
        "books balance": int(books_ok),
    }


def _quiet(phase: str, done: int, total: int) -> None:
    """No progress shown."""


def _set(cg: Commgov, at: dt.datetime) -> None:
    cg.context.clock = lambda: at


def _earn(
    cg: Commgov,
    admin: Actor,
    volunteers: list[int],
    rng: random.Random,
    move: Callable[[dt.datetime], None],
    *,
    report: Progress,
) -> None:
    """Each month, a register of volunteering hours, waste sorting and neighbour help."""
    weeks = range(0, SEASON_DAYS // 7, 4)
    for done, week in enumerate(weeks, 1):
        day = SEASON_START + dt.timedelta(days=7 * week)
        move(dt.datetime.combine(day, dt.time(18), dt.UTC))
        register: list[dict[str, Any]] = []
        for resident in volunteers:
            if rng.random() < 0.35:
                register.append(
                    {
                        "resident_id": resident,
                        "activity": "volunteer",
                        "quantity": rng.randint(1, 4),
                        "client_id": f"w{week}v{resident}",
                    }
                )
            if rng.random() < 0.5:
                register.append(
                    {
                        "resident_id": resident,
                        "activity": "waste_sorting",
                        "client_id": f"w{week}s{resident}",
                    }
                )
            if rng.random() < 0.1:
                register.append(
                    {
                        "resident_id": resident,
                        "activity": "neighbour_help",
                        "client_id": f"w{week}n{resident}",
                    }
                )
        for start in range(0, len(register), 2000):
            cg.points.earn_many(admin, register[start : start + 2000])
        report("points", done, len(weeks))


def _redeem(
    cg: Commgov,
    admin: Actor,
    town: str,
    volunteers: list[int],
    rng: random.Random,
    *,
    report: Progress,
) -> int:
    community = cg.grids.children(town)[0].code
    cg.points.open_partner(admin, name="城关便民超市", unit=community)
    rewards = [
        cg.points.add_reward(
            admin,
            unit=community,
            name=name,
            price=price,
            stock=stock,
            partner="城关便民超市" if i == 1 else None,
        )
        for i, (name, price, stock) in enumerate(REWARDS)
    ]
    spent = 0
    chosen = rng.sample(volunteers, min(len(volunteers), 600))
    for done, resident in enumerate(chosen, 1):
        report("rewards", done, len(chosen))
        reward = rng.choice(rewards)
        balance = cg.points.balance(admin, resident)
        if (
            balance is None
            or balance.available < reward.price
            or cg.points.reward(admin, reward.id).stock == 0
        ):
            continue
        spent += cg.points.redeem(admin, resident, reward.id, client_id=f"redeem{resident}").amount
    return spent


def _serve(
    cg: Commgov,
    admin: Actor,
    *,
    volunteers: list[int],
    elders: list[int],
    rng: random.Random,
    services: int,
    report: Progress,
) -> int:
    """Volunteers serve elders; most services are confirmed, a few disputed."""
    served = 0
    start = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    total = min(services, len(volunteers), len(elders) * 3)
    for n in range(total):
        report("services", n + 1, total)
        provider, recipient = rng.choice(volunteers), rng.choice(elders)
        if provider == recipient:
            continue
        begin = start + dt.timedelta(hours=n)
        record = cg.timebank.record(
            admin,
            provider_id=provider,
            recipient_id=recipient,
            kind=rng.choice(("上门照料", "陪诊", "助餐")),
            start=begin,
            end=begin + dt.timedelta(minutes=rng.choice((60, 90, 120))),
            client_id=f"svc{n}",
        )
        if rng.random() < 0.95:
            served += cg.timebank.confirm(admin, record.id).minutes
        else:
            cg.timebank.dispute(admin, record.id, reason="not confirmed by the family")
    return served


def _care(
    cg: Commgov, admin: Actor, volunteers: list[int], rng: random.Random, report: Progress
) -> int:
    """A few volunteers spend banked time on care for themselves."""
    spent = 0
    chosen = rng.sample(volunteers, min(len(volunteers), 400))
    for done, resident in enumerate(chosen, 1):
        report("care", done, len(chosen))
        balance = (
            cg.ledger.account(admin, "time", f"resident:{resident}")
            if _has_time(cg, admin, resident)
            else None
        )
        if balance is not None and balance.balance >= 30:
            spent += cg.timebank.redeem_care(
                admin, resident, minutes=30, client_id=f"care{resident}"
            ).amount
    return spent


def _has_time(cg: Commgov, admin: Actor, resident: int) -> bool:
    try:
        cg.ledger.account(admin, "time", f"resident:{resident}")
    except NotFoundError:
        return False
    return True
