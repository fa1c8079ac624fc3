"""``cg.imports``: bulk imports from rows in memory or from files.

Households and residents: validate every row first, then write all at once. The unit tree,
departments and staff: row by row through their services (``tree_imports``). Every import is
one unit of work: a file with a bad row imports nothing (unless ``skip_invalid``), and a crash
part-way leaves nothing behind, because nothing commits until the last row is in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
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
from commgov.people.model.import_columns import (
    DEPARTMENT_COLUMNS,
    RESIDENT_COLUMNS,
    STAFF_COLUMNS,
    UNIT_COLUMNS,
    ImportColumns,
)
from commgov.people.model.import_report import ImportReport
from commgov.people.model.residents import (
    ResidentRecord,
    validate_address,
    validate_resident,
)
from commgov.people.model.text import clean_text
from commgov.people.model.units import Unit
from commgov.people.repository import HouseholdRepository, ResidentRepository, UnitRepository
from commgov.people.service.import_files import read_table, write_rejected
from commgov.people.service.resident_rows import ID_HASH_KIND, resident_row
from commgov.people.service.tree_imports import TreeImporter

Progress = Callable[[str, int, int], None]
IMPORT_COLUMNS = RESIDENT_COLUMNS.names
_CHUNK = 10_000
_FIELD_COLUMN = {"identity": "identity_number"}
HOUSEHOLD_REFUSED = "整户退回 (the household is refused with row {row}: {column}: {reason})"

__all__ = ["IMPORT_COLUMNS", "ImportReport", "ImportService", "Progress"]


@attrs.define
class _Plan:
    """Valid rows grouped into households, in file order; each row's household key."""

    households: dict[str, tuple[Unit, str]] = attrs.Factory(dict)
    members: dict[str, list[tuple[int, ResidentRecord, bytes | None]]] = attrs.Factory(dict)
    errors: list[RowError] = attrs.Factory(list)
    bad: list[tuple[int, Mapping[str, Any]]] = attrs.Factory(list)
    keys: dict[int, str] = attrs.Factory(dict)

    def keep_households_whole(self, data: list[Mapping[str, Any]], first_row: int) -> None:
        """Refuse every row of a household one of whose rows was refused, naming that row,
        so that no household is imported in part."""
        first: dict[str, RowError] = {}
        for error in sorted(self.errors, key=lambda e: e.row):
            key = self.keys.get(error.row)
            if key is not None and key not in first:
                first[key] = error
        for key, cause in first.items():
            self.households.pop(key, None)
            for number, _record, _digest in self.members.pop(key, []):
                reason = HOUSEHOLD_REFUSED.format(
                    row=cause.row, column=cause.column, reason=cause.reason
                )
                self.errors.append(RowError(number, "household", key, reason))
                self.keys[number] = key
                self.bad.append((number, data[number - first_row]))

    def rejected_households(self) -> int:
        return len({self.keys.get(n, f"#row{n}") for n, _ in self.bad})

    def sort(self) -> None:
        """Errors and refused rows in the order of the file."""
        self.errors.sort(key=lambda e: e.row)
        self.bad.sort(key=lambda item: item[0])


def _no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


class ImportService:
    """``cg.imports``: households and residents, the unit tree, departments and staff, from
    rows in memory (``import_rows``, ``import_units`` …) or from a CSV or XLSX file
    (``import_file``, ``import_units_file`` …)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._tree = TreeImporter(ctx)

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
        """Import households and residents from rows already in memory (see
        ``IMPORT_COLUMNS``; ``import_file`` reads a file). Rows sharing a ``household`` key
        form one household; a row without one is a household of its own. Row numbers in
        errors count from ``first_row`` (2 for a file with a header line); an empty row (a
        blank line) is skipped but counted. A number may stand for text (a spreadsheet cell),
        but not past 15 significant digits: that is a row error (format the column as text).
        With ``skip_invalid`` the good rows are imported, except the other rows of a household
        one of whose rows is refused: they are refused too, naming that row."""
        check_text("source", source)
        report = progress or _no_progress
        data = list(rows)
        with self._ctx.uow() as uow:
            plan = self._validate(uow, actor, data, first_row, report)
            if plan.errors and not skip_invalid:
                plan.sort()
                raise ImportRejected(source, plan.errors)
            plan.keep_households_whole(data, first_row)
            plan.sort()
            households, residents = self._write(uow, plan, report)
            detail = {"households": households, "residents": residents, "rejected": len(plan.bad)}
            self._ctx.audit(
                uow, actor, "import", entity="import", entity_id=source[:64], detail=detail
            )
        return ImportReport(
            households,
            residents,
            tuple(plan.errors),
            tuple(plan.bad),
            households_rejected=plan.rejected_households(),
        )

    def import_file(
        self,
        actor: Actor,
        path: str | Path,
        *,
        skip_invalid: bool = False,
        rejected_to: str | Path | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import households and residents from a ``.csv`` or ``.xlsx`` file with a header row
        (English or Chinese headings). A CSV may be UTF-8, GBK/GB18030 or UTF-16 (the report's
        ``encoding`` says which was read). With ``skip_invalid``, refused rows are written to
        ``rejected_to`` when given (never over an existing file: ``-2``, ``-3`` … is added;
        the report's ``rejected_file`` is the path used). A file that cannot be read is a
        ``ValidationError`` on ``file``; a bad row without ``skip_invalid`` an
        ``ImportRejected``; either way nothing is imported."""
        return self._from_file(
            path, RESIDENT_COLUMNS, rejected_to,
            lambda rows, source: self.import_rows(
                actor, rows, source=source, skip_invalid=skip_invalid, progress=progress
            ),
        )  # fmt: skip

    def import_units(
        self,
        actor: Actor,
        rows: Iterable[Mapping[str, Any]],
        *,
        source: str = "rows",
        first_row: int = 2,
        skip_invalid: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Create units from rows: ``code``, ``name``, ``kind`` (``county`` or ``县`` …),
        ``parent`` (a code; empty for a root) and, for grids, ``grid_type`` and ``covers``.
        A parent may come later in the rows, or be in the store already; a unit whose parent
        row is refused is refused too."""
        return self._tree.units(
            actor, rows, source=source, first_row=first_row, skip_invalid=skip_invalid,
            progress=progress,
        )  # fmt: skip

    def import_units_file(
        self,
        actor: Actor,
        path: str | Path,
        *,
        skip_invalid: bool = False,
        rejected_to: str | Path | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """``import_units`` from a ``.csv`` or ``.xlsx`` file (see ``import_file``)."""
        return self._from_file(
            path, UNIT_COLUMNS, rejected_to,
            lambda rows, source: self.import_units(
                actor, rows, source=source, skip_invalid=skip_invalid, progress=progress
            ),
        )  # fmt: skip

    def import_departments(
        self,
        actor: Actor,
        rows: Iterable[Mapping[str, Any]],
        *,
        source: str = "rows",
        first_row: int = 2,
        skip_invalid: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Create departments from rows: ``code``, ``name``, ``kind`` (``police`` or ``公安``
        …) and ``unit`` (the code of the unit the department serves)."""
        return self._tree.departments(
            actor, rows, source=source, first_row=first_row, skip_invalid=skip_invalid,
            progress=progress,
        )  # fmt: skip

    def import_departments_file(
        self,
        actor: Actor,
        path: str | Path,
        *,
        skip_invalid: bool = False,
        rejected_to: str | Path | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """``import_departments`` from a ``.csv`` or ``.xlsx`` file (see ``import_file``)."""
        return self._from_file(
            path, DEPARTMENT_COLUMNS, rejected_to,
            lambda rows, source: self.import_departments(
                actor, rows, source=source, skip_invalid=skip_invalid, progress=progress
            ),
        )  # fmt: skip

    def import_staff(
        self,
        actor: Actor,
        rows: Iterable[Mapping[str, Any]],
        *,
        source: str = "rows",
        first_row: int = 2,
        skip_invalid: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Register staff from rows: ``name``, ``role`` (``grid_worker`` or ``网格员`` …),
        ``units`` (codes separated by ``;`` or ``；``), and optionally ``employment``
        (``full_time``/专职, ``part_time``/兼职, ``mobile``/流动), ``phone`` and
        ``department`` (a department's code)."""
        return self._tree.staff(
            actor, rows, source=source, first_row=first_row, skip_invalid=skip_invalid,
            progress=progress,
        )  # fmt: skip

    def import_staff_file(
        self,
        actor: Actor,
        path: str | Path,
        *,
        skip_invalid: bool = False,
        rejected_to: str | Path | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """``import_staff`` from a ``.csv`` or ``.xlsx`` file (see ``import_file``)."""
        return self._from_file(
            path, STAFF_COLUMNS, rejected_to,
            lambda rows, source: self.import_staff(
                actor, rows, source=source, skip_invalid=skip_invalid, progress=progress
            ),
        )  # fmt: skip

    def _from_file(
        self,
        path: str | Path,
        columns: ImportColumns,
        rejected_to: str | Path | None,
        run: Callable[[list[dict[str, Any]], str], ImportReport],
    ) -> ImportReport:
        """Read the file, import its rows and write the refused ones, in one unit of work: a
        rejects file that cannot be written leaves nothing imported, and one written for an
        import that then fails is removed."""
        if not isinstance(path, str | Path):
            raise ValidationError("path", type(path).__name__, "expected a file path")
        source = Path(path)
        table = read_table(source, columns)
        written: Path | None = None
        try:
            with self._ctx.uow():
                report = run(table.rows, source.name)
                if rejected_to is not None and report.rejected_rows:
                    written = _write_rejects(rejected_to, report, columns)
        except BaseException:
            if written is not None:
                written.unlink(missing_ok=True)
            raise
        return attrs.evolve(report, encoding=table.encoding, rejected_file=written)

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
            key = plan.keys[number] = _household_key(number, row, errors)
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
                plan.members.setdefault(key, []).append((number, record, digest))
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
            for _number, record, digest in plan.members[key]:
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


def _household_key(number: int, row: Mapping[str, Any], errors: list[RowError]) -> str:
    """The row's household key; a row without one (or with a bad one) is a household alone."""
    try:
        key = clean_text("household", row.get("household"), None, required=False)
    except ValidationError as exc:
        errors.append(_row_error(number, exc))
        key = ""
    return key or f"#row{number}"


def _write_rejects(target: str | Path, report: ImportReport, columns: ImportColumns) -> Path:
    """The refused rows written at ``target`` (or beside it, see ``write_rejected``)."""
    if not isinstance(target, str | Path):
        raise ValidationError("rejected_to", type(target).__name__, "expected a file path")
    try:
        return write_rejected(target, report.rejected_rows, report.rejected, columns)
    except OSError as exc:
        reason = f"cannot be written ({exc.strerror}); nothing was imported"
        raise ValidationError("rejected_to", str(target), reason) from None


def _row_error(number: int, exc: ValidationError) -> RowError:
    column = _FIELD_COLUMN.get(exc.field, exc.field)
    return RowError(number, column, "" if exc.value is None else str(exc.value), exc.reason)
