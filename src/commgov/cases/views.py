"""Boundary data of the case engine: commands in (``CaseReport``; one command per action,
``CaseCommand``, discriminated on ``action``; ``CaseAction`` for batches) and views out
(``CaseView``, ``CaseEventView``, ``CaseUpdateView``, ``CategoryView``, ``BatchResult``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal, TypeVar, get_args

import pydantic
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    model_validator,
)

from commgov.cases.model.actions import PUBLIC
from commgov.cases.model.limits import (
    ADDRESS_MAX,
    CODE_MAX,
    DEVICE_ID_MAX,
    NOTE_MAX,
    PHONE_MAX,
    PHOTO_MAX,
    TEXT_MAX,
)
from commgov.cases.model.vocab import Channel, Level, RejectKind, Severity
from commgov.errors import ValidationError
from commgov.kernel.values import INT32, check_int, check_text, shown

M = TypeVar("M", bound=BaseModel)


def _storable(value: str) -> str:
    try:
        return check_text("", value)
    except ValidationError as exc:
        raise ValueError(exc.reason) from None


def _fits(value: int) -> int:
    try:
        return check_int("", value, INT32)
    except ValidationError as exc:
        raise ValueError(exc.reason) from None


Id = Annotated[StrictInt, AfterValidator(_fits)]
Report = Annotated[str, StringConstraints(max_length=TEXT_MAX), AfterValidator(_storable)]
Note = Annotated[str, StringConstraints(max_length=NOTE_MAX), AfterValidator(_storable)]
Address = Annotated[str, StringConstraints(max_length=ADDRESS_MAX), AfterValidator(_storable)]
Reference = Annotated[str, StringConstraints(max_length=PHOTO_MAX), AfterValidator(_storable)]
DeviceId = Annotated[str, StringConstraints(max_length=DEVICE_ID_MAX), AfterValidator(_storable)]
Code = Annotated[str, StringConstraints(max_length=CODE_MAX), AfterValidator(_storable)]
Phone = Annotated[str, StringConstraints(max_length=PHONE_MAX), AfterValidator(_storable)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _unknown_action(value: object) -> ValidationError:
    known = ", ".join(a.value for a in PUBLIC)
    return ValidationError("action", value, f"unknown; known: {known}")


def parse(model: type[M], value: M | Mapping[str, Any]) -> M:
    """``model`` from a mapping; pydantic's errors become ``ValidationError(field, value, why)``
    naming the caller's field (``rating``, not ``command.visit.rating``)."""
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value)
    except pydantic.ValidationError as exc:
        raise _translated(exc, model.__name__) from None


def _translated(exc: pydantic.ValidationError, name: str) -> ValidationError:
    first = exc.errors()[0]
    if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return _unknown_action(first.get("ctx", {}).get("tag"))
    loc = [str(p) for p in first["loc"]]
    if loc[:1] == ["command"]:
        loc = loc[1:]
    reason = first["msg"].removeprefix("Value error, ")
    if loc[:1] and loc[0] in COMMANDS:  # the discriminated union's branch
        command = COMMANDS[loc.pop(0)]
        if first["type"] == "extra_forbidden":
            takes = ", ".join(n for n in command.model_fields if n != "action")
            reason = f"{command.model_fields['action'].default} takes only {takes}"
    given = None if first["type"] == "missing" else first.get("input")
    if isinstance(given, str):
        given = shown(given)
    return ValidationError(".".join(loc) or name, given, reason)


class CaseReport(_Model):
    """A new case. The grid comes from ``unit`` (a grid code), else from a point placed by a
    ``commgov_locate`` plugin, else from a resident reporter's household; else, with ``town``,
    the case waits in that town's own queue."""

    text: Report
    channel: Channel = "resident"
    unit: Code | None = None
    lat: float | None = None
    lon: float | None = None
    address: Address | None = None
    photos: tuple[Reference, ...] = ()
    category: Code | None = None
    severity: Severity = "normal"
    device_id: DeviceId | None = None
    household_id: Id | None = None
    reporter_phone: Phone | None = None
    """A number to call the reporter back on (a hotline caller's): kept encrypted, shown
    masked."""
    town: Code | None = None
    """The town (or street) the report is for: the grid found must lie in it, and a report
    that nothing places in a grid (no unit, a point no plugin locates, no household) goes to
    the town's own queue for triage instead of being refused."""


# -- commands: one per action callers take (``commgov.cases.model.actions.PUBLIC``) ---------


class _Command(_Model):
    """What every action carries: a note (the reason, what was done …) and attachments."""

    note: Note | None = None
    attachments: tuple[Reference, ...] = ()


class AcceptCommand(_Command):
    """受理: take a reported case on."""

    action: Literal["accept"] = "accept"


class RejectCommand(_Command):
    """不予受理: ``kind`` invalid, duplicate (give ``duplicate_of``) or out_of_remit; ``note``
    says why (required)."""

    action: Literal["reject"] = "reject"
    kind: RejectKind
    duplicate_of: Id | None = None


class TriageCommand(_Command):
    """研判: category and severity; the owner level comes from the triage rule unless given."""

    action: Literal["triage"] = "triage"
    category: Code | None = None
    severity: Severity | None = None
    owner_level: Level | None = None


class DispatchCommand(_Command):
    """派单: the lead (``staff:<id>`` or ``department:<code>``) and co-operators (department
    codes or ``staff:<id>``); without a lead the routing rule chooses both."""

    action: Literal["dispatch"] = "dispatch"
    lead: Code | None = None
    co_operators: tuple[Code, ...] | None = None


class StartCommand(_Command):
    """接单: the lead starts work."""

    action: Literal["start"] = "start"


class ResolveCommand(_Command):
    """办结: ``note`` says what was done (required)."""

    action: Literal["resolve"] = "resolve"


class InformCommand(_Command):
    """结果反馈: the reporter was told the result."""

    action: Literal["inform"] = "inform"


class VisitCommand(_Command):
    """回访: ``rating`` 1-5; 3-5 satisfied, 1-2 reopens the case."""

    action: Literal["visit"] = "visit"
    rating: StrictInt


class CloseCommand(_Command):
    """闭环: from visited, or from informed when no visit is possible."""

    action: Literal["close"] = "close"


class WithdrawCommand(_Command):
    """The reporter withdraws an unresolved case."""

    action: Literal["withdraw"] = "withdraw"


class MergeCommand(_Command):
    """并件: fold an unresolved case into another one (``into``)."""

    action: Literal["merge"] = "merge"
    into: Id


class EscalateCommand(_Command):
    """上报: hand the case one level up (grid → community → town → county)."""

    action: Literal["escalate"] = "escalate"


CaseCommand = Annotated[
    AcceptCommand
    | RejectCommand
    | TriageCommand
    | DispatchCommand
    | StartCommand
    | ResolveCommand
    | InformCommand
    | VisitCommand
    | CloseCommand
    | WithdrawCommand
    | MergeCommand
    | EscalateCommand,
    Field(discriminator="action"),
]
"""One action on one case, with exactly the fields that action takes."""

COMMANDS: Final[Mapping[str, type[_Command]]] = {
    get_args(cls.model_fields["action"].annotation)[0]: cls
    for cls in get_args(get_args(CaseCommand)[0])
}
"""Each command class by its action name."""


_COMMAND: Final = pydantic.TypeAdapter[CaseCommand](CaseCommand)


class CaseAction(_Model):
    """One transition for ``cases.apply_many``: the case and the command. A flat mapping
    ``{"case_id": 12, "action": "dispatch", "lead": "staff:3"}`` reads as the same."""

    case_id: Id
    command: CaseCommand

    @model_validator(mode="before")
    @classmethod
    def _flat(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "command" not in data:
            rest = dict(data)
            out: dict[str, Any] = {"command": rest}
            if "case_id" in rest:
                out["case_id"] = rest.pop("case_id")
            return out
        return data


class CaseView(_Model):
    """A case as callers see it. ``number`` is its human number in its town
    (``2026-000123``); ``reporter_phone`` is masked."""

    id: int
    number: str
    unit_code: str
    channel: str
    state: str
    text: str
    category: str | None
    severity: str
    owner_level: str
    lead: str | None
    co_operators: tuple[str, ...]
    address: str | None
    lat: float | None
    lon: float | None
    photos: tuple[str, ...]
    reporter_phone: str | None
    device_id: str | None
    alarm_count: int
    reported_at: dt.datetime
    response_due: dt.datetime
    resolve_due: dt.datetime
    responded_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    rating: int | None
    reopen_count: int
    escalations: int
    merged_into: int | None
    duplicate_of: int | None
    reject_kind: str | None
    version: int


class CaseEventView(_Model):
    seq: int
    action: str
    actor: str
    at: dt.datetime
    from_state: str | None
    to_state: str
    note: str | None
    attachments: tuple[str, ...]
    data: dict[str, Any]


class CaseUpdateView(CaseEventView):
    """An event with the case it belongs to (``CaseService.updates``)."""

    case_id: int


class CategoryView(_Model):
    code: str
    label: str
    parent: str | None
    department: str | None
    level: str


class BatchResult(_Model):
    """What ``apply_many`` did: the number of events and each touched case's state/version."""

    applied: int
    states: dict[int, str]
    versions: dict[int, int]


def parse_action(value: CaseAction | Mapping[str, Any]) -> tuple[int, CaseCommand]:
    """The case id and the command of one transition, from a ``CaseAction``, its mapping or a
    flat mapping. The flat mapping (what batches mostly pass) is validated once, through the
    discriminated union alone."""
    if isinstance(value, CaseAction):
        return value.case_id, value.command
    case_id = value.get("case_id")
    if "command" in value or isinstance(case_id, bool) or not isinstance(case_id, int):
        action = parse(CaseAction, value)
        return action.case_id, action.command
    fields = dict(value)
    del fields["case_id"]
    try:
        return case_id, _COMMAND.validate_python(fields)
    except pydantic.ValidationError as exc:
        raise _translated(exc, "CaseAction") from None
