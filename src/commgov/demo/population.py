"""Synthetic people: names, identity numbers, phones, households, care groups (by seed)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from commgov.people.model.personal import identity_check_char

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯"
    "邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国玉兰志红梅文斌鑫宇浩然子涵欣怡俊杰"
SKILLS = (
    "teaching",
    "law",
    "medicine",
    "electrician",
    "plumbing",
    "calligraphy",
    "dance",
    "counselling",
)
# age bands (lower, upper, weight): an old town centre, older than the national mix
AGE_BANDS = ((0, 14, 14), (15, 34, 22), (35, 59, 36), (60, 79, 22), (80, 95, 6))


class PersonFactory:
    """Deterministic synthetic residents for one county division code."""

    def __init__(self, seed: int, region: str, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.region = region
        self.today = today
        self._serial: dict[str, int] = {}

    def name(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def birth_date(self, lower: int, upper: int) -> dt.date:
        age_days = self.rng.randint(lower * 365 + 1, upper * 365 + 364)
        return self.today - dt.timedelta(days=age_days)

    def identity(self, born: dt.date, sex: str) -> str:
        """A valid number: region + birth date + serial (odd for men) + check character."""
        stamp = born.strftime("%Y%m%d")
        serial = self._serial.get(stamp, 0) + 1
        self._serial[stamp] = serial
        code = serial * 2 - (1 if sex == "M" else 0)
        first17 = f"{self.region}{stamp}{code:03d}"
        return first17 + identity_check_char(first17)

    def phone(self) -> str:
        return f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"

    def age_band(self) -> tuple[int, int]:
        lower, upper, _ = self.rng.choices(AGE_BANDS, weights=[b[2] for b in AGE_BANDS])[0]
        return lower, upper

    def household(self, key: str, unit: str, address: str) -> Iterator[dict[str, Any]]:
        """One household's members as import rows, with care groups that fit their ages."""
        size = self.rng.choices((1, 2, 3, 4, 5, 6), weights=(14, 30, 24, 18, 10, 4))[0]
        head_band = self.rng.choices(AGE_BANDS[1:], weights=[b[2] for b in AGE_BANDS[1:]])[0]
        bands = [(head_band[0], head_band[1])] + [self.age_band() for _ in range(size - 1)]
        hardship = self.rng.random() < 0.03
        for lower, upper in bands:
            sex = self.rng.choice("MF")
            born = self.birth_date(lower, upper)
            age = (self.today - born).days // 365
            groups = []
            if age >= 65 and size == 1:
                groups.append("living_alone")
            elif age >= 60 and size == 2 and bands[0][0] >= 60 and bands[-1][0] >= 60:
                groups.append("empty_nest")
            if self.rng.random() < 0.02:
                groups.append("disability")
            if hardship:
                groups.append("hardship")
            adult = age >= 18
            yield {
                "household": key,
                "unit": unit,
                "address": address,
                "name": self.name(),
                "identity_number": self.identity(born, sex),
                "phone": self.phone() if adult and self.rng.random() < 0.9 else "",
                "care_groups": ";".join(groups),
                "skills": self.rng.choice(SKILLS) if adult and self.rng.random() < 0.03 else "",
                "is_volunteer": adult and self.rng.random() < 0.04,
                "is_party_member": adult and self.rng.random() < 0.07,
            }
