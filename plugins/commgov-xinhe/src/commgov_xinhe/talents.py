"""社区运营官: a registry of residents who run community services, searchable by skill.

A registration is a plugin record on the resident's grid with ``ref="resident:<id>"`` and the
skills only: names, identity numbers and phones stay in the resident record, where the core
masks them. Registering again replaces the skills (the latest record counts). An operator may
be linked to the organisation they serve with (``organisation_id``: a team, a social
organisation in ``cg.organisations``); ``of_organisation`` lists an organisation's operators."""

from __future__ import annotations

from typing import Final

import attrs

from commgov import Actor, Commgov, RecordView, ValidationError
from commgov_xinhe import vocab

SKILLS_MAX: Final = 20
SKILL_LENGTH: Final = 40


@attrs.frozen
class Operator:
    resident_id: int
    unit_code: str
    skills: tuple[str, ...]
    title: str
    organisation_id: int | None = None


def clean_skills(skills: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Trimmed, de-duplicated skills; each 1–40 characters, at most 20."""
    if isinstance(skills, str) or not isinstance(skills, (list, tuple)):
        raise ValidationError("skills", skills, "a list of skills")
    cleaned: dict[str, str] = {}
    for skill in skills:
        text = skill.strip() if isinstance(skill, str) else ""
        if not 0 < len(text) <= SKILL_LENGTH:
            raise ValidationError("skills", skill, f"1 to {SKILL_LENGTH} characters")
        cleaned.setdefault(text.casefold(), text)
    if not 0 < len(cleaned) <= SKILLS_MAX:
        raise ValidationError("skills", skills, f"1 to {SKILLS_MAX} skills")
    return tuple(cleaned.values())


def register(
    store: Commgov,
    actor: Actor,
    resident_id: int,
    skills: list[str],
    *,
    title: str = "",
    organisation_id: int | None = None,
) -> Operator:
    """Register (or update) a resident as a community operator with their skills, linked to
    the organisation they serve with, if any (it must exist and be readable by ``actor``)."""
    cleaned = clean_skills(skills)
    if len(title) > SKILL_LENGTH:
        raise ValidationError("title", title, f"at most {SKILL_LENGTH} characters")
    resident = store.residents.get(actor, resident_id)  # checks the resident and the reach
    data: dict[str, object] = {"skills": list(cleaned), "title": title}
    if organisation_id is not None:
        data["organisation_id"] = store.organisations.get(actor, organisation_id).id
    record = store.records.add(
        actor, kind=vocab.OPERATOR, unit=resident.unit_code, data=data,
        ref=f"resident:{resident_id}",
    )  # fmt: skip
    return _operator(record)


def operators(store: Commgov, actor: Actor, under: str) -> list[Operator]:
    """Every registered operator under a unit (their latest registration), by resident id."""
    latest: dict[str, RecordView] = {}
    for record in store.records.find(actor, kind=vocab.OPERATOR, under=under):
        if record.ref is not None:
            latest[record.ref] = record
    return sorted((_operator(r) for r in latest.values()), key=lambda o: o.resident_id)


def search(store: Commgov, actor: Actor, under: str, skill: str) -> list[Operator]:
    """Operators under a unit with a skill containing ``skill`` (case-insensitive)."""
    wanted = skill.strip().casefold()
    if not wanted:
        raise ValidationError("skill", skill, "a skill to look for")
    return [
        o for o in operators(store, actor, under) if any(wanted in s.casefold() for s in o.skills)
    ]


def of_organisation(
    store: Commgov, actor: Actor, under: str, organisation_id: int
) -> list[Operator]:
    """Operators under a unit whose latest registration links them to the organisation."""
    return [o for o in operators(store, actor, under) if o.organisation_id == organisation_id]


def _operator(record: RecordView) -> Operator:
    linked = record.data.get("organisation_id")
    return Operator(
        resident_id=int(str(record.ref).removeprefix("resident:")),
        unit_code=record.unit_code,
        skills=tuple(record.data["skills"]),
        title=str(record.data.get("title", "")),
        organisation_id=None if linked is None else int(linked),
    )
