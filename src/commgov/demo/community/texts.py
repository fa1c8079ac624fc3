"""What the season's communities publish, register and do, in their own words."""

from __future__ import annotations

from typing import Final

import attrs


@attrs.frozen
class Facility:
    """A resource every community publishes, and how its residents book it: how often
    (``weight``), for how many people (``party``), starting at which hours (by weight), for how
    many hours, and what for."""

    key: str
    name: str
    kind: str
    capacity: int
    weekdays: tuple[int, int]
    """Opening hours Monday to Friday (from, to)."""
    weekends: tuple[int, int] | None
    """Opening hours on Saturday and Sunday (``None``: closed)."""
    slot_minutes: int
    longest_minutes: int
    shared: bool
    approval: bool
    description: str
    weight: int
    party: tuple[int, int]
    starts: tuple[tuple[int, int], ...]
    """Hours a booking starts at, each with its weight (those the day's hours allow)."""
    lengths: tuple[int, ...]
    """Hours a booking lasts."""
    purposes: tuple[str, ...]

    def hours(self) -> dict[str, list[str]]:
        """The weekly opening hours, as ``cg.resources.publish`` takes them."""
        found = {"mon-fri": [_span(self.weekdays)]}
        if self.weekends is not None:
            found["sat-sun"] = [_span(self.weekends)]
        return found

    def opening(self, weekday: int) -> tuple[int, int] | None:
        """The hours it is open on ``weekday`` (Monday 0), or ``None``."""
        return self.weekdays if weekday < 5 else self.weekends


def _span(hours: tuple[int, int]) -> str:
    return f"{hours[0]:02d}:00-{hours[1]:02d}:00"


ROOM: Final = Facility(
    key="room", name="社区活动室", kind="room", capacity=1, weekdays=(8, 21), weekends=(8, 21),
    slot_minutes=30, longest_minutes=240, shared=False, approval=False,
    description="党群服务中心一楼，可容纳30人，整间预约", weight=3, party=(1, 1),
    starts=((9, 3), (10, 2), (15, 1), (18, 3), (19, 3)), lengths=(1, 2),
    purposes=("书法练习", "棋牌娱乐", "四点半课堂", "兴趣小组活动", "老人生日会"),
)  # fmt: skip
GROUND: Final = Facility(
    key="ground", name="篮球场", kind="ground", capacity=10, weekdays=(16, 21),
    weekends=(8, 21), slot_minutes=60, longest_minutes=120, shared=True, approval=False,
    description="室外灯光篮球场，可容纳10人同时使用，向周边社区居民开放", weight=4, party=(3, 8),
    starts=((8, 1), (9, 2), (16, 2), (17, 3), (18, 4), (19, 3)), lengths=(1, 2),
    purposes=("打篮球", "半场友谊赛", "亲子运动"),
)  # fmt: skip
TOOLS: Final = Facility(
    key="tools", name="共享工具箱", kind="equipment", capacity=2, weekdays=(9, 17),
    weekends=(9, 12), slot_minutes=60, longest_minutes=240, shared=False, approval=True,
    description="电钻、人字梯、管道疏通器，借用须经社区工作站审核，用后归还", weight=2,
    party=(1, 1), starts=((9, 2), (10, 2), (13, 2), (14, 1)), lengths=(2, 3, 4),
    purposes=("家中维修", "疏通下水道", "安装窗帘杆"),
)  # fmt: skip
FACILITIES: Final = (ROOM, GROUND, TOOLS)
PROGRAMME: Final = ("老年人日间活动（棋牌、读报）", (14, 2.5))
"""What the work station holds in the room every afternoon (from 14:00, two and a half hours),
booked four weeks at a time."""

TEAM: Final = "志愿服务队"
CHOIRS: Final = (("合唱团", "合唱排练"), ("腰鼓队", "腰鼓排练"))
"""A community's grassroots group, by the community's turn: its name and its rehearsal."""
COMMITTEE: Final = "城关镇党委"
BRANCH: Final = "党支部"
GROUP: Final = "党小组"

VISIT: Final = ("敬老探访", "elder_care")
CLEANING: Final = ("环境清洁日", "cleaning")
PUBLICITY: Final = ("反诈宣传进小区", "publicity")
FESTIVAL: Final = ("春节走访慰问独居老人", "elder_care")
"""The volunteers' activity in the week of the Spring Festival (17 February 2026)."""
FESTIVAL_WEEK: Final = 6
REHEARSAL_KIND: Final = "rehearsal"

WORKPLACES: Final = (
    ("县教育局", "县教育局机关党支部"),
    ("县人民医院", "县人民医院第二党支部"),
    ("县税务局", "县税务局机关党支部"),
    ("城关镇中心小学", "城关镇中心小学党支部"),
    ("县供电公司", "县供电公司营销党支部"),
    ("县自然资源局", "县自然资源局机关党支部"),
)
"""Where registered party members work and report first (双报到: then to where they live)."""
CANCELLED: Final = ("临时有事", "家中来客", "天气不好，改天再约")
REJECTED: Final = ("工具已预留给社区活动", "借用用途不符合规定")
