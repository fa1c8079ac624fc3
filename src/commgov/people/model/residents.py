"""Households and residents (一户一档): validated records, ready to be stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from commgov.errors import ValidationError
from commgov.people.model.personal import IdentityNumber, Phone

CORE_CARE_GROUPS: Final = {
    "living_alone": "独居老人 elder living alone",
    "empty_nest": "空巢老人 empty-nest elder",
    "disability": "残疾人 person with a disability",
    "hardship": "困难群众 household in hardship",
    "left_behind_child": "留守儿童 left-behind child",
    "serious_illness": "大病患者 serious illness",
}
SEXES: Final = ("M", "F")
RESIDENT_FIELDS: Final = (
    "name",
    "identity_number",
    "phone",
    "birth_date",
    "sex",
    "care_groups",
    "skills",
    "tags",
    "is_volunteer",
    "is_party_member",
)
NAME_MAX: Final = 64
ADDRESS_MAX: Final = 200


@attrs.frozen
class ResidentRecord:
    """A resident's validated fields. Personal values are kept as masked-by-default objects."""

    name: str
    identity: IdentityNumber | None
    phone: Phone | None
    birth_date: dt.date
    sex: str
    care_groups: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    is_volunteer: bool = False
    is_party_member: bool = False


@attrs.frozen
class Vocabulary:
    """The care groups and tags a store accepts: the core's plus those plugins register."""

    care_groups: frozenset[str]
    tags: frozenset[str]


def validate_name(value: Any, field: str = "name") -> str:
    name = str(value).strip() if value is not None else ""
    if not name:
        raise ValidationError(field, value, "must not be empty")
    if len(name) > NAME_MAX:
        raise ValidationError(field, name[:10] + "…", f"longer than {NAME_MAX} characters")
    return name


def validate_address(value: Any) -> str:
    address = str(value).strip() if value is not None else ""
    if not address:
        raise ValidationError("address", value, "must not be empty")
    if len(address) > ADDRESS_MAX:
        raise ValidationError(
            "address", address[:20] + "…", f"longer than {ADDRESS_MAX} characters"
        )
    return address


def split_list(value: Any) -> tuple[str, ...]:
    """Accept a sequence or a string separated by ``;``, ``,`` or ``、``."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        for sep in ("、", ","):
            value = value.replace(sep, ";")
        return tuple(dict.fromkeys(p.strip() for p in value.split(";") if p.strip()))
    return tuple(dict.fromkeys(str(p).strip() for p in value if str(p).strip()))


def parse_bool(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in ("", "0", "false", "no", "n", "否"):
        return False
    if text in ("1", "true", "yes", "y", "是"):
        return True
    raise ValidationError(field, value, "expected yes/no (1/0, true/false, 是/否)")


def parse_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(field, value, "expected a date as YYYY-MM-DD") from None


def _known(values: tuple[str, ...], allowed: frozenset[str], field: str) -> tuple[str, ...]:
    for v in values:
        if v not in allowed:
            raise ValidationError(field, v, f"unknown; known: {', '.join(sorted(allowed))}")
    return values


def _optional(fields: Mapping[str, Any], key: str) -> str | None:
    raw = fields.get(key)
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None


def validate_resident(
    fields: Mapping[str, Any], vocabulary: Vocabulary, *, today: dt.date | None = None
) -> tuple[ResidentRecord | None, list[ValidationError]]:
    """Validate every field; return the record, or ``None`` and one error per bad field."""
    errors: list[ValidationError] = []
    out: dict[str, Any] = {}
    steps: tuple[tuple[str, Callable[[], Any]], ...] = (
        ("name", lambda: validate_name(fields.get("name"))),
        (
            "identity",
            lambda: _parse_optional(
                fields, "identity_number", lambda s: IdentityNumber.parse(s, today=today)
            ),
        ),
        ("phone", lambda: _parse_optional(fields, "phone", Phone.parse)),
        (
            "birth_date",
            lambda: _parse_optional(fields, "birth_date", lambda s: parse_date(s, "birth_date")),
        ),
        ("sex", lambda: _parse_optional(fields, "sex", _parse_sex)),
        (
            "care_groups",
            lambda: _known(
                split_list(fields.get("care_groups")), vocabulary.care_groups, "care_groups"
            ),
        ),
        ("skills", lambda: split_list(fields.get("skills"))),
        ("tags", lambda: _known(split_list(fields.get("tags")), vocabulary.tags, "tags")),
        ("is_volunteer", lambda: parse_bool(fields.get("is_volunteer"), "is_volunteer")),
        ("is_party_member", lambda: parse_bool(fields.get("is_party_member"), "is_party_member")),
    )
    for key, step in steps:
        try:
            out[key] = step()
        except ValidationError as exc:
            errors.append(exc)
    if not errors:
        _reconcile_identity(out, errors)
    if errors:
        return None, errors
    return ResidentRecord(**out), []


def _parse_optional(fields: Mapping[str, Any], key: str, parse: Callable[[str], Any]) -> Any:
    text = _optional(fields, key)
    return None if text is None else parse(text)


def _parse_sex(value: str) -> str:
    text = value.strip().upper()
    mapped = {"男": "M", "女": "F", "MALE": "M", "FEMALE": "F"}.get(text, text)
    if mapped not in SEXES:
        raise ValidationError("sex", value, "expected M or F (男/女)")
    return mapped


def _reconcile_identity(out: dict[str, Any], errors: list[ValidationError]) -> None:
    """Birth date and sex come from the identity number; given ones must agree with it."""
    identity: IdentityNumber | None = out["identity"]
    if identity is None:
        if out["birth_date"] is None:
            errors.append(
                ValidationError("birth_date", None, "required without an identity number")
            )
        if out["sex"] is None:
            errors.append(ValidationError("sex", None, "required without an identity number"))
        return
    if out["birth_date"] not in (None, identity.birth_date):
        errors.append(
            ValidationError(
                "birth_date", out["birth_date"].isoformat(), "disagrees with the identity number"
            )
        )
    if out["sex"] not in (None, identity.sex):
        errors.append(ValidationError("sex", out["sex"], "disagrees with the identity number"))
    out["birth_date"] = identity.birth_date
    out["sex"] = identity.sex
