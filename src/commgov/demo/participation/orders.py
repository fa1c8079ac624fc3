"""Service orders through the season: 点单 → 派单 → 接单 → 评单."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from typing import Any, Final

from commgov.demo.participation.cast import Cast, Person
from commgov.demo.participation.draws import hours, stars
from commgov.demo.participation.plan import SEASON_END, SEASON_START
from commgov.demo.participation.timeline import Timeline, arrivals, season_end, set_clock
from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.orders.model.rules import ProviderKind
from commgov.orders.views import ServiceItemView
from commgov.people.service.importing import Progress

ORDER_RATING_WEIGHTS: Final = (4, 6, 10, 25, 55)
"""How often residents rate a service order 1 … 5 (1 and 2 reopen it)."""
FIELD_VALUES: Final = {
    "purpose": ("子女入学 school enrolment", "办理社保 social insurance", "租房备案 tenancy"),
    "care_needed": ("每周助浴一次", "上门量血压", "协助购药", "代煮午饭"),
    "disability_kind": ("肢体 physical", "视力 sight", "听力 hearing"),
    "business": ("早餐店", "便利店", "理发店", "修车铺"),
    "question": ("邻里纠纷如何调解", "劳动合同问题", "房屋租赁纠纷", "赡养费问题"),
    "contact_time": ("上午 mornings", "下午 afternoons", "晚上 evenings"),
    "address": ("家中 at home", "子女家 at a child's home"),
}
PROVIDER_NAMES: Final = {
    "partner": ("康乐护理站", "城关便民超市", "阳光家政服务"),
    "organisation": ("城关志愿者协会", "木兰爱心社"),
    "talent": ("退休教师王老师", "律师志愿者李律师"),
}
DEPARTMENT_NAMES: Final = {
    "civil_affairs": "城关民政所 civil affairs office",
    "health": "城关卫生院 health centre",
    "housing": "城关住建所 housing office",
}


class OrderSeason:
    """Orders from the catalogue through the loop: placed by residents (or their grid worker),
    assigned by the community (派单) to a department, a grid worker or a partner, accepted or
    declined (then assigned again), done within the item's time limit or late, rated; a poor
    rating reopens the order and it is done again."""

    def __init__(self, cg: Commgov, cast: Cast, rng: random.Random, report: Progress) -> None:
        self.cg = cg
        self.cast = cast
        self.rng = rng
        self.timeline = Timeline(cg, cast, "orders", report)
        self.figures: Counter[str] = Counter()
        self.catalogues: dict[str, list[ServiceItemView]] = {}
        self.clerks: dict[str, tuple[str, Actor]] = {}
        self.cared = [p for p in cast.people if p.resident.care_groups]
        self.existing: dict[str, str] = {}
        for department in cg.staff.departments(cast.admin, cast.town):
            self.existing.setdefault(department.kind, department.code)

    def play(self, count: int) -> None:
        for moment in arrivals(self.cast, self.rng, count):
            self.timeline.at(moment, self.place)
        self.timeline.run(season_end(self.cast))

    def rates(self, admin: Actor) -> list[dict[str, Any]]:
        """The three rates of the season's orders per community, as of its last evening."""
        set_clock(self.cg, self.cast.moment(SEASON_END, 22))
        start, end = self.cast.moment(SEASON_START, 0), season_end(self.cast)
        rows = []
        for community in self.cast.communities:
            rates = self.cg.orders.rates(admin, community.code, start=start, end=end)
            rows.append(
                {
                    "community": community.name,
                    "orders": rates.accepted,
                    "response": rates.response_rate,
                    "resolution": rates.resolution_rate,
                    "satisfaction": rates.satisfaction_rate,
                }
            )
        return rows

    def now(self) -> dt.datetime:
        return self.cg.context.clock()

    def later(self, low: float, high: float, job: Callable[[], None]) -> None:
        """``job`` between ``low`` and ``high`` hours from now."""
        self.timeline.at(self.now() + hours(self.rng, low, high), job)

    def catalogue(self, grid: str) -> list[ServiceItemView]:
        if grid not in self.catalogues:
            self.catalogues[grid] = self.cg.orders.catalogue(grid)
        return self.catalogues[grid]

    def clerk(self, item: ServiceItemView) -> tuple[str, Actor]:
        """The town's department of the item's kind and a clerk of it (both added, through the
        public API, when the demo town has none)."""
        kind = item.department
        if kind not in self.clerks:
            code = self.existing.get(kind)
            name = DEPARTMENT_NAMES.get(kind, f"城关镇{item.department_label}")
            if code is None:
                code = f"{self.cast.town}-{kind}"
                self.cg.staff.add_department(
                    self.cast.admin, code=code, name=name, kind=kind, unit=self.cast.town
                )
            clerk = self.cg.staff.add(
                self.cast.admin, name=f"{name.split(' ')[0]}办事员", role="department_staff",
                units=[self.cast.town], department=code,
            )  # fmt: skip
            self.clerks[kind] = (code, self.cast.staff(clerk.id))
        return self.clerks[kind]

    def field(self, name: str, person: Person) -> str:
        if name == "age":
            today, born = self.cast.day(self.now()), person.resident.birth_date
            return str(today.year - born.year - ((today.month, today.day) < (born.month, born.day)))
        return self.rng.choice(FIELD_VALUES.get(name, ("见备注 see the note",)))

    def place(self) -> None:
        """点单: a resident orders an item their grid offers them."""
        rng = self.rng
        pool = self.cared if self.cared and rng.random() < 0.35 else self.cast.people
        person = rng.choice(pool)
        grid, groups = person.resident.unit_code, set(person.resident.care_groups)
        items = [i for i in self.catalogue(grid) if "resident" in i.who or groups & set(i.who)]
        if not items:
            return
        item = rng.choice(items)
        fields = {name: self.field(name, person) for name in item.required}
        fields |= {n: self.field(n, person) for n in item.optional if rng.random() < 0.3}
        actor = person.actor if rng.random() < 0.7 else self.cast.worker(person.community, grid)[1]
        order = self.cg.orders.place(
            actor, resident_id=person.resident.id, item=item.code, fields=fields
        )
        self.figures["orders placed"] += 1
        if rng.random() < 0.04:
            self.later(1, 20, lambda: self.cancel(order.id, person))
        else:
            self.later(0.5, 30, lambda: self.assign(order.id, person, item, again=False))

    def cancel(self, order_id: int, person: Person) -> None:
        self.cg.orders.cancel(person.actor, order_id, reason="已在别处办理 done elsewhere")
        self.figures["orders cancelled"] += 1

    def assign(self, order_id: int, person: Person, item: ServiceItemView, *, again: bool) -> None:
        """派单: to the item's department, the resident's grid worker or a partner; after a
        decline, to the department."""
        rng, office = self.rng, person.community.office
        roll = rng.random()
        kind: ProviderKind
        provider: str | int
        if again or roll < 0.55:
            kind, (provider, handler) = "department", self.clerk(item)
        elif roll < 0.8:
            kind = "staff"
            provider, handler = self.cast.worker(person.community, person.resident.unit_code)
        else:
            kind = rng.choice(("partner", "organisation", "talent"))
            provider, handler = rng.choice(PROVIDER_NAMES[kind]), office
        self.cg.orders.assign(office, order_id, provider_kind=kind, provider=provider)
        self.later(1, 20, lambda: self.respond(order_id, person, item, handler, again=again))

    def respond(
        self, order_id: int, person: Person, item: ServiceItemView, handler: Actor, *, again: bool
    ) -> None:
        """接单, or a decline with a reason (then the community assigns it again)."""
        rng = self.rng
        if not again and rng.random() < 0.1:
            self.cg.orders.respond(
                handler, order_id, accept=False, reason="本周人手排满 fully booked"
            )
            self.figures["orders declined"] += 1
            self.later(2, 12, lambda: self.assign(order_id, person, item, again=True))
            return
        self.cg.orders.respond(handler, order_id, accept=True)
        share = rng.uniform(0.1, 0.9) if rng.random() < 0.9 else rng.uniform(1.05, 1.6)
        self.timeline.at(
            self.now() + item.time_limit * share,
            lambda: self.complete(order_id, person, handler, again=False),
        )

    def complete(self, order_id: int, person: Person, handler: Actor, *, again: bool) -> None:
        """办理: done; most residents rate it within two days."""
        self.cg.orders.complete(
            handler, order_id, note="已办结 done" if not again else "重新办理 done again",
            attachments=[f"oss://orders/{order_id}.jpg"],
        )  # fmt: skip
        self.figures["orders done"] += not again
        if self.rng.random() < 0.95:
            self.later(2, 48, lambda: self.rate(order_id, person, handler, again=again))

    def rate(self, order_id: int, person: Person, handler: Actor, *, again: bool) -> None:
        """评单: by the household, or by the community on a return visit; 1 or 2 reopens."""
        rng = self.rng
        rating = rng.choice((4, 5)) if again else stars(rng, ORDER_RATING_WEIGHTS)
        actor = person.actor if rng.random() < 0.6 else person.community.office
        self.cg.orders.rate(actor, order_id, rating=rating)
        if rating <= 2:
            self.figures["orders reopened"] += 1
            self.later(24, 48, lambda: self.complete(order_id, person, handler, again=True))
        else:
            self.figures["orders closed"] += 1
