"""Imports that build a town: the unit tree, departments and staff, row by row through the
services that check them (``GridService.create``, ``StaffService.add_department``,
``StaffService.add``), all inside one unit of work.

Every row is tried and every refused row reported (row, column, value, reason), as for
residents; a refused row leaves nothing behind (its call ran under a savepoint). Without
``skip_invalid`` one refused row refuses the file: nothing is written. A unit whose parent row
was refused is refused too, naming that row, so a tree is never imported with a gap."""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from commgov.errors import (
    CommgovError,
    ConflictError,
    ImportRejected,
    NotFoundError,
    PermissionDenied,
    RowError,
    ValidationError,
)
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.values import check_text, shown
from commgov.people.calls import dedicated_covers, department_kinds
from commgov.people.model.import_report import ImportReport
from commgov.people.model.labels import (
    CORE_COVER_LABELS,
    EMPLOYMENT_LABELS,
    EXTRA_EMPLOYMENT_ALIASES,
    EXTRA_GRID_TYPE_ALIASES,
    EXTRA_UNIT_KIND_ALIASES,
    GRID_TYPE_LABELS,
    UNIT_KIND_LABELS,
    label_aliases,
    resolve_label,
)
from commgov.people.model.personal import mask_phone
from commgov.people.model.text import clean_text
from commgov.people.service.grids import GridService
from commgov.people.service.staff import StaffService

Progress = Callable[[str, int, int], None]
UNIT_LIST_SEPARATORS: Final = re.compile(r"[;；,，、\s]+")
PARENT_REFUSED: Final = "上级单位未导入 (the parent unit's row {row} was refused)"
PARENT_LOOP: Final = "上级编码成环 (the parent codes of this row and its parents loop)"
_REPORT_EVERY: Final = 50


def _no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


def _numbered(rows: Iterable[Any], first_row: int) -> list[tuple[int, Any]]:
    """Rows with their numbers in the file; blank lines (``{}``) are counted, not kept."""
    return [
        (first_row + i, row)
        for i, row in enumerate(rows)
        if not (isinstance(row, Mapping) and not row)
    ]


def _text(row: Mapping[str, Any], column: str) -> str:
    """A cell as stripped text (a number as its digits); ``""`` when empty."""
    return clean_text(column, row.get(column), None, required=False)


def _row_error(number: int, exc: CommgovError, where: str) -> RowError:
    """A service's refusal as the row error of the file: a bad value names its field; a unit
    not found or out of reach names the column ``where`` that points at units."""
    if isinstance(exc, ValidationError):
        value = "" if exc.value is None else shown(str(exc.value))
        if exc.field == "phone":
            value = mask_phone(value)
        return RowError(number, exc.field, value, exc.reason)
    if isinstance(exc, NotFoundError):
        return RowError(number, where, shown(str(exc.key)), f"no {exc.kind} with this code")
    if isinstance(exc, PermissionDenied):
        return RowError(number, where, "", str(exc))
    if isinstance(exc, ConflictError):
        return RowError(number, "code", "", str(exc))
    return RowError(number, "*", "", str(exc))


def _unit_graph(
    numbered: list[tuple[int, Any]], refuse: Callable[[RowError], None]
) -> tuple[dict[int, Mapping[str, Any]], dict[int, tuple[str, int | None]]]:
    """The unit rows by number, and each row's parent code with the number of the row that
    holds that code (``None`` when the parent is not in the file). A code given twice, a unit
    its own parent and a row that is not a mapping are refused here."""
    rows: dict[int, Mapping[str, Any]] = {}
    codes: dict[str, int] = {}
    parent_codes: dict[int, str] = {}
    for number, row in numbered:
        if not isinstance(row, Mapping):
            refuse(RowError(number, "*", type(row).__name__, "expected a mapping"))
            continue
        rows[number] = row
        try:
            code, parent = _text(row, "code"), _text(row, "parent")
        except ValidationError as exc:
            refuse(_row_error(number, exc, "parent"))
            continue
        if code and code in codes:
            refuse(RowError(number, "code", code, f"same code as row {codes[code]}"))
        elif code and code == parent:
            refuse(RowError(number, "parent", parent, "a unit cannot be its own parent"))
        elif code:
            codes[code] = number
        parent_codes[number] = parent
    parents = {n: (p, codes.get(p) if p else None) for n, p in parent_codes.items()}
    return rows, parents


def _tree_order(parents: Mapping[int, tuple[str, int | None]]) -> tuple[list[int], list[int]]:
    """The rows in an order where each parent row comes before its children, otherwise in
    file order; and the rows that never come (their parent rows loop)."""
    waiting = {n: p for n, (_, p) in parents.items() if p is not None and p != n}
    children: dict[int, list[int]] = {}
    for child, parent_row in waiting.items():
        children.setdefault(parent_row, []).append(child)
    ready = [n for n in parents if n not in waiting]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        number = heapq.heappop(ready)
        order.append(number)
        waiting.pop(number, None)
        for child in children.get(number, ()):
            heapq.heappush(ready, child)
    return order, sorted(waiting)


class TreeImporter:
    """The row imports behind ``cg.imports.import_units``, ``import_departments`` and
    ``import_staff``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._grids = GridService(ctx)
        self._staff = StaffService(ctx)

    # -- the shared loop -------------------------------------------------------------------
    def _run(
        self,
        actor: Actor,
        kind: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        source: str,
        first_row: int,
        skip_invalid: bool,
        progress: Progress | None,
        attempt: Callable[[list[tuple[int, Any]], list[RowError], Progress], int],
    ) -> ImportReport:
        check_text("source", source)
        report = progress or _no_progress
        numbered = _numbered(rows, first_row)
        errors: list[RowError] = []
        with self._ctx.uow() as uow:
            made = attempt(numbered, errors, report)
            errors.sort(key=lambda e: e.row)
            if errors and not skip_invalid:
                raise ImportRejected(source, errors)
            refused = {e.row for e in errors}
            detail = {"kind": kind, kind: made, "rejected": len(refused)}
            self._ctx.audit(
                uow, actor, "import", entity="import", entity_id=source[:64], detail=detail
            )
        bad = tuple((n, r if isinstance(r, Mapping) else {}) for n, r in numbered if n in refused)
        return ImportReport(
            rejected=tuple(errors),
            rejected_rows=bad,
            kind=kind,
            units=made if kind == "units" else 0,
            departments=made if kind == "departments" else 0,
            staff=made if kind == "staff" else 0,
        )

    def _each(
        self,
        numbered: list[tuple[int, Any]],
        errors: list[RowError],
        report: Progress,
        call: Callable[[Mapping[str, Any]], object],
        where: str,
    ) -> int:
        """Try ``call`` on every row in file order; the rows written."""
        made = 0
        for index, (number, row) in enumerate(numbered):
            if index % _REPORT_EVERY == 0:
                report("import", index, len(numbered))
            if not isinstance(row, Mapping):
                errors.append(RowError(number, "*", type(row).__name__, "expected a mapping"))
                continue
            try:
                call(row)
            except CommgovError as exc:
                errors.append(_row_error(number, exc, where))
            else:
                made += 1
        report("import", len(numbered), len(numbered))
        return made

    # -- units -----------------------------------------------------------------------------
    def units(
        self,
        actor: Actor,
        rows: Iterable[Mapping[str, Any]],
        *,
        source: str = "rows",
        first_row: int = 2,
        skip_invalid: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Units from rows with ``code``, ``name``, ``kind``, ``parent`` (a code; empty for a
        root) and, for grids, ``grid_type`` and ``covers``. A parent may be a row of the same
        file (before or after its children) or a unit already in the store."""
        return self._run(
            actor, "units", rows, source=source, first_row=first_row,
            skip_invalid=skip_invalid, progress=progress,
            attempt=lambda numbered, errors, report: self._units(actor, numbered, errors, report),
        )  # fmt: skip

    def _units(
        self,
        actor: Actor,
        numbered: list[tuple[int, Any]],
        errors: list[RowError],
        report: Progress,
    ) -> int:
        refused: set[int] = set()

        def refuse(error: RowError) -> None:
            errors.append(error)
            refused.add(error.row)

        rows, parents = _unit_graph(numbered, refuse)
        order, looped = _tree_order(parents)
        create = self._unit_maker(actor)
        made = 0
        for done, number in enumerate(order, start=1):
            if done % _REPORT_EVERY == 0:
                report("import", done, len(numbered))
            parent, parent_row = parents[number]
            if number in refused:
                continue
            if parent_row is not None and parent_row in refused:
                refuse(RowError(number, "parent", parent, PARENT_REFUSED.format(row=parent_row)))
                continue
            try:
                create(rows[number], parent)
            except CommgovError as exc:
                refuse(_row_error(number, exc, "parent"))
            else:
                made += 1
        for number in looped:
            if number not in refused:
                refuse(RowError(number, "parent", parents[number][0], PARENT_LOOP))
        report("import", len(numbered), len(numbered))
        return made

    def _unit_maker(self, actor: Actor) -> Callable[[Mapping[str, Any], str], object]:
        """``create(row, parent)``: one unit through ``GridService.create``, labels (``县``,
        ``专属网格``, ``学校``) read as their codes."""
        kinds = label_aliases(UNIT_KIND_LABELS, EXTRA_UNIT_KIND_ALIASES)
        grid_types = label_aliases(GRID_TYPE_LABELS, EXTRA_GRID_TYPE_ALIASES)
        known_covers = dedicated_covers(self._ctx)
        covers = label_aliases(known_covers, label_aliases(CORE_COVER_LABELS))

        def create(row: Mapping[str, Any], parent: str) -> object:
            grid_type = resolve_label(_text(row, "grid_type"), GRID_TYPE_LABELS, grid_types)
            return self._grids.create(
                actor,
                code=_text(row, "code") or None,
                name=_text(row, "name"),
                kind=resolve_label(_text(row, "kind"), UNIT_KIND_LABELS, kinds),
                parent=parent or None,
                grid_type=grid_type or None,
                covers=resolve_label(_text(row, "covers"), known_covers, covers) or None,
            )

        return create

    # -- departments -----------------------------------------------------------------------
    def departments(
        self,
        actor: Actor,
        rows: Iterable[Mapping[str, Any]],
        *,
        source: str = "rows",
        first_row: int = 2,
        skip_invalid: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Departments from rows with ``code``, ``name``, ``kind`` (a code or its label,
        ``公安``) and ``unit`` (the code of the unit they serve)."""
        labels = department_kinds(self._ctx)
        aliases = label_aliases(labels)

        def add(row: Mapping[str, Any]) -> object:
            return self._staff.add_department(
                actor,
                code=_text(row, "code"),
                name=_text(row, "name"),
                kind=resolve_label(_text(row, "kind"), labels, aliases),
                unit=_text(row, "unit"),
            )

        return self._run(
            actor, "departments", rows, source=source, first_row=first_row,
            skip_invalid=skip_invalid, progress=progress,
            attempt=lambda numbered, errors, report: self._each(
                numbered, errors, report, add, "unit"
            ),
        )  # fmt: skip

    # -- staff -----------------------------------------------------------------------------
    def staff(
        self,
        actor: Actor,
        rows: Iterable[Mapping[str, Any]],
        *,
        source: str = "rows",
        first_row: int = 2,
        skip_invalid: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Staff from rows with ``name``, ``role`` (a code or its label, ``网格员``), ``units``
        (codes separated by ``;``, ``；``, ``,`` or ``、``), and optionally ``employment``
        (``full_time``/专职, ``part_time``/兼职, ``mobile``/流动), ``phone`` and
        ``department`` (a department's code)."""
        roles = {name: spec.label for name, spec in self._ctx.roles.items()}
        role_aliases = label_aliases(roles)
        employments = label_aliases(EMPLOYMENT_LABELS, EXTRA_EMPLOYMENT_ALIASES)

        def add(row: Mapping[str, Any]) -> object:
            units = [u for u in UNIT_LIST_SEPARATORS.split(_text(row, "units")) if u]
            return self._staff.add(
                actor,
                name=_text(row, "name"),
                role=resolve_label(_text(row, "role"), roles, role_aliases),
                units=units,
                employment=resolve_label(_text(row, "employment"), EMPLOYMENT_LABELS, employments)
                or None,
                phone=_text(row, "phone") or None,
                department=_text(row, "department") or None,
            )

        return self._run(
            actor, "staff", rows, source=source, first_row=first_row,
            skip_invalid=skip_invalid, progress=progress,
            attempt=lambda numbered, errors, report: self._each(
                numbered, errors, report, add, "units"
            ),
        )  # fmt: skip
