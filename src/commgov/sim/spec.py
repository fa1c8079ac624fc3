"""What a scenario holds: the town, the rules, the horizon and the seed, validated and
serialisable. ``commgov.sim.scenario.Scenario`` adds the ODD description on top of it; the
modules below the scenario (rules, the town model, the description itself) take a
``ScenarioSpec``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticValidationError

from commgov.errors import ValidationError


class _Spec(BaseModel):
    """A frozen pydantic model whose bad input raises ``commgov.errors.ValidationError``
    naming the field path (``town.grids``) and the value, not pydantic's own error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def __init__(self, **data: Any) -> None:
        with _checked():
            super().__init__(**data)

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        extra: Literal["allow", "ignore", "forbid"] | None = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        with _checked():
            return super().model_validate(
                obj, strict=strict, extra=extra, from_attributes=from_attributes,
                context=context, by_alias=by_alias, by_name=by_name,
            )  # fmt: skip


Problem = tuple[str, Any, str]
"""One bad field: its dotted path, its value, the reason."""


class _SpecError(ValidationError):
    """A ``ValidationError`` that keeps every problem found, so that a model nested in
    another (a ``TownSpec`` in a ``Scenario``) reports its problems under the outer path."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        field, value, reason = problems[0]
        if len(problems) > 1:
            others = ", ".join(other[0] for other in problems[1:])
            reason += f" (and {len(problems) - 1} more: {others})"
        super().__init__(field, value, reason)


@contextmanager
def _checked() -> Iterator[None]:
    """pydantic's error as ``ValidationError(field path, value, reason)``; when several fields
    are wrong, the first is named and the reason says how many more there are."""
    try:
        yield
    except PydanticValidationError as exc:
        problems: list[Problem] = []
        for error in exc.errors(include_url=False):
            problems.extend(_problems(error))
        raise _SpecError(problems) from None


def _problems(error: Any) -> list[Problem]:
    """One pydantic error as problems (several when a nested model found several)."""
    path = [str(part) for part in error["loc"]]
    inner = error.get("ctx", {}).get("error")
    if isinstance(inner, _SpecError):
        return [(".".join([*path, f]), v, r) for f, v, r in inner.problems]
    if isinstance(inner, ValidationError):
        return [(".".join([*path, inner.field]), inner.value, inner.reason)]
    return [(".".join(path) or "scenario", error.get("input"), str(error["msg"]))]


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
            raise ValidationError("communities", self.communities, f"exceeds grids={self.grids}")
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
            raise ValidationError(
                "scenario", str(source), f"not YAML: {_yaml_problem(exc)}"
            ) from None
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


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML error in one line: what is wrong and where (``line 3, column 7``)."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"{problem}{where}"
