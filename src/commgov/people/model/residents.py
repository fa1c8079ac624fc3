"""Households and residents (一户一档): validated records, ready to be stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Set
from typing import Any, Final

import attrs

from commgov.errors import ValidationError
from commgov.kernel.values import check_text, shown
from commgov.people.model.labels import label_aliases, resolve_label
from commgov.people.model.limits import ADDRESS_MAX, LIST_MAX, NAME_MAX
from commgov.people.model.personal import IdentityNumber, Phone
from commgov.people.model.text import clean_text

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
EARLIEST_BIRTH: Final = dt.date(1900, 1, 1)
"""The earliest birth date given without an identity number (the store clock bounds the latest)."""
LIST_SEPARATORS: Final = (";", "；", "、", ",", "，")


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
    """The care groups and tags a store accepts: the core's plus those plugins register.
    ``aliases`` maps, per field, the labels a clerk writes (``独居老人``) to their codes."""

    care_groups: frozenset[str]
    tags: frozenset[str]
    aliases: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    @classmethod
    def from_labels(cls, care_groups: Mapping[str, str], tags: Mapping[str, str]) -> Vocabulary:
        """The vocabulary of registries ``{code: label}``: codes and labels both accepted."""
        return cls(
            care_groups=frozenset(care_groups),
            tags=frozenset(tags),
            aliases={
                "care_groups": label_aliases(care_groups),
                "tags": label_aliases(tags),
            },
        )


def validate_name(value: Any, field: str = "name", limit: int = NAME_MAX) -> str:
    """A name: text of 1 to ``limit`` characters, stripped (see ``clean_text``)."""
    return clean_text(field, value, limit)


def validate_address(value: Any) -> str:
    """A household's address: text of 1 to ``ADDRESS_MAX`` characters, stripped."""
    return clean_text("address", value, ADDRESS_MAX)


def split_list(value: Any, field: str = "labels") -> tuple[str, ...]:
    """Accept a list (tuple, set) or a string separated by ``;``, ``,`` or ``、`` (half- or
    full-width); duplicates and empty items dropped. An item of a list may not hold ``;``
    (the stored separator)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        for sep in LIST_SEPARATORS[1:]:
            value = value.replace(sep, ";")
        items = [p.strip() for p in value.split(";")]
    elif isinstance(value, list | tuple | Set):
        items = [clean_text(field, p, LIST_MAX, required=False) for p in value]
        for item in items:
            if ";" in item:
                raise ValidationError(field, shown(item), "an item may not contain ';'")
    else:
        raise ValidationError(field, value, "expected a list or text separated by ';'")
    return tuple(dict.fromkeys(p for p in items if p))


def validate_list(
    value: Any,
    field: str,
    allowed: frozenset[str] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """``split_list``, each item known when ``allowed`` is given (a label in ``aliases``
    standing for its code), all of them fitting the stored ``;a;b;`` form in ``LIST_MAX``
    characters, without NUL or a lone surrogate."""
    items = split_list(value, field)
    if allowed is not None:
        if aliases:
            items = tuple(dict.fromkeys(resolve_label(i, allowed, aliases) for i in items))
        _known(items, allowed, field, aliases)
    stored = f";{';'.join(items)};" if items else ""
    if len(stored) > LIST_MAX:
        raise ValidationError(
            field, shown(stored.strip(";")), f"longer than {LIST_MAX} characters in all"
        )
    check_text(field, stored)
    return items


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


def _known(
    values: tuple[str, ...],
    allowed: frozenset[str],
    field: str,
    aliases: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    for v in values:
        if v not in allowed:
            chinese = {code: a for a, code in (aliases or {}).items() if not a.isascii()}
            known = [f"{c} ({chinese[c]})" if c in chinese else c for c in sorted(allowed)]
            raise ValidationError(field, shown(v), f"unknown; known: {', '.join(known)}")
    return values


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
            lambda: validate_list(
                fields.get("care_groups"),
                "care_groups",
                vocabulary.care_groups,
                vocabulary.aliases.get("care_groups"),
            ),
        ),
        ("skills", lambda: validate_list(fields.get("skills"), "skills")),
        (
            "tags",
            lambda: validate_list(
                fields.get("tags"), "tags", vocabulary.tags, vocabulary.aliases.get("tags")
            ),
        ),
        ("is_volunteer", lambda: parse_bool(fields.get("is_volunteer"), "is_volunteer")),
        ("is_party_member", lambda: parse_bool(fields.get("is_party_member"), "is_party_member")),
    )
    for key, step in steps:
        try:
            out[key] = step()
        except ValidationError as exc:
            errors.append(exc)
    if not errors:
        _reconcile_identity(out, errors, today or dt.date.today())
    if errors:
        return None, errors
    return ResidentRecord(**out), []


def _parse_optional(fields: Mapping[str, Any], key: str, parse: Callable[[Any], Any]) -> Any:
    """``parse(value)``, or ``None`` when the field is missing or blank."""
    raw = fields.get(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return parse(raw)


def _parse_sex(value: Any) -> str:
    text = str(value).strip().upper()
    mapped = {"男": "M", "女": "F", "男性": "M", "女性": "F", "MALE": "M", "FEMALE": "F"}.get(
        text, text
    )
    if mapped not in SEXES:
        raise ValidationError("sex", value, "expected M or F (男/女)")
    return mapped


def _reconcile_identity(out: dict[str, Any], errors: list[ValidationError], today: dt.date) -> None:
    """Birth date and sex come from the identity number; given ones must agree with it.
    Without one, the birth date given must lie between ``EARLIEST_BIRTH`` and ``today``."""
    identity: IdentityNumber | None = out["identity"]
    if identity is None:
        born: dt.date | None = out["birth_date"]
        if born is None:
            errors.append(
                ValidationError("birth_date", None, "required without an identity number")
            )
        elif not EARLIEST_BIRTH <= born <= today:
            errors.append(
                ValidationError(
                    "birth_date",
                    born.isoformat(),
                    f"must lie between {EARLIEST_BIRTH.isoformat()} and today ({today})",
                )
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
