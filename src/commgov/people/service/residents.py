"""Households and residents (一户一档): add, read (masked by permission), change, export."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from commgov.errors import ConflictError, ValidationError
from commgov.kernel.access import READ, READ_PERSONAL, WRITE, Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import local_date, optional_utc
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import check_int
from commgov.people.calls import vocabulary
from commgov.people.model.labels import resolve_label
from commgov.people.model.personal import IdentityNumber, Phone
from commgov.people.model.residents import RESIDENT_FIELDS, validate_address, validate_resident
from commgov.people.model.text import escape_formula
from commgov.people.model.units import Unit, household_target
from commgov.people.repository import HouseholdRepository, ResidentRepository, UnitRepository
from commgov.people.service import resident_events
from commgov.people.service.grids import load_unit
from commgov.people.service.resident_events import LeaveReason
from commgov.people.service.resident_rows import (
    ID_HASH_KIND,
    PHONE_HASH_KIND,
    resident_row,
    resident_view,
)
from commgov.people.views import HouseholdView, LifeEventView, ResidencyView, ResidentView

EXPORT_COLUMNS = ("id", "household_id", "unit_code", *RESIDENT_FIELDS)

log = logging.getLogger(__name__)


Labels = str | Sequence[str]


class Unset(enum.Enum):
    """The default of ``update_resident``'s fields: leave the field as it is."""

    UNSET = "unset"


UNSET: Final = Unset.UNSET


def _given(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The resident fields among a call's arguments that are not ``None``."""
    return {k: arguments[k] for k in RESIDENT_FIELDS if arguments.get(k) is not None}


def _changed(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The resident fields among a call's arguments that were given (``None`` included)."""
    return {k: arguments[k] for k in RESIDENT_FIELDS if arguments.get(k, UNSET) is not UNSET}


def authorized_resident(
    ctx: Context, uow: UnitOfWork, actor: Actor, resident_id: int, action: str
) -> tuple[Any, Unit]:
    """A resident's row and unit, once ``actor`` may ``action`` their household."""
    row = uow.repo(ResidentRepository).get(check_int("resident_id", resident_id))
    home = uow.repo(UnitRepository).get(row.unit_id)
    ctx.authorize(actor, action, household_target(home, row.household_id))
    return row, home


class ResidentService:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # -- households ----------------------------------------------------------------------
    def add_household(self, actor: Actor, *, unit: str, address: str) -> HouseholdView:
        address = validate_address(address)
        with self._ctx.uow() as uow:
            home = load_unit(uow, unit, live=True)
            self._ctx.authorize(actor, WRITE, Target(f"unit {home.code}", home.path))
            (household_id,) = uow.repo(HouseholdRepository).add_many(
                [{"unit_id": home.id, "address": address, "created_at": self._ctx.clock()}]
            )
            self._ctx.audit(
                uow,
                actor,
                "household.create",
                entity="household",
                entity_id=household_id,
                detail={"unit": home.code},
            )
            return HouseholdView(id=household_id, unit_code=home.code, address=address)

    def household(self, actor: Actor, household_id: int) -> HouseholdView:
        with self._ctx.uow(readonly=True) as uow:
            row, home = self._load_household(uow, household_id)
            self._ctx.authorize(actor, READ, household_target(home, household_id))
            members = tuple(r.id for r in uow.repo(ResidentRepository).of_household(household_id))
            return HouseholdView(
                id=row.id, unit_code=home.code, address=row.address, member_ids=members
            )

    def move_household(self, actor: Actor, household_id: int, *, unit: str) -> HouseholdView:
        with self._ctx.uow() as uow:
            row, home = self._load_household(uow, household_id)
            new_home = load_unit(uow, unit, live=True)
            self._ctx.authorize(actor, WRITE, household_target(home, household_id))
            self._ctx.authorize(actor, WRITE, Target(f"unit {new_home.code}", new_home.path))
            uow.repo(HouseholdRepository).move_unit(household_id, new_home.id)
            self._ctx.audit(
                uow,
                actor,
                "household.move",
                entity="household",
                entity_id=household_id,
                detail={"from": home.code, "to": new_home.code},
            )
            members = tuple(r.id for r in uow.repo(ResidentRepository).of_household(household_id))
            return HouseholdView(
                id=row.id, unit_code=new_home.code, address=row.address, member_ids=members
            )

    def households_under(
        self, actor: Actor, unit: str, *, limit: int | None = None, after_id: int | None = None
    ) -> list[HouseholdView]:
        """Households in ``unit`` and below it, by id; ``limit`` caps the rows and
        ``after_id`` continues after the last id of a previous page."""
        _check_limit(limit)
        if after_id is not None:
            check_int("after_id", after_id)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, Target(f"unit {top.code}", top.path))
            rows = uow.repo(HouseholdRepository).under(top.path, limit=limit, after_id=after_id)
            codes = {u.id: u.code for u in uow.repo(UnitRepository).subtree(top)}
            return [
                HouseholdView(id=r.id, unit_code=codes[r.unit_id], address=r.address) for r in rows
            ]

    # -- residents -----------------------------------------------------------------------
    def add_resident(
        self,
        actor: Actor,
        *,
        household_id: int,
        name: str,
        identity_number: str | None = None,
        phone: str | None = None,
        birth_date: dt.date | str | None = None,
        sex: str | None = None,
        care_groups: Labels | None = None,
        skills: Labels | None = None,
        tags: Labels | None = None,
        is_volunteer: bool | str | None = None,
        is_party_member: bool | str | None = None,
    ) -> ResidentView:
        """Add a resident to a household. Birth date and sex follow from the identity number
        when it is given; ``care_groups``, ``skills`` and ``tags`` take a list or ``"a;b"``."""
        fields = _given(locals())
        record = self._validate(fields)
        with self._ctx.uow() as uow:
            _row, home = self._load_household(uow, household_id)
            self._ctx.authorize(actor, WRITE, household_target(home, household_id))
            values = resident_row(
                record,
                household_id=household_id,
                unit_id=home.id,
                cipher=self._ctx.cipher,
                now=self._ctx.clock(),
            )
            if values["id_hash"] is not None and uow.repo(ResidentRepository).existing_hashes(
                [values["id_hash"]]
            ):
                raise ConflictError(
                    f"identity_number={record.identity}: a resident with it already exists"
                )
            (resident_id,) = uow.repo(ResidentRepository).add_many([values])
            self._ctx.audit(
                uow,
                actor,
                "resident.create",
                entity="resident",
                entity_id=resident_id,
                detail={"household": household_id},
            )
            view = self._view(uow, actor, uow.repo(ResidentRepository).get(resident_id), home)
        log.info("%s added %r", actor.label(), view)  # views mask personal data in repr
        return view

    def update_resident(
        self,
        actor: Actor,
        resident_id: int,
        *,
        name: str | Unset = UNSET,
        identity_number: str | Unset | None = UNSET,
        phone: str | Unset | None = UNSET,
        birth_date: dt.date | str | Unset | None = UNSET,
        sex: str | Unset | None = UNSET,
        care_groups: Labels | Unset | None = UNSET,
        skills: Labels | Unset | None = UNSET,
        tags: Labels | Unset | None = UNSET,
        is_volunteer: bool | str | Unset | None = UNSET,
        is_party_member: bool | str | Unset | None = UNSET,
    ) -> ResidentView:
        """Change the fields given; the others keep their values (``None`` clears one)."""
        changes = _changed(locals())
        check_int("resident_id", resident_id)
        with self._ctx.uow() as uow:
            row = resident_events.living(uow, resident_id)
            home = uow.repo(UnitRepository).get(row.unit_id)
            self._ctx.authorize(actor, WRITE, household_target(home, row.household_id))
            current = self._view(uow, Actor.system(), row, home).model_dump()
            if "identity_number" in changes:  # birth date and sex follow the new number
                current = {k: v for k, v in current.items() if k not in ("birth_date", "sex")}
            merged = current | changes
            record = self._validate(merged)
            values = resident_row(
                record,
                household_id=row.household_id,
                unit_id=row.unit_id,
                cipher=self._ctx.cipher,
                now=row.created_at,
            )
            values = {
                k: v
                for k, v in values.items()
                if k not in ("household_id", "unit_id", "created_at")
            }
            if values["id_hash"] not in (None, row.id_hash) and uow.repo(
                ResidentRepository
            ).existing_hashes([values["id_hash"]]):
                raise ConflictError(
                    f"identity_number={record.identity}: a resident with it already exists"
                )
            uow.repo(ResidentRepository).update(resident_id, values)
            self._ctx.audit(
                uow,
                actor,
                "resident.update",
                entity="resident",
                entity_id=resident_id,
                detail={"fields": sorted(changes)},
            )
            return self._view(uow, actor, uow.repo(ResidentRepository).get(resident_id), home)

    # -- life events (迁出, 死亡, moving house, merging a record entered twice) ------------------
    def leave(
        self,
        actor: Actor,
        resident_id: int,
        *,
        reason: LeaveReason,
        at: dt.datetime | None = None,
    ) -> LifeEventView:
        """A resident leaves the town's files: ``died`` or ``moved_out`` (迁出), dated ``at``
        (default now; never in the future). Their record and history stay; counts from then on
        leave them out, and their open work is handed over or closed with the reason."""
        return resident_events.leave(self._ctx, actor, resident_id, reason=reason, at=at)

    def move(
        self,
        actor: Actor,
        resident_id: int,
        *,
        household_id: int,
        at: dt.datetime | None = None,
    ) -> LifeEventView:
        """A resident moves to another household (in this grid or another), dated ``at``; the
        old household's file keeps their stay there."""
        return resident_events.move(self._ctx, actor, resident_id, household_id=household_id, at=at)

    def merge(self, actor: Actor, resident_id: int, *, into: int) -> LifeEventView:
        """Merge a resident entered twice into the record ``into``, which is kept: it takes
        the identity number and phone it lacks and the care groups, skills and tags it does
        not have; the duplicate is closed as ``merged`` and its open work moves to the kept
        record."""

        def fill(kept: int, changes: dict[str, Any]) -> None:
            self.update_resident(actor, kept, **changes)

        return resident_events.merge(self._ctx, actor, resident_id, into=into, fill=fill)

    def history(self, actor: Actor, resident_id: int) -> list[ResidencyView]:
        """Where a resident lived when: their residencies, oldest first."""
        return resident_events.history(self._ctx, actor, resident_id=resident_id)

    def household_history(self, actor: Actor, household_id: int) -> list[ResidencyView]:
        """Who lived in a household when (一户一档): every residency there, oldest first."""
        return resident_events.history(self._ctx, actor, household_id=household_id)

    def get(self, actor: Actor, resident_id: int) -> ResidentView:
        check_int("resident_id", resident_id)
        with self._ctx.uow(readonly=True) as uow:
            row = uow.repo(ResidentRepository).get(resident_id)
            home = uow.repo(UnitRepository).get(row.unit_id)
            self._ctx.authorize(actor, READ, household_target(home, row.household_id))
            return self._view(uow, actor, row, home)

    def members(self, actor: Actor, household_id: int) -> list[ResidentView]:
        with self._ctx.uow(readonly=True) as uow:
            _row, home = self._load_household(uow, household_id)
            self._ctx.authorize(actor, READ, household_target(home, household_id))
            return [
                self._view(uow, actor, r, home)
                for r in uow.repo(ResidentRepository).of_household(household_id)
            ]

    def under(
        self, actor: Actor, unit: str, *, care_group: str | None = None, limit: int | None = None
    ) -> list[ResidentView]:
        """Residents living in ``unit`` or below, optionally only one care group."""
        _check_limit(limit)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, Target(f"unit {top.code}", top.path))
            group = self._check_care_group(care_group)
            units = {u.id: u for u in uow.repo(UnitRepository).subtree(top)}
            rows = uow.repo(ResidentRepository).under(top.path, care_group=group, limit=limit)
            return [self._view(uow, actor, r, units[r.unit_id]) for r in rows]

    def count_under(
        self,
        actor: Actor,
        unit: str,
        *,
        care_group: str | None = None,
        at: dt.datetime | None = None,
    ) -> int:
        """Residents living under ``unit`` now, or at the moment ``at``."""
        moment = optional_utc("at", at)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, Target(f"unit {top.code}", top.path))
            group = self._check_care_group(care_group)
            return uow.repo(ResidentRepository).count_under(top.path, care_group=group, at=moment)

    def find_by_identity(self, actor: Actor, identity_number: str) -> ResidentView | None:
        """Look a resident up by identity number through its keyed hash (never a clear scan).
        ``None`` when nobody has it or the actor may not read their household: a denial would
        tell an outsider that the number is on file, and where."""
        clear = IdentityNumber.parse(identity_number).reveal()
        return self._find(actor, "id_hash", self._ctx.cipher.lookup_hash(ID_HASH_KIND, clear))

    def find_by_phone(self, actor: Actor, phone: str) -> list[ResidentView]:
        clear = Phone.parse(phone).reveal()
        digest = self._ctx.cipher.lookup_hash(PHONE_HASH_KIND, clear)
        with self._ctx.uow(readonly=True) as uow:
            found = []
            for row in uow.repo(ResidentRepository).find_by_hash("phone_hash", digest):
                home = uow.repo(UnitRepository).get(row.unit_id)
                if self._ctx.allowed(actor, READ, household_target(home, row.household_id)):
                    found.append(self._view(uow, actor, row, home))
            return found

    def _find(self, actor: Actor, column: str, digest: bytes) -> ResidentView | None:
        with self._ctx.uow(readonly=True) as uow:
            rows = uow.repo(ResidentRepository).find_by_hash(column, digest)
            if not rows:
                return None
            home = uow.repo(UnitRepository).get(rows[0].unit_id)
            if not self._ctx.allowed(actor, READ, household_target(home, rows[0].household_id)):
                return None
            return self._view(uow, actor, rows[0], home)

    def export_csv(self, actor: Actor, unit: str, path: str | Path) -> int:
        """Write the residents under ``unit`` to a CSV file, masked unless the actor may read
        personal data there. Returns the number of rows written. A cell that a spreadsheet
        would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) is written with a
        ``'`` before it (``escape_formula``); the importer takes it off again."""
        views = self.under(actor, unit)
        with Path(path).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=EXPORT_COLUMNS)
            writer.writeheader()
            for view in views:
                data = view.model_dump(include=set(EXPORT_COLUMNS))
                for key in ("care_groups", "skills", "tags"):
                    data[key] = ";".join(data[key])
                writer.writerow(
                    {k: escape_formula(v) if isinstance(v, str) else v for k, v in data.items()}
                )
        return len(views)

    # -- helpers -------------------------------------------------------------------------
    def _validate(self, fields: Mapping[str, Any]) -> Any:
        today = local_date(self._ctx.clock(), self._ctx.zone)
        record, errors = validate_resident(fields, vocabulary(self._ctx), today=today)
        if errors:
            raise errors[0]
        return record

    def _check_care_group(self, care_group: str | None) -> str | None:
        """The care group's code, from its code or one of its labels (``独居老人``)."""
        if care_group is None:
            return None
        vocab = vocabulary(self._ctx)
        if isinstance(care_group, str):
            code = resolve_label(
                care_group, vocab.care_groups, vocab.aliases.get("care_groups", {})
            )
            if code in vocab.care_groups:
                return code
        known = ", ".join(sorted(vocab.care_groups))
        raise ValidationError("care_group", care_group, f"unknown; known: {known}")

    def _load_household(self, uow: UnitOfWork, household_id: int) -> tuple[Any, Unit]:
        row = uow.repo(HouseholdRepository).get(check_int("household_id", household_id))
        return row, uow.repo(UnitRepository).get(row.unit_id)

    def _view(self, uow: UnitOfWork, actor: Actor, row: Any, home: Unit) -> ResidentView:
        visible = self._ctx.allowed(actor, READ_PERSONAL, household_target(home, row.household_id))
        return resident_view(row, unit_code=home.code, cipher=self._ctx.cipher, visible=visible)


def _check_limit(limit: object) -> None:
    """``limit`` is ``None`` or a whole number of at least 0; ``ValidationError`` otherwise."""
    if limit is not None and check_int("limit", limit) < 0:
        raise ValidationError("limit", limit, "must be 0 or more")
