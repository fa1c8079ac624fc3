"""Bulk import of households and residents: validate every row first, then write all at once.

An import is one unit of work: a file with a bad row imports nothing (unless ``skip_invalid``),
and a crash part-way leaves nothing behind, because nothing commits until the last row is in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from commgov.errors import ImportRejected, PermissionDenied, RowError, ValidationError
from commgov.kernel.access import WRITE, Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import local_date
from commgov.kernel.values import check_text
from commgov.people.calls import vocabulary
from commgov.people.model.codes import lookup_code
from commgov.people.model.residents import (
    RESIDENT_FIELDS,
    ResidentRecord,
    validate_address,
    validate_resident,
)
from commgov.people.model.text import clean_text
from commgov.people.model.units import Unit
from commgov.people.repository import HouseholdRepository, ResidentRepository, UnitRepository
from commgov.people.service.resident_rows import ID_HASH_KIND, resident_row

Progress = Callable[[str, int, int], None]
IMPORT_COLUMNS = ("household", "unit", "address", *RESIDENT_FIELDS)
_CHUNK = 10_000
_FIELD_COLUMN = {"identity": "identity_number"}


@attrs.frozen
class ImportReport:
    households: int
    residents: int
    rejected: tuple[RowError, ...] = ()
    # the rows as given, clear values included: kept out of repr() so a logged report is safe
    rejected_rows: tuple[tuple[int, Mapping[str, Any]], ...] = attrs.field(default=(), repr=False)


@attrs.define
class _Plan:
    """Valid rows grouped into households, in file order."""

    households: dict[str, tuple[Unit, str]] = attrs.Factory(dict)
    members: dict[str, list[tuple[ResidentRecord, bytes | None]]] = attrs.Factory(dict)
    errors: list[RowError] = attrs.Factory(list)
    bad: list[tuple[int, Mapping[str, Any]]] = attrs.Factory(list)


def _no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


class ImportService:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def import_rows(
        self,
        actor: Actor,
        rows: Iterable[Mapping[str, Any]],
        *,
        source: str = "rows",
        first_row: int = 2,
        skip_invalid: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import rows (see ``IMPORT_COLUMNS``). Rows sharing a ``household`` key form one
        household; a row without one is a household of its own. Row numbers in errors count
        from ``first_row`` (2 for a file with a header line); an empty row (a blank line) is
        skipped but counted. A number may stand for text (a spreadsheet cell), but not past
        15 significant digits: that is a row error (format the column as text)."""
        check_text("source", source)
        report = progress or _no_progress
        data = list(rows)
        with self._ctx.uow() as uow:
            plan = self._validate(uow, actor, data, first_row, report)
            if plan.errors and not skip_invalid:
                raise ImportRejected(source, plan.errors)
            households, residents = self._write(uow, plan, report)
            detail = {"households": households, "residents": residents, "rejected": len(plan.bad)}
            self._ctx.audit(
                uow, actor, "import", entity="import", entity_id=source[:64], detail=detail
            )
        return ImportReport(households, residents, tuple(plan.errors), tuple(plan.bad))

    # -- validation ----------------------------------------------------------------------
    def _validate(
        self,
        uow: Any,
        actor: Actor,
        data: list[Mapping[str, Any]],
        first_row: int,
        report: Progress,
    ) -> _Plan:
        plan = _Plan()
        units: dict[str, Unit | ValidationError] = {}
        allowed: dict[int, bool] = {}
        seen_ids: dict[bytes, int] = {}
        vocab, today = vocabulary(self._ctx), local_date(self._ctx.clock(), self._ctx.zone)
        records: list[tuple[int, str, ResidentRecord, bytes | None]] = []
        lookup = self._ctx.cipher.lookup_hash
        total = len(data)
        for index, row in enumerate(data):
            number = first_row + index
            if isinstance(row, Mapping) and not row:  # a blank line of a file, counted
                continue
            if not isinstance(row, Mapping):
                plan.errors.append(
                    RowError(
                        number, "*", type(row).__name__, "expected a mapping of column to value"
                    )
                )
                plan.bad.append((number, {}))
                continue
            errors: list[RowError] = []
            record, field_errors = validate_resident(row, vocab, today=today)
            errors.extend(_row_error(number, e) for e in field_errors)
            try:
                key = clean_text("household", row.get("household"), None, required=False)
            except ValidationError as exc:
                errors.append(_row_error(number, exc))
                key = ""
            key = key or f"#row{number}"
            unit = self._unit(uow, actor, row.get("unit"), units, allowed)
            if isinstance(unit, ValidationError):
                errors.append(_row_error(number, unit))
            if key not in plan.households and not isinstance(unit, ValidationError):
                try:
                    plan.households[key] = (unit, validate_address(row.get("address")))
                except ValidationError as exc:
                    errors.append(_row_error(number, exc))
            elif not isinstance(unit, ValidationError) and plan.households[key][0].id != unit.id:
                errors.append(
                    RowError(
                        number,
                        "unit",
                        str(row.get("unit")),
                        f"household {key!r} is in another unit",
                    )
                )
            digest = None
            if record is not None and record.identity is not None:
                digest = lookup(ID_HASH_KIND, record.identity.reveal())
                if digest in seen_ids:
                    errors.append(
                        RowError(
                            number,
                            "identity_number",
                            str(record.identity),
                            f"same as row {seen_ids[digest]}",
                        )
                    )
                else:
                    seen_ids[digest] = number
            if errors or record is None:
                plan.errors.extend(errors)
                plan.bad.append((number, row))
            else:
                records.append((number, key, record, digest))
            if index % _CHUNK == 0:
                report("validate", index, total)
        report("validate", total, total)
        self._reject_known(uow, plan, records, data, first_row)
        return plan

    def _reject_known(
        self,
        uow: Any,
        plan: _Plan,
        records: list[tuple[int, str, ResidentRecord, bytes | None]],
        data: list[Mapping[str, Any]],
        first_row: int,
    ) -> None:
        """Drop rows whose identity number is already in the store; group the rest."""
        digests = [d for _, _, _, d in records if d is not None]
        known = (
            uow.repo(ResidentRepository).existing_hashes(digests)
            if digests and uow.repo(ResidentRepository).exists_any()
            else set()
        )
        for number, key, record, digest in records:
            if digest is not None and digest in known:
                plan.errors.append(
                    RowError(
                        number, "identity_number", str(record.identity), "already in the store"
                    )
                )
                plan.bad.append((number, data[number - first_row]))
            else:
                plan.members.setdefault(key, []).append((record, digest))
        plan.households = {k: v for k, v in plan.households.items() if k in plan.members}

    def _unit(
        self,
        uow: Any,
        actor: Actor,
        code: Any,
        cache: dict[str, Unit | ValidationError],
        allowed: dict[int, bool],
    ) -> Unit | ValidationError:
        try:
            text = clean_text("unit", code, None, required=False)
            text = lookup_code(text) if text else text
        except ValidationError as exc:
            return exc
        if text not in cache:
            unit = uow.repo(UnitRepository).find_by_code(text) if text else None
            if unit is None:
                cache[text] = ValidationError("unit", text, "no unit with this code")
            elif unit.retired:
                cache[text] = ValidationError("unit", text, "unit is retired")
            else:
                cache[text] = unit
        found = cache[text]
        if isinstance(found, Unit):
            if found.id not in allowed:
                allowed[found.id] = self._ctx.allowed(
                    actor, WRITE, Target(f"unit {found.code}", found.path)
                )
            if not allowed[found.id]:
                return ValidationError(
                    "unit", text, str(PermissionDenied(actor.label(), WRITE, f"unit {text}"))
                )
        return found

    # -- writing -------------------------------------------------------------------------
    def _write(self, uow: Any, plan: _Plan, report: Progress) -> tuple[int, int]:
        now, cipher = self._ctx.clock(), self._ctx.cipher
        keys = list(plan.households)
        ids = uow.repo(HouseholdRepository).add_many(
            [
                {
                    "unit_id": plan.households[k][0].id,
                    "address": plan.households[k][1],
                    "created_at": now,
                }
                for k in keys
            ]
        )
        total = sum(len(m) for m in plan.members.values())
        done, batch = 0, []
        for key, household_id in zip(keys, ids, strict=True):
            unit_id = plan.households[key][0].id
            for record, digest in plan.members[key]:
                batch.append(
                    resident_row(
                        record,
                        household_id=household_id,
                        unit_id=unit_id,
                        cipher=cipher,
                        now=now,
                        id_hash=digest,
                    )
                )
            if len(batch) >= _CHUNK:
                uow.repo(ResidentRepository).insert(batch)
                done += len(batch)
                batch = []
                report("write", done, total)
        uow.repo(ResidentRepository).insert(batch)
        report("write", total, total)
        return len(ids), total


def _row_error(number: int, exc: ValidationError) -> RowError:
    column = _FIELD_COLUMN.get(exc.field, exc.field)
    return RowError(number, column, "" if exc.value is None else str(exc.value), exc.reason)
