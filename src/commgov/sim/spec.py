"""What a scenario holds: the town, the rules, the horizon and the seed, validated and
serialisable. ``commgov.sim.scenario.Scenario`` adds the ODD description on top of it; the
modules below the scenario (rules, the town model, the description itself) take a
``ScenarioSpec``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from commgov.errors import ValidationError


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TownSpec(_Spec):
    """A generated town: residents spread over grids, grids grouped into communities."""

    residents: int = Field(10_000, ge=1, description="residents (居民)")
    grids: int = Field(87, ge=1, description="comprehensive grids (综合网格)")
    communities: int = Field(12, ge=1, description="communities (社区); grids are dealt out evenly")
    workers_per_grid: int = Field(1, ge=0, description="grid workers (网格员) per grid")
    worker_capacity: int = Field(3, ge=0, description="cases one worker closes a day")
    community_capacity: int = Field(6, ge=0, description="cases a community office closes a day")
    town_capacity: int = Field(20, ge=0, description="cases the town centre closes a day")
    elder_share: float = Field(0.2, ge=0, le=1, description="share of residents aged 60+")

    @model_validator(mode="after")
    def _grids_cover_communities(self) -> Self:
        if self.communities > self.grids:
            raise ValueError(f"communities={self.communities} exceeds grids={self.grids}")
        return self


class RuleParams(_Spec):
    """The behaviour and the town's rules; ``rules`` names a ``Rules`` class (see rules.py)."""

    rules: str = Field("default", description="which Rules implementation decides triage etc.")
    p_report: float = Field(0.002, ge=0, le=1, description="daily chance a resident reports")
    patrol_effect: float = Field(5.0, ge=0, description="report reduction per volunteer share")
    base_volunteer: float = Field(0.01, ge=0, le=1, description="daily chance to volunteer")
    incentive_gain: float = Field(0.04, ge=0, le=1, description="extra chance at the points cap")
    points_enabled: bool = Field(True, description="积分制 on or off")
    points_cap: int = Field(200, ge=1, description="points at which the incentive saturates")
    redeem_threshold: int = Field(100, ge=0, description="points needed to redeem a reward")
    redeem_chance: float = Field(0.05, ge=0, le=1, description="daily chance to redeem when able")
    reward_price: int = Field(50, ge=0, description="points a reward costs")
    time_bank_enabled: bool = Field(True, description="时间银行: volunteers bank hours served")
    hours_per_service: int = Field(2, ge=0, description="hours banked per day of service to elders")
    response_days: int = Field(1, ge=0, description="days within which a case counts as answered")
    base_satisfaction: float = Field(0.95, ge=0, le=1, description="chance a quick fix satisfies")
    satisfaction_decay: float = Field(0.05, ge=0, le=1, description="lost per day of waiting")
    reopen_share: float = Field(0.5, ge=0, le=1, description="dissatisfied cases that reopen")


class ScenarioSpec(_Spec):
    """What a run needs: its fields, YAML and dotted copies. Use ``Scenario``, which adds
    ``describe()``; the town model and the rules accept either."""

    name: str = "scenario"
    town: TownSpec = TownSpec()
    rules: RuleParams = RuleParams()
    days: int = Field(365, ge=1, le=36_500)
    seed: int = 1
    model: Literal["town"] = "town"

    def with_values(self, values: dict[str, Any]) -> Self:
        """A copy with dotted fields replaced: ``{"rules.points_enabled": False, "seed": 3}``."""
        data = self.model_dump()
        for dotted, value in values.items():
            target = data
            *parents, leaf = dotted.split(".")
            for part in parents:
                if part not in target or not isinstance(target[part], dict):
                    raise ValidationError(dotted, value, "no such scenario field")
                target = target[part]
            if leaf not in target:
                raise ValidationError(dotted, value, "no such scenario field")
            target[leaf] = value
        return type(self).model_validate(data)

    def to_yaml(self) -> str:
        return str(yaml.safe_dump(self.model_dump(), sort_keys=False, allow_unicode=True))

    @classmethod
    def from_yaml(cls, source: str | Path) -> Self:
        """Load from a YAML (or JSON) file path or YAML text; fields are validated."""
        try:
            text = Path(source).read_text(encoding="utf-8") if _is_path(source) else str(source)
        except OSError as exc:
            raise ValidationError("scenario", str(source), exc.strerror or "unreadable") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValidationError("scenario", str(source), f"not YAML: {exc}") from None
        if data is not None and not isinstance(data, dict):
            raise ValidationError("scenario", data, "expected a mapping of fields")
        return cls.model_validate(data or {})


def _is_path(source: str | Path) -> bool:
    """A ``Path``, or one line of text naming a file that exists or ends like one."""
    if isinstance(source, Path):
        return True
    if "\n" in source:
        return False
    try:
        return source.endswith((".yaml", ".yml", ".json")) or Path(source).is_file()
    except (OSError, ValueError):  # a name too long or with NUL bytes: text, not a path
        return False
